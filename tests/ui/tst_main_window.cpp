// Drives the real MainWindow as a user would: open the bundled sample, type formulas, read what
// the panels show, and check it against core computed directly (and against a plain reference IC).

#include "core/data/dataset.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#include "ui/main_window.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/formula_lab.h"
#include "ui/qcustomplot_include.h"

#include <QApplication>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <cmath>
#include <memory>
#include <set>

using namespace alphascope;
using alphascope::ui::FormulaLab;
using alphascope::ui::MainWindow;

namespace {

constexpr int kLoadTimeoutMs = 120000;
constexpr int kEvalTimeoutMs = 120000;

/// The value column of the top-level dataset tree row whose key is `key` (empty if absent).
QString treeValue(const QTreeWidget* tree, const QString& key) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == key) return tree->topLevelItem(i)->text(1);
    return {};
}

/// Index of the metrics table column whose header reads `title` (-1 if absent).
int columnOf(const QTableWidget* table, const QString& title) {
    for (int c = 0; c < table->columnCount(); ++c)
        if (table->horizontalHeaderItem(c) && table->horizontalHeaderItem(c)->text() == title) return c;
    return -1;
}

/// Plain reference of ALGORITHMS.md §3: the mean over days of the cross-sectional Pearson correlation
/// (two-pass, double) over instruments where both values are finite; days with fewer than 2 pairs or a
/// degenerate cross-sectional std are skipped.
double referenceIc(const Panel& x, const Panel& y, int begin, int end, int* usedDays) {
    double sum = 0;
    int days = 0;
    for (int t = begin; t < end; ++t) {
        std::vector<double> xs, ys;
        for (int i = 0; i < x.instruments(); ++i) {
            const double a = x.at(t, i), b = y.at(t, i);
            if (std::isfinite(a) && std::isfinite(b)) {
                xs.push_back(a);
                ys.push_back(b);
            }
        }
        const std::size_t n = xs.size();
        if (n < 2) continue;
        double mx = 0, my = 0, maxX = 0, maxY = 0;
        for (std::size_t k = 0; k < n; ++k) {
            mx += xs[k];
            my += ys[k];
            maxX = std::max(maxX, std::abs(xs[k]));
            maxY = std::max(maxY, std::abs(ys[k]));
        }
        mx /= n;
        my /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (std::size_t k = 0; k < n; ++k) {
            sxx += (xs[k] - mx) * (xs[k] - mx);
            syy += (ys[k] - my) * (ys[k] - my);
            sxy += (xs[k] - mx) * (ys[k] - my);
        }
        const double sdX = std::sqrt(sxx / n), sdY = std::sqrt(syy / n);
        if (sdX <= 1e-12 * maxX || sdY <= 1e-12 * maxY) continue;
        sum += sxy / n / (sdX * sdY);
        ++days;
    }
    *usedDays = days;
    return days ? sum / days : std::nan("");
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;
    QTimer m_modalGuard;
    QStringList m_modalsClosed;
    const QString m_formula = QStringLiteral("Div(Sub($close, $open), Sub($high, $low))");

    FormulaLab* lab() const { return m_window->formulaLab(); }

    /// Types `text` into the formula editor (replacing what is there) and presses Enter; true once
    /// `spy` (on FormulaLab::evaluated) has caught the outcome.
    bool typeAndEnter(const QString& text, QSignalSpy& spy, int timeoutMs) {
        QLineEdit* editor = lab()->editor();
        editor->setFocus();
        editor->selectAll();
        QTest::keyClicks(editor, text); // typing replaces the selection
        if (editor->text() != text) return false;
        QTest::keyClick(editor, Qt::Key_Return);
        // A parse error is reported synchronously from the key press; an analysis later.
        if (spy.isEmpty() && !spy.wait(timeoutMs)) return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // keep QSettings (window geometry) out of the user's
        QApplication::setOrganizationName(QStringLiteral("AlphaScopeTest"));
        QApplication::setApplicationName(QStringLiteral("tst_main_window"));
        // A failed load opens a modal QMessageBox; close it so that the test fails instead of hanging.
        connect(&m_modalGuard, &QTimer::timeout, this, [this] {
            if (QWidget* w = QApplication::activeModalWidget()) {
                m_modalsClosed << w->windowTitle();
                w->close();
            }
        });
        m_modalGuard.start(200);
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() {
        m_modalGuard.stop();
        m_window.reset();
    }

    void opensTheBundledSample() {
        const DatasetSpec spec = bundledSampleSpec();
        QVERIFY2(!spec.path.empty(), "the bundled sample was not found");
        QSignalSpy loaded(m_window.get(), &MainWindow::datasetLoaded);
        QSignalSpy failed(m_window.get(), &MainWindow::loadFailed);
        m_window->openDataset(spec);
        QVERIFY(loaded.wait(kLoadTimeoutMs) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(),
                 qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(m_window->session());
        QVERIFY(m_modalsClosed.isEmpty());

        // The sample holds 150 tickers over 1259 trading days (2015-01-12 .. 2020-01-10).
        const QTreeWidget* tree = m_window->datasetPanel()->tree();
        QCOMPARE(treeValue(tree, QStringLiteral("Instruments")), QStringLiteral("150"));
        QCOMPARE(treeValue(tree, QStringLiteral("Days")), QStringLiteral("1259"));
        QCOMPARE(treeValue(tree, QStringLiteral("Date range")), QStringLiteral("2015-01-12 .. 2020-01-10"));
        QCOMPARE(treeValue(tree, QStringLiteral("Splits")), QStringLiteral("3"));
    }

    void evaluatesATypedFormula() {
        const auto session = m_window->session();
        QVERIFY(session);
        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QVERIFY(typeAndEnter(m_formula, evaluated, kEvalTimeoutMs));
        QCOMPARE(evaluated.count(), 1);
        QCOMPARE(evaluated.first().first().toBool(), true);

        // The same analysis straight through core.
        auto parsed = parseFormula(m_formula.toStdString(), parseOptionsFor(*session->data, false));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().toString().c_str());
        auto direct =
            analyzeFactor(*session->evaluator, parsed.value(), session->targetValues, session->splits);
        QVERIFY2(direct.ok(), direct.ok() ? "" : direct.error().toString().c_str());
        const FactorReport& report = direct.value();
        QCOMPARE(report.splits.size(), std::size_t(3));

        const QTableWidget* table = lab()->metricsTable();
        QCOMPARE(table->rowCount(), 3);
        const int icCol = columnOf(table, QStringLiteral("IC"));
        const int rankIcCol = columnOf(table, QStringLiteral("Rank IC"));
        const int icDaysCol = columnOf(table, QStringLiteral("IC days"));
        QVERIFY(icCol >= 0 && rankIcCol >= 0 && icDaysCol >= 0);
        const QStringList names = {QStringLiteral("train"), QStringLiteral("valid"), QStringLiteral("test")};
        for (int r = 0; r < 3; ++r) {
            QVERIFY(table->item(r, 0) && table->item(r, icCol) && table->item(r, rankIcCol));
            QCOMPARE(table->item(r, 0)->text(), names[r]);
            bool okIc = false, okRank = false;
            const double ic = table->item(r, icCol)->text().toDouble(&okIc);
            const double rankIc = table->item(r, rankIcCol)->text().toDouble(&okRank);
            QVERIFY2(okIc && okRank,
                     qPrintable(table->item(r, icCol)->text() + " / " + table->item(r, rankIcCol)->text()));
            QVERIFY(std::abs(ic) <= 1.0 && std::abs(rankIc) <= 1.0);
            QCOMPARE(table->item(r, icCol)->text(),
                     QString::number(report.splits[std::size_t(r)].ic, 'f', 4));
            QCOMPARE(table->item(r, rankIcCol)->text(),
                     QString::number(report.splits[std::size_t(r)].rankIc, 'f', 4));
        }

        // The train IC shown also matches a plain reference over the train days.
        const Split& train = session->splits[0];
        QCOMPARE(QString::fromStdString(train.name), QStringLiteral("train"));
        auto values = session->evaluator->evaluate(parsed.value());
        QVERIFY(values.ok());
        int refDays = 0;
        const double refIc =
            referenceIc(*values.value(), *session->targetValues, train.begin, train.end, &refDays);
        QVERIFY(refDays > 100);
        QCOMPARE(table->item(0, icDaysCol)->text(), QString::number(refDays));
        const double shownIc = table->item(0, icCol)->text().toDouble();
        QVERIFY2(std::abs(shownIc - refIc) <= 0.5e-4 + 1e-9,
                 qPrintable(QStringLiteral("shown %1, reference %2").arg(shownIc).arg(refIc, 0, 'g', 10)));

        // The message line names the printed formula.
        QVERIFY2(
            lab()->messageLabel()->text().contains(QString::fromStdString(report.formula).toHtmlEscaped()),
            qPrintable(lab()->messageLabel()->text()));

        // Cumulative IC and Rank IC over dates: one point per day with a defined IC.
        QCustomPlot* plot = lab()->plot();
        QCOMPARE(plot->graphCount(), 2);
        QVERIFY(qSharedPointerDynamicCast<QCPAxisTickerDateTime>(plot->xAxis->ticker()));
        const std::vector<double>* daily[2] = {&report.dailyIc, &report.dailyRankIc};
        const double firstSecs = QDateTime(QDate(2015, 1, 12), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
        const double lastSecs = QDateTime(QDate(2020, 1, 10), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
        for (int g = 0; g < 2; ++g) {
            int finite = 0;
            double cum = 0;
            for (double v : *daily[g])
                if (std::isfinite(v)) {
                    ++finite;
                    cum += v;
                }
            const auto data = plot->graph(g)->data();
            QVERIFY(finite > 0);
            QCOMPARE(data->size(), finite);
            QVERIFY(data->constBegin()->key >= firstSecs && (data->constEnd() - 1)->key <= lastSecs);
            QVERIFY(std::abs((data->constEnd() - 1)->value - cum) <= 1e-9 * std::max(1.0, std::abs(cum)));
        }
        QVERIFY(plot->xAxis->range().lower >= firstSecs - 1 && plot->xAxis->range().upper <= lastSecs + 1);
    }

    void savesAScreenshot() {
        const QString file = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_main_window.png");
        QFile::remove(file);
        const QPixmap shot = m_window->grab();
        QCOMPARE(shot.size(), m_window->size());
        QVERIFY(shot.save(file));
        QVERIFY(QFileInfo(file).size() > 0);
        const QImage image(file);
        QCOMPARE(image.size(), m_window->size());
        // Not a blank image: the window paints many distinct colours (text, curves, table).
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        qInfo("screenshot: %s", qPrintable(file));
    }

    void locatesFormulaErrors_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<int>("column");
        QTest::newRow("missing argument") << "Mean($close, )" << 14;
        QTest::newRow("unknown operator") << "Mena($close,5)" << 1;
        QTest::newRow("nested unknown operator") << "Add($close, Stdd($open, 5))" << 13;
        QTest::newRow("fractional window") << "Mean($close, 2.5)" << 14;
    }
    void locatesFormulaErrors() {
        QFETCH(QString, formula);
        QFETCH(int, column);
        const auto session = m_window->session();
        QVERIFY(session);
        auto direct = parseFormula(formula.toStdString(), parseOptionsFor(*session->data, false));
        QVERIFY(!direct.ok());
        QCOMPARE(direct.error().column, column);

        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QVERIFY(typeAndEnter(formula, evaluated, kEvalTimeoutMs));
        QCOMPARE(evaluated.count(), 1);
        QCOMPARE(evaluated.first().first().toBool(), false);
        const QString message = lab()->messageLabel()->text();
        QVERIFY2(message.contains(QStringLiteral("Column %1:").arg(column)), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(direct.error().message).toHtmlEscaped()),
                 qPrintable(message));
        QLineEdit* editor = lab()->editor();
        QCOMPARE(editor->text(), formula);
        QCOMPARE(editor->selectionStart(), column - 1);
        QCOMPARE(editor->selectedText(), formula.mid(column - 1, 1));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
