// FormulaTreeView on known formulas: its nodes and labels, what a click reports, the colours and
// outlines it draws, zoom keys, exports and the parse-error message.
// With ALPHASCOPE_SCREENSHOT_DIR set, a screenshot of the view is saved there to be looked at.

#include "ui/views/formula_tree_view.h"

#include <QDir>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace alphascope;
using alphascope::ui::FormulaTreeView;

namespace {

const QString kKnown = QStringLiteral("Div(Sub($close, $open), Add(Sub($high, $low), 0.001))");

ParseOptions options() {
    ParseOptions o;
    o.knownFields = {"open", "high", "low", "close", "volume", "amount"};
    o.knownGroups = {"sector"};
    return o;
}

/// Viewport position of a node's centre (or of a point at `dx` scene px from its left edge).
QPoint nodePoint(const FormulaTreeView& view, int index, double dxFromLeft = -1) {
    const auto& n = view.nodes()[static_cast<std::size_t>(index)];
    QPointF p = n.center;
    if (dxFromLeft >= 0) p.setX(n.center.x() - n.size.width() / 2 + dxFromLeft);
    return view.mapFromScene(p);
}

bool isStrongRed(QRgb c) {
    return qRed(c) > 170 && qGreen(c) < 110 && qBlue(c) < 110;
}

/// True when some pixel within 2 px of the node's left edge (on its centre line) is strongly red.
bool hasRedOutline(const QImage& shot, const FormulaTreeView& view, int index) {
    const auto& n = view.nodes()[static_cast<std::size_t>(index)];
    const QPoint edge = view.mapFromScene(QPointF(n.center.x() - n.size.width() / 2, n.center.y()));
    for (int dx = -2; dx <= 2; ++dx)
        if (isStrongRed(shot.pixel(edge.x() + dx, edge.y()))) return true;
    return false;
}

} // namespace

class TestFormulaTreeView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownFormula() {
        FormulaTreeView view;
        view.setFormula(kKnown, options());
        QCOMPARE(view.nodeCount(), 9); // windows and groups are node parameters, not nodes
        const QStringList expected = {"Div", "Sub", "$close", "$open", "Add", "Sub", "$high", "$low", "0.001"};
        QCOMPARE(view.nodeLabels(), expected);
        QVERIFY(view.message().isEmpty());
        // Parents sit above their children, centred over them; siblings do not overlap.
        for (const auto& n : view.nodes()) {
            if (n.children.empty()) continue;
            const auto& first = view.nodes()[static_cast<std::size_t>(n.children.front())];
            const auto& last = view.nodes()[static_cast<std::size_t>(n.children.back())];
            QVERIFY(first.center.y() > n.center.y());
            QCOMPARE(n.center.x(), (first.center.x() + last.center.x()) / 2);
        }
        const auto& leaves = view.nodes();
        QVERIFY(leaves[2].center.x() + leaves[2].size.width() / 2 < leaves[3].center.x() - leaves[3].size.width() / 2);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void labels_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("window") << "Mean($close, 20)" << QStringList{"Mean 20d", "$close"};
        QTest::newRow("AlphaGen window") << "Ref($close, 5d)" << QStringList{"Ref 5d", "$close"};
        QTest::newRow("quantile") << "Quantile($close, 20, 0.8)" << QStringList{"Quantile 20d q=0.8", "$close"};
        QTest::newRow("comparison") << "$close > $open" << QStringList{"Gt", "$close", "$open"};
        QTest::newRow("pair window") << "Corr($close, $volume, 10)"
                                     << QStringList{"Corr 10d", "$close", "$volume"};
        QTest::newRow("group") << "GroupRank($close, sector)" << QStringList{"GroupRank · sector", "$close"};
        QTest::newRow("infix") << "($close - $open) / $open"
                               << QStringList{"Div", "Sub", "$close", "$open", "$open"};
        QTest::newRow("negation") << "-$close * 2.5" << QStringList{"Mul", "Neg", "$close", "2.5"};
        QTest::newRow("if") << "If($close > $open, $close, 1)" << QStringList{"If", "Gt", "$close", "$open", "$close", "1"};
        QTest::newRow("instrument") << "ChangeInstrument('SPY', $close)" << QStringList{"ChangeInstrument · SPY", "$close"};
        QTest::newRow("worldquant") << "ts_rank(rank(close), 5)" << QStringList{"Rank 5d", "CSRank", "$close"};
    }
    // clang-format on
    void labels() {
        QFETCH(QString, formula);
        QFETCH(QStringList, labels);
        FormulaTreeView view;
        view.setFormula(formula, options());
        QCOMPARE(view.nodeLabels(), labels);
        QCOMPARE(view.nodeCount(), labels.size());
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void clickReportsSubFormula_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<int>("node");
        QTest::addColumn<QString>("subFormula");
        QTest::addColumn<QString>("text"); // the part of `formula` the range must cover
        QTest::newRow("inner Sub") << kKnown << 5 << "Sub($high, $low)"
                                   << "Sub($high, $low)";
        QTest::newRow("root") << kKnown << 0 << kKnown << kKnown;
        QTest::newRow("constant") << kKnown << 8 << "0.001"
                                  << "0.001";
        QTest::newRow("field") << kKnown << 2 << "$close"
                               << "$close";
        QTest::newRow("infix in parentheses") << "($close - $open) / $open" << 1 << "Sub($close, $open)"
                                              << "$close - $open";
        QTest::newRow("spaces") << "Mean(  $close ,20 )" << 0 << "Mean($close, 20)"
                                << "Mean(  $close ,20 )";
    }
    // clang-format on
    void clickReportsSubFormula() {
        QFETCH(QString, formula);
        QFETCH(int, node);
        QFETCH(QString, subFormula);
        QFETCH(QString, text);
        FormulaTreeView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFormula(formula, options());
        QSignalSpy activated(&view, &FormulaTreeView::nodeActivated);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, nodePoint(view, node));
        QCOMPARE(activated.count(), 1);
        const QList<QVariant> args = activated.takeFirst();
        QCOMPARE(args[0].toString(), subFormula);
        const int begin = static_cast<int>(formula.indexOf(text));
        QCOMPARE(args[1].toInt(), begin);
        QCOMPARE(args[2].toInt(), begin + static_cast<int>(text.size()));
        QCOMPARE(view.selectedNode(), node);

        // A click on the background selects nothing new and reports nothing.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(3, view.viewport()->height() - 3));
        QCOMPARE(activated.count(), 0);
    }

    void selectNodeDoesNotEmit() {
        FormulaTreeView view;
        view.setFormula(kKnown, options());
        QSignalSpy activated(&view, &FormulaTreeView::nodeActivated);
        view.selectNode(4);
        QCOMPARE(view.selectedNode(), 4);
        view.selectNode(-1);
        QCOMPARE(view.selectedNode(), -1);
        QCOMPARE(activated.count(), 0);
    }

    void dimensionColoursAndViolations() {
        FormulaTreeView view;
        view.resize(700, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFormula(QStringLiteral("Add($close, $volume)"), options());
        QCOMPARE(view.nodeLabels(), (QStringList{"Add", "$close", "$volume"}));
        const auto& nodes = view.nodes();
        QVERIFY(nodes[0].violation);
        QVERIFY(nodes[0].why.contains(QStringLiteral("same dimension")));
        QVERIFY(!nodes[1].violation);
        QVERIFY(!nodes[2].violation);
        QCOMPARE(FormulaTreeView::classify(nodes[1].dimension), FormulaTreeView::DimensionClass::Price);
        QCOMPARE(FormulaTreeView::classify(nodes[2].dimension), FormulaTreeView::DimensionClass::Volume);

        // What is drawn: the fill of each node is its dimension's colour, the violation is outlined red.
        const QImage shot = view.viewport()->grab().toImage();
        const QColor closeFill = shot.pixelColor(nodePoint(view, 1, 4));
        const QColor volumeFill = shot.pixelColor(nodePoint(view, 2, 4));
        QCOMPARE(closeFill, FormulaTreeView::dimensionColor(FormulaTreeView::DimensionClass::Price));
        QCOMPARE(volumeFill, FormulaTreeView::dimensionColor(FormulaTreeView::DimensionClass::Volume));
        QVERIFY(closeFill != volumeFill);
        QVERIFY(hasRedOutline(shot, view, 0));
        QVERIFY(!hasRedOutline(shot, view, 1));
        QVERIFY(!hasRedOutline(shot, view, 2));

        // The break is reported on the node that makes it, not on the nodes above it.
        view.setFormula(QStringLiteral("Mean(Add($close, $volume), 5)"), options());
        QVERIFY(!view.nodes()[0].violation);
        QVERIFY(view.nodes()[1].violation);
        view.setFormula(QStringLiteral("Div($close, $volume)"), options());
        QVERIFY(!view.nodes()[0].violation);
        QCOMPARE(QString::fromStdString(view.nodes()[0].dimension.toString()), QStringLiteral("price/volume"));
    }

    void zoomKeysAndWheel() {
        FormulaTreeView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFormula(kKnown, options());
        const double fit = view.transform().m11();
        QVERIFY(fit > 0 && fit <= 1.0);
        QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(view.transform().m11() > fit * 1.1);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(view.transform().m11() < fit * 0.9);
        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view.transform().m11(), fit);

        const QPointF at(view.viewport()->width() / 2.0, view.viewport()->height() / 2.0);
        QWheelEvent wheel(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view.viewport(), &wheel);
        QVERIFY(view.transform().m11() > fit * 1.1);
    }

    void exports() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        FormulaTreeView view;
        view.setFormula(kKnown, options());
        const QString png = dir.filePath(QStringLiteral("tree.png"));
        const QString svg = dir.filePath(QStringLiteral("tree.svg"));
        QVERIFY(view.exportPng(png));
        QVERIFY(view.exportSvg(svg));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 200 && image.height() > 100);
        // Something besides the white page was drawn: the price fill of $close is there.
        const QColor price = FormulaTreeView::dimensionColor(FormulaTreeView::DimensionClass::Price);
        bool found = false;
        for (int y = 0; y < image.height() && !found; y += 2)
            for (int x = 0; x < image.width() && !found; x += 2) found = image.pixelColor(x, y) == price;
        QVERIFY(found);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("<svg"));
        QVERIFY(content.contains("Div"));
        QVERIFY(!view.exportPng(dir.filePath(QStringLiteral("missing/dir/tree.png"))));

        if (qEnvironmentVariableIsSet("ALPHASCOPE_SCREENSHOT_DIR")) {
            const QDir out(qEnvironmentVariable("ALPHASCOPE_SCREENSHOT_DIR"));
            view.resize(900, 460);
            view.setFormula(QStringLiteral("GroupRank(Div(Sub($close, Mean($close, 20)), Std($close, 20)), sector) + "
                                           "Corr($close, $volume, 10) * Add($close, $volume)"),
                            options());
            view.selectNode(3);
            view.grab().save(out.filePath(QStringLiteral("formula_tree_view.png")));
            view.exportPng(out.filePath(QStringLiteral("formula_tree_export.png")));
            view.exportSvg(out.filePath(QStringLiteral("formula_tree_export.svg")));
        }
    }

    void parseErrorShowsMessage() {
        FormulaTreeView view;
        view.setFormula(kKnown, options());
        view.setFormula(QStringLiteral("Mean($close, "), options());
        QCOMPARE(view.nodeCount(), 0);
        QVERIFY(view.nodeLabels().isEmpty());
        QVERIFY(view.message().contains(QStringLiteral("column")));
        const QList<QGraphicsItem*> items = view.scene()->items();
        QCOMPARE(items.size(), 1);
        auto* text = dynamic_cast<QGraphicsTextItem*>(items.front());
        QVERIFY(text);
        QCOMPARE(text->toPlainText(), view.message());

        view.clear();
        QVERIFY(view.message().isEmpty());
        QVERIFY(view.scene()->items().isEmpty());
    }
};

QTEST_MAIN(TestFormulaTreeView)
#include "tst_formula_tree_view.moc"
