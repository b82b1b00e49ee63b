#include "ui/widgets/formula_editor.h"

#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "ui/widgets/formula_highlighter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QToolTip>

namespace alphascope::ui {

namespace {

constexpr int kVisibleLines = 3;         // tall enough for a long formula to wrap, small enough for a toolbar row
constexpr int kMaxPopupWidth = 560;      // px; descriptions are elided beyond it
constexpr int kPopupDescriptionGap = 16; // px between an item and its grey description

bool isIdentChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

/// Draws an item's text followed by its description in a muted colour.
class CompletionDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        const QString description = index.data(FormulaEditor::DescriptionRole).toString();
        opt.text.clear();
        const QWidget* widget = opt.widget;
        QStyle* style = widget ? widget->style() : nullptr;
        if (style) style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const bool selected = opt.state & QStyle::State_Selected;
        QColor color = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        const QRect r = opt.rect.adjusted(6, 0, -6, 0);
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(color);
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, text);
        const int offset = opt.fontMetrics.horizontalAdvance(text) + kPopupDescriptionGap;
        if (!description.isEmpty() && offset < r.width()) {
            color.setAlphaF(0.6f);
            painter->setPen(color);
            const QRect d = r.adjusted(offset, 0, 0, 0);
            painter->drawText(d, Qt::AlignLeft | Qt::AlignVCenter,
                              opt.fontMetrics.elidedText(description, Qt::ElideRight, d.width()));
        }
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        const QFontMetrics& fm = option.fontMetrics;
        s.setWidth(12 + fm.horizontalAdvance(index.data(Qt::DisplayRole).toString()) + kPopupDescriptionGap +
                   fm.horizontalAdvance(index.data(FormulaEditor::DescriptionRole).toString()));
        return s;
    }
};

/// End of the token that starts at `pos` (for the error underline).
int tokenEnd(const QString& text, int pos) {
    const int n = static_cast<int>(text.size());
    const QChar c = text[pos];
    int j = pos + 1;
    if (c == QLatin1Char('$') || isIdentChar(c)) {
        while (j < n && isIdentChar(text[j])) ++j;
    } else if (c == QLatin1Char('.')) {
        while (j < n && (text[j].isDigit() || text[j] == QLatin1Char('.'))) ++j;
    }
    return j;
}

} // namespace

FormulaEditor::FormulaEditor(QWidget* parent)
    : QPlainTextEdit(parent), m_highlighter(new FormulaHighlighter(document())), m_completer(new QCompleter(this)),
      m_completionModel(new QStandardItemModel(this)) {
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    setPlaceholderText(tr("Type a formula, e.g. Div(Sub($close, $open), Sub($high, $low))"));
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setTabChangesFocus(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    m_completer->setModel(m_completionModel);
    m_completer->setCompletionRole(CompletionRole);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWrapAround(false);
    m_completer->setMaxVisibleItems(10);
    m_completer->setWidget(this);
    m_completer->popup()->setItemDelegate(new CompletionDelegate(m_completer->popup()));
    connect(m_completer, qOverload<const QModelIndex&>(&QCompleter::activated), this, &FormulaEditor::insertCompletion);
    rebuildCompletionModel();

    connect(this, &QPlainTextEdit::textChanged, this, &FormulaEditor::onTextChanged);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &FormulaEditor::updateExtraSelections);
}

QString FormulaEditor::formula() const {
    return toPlainText();
}

void FormulaEditor::setFormula(const QString& text) {
    QString clean = text;
    clean.replace(QLatin1String("\r\n"), QLatin1String(" "));
    clean.replace(QLatin1Char('\n'), QLatin1Char(' '));
    clean.replace(QLatin1Char('\r'), QLatin1Char(' '));
    m_settingText = true;
    setPlainText(clean);
    m_settingText = false;
    m_lastText = toPlainText();
    m_completer->popup()->hide();
    // Positions in the old text mean nothing in the new one.
    m_errorColumn = 0;
    m_errorMessage.clear();
    m_errorCursor = QTextCursor();
    m_highlightCursor = QTextCursor();
    moveCursor(QTextCursor::End);
    updateExtraSelections();
}

void FormulaEditor::setVocabulary(const QStringList& fields, const QStringList& groups) {
    m_fields = fields;
    m_groups = groups;
    rebuildCompletionModel();
    m_highlighter->setGroups(groups);
    m_highlighter->setFields(fields);
}

void FormulaEditor::rebuildCompletionModel() {
    m_completionModel->clear();
    auto add = [this](const QString& text, const QString& key, ItemKind kind, const QString& description,
                      const QString& tip) {
        auto* item = new QStandardItem(text);
        item->setData(key, CompletionRole);
        item->setData(static_cast<int>(kind), KindRole);
        item->setData(description, DescriptionRole);
        item->setToolTip(tip);
        m_completionModel->appendRow(item);
    };
    auto qstring = [](std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); };
    for (const OperatorSpec& spec : allOperators()) {
        const QString signature = qstring(spec.signature);
        // The registry's descriptions are English; the catalogue carries them under "Operators".
        const QString description = QCoreApplication::translate(
            "Operators", QByteArray(spec.description.data(), static_cast<qsizetype>(spec.description.size())));
        add(signature, qstring(spec.name), ItemKind::Operator, description,
            signature + QLatin1Char('\n') + description);
    }
    if (m_worldQuant) { // WorldQuant's names (rank, ts_rank, IndNeutralize, ...), then its bare fields
        for (const WorldQuantFunction& f : worldQuantFunctions()) {
            const QString signature = qstring(f.signature);
            const QString description = tr("WorldQuant: %1").arg(qstring(operatorSpec(f.op).signature));
            add(signature, signature.left(signature.indexOf(QLatin1Char('('))), ItemKind::Operator, description,
                signature + QLatin1Char('\n') + description);
        }
        const QString returns = QStringLiteral("returns"), adv = QStringLiteral("adv20");
        for (const QString& field : m_fields)
            add(field, field, ItemKind::Field, tr("field"), tr("Field %1 of the data").arg(field));
        if (!m_fields.contains(returns))
            add(returns, returns, ItemKind::Field, tr("derived field"), tr("returns = close / delay(close, 1) - 1"));
        add(adv, adv, ItemKind::Field, tr("derived field"), tr("adv{d} = the mean of close * volume over d days"));
    } else {
        for (const QString& field : m_fields) {
            const QString text = QLatin1Char('$') + field;
            add(text, text, ItemKind::Field, tr("field"), tr("Field %1 of the data").arg(text));
        }
    }
    for (const QString& group : m_groups)
        add(group, group, ItemKind::Group, tr("grouping"),
            tr("Grouping %1, for GroupRank, GroupDemean, GroupZScore").arg(group));
}

QString FormulaEditor::wordBeforeCursor(int* start) const {
    const QString text = toPlainText();
    const int pos = textCursor().position();
    int j = pos;
    while (j > 0 && isIdentChar(text[j - 1])) --j;
    if (j > 0 && text[j - 1] == QLatin1Char('$')) --j;
    if (start) *start = j;
    return text.mid(j, pos - j);
}

void FormulaEditor::updateCompletionPopup() {
    QAbstractItemView* popup = m_completer->popup();
    const QString prefix = wordBeforeCursor();
    if (prefix.isEmpty() || prefix.at(0).isDigit()) {
        popup->hide();
        return;
    }
    // A formula without a $ field is WorldQuant's: offer its names and bare fields.
    const bool worldQuant = detectNotation(toPlainText().toStdString()) == Notation::WorldQuant;
    if (worldQuant != m_worldQuant) {
        m_worldQuant = worldQuant;
        rebuildCompletionModel();
    }
    if (prefix != m_completer->completionPrefix()) m_completer->setCompletionPrefix(prefix);
    if (m_completer->completionCount() == 0) {
        popup->hide();
        return;
    }
    popup->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    const int width = popup->sizeHintForColumn(0) + popup->verticalScrollBar()->sizeHint().width() + 4;
    rect.setWidth(std::min(width, kMaxPopupWidth));
    m_completer->complete(rect);
}

void FormulaEditor::insertCompletion(const QModelIndex& index) {
    if (!index.isValid()) return;
    const QString key = index.data(CompletionRole).toString();
    const auto kind = static_cast<ItemKind>(index.data(KindRole).toInt());
    const QString text = toPlainText();
    int start = 0;
    wordBeforeCursor(&start);
    int end = textCursor().position();
    while (end < text.size() && isIdentChar(text[end])) ++end; // the rest of the word is replaced too
    QString insert = key;
    const bool hasParen = end < text.size() && text[end] == QLatin1Char('(');
    if (kind == ItemKind::Operator && !hasParen) insert += QLatin1Char('(');
    QTextCursor tc = textCursor();
    tc.setPosition(start);
    tc.setPosition(end, QTextCursor::KeepAnchor);
    tc.insertText(insert);
    if (kind == ItemKind::Operator && hasParen) tc.movePosition(QTextCursor::NextCharacter);
    setTextCursor(tc);
}

void FormulaEditor::keyPressEvent(QKeyEvent* event) {
    QAbstractItemView* popup = m_completer->popup();
    const bool popupVisible = popup->isVisible();
    const int key = event->key();
    if (popupVisible) {
        switch (key) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer's popup takes these
            return;
        default: break;
        }
    }
    if (key == Qt::Key_Return || key == Qt::Key_Enter) {
        event->accept();
        Q_EMIT submitted();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);

    const QString typed = event->text();
    const bool plain = !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    const bool typing = plain && !typed.isEmpty() && (isIdentChar(typed.back()) || typed.back() == QLatin1Char('$'));
    if (typing || (popupVisible && key == Qt::Key_Backspace)) {
        updateCompletionPopup();
    } else if (popupVisible && key != Qt::Key_Shift && key != Qt::Key_Control && key != Qt::Key_Alt &&
               key != Qt::Key_Meta) {
        popup->hide();
    }
}

void FormulaEditor::focusInEvent(QFocusEvent* event) {
    m_completer->setWidget(this);
    QPlainTextEdit::focusInEvent(event);
}

bool FormulaEditor::viewportEvent(QEvent* event) {
    // Tooltips over the text arrive at the viewport, in its coordinates.
    if (event->type() == QEvent::ToolTip && m_errorCursor.hasSelection()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int pos = cursorForPosition(help->pos()).position();
        if (pos >= m_errorCursor.selectionStart() && pos <= m_errorCursor.selectionEnd()) {
            QToolTip::showText(help->globalPos(), m_errorMessage, this);
            return true;
        }
        QToolTip::hideText();
    }
    return QPlainTextEdit::viewportEvent(event);
}

void FormulaEditor::changeEvent(QEvent* event) {
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange) updateGeometry();
}

bool FormulaEditor::canInsertFromMimeData(const QMimeData* source) const {
    return source->hasText();
}

void FormulaEditor::insertFromMimeData(const QMimeData* source) {
    // Formulas are one line: pasted line breaks and tabs become spaces.
    QString text = source->text();
    text.replace(QLatin1String("\r\n"), QLatin1String(" "));
    for (QChar& c : text)
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t')) c = QLatin1Char(' ');
    insertPlainText(text.trimmed());
}

void FormulaEditor::setError(int column, const QString& message) {
    m_errorColumn = std::max(column, 0);
    m_errorMessage = message;
    m_errorCursor = QTextCursor();
    const QString text = toPlainText();
    const int n = static_cast<int>(text.size());
    if (m_errorColumn > 0 && n > 0) {
        int begin = m_errorColumn - 1;
        int end = 0;
        if (begin >= n) { // at the end ("expected ')'"): mark the last character
            begin = n - 1;
            end = n;
        } else {
            end = tokenEnd(text, begin);
        }
        m_errorCursor = QTextCursor(document());
        m_errorCursor.setPosition(begin);
        m_errorCursor.setPosition(end, QTextCursor::KeepAnchor);
    }
    updateExtraSelections();
}

void FormulaEditor::clearError() {
    m_errorColumn = 0;
    m_errorMessage.clear();
    m_errorCursor = QTextCursor();
    QToolTip::hideText();
    updateExtraSelections();
}

void FormulaEditor::highlightRange(int begin, int end) {
    m_highlightCursor = QTextCursor();
    const int n = static_cast<int>(toPlainText().size());
    begin = std::clamp(begin, 0, n);
    end = std::clamp(end, 0, n);
    if (end > begin) {
        m_highlightCursor = QTextCursor(document());
        m_highlightCursor.setPosition(begin);
        m_highlightCursor.setPosition(end, QTextCursor::KeepAnchor);
    }
    updateExtraSelections();
}

void FormulaEditor::updateExtraSelections() {
    QList<QTextEdit::ExtraSelection> selections;
    if (!m_highlightCursor.isNull() && m_highlightCursor.hasSelection()) {
        QTextEdit::ExtraSelection s;
        s.cursor = m_highlightCursor;
        s.format.setBackground(QColor(255, 236, 140));
        selections.append(s);
    }
    // Matching parenthesis next to the cursor (red when it has no partner).
    const QString text = toPlainText();
    const int pos = textCursor().position();
    int at = -1;
    if (pos > 0 && (text[pos - 1] == QLatin1Char('(') || text[pos - 1] == QLatin1Char(')')))
        at = pos - 1;
    else if (pos < text.size() && (text[pos] == QLatin1Char('(') || text[pos] == QLatin1Char(')')))
        at = pos;
    if (at >= 0) {
        const bool open = text[at] == QLatin1Char('(');
        const int step = open ? 1 : -1;
        int depth = 0, match = -1;
        for (int k = at; k >= 0 && k < text.size(); k += step) {
            if (text[k] == QLatin1Char('('))
                depth += step;
            else if (text[k] == QLatin1Char(')'))
                depth -= step;
            if (depth == 0) {
                match = k;
                break;
            }
        }
        for (int k : {at, match}) {
            QTextEdit::ExtraSelection s;
            s.cursor = QTextCursor(document());
            s.cursor.setPosition(k < 0 ? at : k);
            s.cursor.setPosition((k < 0 ? at : k) + 1, QTextCursor::KeepAnchor);
            s.format.setBackground(match < 0 ? QColor(255, 200, 200) : QColor(200, 230, 200));
            selections.append(s);
            if (match < 0) break;
        }
    }
    if (!m_errorCursor.isNull() && m_errorCursor.hasSelection()) {
        QTextEdit::ExtraSelection s;
        s.cursor = m_errorCursor;
        s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        s.format.setUnderlineColor(QColor(220, 0, 0));
        s.format.setToolTip(m_errorMessage);
        selections.append(s);
    }
    setExtraSelections(selections);
}

void FormulaEditor::onTextChanged() {
    // Re-highlighting can report a change without one; only a different text is an edit.
    const QString text = toPlainText();
    if (m_settingText || text == m_lastText) return;
    m_lastText = text;
    Q_EMIT textEdited();
}

int FormulaEditor::heightForLines(int lines) const {
    const QMargins m = contentsMargins();
    return static_cast<int>(fontMetrics().lineSpacing() * lines + 2 * document()->documentMargin()) + m.top() +
           m.bottom() + 2;
}

QSize FormulaEditor::sizeHint() const {
    return {QPlainTextEdit::sizeHint().width(), heightForLines(kVisibleLines)};
}

QSize FormulaEditor::minimumSizeHint() const {
    return {QPlainTextEdit::minimumSizeHint().width(), heightForLines(kVisibleLines)};
}

} // namespace alphascope::ui
