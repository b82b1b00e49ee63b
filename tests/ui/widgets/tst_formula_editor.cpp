// Drives FormulaEditor with QTest key events and checks what it shows: text, signals, the error
// underline, the highlighted range, the completion popup and the highlighter's formats.

#include "core/expr/parser.h"
#include "ui/widgets/formula_editor.h"
#include "ui/widgets/formula_highlighter.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QDir>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using alphascope::ui::FormulaEditor;
using alphascope::ui::FormulaHighlighter;

namespace {

/// The extra selections of `editor` with the given underline style.
QList<QTextEdit::ExtraSelection> selectionsWithUnderline(const FormulaEditor& editor,
                                                         QTextCharFormat::UnderlineStyle style) {
    QList<QTextEdit::ExtraSelection> out;
    for (const auto& s : editor.extraSelections())
        if (s.format.underlineStyle() == style) out << s;
    return out;
}

/// The extra selections of `editor` whose background is the highlight yellow.
QList<QTextEdit::ExtraSelection> yellowSelections(const FormulaEditor& editor) {
    QList<QTextEdit::ExtraSelection> out;
    for (const auto& s : editor.extraSelections())
        if (s.format.background().color() == QColor(255, 236, 140)) out << s;
    return out;
}

/// The highlighter's format covering character `pos` of the first block (default format if none).
QTextCharFormat formatAt(const FormulaEditor& editor, int pos) {
    const QTextBlock block = editor.document()->firstBlock();
    for (const QTextLayout::FormatRange& r : block.layout()->formats())
        if (pos >= r.start && pos < r.start + r.length) return r.format;
    return {};
}

/// The row of the completion model whose inserted text is `key`, -1 if none.
int completionRow(const FormulaEditor& editor, const QString& key) {
    const QAbstractItemModel* model = editor.completer()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data(FormulaEditor::CompletionRole).toString() == key) return r;
    return -1;
}

/// Saves the editor and its completion popup, then the editor showing an error and a highlighted range.
void saveScreenshots(FormulaEditor& editor) {
    const QDir out(qEnvironmentVariable("ALPHASCOPE_SCREENSHOT_DIR"));
    QAbstractItemView* popup = editor.completer()->popup();
    popup->grab().save(out.filePath(QStringLiteral("formula_editor_popup.png")));
    FormulaEditor shown;
    shown.setVocabulary({QStringLiteral("close"), QStringLiteral("open")}, {QStringLiteral("sector")});
    shown.resize(520, shown.sizeHint().height());
    shown.setFormula(QStringLiteral("GroupRank(Div(Sub($close, $open), Maen($close, 20)), sector) * 1.5"));
    shown.highlightRange(14, 32);
    shown.setError(35, QStringLiteral("unknown operator Maen"));
    shown.grab().save(out.filePath(QStringLiteral("formula_editor.png")));
}

} // namespace

class TestFormulaEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void typingEmitsTextEdited() {
        FormulaEditor editor;
        QSignalSpy edited(&editor, &FormulaEditor::textEdited);
        QTest::keyClicks(&editor, "Abs($close)");
        QCOMPARE(editor.formula(), QStringLiteral("Abs($close)"));
        QCOMPARE(edited.count(), 11);
    }

    void setFormulaDoesNotEmit() {
        FormulaEditor editor;
        QSignalSpy edited(&editor, &FormulaEditor::textEdited);
        editor.setFormula(QStringLiteral("Mean($close, 20)"));
        editor.setVocabulary({QStringLiteral("close")}, {QStringLiteral("sector")}); // re-highlights
        QCOMPARE(editor.formula(), QStringLiteral("Mean($close, 20)"));
        QCOMPARE(edited.count(), 0);
        editor.setFormula(QStringLiteral("Abs(\n$open)"));
        QCOMPARE(editor.formula(), QStringLiteral("Abs( $open)")); // formulas are one line
        QCOMPARE(edited.count(), 0);
    }

    void pasteStripsNewlines() {
        FormulaEditor editor;
        QSignalSpy edited(&editor, &FormulaEditor::textEdited);
        QApplication::clipboard()->setText(QStringLiteral("Sub($close,\r\n$open)\n"));
        editor.paste();
        QCOMPARE(editor.formula(), QStringLiteral("Sub($close, $open)"));
        QCOMPARE(editor.document()->blockCount(), 1);
        QCOMPARE(edited.count(), 1);
    }

    void enterSubmits() {
        FormulaEditor editor;
        QSignalSpy submitted(&editor, &FormulaEditor::submitted);
        editor.setFormula(QStringLiteral("Abs($close)"));
        QTest::keyClick(&editor, Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(editor.formula(), QStringLiteral("Abs($close)")); // no newline went in
        QTest::keyClick(&editor, Qt::Key_Enter);
        QCOMPARE(submitted.count(), 2);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void errorUnderline_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("underlined");
        QTest::newRow("operator") << "Div($close, Foo($open))" << 13 << "Foo";
        QTest::newRow("field") << "Div($clse, $open)" << 5 << "$clse";
        QTest::newRow("punctuation") << "Add($close,, $open)" << 12 << ",";
        QTest::newRow("at the end") << "Mean($close, 20" << 16 << "0";
    }
    // clang-format on
    void errorUnderline() {
        QFETCH(QString, formula);
        QFETCH(int, column);
        QFETCH(QString, underlined);
        FormulaEditor editor;
        editor.setFormula(formula);
        QCOMPARE(editor.errorColumn(), 0);
        QVERIFY(selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline).isEmpty());
        editor.setError(column, QStringLiteral("the message"));
        QCOMPARE(editor.errorColumn(), column);
        const auto waves = selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline);
        QCOMPARE(waves.size(), 1);
        const int start = std::min<int>(column - 1, static_cast<int>(formula.size()) - 1);
        QCOMPARE(waves[0].cursor.selectionStart(), start);
        QCOMPARE(waves[0].cursor.selectedText(), underlined);
        QCOMPARE(waves[0].format.underlineColor().red() > 200, true);
        QCOMPARE(waves[0].format.toolTip(), QStringLiteral("the message"));
        editor.clearError();
        QCOMPARE(editor.errorColumn(), 0);
        QVERIFY(selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline).isEmpty());
    }

    void errorFromParser() {
        // The parser's column lands on the misspelt operator.
        const QString formula = QStringLiteral("Div($close, Maen($open, 5))");
        const auto parsed = alphascope::parseFormula(formula.toStdString());
        QVERIFY(!parsed.ok());
        FormulaEditor editor;
        editor.setFormula(formula);
        editor.setError(parsed.error().column, QString::fromStdString(parsed.error().message));
        const auto waves = selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline);
        QCOMPARE(waves.size(), 1);
        QCOMPARE(waves[0].cursor.selectedText(), QStringLiteral("Maen"));
    }

    void highlightRangeCoexistsWithError() {
        FormulaEditor editor;
        editor.setFormula(QStringLiteral("Div(Sub($close, $open), $open)"));
        editor.highlightRange(4, 22);
        auto yellow = yellowSelections(editor);
        QCOMPARE(yellow.size(), 1);
        QCOMPARE(yellow[0].cursor.selectedText(), QStringLiteral("Sub($close, $open)"));
        editor.setError(26, QStringLiteral("bad")); // on the second $open
        QCOMPARE(yellowSelections(editor).size(), 1);
        QCOMPARE(selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline).size(), 1);
        editor.highlightRange(-1, -1);
        QVERIFY(yellowSelections(editor).isEmpty());
        QCOMPARE(selectionsWithUnderline(editor, QTextCharFormat::WaveUnderline).size(), 1);
    }

    void completionModel() {
        FormulaEditor editor;
        QCOMPARE(completionRow(editor, QStringLiteral("$close")), -1);
        editor.setVocabulary({QStringLiteral("close"), QStringLiteral("volume")}, {QStringLiteral("sector")});
        const QAbstractItemModel* model = editor.completer()->model();
        const int mean = completionRow(editor, QStringLiteral("Mean"));
        QVERIFY(mean >= 0);
        QCOMPARE(model->index(mean, 0).data(Qt::DisplayRole).toString(), QStringLiteral("Mean(x, window)"));
        QCOMPARE(model->index(mean, 0).data(FormulaEditor::DescriptionRole).toString(), QStringLiteral("rolling mean"));
        QVERIFY(model->index(mean, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Mean(x, window)")));
        QVERIFY(completionRow(editor, QStringLiteral("$close")) >= 0);
        QVERIFY(completionRow(editor, QStringLiteral("$volume")) >= 0);
        QVERIFY(completionRow(editor, QStringLiteral("sector")) >= 0);
    }

    void typingShowsCompletion() {
        FormulaEditor editor;
        editor.setVocabulary({QStringLiteral("close"), QStringLiteral("open")}, {});
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QCompleter* completer = editor.completer();
        QTest::keyClicks(&editor, "Me");
        QVERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionPrefix(), QStringLiteral("Me"));
        QCOMPARE(completer->currentCompletion(), QStringLiteral("Mean"));
        if (qEnvironmentVariableIsSet("ALPHASCOPE_SCREENSHOT_DIR"))
            completer->popup()->grab().save(QDir(qEnvironmentVariable("ALPHASCOPE_SCREENSHOT_DIR"))
                                                .filePath(QStringLiteral("formula_editor_operators.png")));

        // Accepting inserts the operator and its parenthesis, as a user edit.
        QSignalSpy edited(&editor, &FormulaEditor::textEdited);
        QSignalSpy submitted(&editor, &FormulaEditor::submitted);
        QTest::keyClick(completer->popup(), Qt::Key_Return);
        QCOMPARE(editor.formula(), QStringLiteral("Mean("));
        QVERIFY(!completer->popup()->isVisible());
        QCOMPARE(submitted.count(), 0);
        QVERIFY(edited.count() >= 1);

        // After '$' the fields are offered.
        QTest::keyClicks(&editor, "$c");
        QVERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionPrefix(), QStringLiteral("$c"));
        QCOMPARE(completer->currentCompletion(), QStringLiteral("$close"));
        if (qEnvironmentVariableIsSet("ALPHASCOPE_SCREENSHOT_DIR")) saveScreenshots(editor);
        QTest::keyClick(completer->popup(), Qt::Key_Tab);
        QCOMPARE(editor.formula(), QStringLiteral("Mean($close"));

        // A character that ends a word closes the popup; numbers never open it.
        QTest::keyClicks(&editor, ", 2");
        QVERIFY(!completer->popup()->isVisible());
    }

    void highlighterFormats() {
        FormulaEditor editor;
        editor.setVocabulary({QStringLiteral("close")}, {QStringLiteral("sector")});
        editor.setFormula(QStringLiteral("GroupRank(Mean($close, 20), sector)"));
        const FormulaHighlighter* h = editor.highlighter();
        const QTextCharFormat op = formatAt(editor, 0);      // GroupRank
        const QTextCharFormat mean = formatAt(editor, 10);   // Mean
        const QTextCharFormat field = formatAt(editor, 15);  // $close
        const QTextCharFormat number = formatAt(editor, 23); // 20
        const QTextCharFormat group = formatAt(editor, 28);  // sector
        QCOMPARE(op.foreground(), h->format(FormulaHighlighter::Token::Operator).foreground());
        QCOMPARE(mean.foreground(), op.foreground());
        QCOMPARE(field.foreground(), h->format(FormulaHighlighter::Token::Field).foreground());
        QCOMPARE(number.foreground(), h->format(FormulaHighlighter::Token::Number).foreground());
        QCOMPARE(group.foreground(), h->format(FormulaHighlighter::Token::Group).foreground());
        QVERIFY(op.foreground() != field.foreground());
        QVERIFY(field.foreground() != number.foreground());
        QVERIFY(number.foreground() != group.foreground());

        // A misspelt operator and an unknown grouping stand out.
        editor.setFormula(QStringLiteral("Maen($close, 5) + GroupRank($close, sectr)"));
        const QBrush unknown = h->format(FormulaHighlighter::Token::UnknownFunction).foreground();
        QCOMPARE(formatAt(editor, 0).foreground(), unknown);
        QCOMPARE(formatAt(editor, 37).foreground(), unknown);
    }

    void worldQuantNotation() {
        // Without a $ field the text is WorldQuant's: its names are operators, bare fields, returns
        // and adv{d} are fields, IndClass.sector is a grouping, a misspelt name stands out.
        FormulaEditor editor;
        editor.setVocabulary({QStringLiteral("close"), QStringLiteral("volume")}, {QStringLiteral("sector")});
        const FormulaHighlighter* h = editor.highlighter();
        const QString text =
            QStringLiteral("Ts_Rank(adv20, 5) + IndNeutralize(returns, IndClass.sector) - rnk(close) + colse");
        editor.setFormula(text);
        const QBrush op = h->format(FormulaHighlighter::Token::Operator).foreground();
        const QBrush field = h->format(FormulaHighlighter::Token::Field).foreground();
        const QBrush group = h->format(FormulaHighlighter::Token::Group).foreground();
        const QBrush unknown = h->format(FormulaHighlighter::Token::UnknownFunction).foreground();
        auto at = [&](const char* word) {
            return formatAt(editor, static_cast<int>(text.indexOf(QLatin1String(word)))).foreground();
        };
        QCOMPARE(at("Ts_Rank"), op);
        QCOMPARE(at("adv20"), field);
        QCOMPARE(at("IndNeutralize"), op);
        QCOMPARE(at("returns"), field);
        QCOMPARE(at("IndClass"), group);
        QCOMPARE(formatAt(editor, static_cast<int>(text.indexOf(QLatin1String(".sector")))).foreground(),
                 group); // one name
        QCOMPARE(at("rnk"), unknown);
        QCOMPARE(at("close)"), field);
        QCOMPARE(at("colse"), unknown);
        // A notation prefix is not a name: it is grey, and what follows is read in its notation.
        editor.setFormula(QStringLiteral("wq: rank(close)"));
        QCOMPARE(formatAt(editor, 0).foreground(), h->format(FormulaHighlighter::Token::Parenthesis).foreground());
        QCOMPARE(formatAt(editor, 4).foreground(), op);
        QCOMPARE(formatAt(editor, 9).foreground(), field);
        // Qlib's text keeps Qlib's colouring: a bare name there is a grouping.
        editor.setFormula(QStringLiteral("GroupRank($close, sector) + If($close > 0, 1, 2)"));
        QCOMPARE(formatAt(editor, 28).foreground(), op); // If
        QCOMPARE(formatAt(editor, 18).foreground(), group);

        // Completion offers WorldQuant's names and bare fields once the text is WorldQuant's.
        editor.setFormula(QString());
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QTest::keyClicks(&editor, "ts_ar");
        QCompleter* completer = editor.completer();
        QVERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->currentCompletion(), QStringLiteral("ts_argmax"));
        QTest::keyClick(completer->popup(), Qt::Key_Escape);
        QTest::keyClicks(&editor, "max(clo");
        QVERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->currentCompletion(), QStringLiteral("close"));
        QVERIFY(completionRow(editor, QStringLiteral("adv20")) >= 0);
        QVERIFY(completionRow(editor, QStringLiteral("$close")) < 0);
    }
};

QTEST_MAIN(TestFormulaEditor)
#include "tst_formula_editor.moc"
