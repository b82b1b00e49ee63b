// The search panel and its worker: Start runs the search on its own thread and the monitor, the pool
// table and the project's run rows follow; Stop keeps the pool; Pause holds the search; a second
// Start is refused; the GUI thread stays responsive (the heartbeat gap is logged, not asserted); the
// GUI and the CLI give the same pool for the same config and seed; every model passes the tester.

#include "tests/support/cli_support.h"

#include "core/io/pool_json.h"
#include "core/io/search_config_json.h"
#include "core/store/run_store.h"
#include "ui/models/pool_model.h"
#include "ui/models/run_list_model.h"
#include "ui/panels/runs_panel.h"
#include "ui/panels/search_form.h"
#include "ui/panels/search_panel.h"
#include "ui/views/search_monitor.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace alphascope;
using namespace alphascope::ui;

namespace {
const char* kTarget = "Ref($close, -1) / $close - 1";
} // namespace

class TstSearchPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<const ResearchSession> m_session;
    QString prices() const { return m_dir.filePath("synth/prices.csv"); }
    QString project() const { return m_dir.filePath("project.alphascope"); }

    /// A panel on the planted market, recording into the test project.
    std::unique_ptr<SearchPanel> makePanel() {
        auto panel = std::make_unique<SearchPanel>();
        panel->setProjectPath(project());
        panel->setSession(m_session, 0);
        return panel;
    }
    static void configure(SearchPanel& panel, int algoIndex, int evaluations, int seed) {
        panel.form()->algorithmBox()->setCurrentIndex(algoIndex);
        panel.form()->evaluationsBox()->setValue(evaluations);
        panel.form()->seedBox()->setValue(seed);
        panel.form()->deviceBox()->setCurrentIndex(0);
    }

private Q_SLOTS:
    void initTestCase();
    void startRunsAndRecords();
    void stopKeepsThePool();
    void pauseHoldsAndResumeContinues();
    void secondStartIsRefused();
    void invalidFormDisablesStart();
    void extraOperatorsJoinTheGrammar();
    void poolOptionsReachTheConfig();
    void gflownetOptionsReachTheConfig();
    void guiAndCliGiveTheSamePool();
    void runsBrowserReopensComparesDeletes();
    void poolChoiceShowsEachPool();
};

void TstSearchPanel::initTestCase() {
    QVERIFY(m_dir.isValid());
    const test::CliRun r =
        test::cli({"synth", "--out", m_dir.filePath("synth"), "--days", "260", "--instruments", "60", "--seed", "4"});
    QVERIFY2(r.code == 0, r.err.constData());
    SessionSpec spec;
    spec.dataset.path = prices().toStdString();
    spec.target = kTarget;
    auto s = openResearchSession(spec);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().toString().c_str());
    m_session = s.value();
}

void TstSearchPanel::startRunsAndRecords() {
    auto panel = makePanel();
    QAbstractItemModelTester poolTester(panel->poolModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    configure(*panel, 3 /* random */, 400, 1);
    QVERIFY(panel->startButton()->isEnabled());
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QSignalSpy progress(panel->controller(), &SearchController::progress);
    QSignalSpy started(panel->controller(), &SearchController::started);

    // The GUI thread's heartbeat while the search runs: the longest gap is what a user would feel.
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last);
        last = now;
    });
    clock.start();
    heartbeat.start();
    QTest::mouseClick(panel->startButton(), Qt::LeftButton);
    QVERIFY(panel->controller()->isRunning());
    QVERIFY(!panel->startButton()->isEnabled());
    QVERIFY(finished.wait(120000));
    heartbeat.stop();
    qInfo("GUI heartbeat during a random search of 400 evaluations: longest gap %lld ms",
          static_cast<long long>(worst));

    QCOMPARE(started.count(), 1);
    const qint64 runId = started.at(0).at(0).toLongLong();
    QVERIFY(runId > 0);
    QVERIFY(progress.count() >= 1);
    const auto result = finished.at(0).at(0).value<SearchResult>();
    QCOMPARE(result.evaluations, 400LL);
    QVERIFY(!panel->controller()->isRunning());
    QVERIFY(panel->startButton()->isEnabled());
    // What the panel shows is the run's.
    QCOMPARE(panel->poolModel()->rowCount(), static_cast<int>(result.pool.size()));
    QVERIFY(panel->monitor()->pointsDrawn(SearchMonitor::IcRow, 0) >= 1);
    QVERIFY(panel->statusLabel()->text().contains(QString::number(runId)));
    // Clicking a member asks the lab to open it.
    QSignalSpy open(panel.get(), &SearchPanel::openFormulaRequested);
    const QModelIndex cell = panel->poolView()->model()->index(0, PoolModel::Formula);
    QTest::mouseClick(panel->poolView()->viewport(), Qt::LeftButton, {}, panel->poolView()->visualRect(cell).center());
    QCOMPARE(open.count(), 1);
    QVERIFY(!open.at(0).at(0).toString().isEmpty());

    // The project holds the finished run, its snapshots and its config.
    auto store = RunStore::open(project().toStdString());
    QVERIFY(store.ok());
    auto run = store.value()->run(runId);
    QVERIFY(run.ok() && run.value());
    QCOMPARE(run.value()->status, RunStatus::Finished);
    QCOMPARE(run.value()->evaluations, 400LL);
    auto config = searchConfigFromJson(run.value()->configJson);
    QVERIFY(config.ok());
    QCOMPARE(config->seed, std::uint64_t(1));
    QCOMPARE(config->budget.evaluations, 400LL);
    auto snaps = store.value()->snapshots(runId);
    QVERIFY(snaps.ok() && !snaps->empty());
    auto members = store.value()->lastSnapshotMembers(runId);
    QVERIFY(members.ok());
    QCOMPARE(members->size(), result.pool.size());
}

void TstSearchPanel::stopKeepsThePool() {
    auto panel = makePanel();
    configure(*panel, 3, 0, 2);
    SearchConfig c = panel->form()->config();
    c.budget = {0, 0, 600}; // ten minutes: only Stop ends it
    panel->form()->setConfig(c);
    QSignalSpy progress(panel->controller(), &SearchController::progress);
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QVERIFY(panel->start());
    QVERIFY(progress.wait(60000));
    QElapsedTimer stopClock;
    stopClock.start();
    QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    qInfo("Stop -> finished signal: %lld ms", static_cast<long long>(stopClock.elapsed()));
    const auto result = finished.at(0).at(0).value<SearchResult>();
    QVERIFY(result.canceled);
    QCOMPARE(result.stopReason, std::string("canceled"));
    auto store = RunStore::open(project().toStdString());
    auto run = store.value()->run(finished.at(0).at(1).toLongLong());
    QVERIFY(run.ok() && run.value());
    QCOMPARE(run.value()->status, RunStatus::Canceled);
}

void TstSearchPanel::pauseHoldsAndResumeContinues() {
    auto panel = makePanel();
    configure(*panel, 3, 3000, 3);
    QSignalSpy progress(panel->controller(), &SearchController::progress);
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QVERIFY(panel->start());
    QVERIFY(progress.wait(60000));
    QTest::mouseClick(panel->pauseButton(), Qt::LeftButton);
    QVERIFY(panel->controller()->isPaused());
    QCOMPARE(panel->pauseButton()->text(), tr("&Resume"));
    QTest::qWait(300); // reports already queued may still arrive
    const int before = static_cast<int>(progress.count());
    QTest::qWait(600);
    const long long held = progress.isEmpty() ? 0 : progress.last().at(0).value<SearchProgress>().evaluations;
    QVERIFY2(progress.count() <= before + 1, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(progress.count())));
    QVERIFY(finished.isEmpty());
    QTest::mouseClick(panel->pauseButton(), Qt::LeftButton);
    QVERIFY(!panel->controller()->isPaused());
    QVERIFY(finished.wait(120000));
    const auto result = finished.at(0).at(0).value<SearchResult>();
    QCOMPARE(result.evaluations, 3000LL);
    QVERIFY(held < 3000);
}

void TstSearchPanel::secondStartIsRefused() {
    auto panel = makePanel();
    configure(*panel, 3, 0, 4);
    SearchConfig c = panel->form()->config();
    c.budget = {0, 0, 600};
    panel->form()->setConfig(c);
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QVERIFY(panel->start());
    SearchRequest again;
    again.config = c;
    again.session = m_session;
    QString why;
    QVERIFY(!panel->controller()->start(again, &why));
    QVERIFY(why.contains(QStringLiteral("already running")));
    QVERIFY(!panel->start());
    QVERIFY(panel->statusLabel()->text().contains(QStringLiteral("already running")));
    panel->stop();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.count(), 1);
}

void TstSearchPanel::invalidFormDisablesStart() {
    auto panel = makePanel();
    configure(*panel, 2 /* gp */, 0, 0);
    SearchConfig c = panel->form()->config();
    c.budget = {0, 0, 0};
    panel->form()->setConfig(c);
    QVERIFY(!panel->form()->isValid());
    QVERIFY(!panel->startButton()->isEnabled());
    QVERIFY(panel->form()->message().contains(QStringLiteral("budget")));
    panel->form()->evaluationsBox()->setValue(100);
    QVERIFY(panel->form()->isValid());
    QVERIFY(panel->startButton()->isEnabled());
}

void TstSearchPanel::extraOperatorsJoinTheGrammar() {
    auto panel = makePanel();
    QListWidget* extras = panel->form()->extraOperatorsList();
    auto row = [&](const char* name) -> QListWidgetItem* {
        const auto found = extras->findItems(QString::fromLatin1(name), Qt::MatchExactly);
        return found.isEmpty() ? nullptr : found.first();
    };
    // Searchable operators beyond AlphaSAGE's 36, none checked: the default grammar is kept.
    for (const char* name : {"SignedPower", "Product", "Gt", "Slope", "Count", "ArgMax", "CSZScore"})
        QVERIFY2(row(name), name);
    for (const char* name : {"Mean", "CSRank", "Quantile", "If", "ChangeInstrument", "GroupRank"})
        QVERIFY2(!row(name), name);
    for (int i = 0; i < extras->count(); ++i) QCOMPARE(extras->item(i)->checkState(), Qt::Unchecked);
    QVERIFY(panel->form()->config().grammar.operators.empty());
    // Checking one adds it to the defaults.
    row("SignedPower")->setCheckState(Qt::Checked);
    SearchConfig c = panel->form()->config();
    std::vector<OpId> want = Grammar::defaultOperators();
    want.push_back(OpId::SignedPower);
    QCOMPARE(c.grammar.operators, want);
    QVERIFY(!c.grammar.features.empty());
    QVERIFY(panel->form()->isValid());
    // The config comes back checked (a run reopened, a file loaded), and unchecking takes it out.
    panel->form()->setConfig(c);
    QCOMPARE(row("SignedPower")->checkState(), Qt::Checked);
    QCOMPARE(row("Product")->checkState(), Qt::Unchecked);
    row("SignedPower")->setCheckState(Qt::Unchecked);
    QCOMPARE(panel->form()->config().grammar.operators, Grammar::defaultOperators());
}

void TstSearchPanel::poolOptionsReachTheConfig() {
    // The linear pool's complexity penalty and refusal: typed and clicked into the form, they are in
    // its config; a config brings them back; the mining pool has neither (both disabled).
    auto panel = makePanel();
    SearchForm* form = panel->form();
    configure(*panel, 3, 200, 1);
    QCOMPARE(form->complexityBox()->value(), 0.0);
    QVERIFY(!form->refuseLowerIcBox()->isChecked());
    form->complexityBox()->clear();
    QTest::keyClicks(form->complexityBox(), QStringLiteral("0.0005"));
    QTest::keyClick(form->complexityBox(), Qt::Key_Enter);
    QTest::mouseClick(form->refuseLowerIcBox(), Qt::LeftButton, {}, QPoint(4, form->refuseLowerIcBox()->height() / 2));
    SearchConfig c = form->config();
    QCOMPARE(c.poolOptions.complexity, 0.0005);
    QVERIFY(c.poolOptions.refuseLowerIc);
    QVERIFY(form->isValid());
    c.poolOptions.complexity = 0.002;
    c.poolOptions.refuseLowerIc = false;
    form->setConfig(c);
    QCOMPARE(form->complexityBox()->value(), 0.002);
    QVERIFY(!form->refuseLowerIcBox()->isChecked());
    QVERIFY(form->complexityBox()->isEnabled() && form->refuseLowerIcBox()->isEnabled());
    c.pool = PoolKind::Mining;
    form->setConfig(c);
    QVERIFY(!form->complexityBox()->isEnabled() && !form->refuseLowerIcBox()->isEnabled());
}

void TstSearchPanel::gflownetOptionsReachTheConfig() {
    // The GFlowNet's length prior, local-search share and share of genetic offspring: typed into
    // the form, they are in its config (and so in the config file a run stores); a config brings
    // them back; they show "none" at 0 (the default) and are disabled for the other searches; the
    // offspring with dense rewards make the form invalid (the search refuses them).
    auto panel = makePanel();
    SearchForm* form = panel->form();
    configure(*panel, 0, 200, 1);
    QCOMPARE(form->lengthPenaltyBox()->value(), 0.0);
    QCOMPARE(form->localSearchBox()->value(), 0.0);
    QCOMPARE(form->geneticBox()->value(), 0.0);
    QCOMPARE(form->lengthPenaltyBox()->text(), QStringLiteral("none"));
    QCOMPARE(form->geneticBox()->text(), QStringLiteral("none"));
    QVERIFY(form->lengthPenaltyBox()->isEnabled() && form->localSearchBox()->isEnabled() &&
            form->geneticBox()->isEnabled());
    for (auto [box, text] : {std::pair{form->lengthPenaltyBox(), "3.2"}, std::pair{form->localSearchBox(), "0.25"},
                             std::pair{form->geneticBox(), "0.75"}}) {
        box->clear();
        QTest::keyClicks(box, QString::fromLatin1(text));
        QTest::keyClick(box, Qt::Key_Enter);
    }
    SearchConfig c = form->config();
    QCOMPARE(c.gfn.lengthPenalty, 3.2);
    QCOMPARE(c.gfn.localSearchShare, 0.25);
    QCOMPARE(c.gfn.geneticShare, 0.75);
    QVERIFY(form->isValid());
    const auto again = searchConfigFromJson(searchConfigToJson(c));
    QVERIFY(again.ok());
    QCOMPARE(again->gfn.lengthPenalty, 3.2);
    QCOMPARE(again->gfn.localSearchShare, 0.25);
    QCOMPARE(again->gfn.geneticShare, 0.75);
    c.gfn.lengthPenalty = 2.5;
    c.gfn.localSearchShare = 0.5;
    c.gfn.geneticShare = 0.25;
    form->setConfig(c);
    QCOMPARE(form->lengthPenaltyBox()->value(), 2.5);
    QCOMPARE(form->localSearchBox()->value(), 0.5);
    QCOMPARE(form->geneticBox()->value(), 0.25);
    QTest::mouseClick(form->denseBox(), Qt::LeftButton);
    QVERIFY(form->config().gfn.denseRewards);
    QVERIFY(!form->isValid());
    QTest::mouseClick(form->denseBox(), Qt::LeftButton);
    QVERIFY(form->isValid());
    configure(*panel, 1, 200, 1); // MCTS
    QVERIFY(!form->lengthPenaltyBox()->isEnabled() && !form->localSearchBox()->isEnabled() &&
            !form->geneticBox()->isEnabled());
}

void TstSearchPanel::guiAndCliGiveTheSamePool() {
    // GP: deterministic per seed, and fast enough for a test.
    auto panel = makePanel();
    configure(*panel, 2, 600, 11);
    SearchConfig c = panel->form()->config();
    c.gp.population = 100;
    panel->form()->setConfig(c);
    // With the pool's two options on: they travel through the config file too.
    panel->form()->complexityBox()->setValue(0.0005);
    panel->form()->refuseLowerIcBox()->setChecked(true);
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QVERIFY(panel->start());
    QVERIFY(finished.wait(120000));
    const auto gui = finished.at(0).at(0).value<SearchResult>();

    // The same config through the CLI (as a stored run would be repeated): --config with the JSON.
    const QString configFile = m_dir.filePath("gp.json");
    QFile f(configFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(searchConfigToJson(panel->form()->config())));
    f.close();
    const QString out = m_dir.filePath("gp_pool.json");
    const test::CliRun r = test::cli({"mine", "--algo", "gp", "--config", configFile, "--data", prices(), "--target",
                                      kTarget, "--quiet", "--out", out});
    QVERIFY2(r.code == 0, r.err.constData());
    QFile pool(out);
    QVERIFY(pool.open(QIODevice::ReadOnly));
    const QJsonArray factors = QJsonDocument::fromJson(pool.readAll()).object().value("factors").toArray();
    QCOMPARE(factors.size(), static_cast<qsizetype>(gui.pool.size()));
    for (qsizetype k = 0; k < factors.size(); ++k) {
        QCOMPARE(factors.at(k).toObject().value("formula").toString(), QString::fromStdString(gui.pool[k].formula));
        QVERIFY(std::fabs(factors.at(k).toObject().value("weight").toDouble() - gui.pool[k].weight) < 1e-9);
    }
}

void TstSearchPanel::runsBrowserReopensComparesDeletes() {
    // Two more runs in the project (the earlier slots recorded some too).
    std::vector<qint64> ids;
    for (int seed : {21, 22}) {
        auto panel = makePanel();
        configure(*panel, 3, 200, seed);
        QSignalSpy finished(panel->controller(), &SearchController::finished);
        QVERIFY(panel->start());
        QVERIFY(finished.wait(120000));
        ids.push_back(finished.at(0).at(1).toLongLong());
    }
    RunsPanel runs;
    QAbstractItemModelTester tester(runs.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    runs.setProjectPath(project());
    QVERIFY(runs.model()->rowCount() >= 2);
    runs.selectRuns({ids[0], ids[1]});
    runs.compareSelected();
    QCOMPARE(runs.comparisonMonitor()->seriesCount(), 2);
    QCOMPARE(runs.comparisonTable()->rowCount(), 2);
    QCOMPARE(runs.comparisonPools().size(), std::size_t(2));
    for (PoolModel* m : runs.comparisonPools())
        QAbstractItemModelTester t(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Shared formulas are bold in both pools.
    QSet<QString> first;
    for (const SnapshotMember& m : runs.comparisonPools()[0]->members())
        first.insert(QString::fromStdString(m.formula));
    for (int r = 0; r < runs.comparisonPools()[1]->rowCount(); ++r) {
        const QModelIndex i = runs.comparisonPools()[1]->index(r, PoolModel::Formula);
        QCOMPARE(i.data(Qt::FontRole).value<QFont>().bold(), first.contains(i.data().toString()));
    }
    // Reopen: the run's config, curve and pool come back.
    QSignalSpy opened(&runs, &RunsPanel::runOpened);
    runs.selectRuns({ids[1]});
    runs.reopenSelected();
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toLongLong(), ids[1]);
    QCOMPARE(opened.at(0).at(2).value<SearchConfig>().seed, std::uint64_t(22));
    // Delete.
    const int before = runs.model()->rowCount();
    runs.deleteSelected(false);
    QCOMPARE(runs.model()->rowCount(), before - 1);
}

void TstSearchPanel::poolChoiceShowsEachPool() {
    // A finished run offers its four pools (PoolChoice's order); the table shows the chosen one's
    // formulas and weights, the label its size and figures; a pool the run lacks is disabled. A run
    // reopened from the runs browser offers the same pools, read from its pool file.
    auto panel = makePanel();
    QAbstractItemModelTester tester(panel->poolModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!panel->poolChoiceBox()->isEnabled()); // nothing finished yet
    configure(*panel, 3, 400, 7);
    QSignalSpy finished(panel->controller(), &SearchController::finished);
    QVERIFY(panel->start());
    QVERIFY(!panel->poolChoiceBox()->isEnabled()); // a live pool is the combined one
    QVERIFY(finished.wait(120000));
    const auto result = finished.at(0).at(0).value<SearchResult>();
    const qint64 runId = finished.at(0).at(1).toLongLong();
    QVERIFY(!result.selected.empty() && !result.tuned.empty() &&
            !result.early.empty()); // the session has a valid split

    const auto checkChoices = [&](SearchPanel& p) {
        QVERIFY(p.poolChoiceBox()->isEnabled());
        auto* items = qobject_cast<QStandardItemModel*>(p.poolChoiceBox()->model());
        QVERIFY(items);
        for (int k = 0; k < 4; ++k) {
            const std::vector<WeightedFormula> expected = poolMembers(result, static_cast<PoolChoice>(k));
            QCOMPARE(items->item(k)->isEnabled(), !expected.empty());
            if (expected.empty()) continue;
            p.poolChoiceBox()->setCurrentIndex(k);
            const std::vector<SnapshotMember>& shown = p.poolModel()->members();
            QCOMPARE(shown.size(), expected.size());
            for (std::size_t i = 0; i < shown.size(); ++i) {
                QCOMPARE(shown[i].formula, expected[i].formula);
                QCOMPARE(shown[i].weight, expected[i].weight);
            }
            const std::vector<SplitMetrics>& figures = k == 0   ? result.combined
                                                       : k == 1 ? result.selected
                                                       : k == 2 ? result.tuned
                                                                : result.early;
            const QString summary = p.poolSummaryLabel()->text();
            QVERIFY2(summary.startsWith(tr("%n member(s)", nullptr, static_cast<int>(expected.size()))),
                     qPrintable(summary));
            for (const SplitMetrics& m : figures)
                QVERIFY2(summary.contains(
                             QStringLiteral("%1 IC %2").arg(QString::fromStdString(m.name)).arg(m.ic, 0, 'f', 4)),
                         qPrintable(summary));
        }
        p.poolChoiceBox()->setCurrentIndex(0);
        QCOMPARE(p.poolModel()->rowCount(), static_cast<int>(result.pool.size()));
    };
    checkChoices(*panel);
    // The adaptive combination's figures are in the status (it has no fixed weights to show).
    QVERIFY(!result.adaptive.empty());
    for (const SplitMetrics& m : result.adaptive)
        QVERIFY2(panel->statusLabel()->text().contains(QStringLiteral("Adaptive combination %1: IC %2")
                                                           .arg(QString::fromStdString(m.name))
                                                           .arg(m.ic, 0, 'f', 4)),
                 qPrintable(panel->statusLabel()->text()));

    // Reopened: the same pools, from the stored pool file.
    RunsPanel runs;
    runs.setProjectPath(project());
    QSignalSpy opened(&runs, &RunsPanel::runOpened);
    runs.selectRuns({runId});
    runs.reopenSelected();
    QCOMPARE(opened.count(), 1);
    auto other = makePanel();
    QObject::connect(
        &runs, &RunsPanel::runOpened, other.get(),
        [&](qint64 id, const QString& label, const SearchConfig& config, const std::vector<MonitorPoint>& curve,
            const std::vector<SnapshotMember>& pool,
            const QByteArray& resultJson) { other->showStoredRun(id, label, config, curve, pool, resultJson); });
    runs.reopenSelected();
    QCOMPARE(other->shownRunId(), runId);
    checkChoices(*other);
    // Export takes the shown pool's weights (MainWindow reads them from the pool model).
    other->poolChoiceBox()->setCurrentIndex(1);
    QCOMPARE(other->poolModel()->members().front().weight, poolMembers(result, PoolChoice::Selected).front().weight);
}

QTEST_MAIN(TstSearchPanel)
#include "tst_search_panel.moc"
