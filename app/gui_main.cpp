// alphascope: the workbench GUI. With no arguments it opens the last project (or a fresh one in the
// user's data directory) and the bundled sample dataset.

#include "core/data/split.h"
#include "ui/main_window.h"
#include "ui/models/run_list_model.h"
#include "ui/panels/formula_lab.h"
#include "ui/panels/market_graph_panel.h"
#include "ui/panels/runs_panel.h"
#include "ui/panels/search_form.h"
#include "ui/panels/search_panel.h"
#include "ui/panels/study_panel.h"
#include "ui/settings.h"
#include "ui/views/backtest_view.h"
#include "ui/views/study_curves_plot.h"

#include "core/util/allocator_tuning.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLocale>
#include <QTabWidget>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

/// Measures what a user feels while formulas are evaluated: the time from asking for an evaluation to
/// its metrics being on screen, and the longest stall of the GUI thread meanwhile (a 5 ms heartbeat
/// timer that fires late shows a freeze). Prints a table and quits.
class LatencyProbe : public QObject {
public:
    LatencyProbe(alphascope::ui::MainWindow* window, QStringList formulas, int rounds)
        : m_window(window), m_formulas(std::move(formulas)), m_rounds(rounds) {
        m_heartbeat.setInterval(5);
        m_heartbeat.setTimerType(Qt::PreciseTimer);
        connect(&m_heartbeat, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGapMs = std::max(m_maxGapMs, static_cast<double>(now - m_lastBeat) / 1e6);
            m_lastBeat = now;
        });
        connect(window->formulaLab(), &alphascope::ui::FormulaLab::evaluated, this, [this](bool) {
            if (m_started) next(); // the start-up evaluation is not part of the measurement
        });
    }
    void start() {
        m_started = true;
        m_clock.start();
        m_lastBeat = m_clock.nsecsElapsed();
        m_heartbeat.start();
        std::printf("formula\tms(median)\tms(max)\tlongest gap between 5 ms GUI heartbeats, ms\n");
        next();
    }

private:
    void next() {
        if (m_index > 0) m_samples.push_back(m_window->formulaLab()->lastLatency() * 1000.0);
        if (m_index > 0 && static_cast<int>(m_samples.size()) == m_rounds) report();
        if (m_index >= m_formulas.size() * m_rounds) {
            std::printf("max GUI-thread stall over the whole run: %.1f ms\n", m_overallMaxGapMs);
            QApplication::exit(0);
            return;
        }
        const QString f = m_formulas[m_index / m_rounds];
        ++m_index;
        // Evaluate from a clean cache each time so that the figure is an edit of a new formula.
        m_window->session()->evaluator->clearCache();
        QTimer::singleShot(30, this, [this, f] { m_window->formulaLab()->setFormula(f); });
    }
    void report() {
        std::sort(m_samples.begin(), m_samples.end());
        std::printf("%s\t%.0f\t%.0f\t%.1f\n", qPrintable(m_formulas[(m_index - 1) / m_rounds]),
                    m_samples[m_samples.size() / 2], m_samples.back(), m_maxGapMs);
        std::fflush(stdout);
        m_samples.clear();
        m_overallMaxGapMs = std::max(m_overallMaxGapMs, m_maxGapMs);
        m_maxGapMs = 0;
    }

    alphascope::ui::MainWindow* m_window;
    QStringList m_formulas;
    int m_rounds;
    int m_index = 0;
    bool m_started = false;
    std::vector<double> m_samples;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    qint64 m_lastBeat = 0;
    double m_maxGapMs = 0;
    double m_overallMaxGapMs = 0;
};

} // namespace

int main(int argc, char** argv) {
    alphascope::tuneAllocatorForPanels();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AlphaScope"));
    QApplication::setOrganizationName(QStringLiteral("AlphaScope"));
    QApplication::setApplicationVersion(QStringLiteral(ALPHASCOPE_VERSION));

    // The language is read before the parser is built so that --help is translated too:
    // --lang wins, then the setting, then the system's.
    QString lang = alphascope::ui::settings::language.value();
    if (lang.isEmpty()) lang = QLocale::system().name();
    const QStringList rawArgs = QApplication::arguments();
    for (int k = 1; k < rawArgs.size(); ++k) {
        if (rawArgs[k] == QStringLiteral("--lang") && k + 1 < rawArgs.size())
            lang = rawArgs[k + 1];
        else if (rawArgs[k].startsWith(QStringLiteral("--lang=")))
            lang = rawArgs[k].mid(7);
    }
    QTranslator translator;
    if (lang.startsWith(QStringLiteral("zh")) && translator.load(QStringLiteral(":/i18n/alphascope_zh_CN.qm")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "AlphaScope: a research workbench for formulaic alpha factors"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataOpt(
        QStringLiteral("data"),
        QApplication::translate("main",
                                "Long CSV (.csv/.csv.xz) or Qlib folder to open (default: the bundled sample)."),
        QStringLiteral("path"));
    const QCommandLineOption sectorsOpt(
        QStringLiteral("sectors"), QApplication::translate("main", "Sector/industry CSV."), QStringLiteral("path"));
    const QCommandLineOption universeOpt(QStringLiteral("universe"),
                                         QApplication::translate("main", "Qlib universe name."), QStringLiteral("name"),
                                         QStringLiteral("all"));
    const QCommandLineOption formulaOpt(
        QStringLiteral("formula"), QApplication::translate("main", "Formula to show in the lab."),
        QStringLiteral("text"), QStringLiteral("Div(Sub($close,$open),Sub($high,$low))"));
    const QCommandLineOption projectOpt(
        QStringLiteral("project"),
        QApplication::translate("main",
                                "Project file to open (default: the last one, else one in the user's data directory)."),
        QStringLiteral("file"));
    const QCommandLineOption langOpt(
        QStringLiteral("lang"),
        QApplication::translate("main",
                                "User interface language (en, zh_CN); default: the setting, else the system's."),
        QStringLiteral("code"));
    const QCommandLineOption shotOpt(
        QStringLiteral("screenshot"),
        QApplication::translate("main",
                                "Save a PNG of the window once the formula and its backtest are shown, then quit."),
        QStringLiteral("file"));
    const QCommandLineOption viewsOpt(
        QStringLiteral("screenshot-views"),
        QApplication::translate("main", "With --screenshot: also save a PNG of every panel into this folder."),
        QStringLiteral("dir"));
    const QCommandLineOption latencyOpt(
        QStringLiteral("measure-latency"),
        QApplication::translate(
            "main", "Measure formula -> metrics latency and GUI stalls on the loaded data, print them, quit."));
    const QCommandLineOption searchOpt(
        QStringLiteral("search"),
        QApplication::translate("main", "Start a search (gfn, mcts, gp, random, ppo) as soon as the data is loaded."),
        QStringLiteral("algorithm"));
    const QCommandLineOption searchEvalsOpt(QStringLiteral("search-evals"),
                                            QApplication::translate("main", "With --search: the evaluation budget."),
                                            QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption exitSearchOpt(
        QStringLiteral("exit-after-search"),
        QApplication::translate("main",
                                "With --search: print the search's evaluations per second when it ends, then quit."));
    const QCommandLineOption runsOpt(
        QStringLiteral("compare-runs"),
        QApplication::translate("main", "Show the runs browser comparing the project's two newest runs."));
    const QCommandLineOption plotStudyOpt(
        QStringLiteral("plot-study"),
        QApplication::translate("main", "Draw the learning curves of an alphascope-cli study folder into valid_ic.png, "
                                        "reward.png, formula_ic.png and top_share.png there, then quit."),
        QStringLiteral("dir"));
    const QCommandLineOption trainOpt(
        QStringLiteral("train"),
        QApplication::translate("main", "Training split START:END (dates inclusive), as alphascope-cli's --train; with "
                                        "--valid and --test, else the default splits."),
        QStringLiteral("range"));
    const QCommandLineOption validOpt(QStringLiteral("valid"),
                                      QApplication::translate("main", "Validation split START:END."),
                                      QStringLiteral("range"));
    const QCommandLineOption testOpt(QStringLiteral("test"), QApplication::translate("main", "Test split START:END."),
                                     QStringLiteral("range"));
    const QCommandLineOption studyOpt(
        QStringLiteral("study"),
        QApplication::translate("main", "Show a study folder (alphascope-cli study's or the Studies panel's) in the "
                                        "Studies panel once the data is loaded; nothing is run."),
        QStringLiteral("dir"));
    const QCommandLineOption graphOpt(
        QStringLiteral("market-graph"),
        QApplication::translate("main", "Fit the market graph once the data is loaded, e.g. ward:11,4 or mincut:11,4 "
                                        "(method:levels), and show it."),
        QStringLiteral("spec"));
    parser.addOptions({dataOpt, sectorsOpt, universeOpt, formulaOpt, projectOpt, langOpt, shotOpt, viewsOpt, latencyOpt,
                       searchOpt, searchEvalsOpt, exitSearchOpt, runsOpt, plotStudyOpt, trainOpt, validOpt, testOpt,
                       studyOpt, graphOpt});
    parser.process(app);

    if (parser.isSet(plotStudyOpt)) {
        const QString dir = parser.value(plotStudyOpt);
        const auto drawn = alphascope::ui::renderStudyCurves(dir);
        if (!drawn.ok()) {
            std::fprintf(stderr, "alphascope: %s\n", drawn.error().toString().c_str());
            return 1;
        }
        for (const char* name : {"valid_ic.png", "reward.png", "formula_ic.png", "top_share.png"})
            std::printf("%s\n", qPrintable(QDir(dir).filePath(QString::fromLatin1(name))));
        return 0;
    }

    alphascope::ui::MainWindow window;
    QString project = parser.value(projectOpt);
    if (project.isEmpty()) project = alphascope::ui::settings::lastProject.value();
    if (project.isEmpty() || !window.openProject(project, true)) {
        if (!window.openProject(alphascope::ui::MainWindow::defaultProjectPath(), !parser.isSet(projectOpt)))
            std::fprintf(stderr, "alphascope: cannot open a project; factors cannot be saved in this session\n");
    }
    window.formulaLab()->setFormula(parser.value(formulaOpt));
    window.show();

    alphascope::DatasetSpec spec;
    if (parser.isSet(dataOpt)) {
        spec.path = parser.value(dataOpt).toStdString();
        spec.groupsPath = parser.value(sectorsOpt).toStdString();
        spec.universe = parser.value(universeOpt).toStdString();
    } else {
        spec = alphascope::bundledSampleSpec();
        if (parser.isSet(sectorsOpt)) spec.groupsPath = parser.value(sectorsOpt).toStdString();
    }

    std::unique_ptr<LatencyProbe> probe;
    if (parser.isSet(latencyOpt)) {
        const QStringList formulas = {QStringLiteral("Div(Sub($close,$open),Sub($high,$low))"),
                                      QStringLiteral("Mean($close, 20)"),
                                      QStringLiteral("Corr($close, $volume, 10)"),
                                      QStringLiteral("CSRank(Delta($close, 20))"),
                                      QStringLiteral("Rank(Div($close, Mean($close, 60)), 20)"),
                                      QStringLiteral("GroupRank(Std(Div($close, Ref($close, 1)), 20), sector)")};
        probe = std::make_unique<LatencyProbe>(&window, formulas, 5);
        QObject::connect(
            &window, &alphascope::ui::MainWindow::datasetLoaded, &window,
            [&probe] { QTimer::singleShot(500, [&probe] { probe->start(); }); }, Qt::SingleShotConnection);
        QObject::connect(&window, &alphascope::ui::MainWindow::loadFailed, &window, [] { QApplication::exit(2); });
    } else if (parser.isSet(shotOpt)) {
        const QString file = parser.value(shotOpt);
        const QString viewsDir = parser.value(viewsOpt);
        // The lab's metrics and the backtest (and the market graph's first window when asked for).
        auto pending = std::make_shared<int>(parser.isSet(graphOpt) ? 3 : 2);
        auto save = [&window, file, viewsDir](int code) {
            QTimer::singleShot(300, &window, [&window, file, viewsDir, code] {
                bool ok = window.grab().save(file);
                if (!viewsDir.isEmpty()) {
                    QDir().mkpath(viewsDir);
                    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
                        dock->show();
                        dock->raise();
                    }
                    for (QDockWidget* dock : window.findChildren<QDockWidget*>())
                        ok = dock->widget()->grab().save(
                                 QDir(viewsDir).filePath(dock->objectName() + QStringLiteral(".png"))) &&
                             ok;
                    // Every tab of the market graph (graph, clustermap, clusters, regimes).
                    QTabWidget* tabs = window.graphPanel()->tabs();
                    for (int i = 0; i < tabs->count(); ++i) {
                        tabs->setCurrentIndex(i);
                        ok = window.graphPanel()->grab().save(
                                 QDir(viewsDir).filePath(QStringLiteral("GraphDock-%1.png").arg(i))) &&
                             ok;
                    }
                    ok = window.formulaLab()->grab().save(QDir(viewsDir).filePath(QStringLiteral("FormulaLab.png"))) &&
                         ok;
                }
                std::fprintf(stderr, "alphascope: screenshot %s %s\n", qPrintable(file), ok ? "saved" : "FAILED");
                QApplication::exit(ok ? code : 1);
            });
        };
        QObject::connect(window.formulaLab(), &alphascope::ui::FormulaLab::evaluated, &window,
                         [save, pending](bool ok) {
                             if (!ok)
                                 save(3);
                             else if (--*pending == 0)
                                 save(0);
                         });
        QObject::connect(window.backtestView(), &alphascope::ui::BacktestView::finished, &window,
                         [save, pending](bool) {
                             if (--*pending == 0) save(0);
                         });
        QObject::connect(&window, &alphascope::ui::MainWindow::loadFailed, &window, [save] { save(2); });
        if (parser.isSet(graphOpt))
            QObject::connect(
                window.graphPanel(), &alphascope::ui::MarketGraphPanel::windowShown, &window,
                [save, pending](int) {
                    if (--*pending == 0) save(0);
                },
                Qt::SingleShotConnection);
        QTimer::singleShot(120000, &app, [] { QApplication::exit(4); }); // never hang a headless run
    }
    if (parser.isSet(studyOpt)) {
        const QString dir = parser.value(studyOpt);
        QObject::connect(
            &window, &alphascope::ui::MainWindow::datasetLoaded, &window,
            [&window, dir] {
                if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("StudiesDock"))) {
                    dock->show();
                    dock->raise();
                }
                window.studyPanel()->open(dir);
            },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(searchOpt)) {
        const auto algo = alphascope::parseSearchAlgo(parser.value(searchOpt).toStdString());
        if (!algo) {
            std::fprintf(stderr, "alphascope: unknown --search '%s': use gfn, mcts, gp, random or ppo\n",
                         qPrintable(parser.value(searchOpt)));
            return 2;
        }
        const long long evals = parser.value(searchEvalsOpt).toLongLong();
        QObject::connect(
            &window, &alphascope::ui::MainWindow::datasetLoaded, &window,
            [&window, algo, evals] {
                alphascope::SearchConfig c = alphascope::defaultSearchConfig(*algo);
                c.budget.evaluations = evals;
                window.searchPanel()->form()->setConfig(c);
                if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("SearchDock"))) {
                    dock->show();
                    dock->raise();
                }
                window.searchPanel()->start();
            },
            Qt::SingleShotConnection);
        if (parser.isSet(exitSearchOpt)) {
            QObject::connect(
                window.searchPanel()->controller(), &alphascope::ui::SearchController::finished, &window,
                [](const alphascope::SearchResult& r, qint64 runId) {
                    std::printf("search %s: %lld evaluations in %.1f s = %.1f evaluations/s on %s (run %lld)\n",
                                std::string(alphascope::searchAlgoName(r.config.algo)).c_str(), r.evaluations,
                                r.seconds, r.evaluationsPerSecond, r.device.c_str(), static_cast<long long>(runId));
                    std::fflush(stdout);
                    QApplication::exit(0);
                });
            QObject::connect(window.searchPanel()->controller(), &alphascope::ui::SearchController::failed, &window,
                             [](const QString& message) {
                                 std::fprintf(stderr, "search failed: %s\n", qPrintable(message));
                                 QApplication::exit(1);
                             });
        }
    }
    if (parser.isSet(graphOpt)) {
        const QString graphSpec = parser.value(graphOpt);
        QObject::connect(
            &window, &alphascope::ui::MainWindow::datasetLoaded, &window,
            [&window, graphSpec] {
                alphascope::ui::MarketGraphPanel* graph = window.graphPanel();
                const QString method = graphSpec.section(QLatin1Char(':'), 0, 0);
                const int index = graph->methodBox()->findData(method);
                if (index < 0) {
                    std::fprintf(stderr, "alphascope: unknown --market-graph method '%s'\n", qPrintable(method));
                    QApplication::exit(2);
                    return;
                }
                graph->methodBox()->setCurrentIndex(index);
                if (graphSpec.contains(QLatin1Char(':')))
                    graph->levelsEdit()->setText(graphSpec.section(QLatin1Char(':'), 1));
                if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("GraphDock"))) {
                    dock->show();
                    dock->raise();
                }
                graph->fit();
            },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(runsOpt)) {
        QObject::connect(
            &window, &alphascope::ui::MainWindow::datasetLoaded, &window,
            [&window] {
                alphascope::ui::RunsPanel* runs = window.runsPanel();
                QList<qint64> newest;
                for (const auto& r : runs->model()->runs()) // newest first
                    if (newest.size() < 2) newest << r.id;
                runs->selectRuns(newest);
                runs->compareSelected();
                if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("RunsDock"))) {
                    dock->show();
                    dock->raise();
                }
            },
            Qt::SingleShotConnection);
    }
    alphascope::SessionSpec session;
    session.dataset = spec;
    for (const auto& [name, opt] : {std::pair<const char*, const QCommandLineOption*>{"train", &trainOpt},
                                    {"valid", &validOpt},
                                    {"test", &testOpt}}) {
        if (!parser.isSet(*opt)) continue;
        auto range = alphascope::parseSplitRange(name, parser.value(*opt).toStdString());
        if (!range.ok()) {
            std::fprintf(stderr, "alphascope: %s\n", range.error().toString().c_str());
            return 2;
        }
        session.splits.push_back(range.value());
    }
    window.openDataset(session);
    return QApplication::exec();
}
