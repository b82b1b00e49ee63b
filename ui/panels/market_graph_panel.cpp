#include "ui/panels/market_graph_panel.h"

#include "core/graph/return_correlation.h"
#include "ui/models/cluster_table_model.h"
#include "ui/panels/persistence_page.h"
#include "ui/util/cluster_colors.h"
#include "ui/util/job_controls.h"
#include "ui/util/latest_job.h"
#include "ui/views/clustermap_view.h"
#include "ui/views/instrument_detail_view.h"
#include "ui/views/market_graph_view.h"
#include "ui/views/plot_dates.h"
#include "ui/views/regime_timeline.h"

#ifdef ALPHASCOPE_HAVE_TORCH
#include "core/nn/graph_pooling.h"
#include "ui/panels/gcn_signal_page.h"
#endif

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace alphascope::ui {

namespace {
constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();
constexpr int kLabelledNodes = 25; // the largest nodes carry their ticker

enum EdgeMode { SpanningTree, Threshold, Nearest, SectorEdges, ThresholdAndSector };

bool sameMarket(const MarketData& a, const MarketData& b) {
    return a.instruments == b.instruments && a.calendar.size() == b.calendar.size() &&
           (a.calendar.size() == 0 ||
            (a.calendar[0] == b.calendar[0] && a.calendar[a.calendar.size() - 1] == b.calendar[b.calendar.size() - 1]));
}

/// A fit with what the views need besides it: the regime series and the daily log returns.
Result<GraphFitOutcome> outcomeOf(const MarketData& data, std::shared_ptr<const graph::HierarchyFit> fit,
                                  const QString& method) {
    auto regimes = graph::regimeSeries(data, *fit);
    if (!regimes.ok()) return regimes.error();
    GraphFitOutcome out;
    out.regimes = std::move(regimes.value());
    out.returns = std::make_shared<const Panel>(graph::logReturns(*data.field("close")));
    out.fit = std::move(fit);
    out.method = method;
    return out;
}

QString dateText(const MarketData& d, int day) {
    return day >= 0 && day < static_cast<int>(d.calendar.size()) ? QString::fromStdString(d.calendar[day].toString())
                                                                 : QString();
}
} // namespace

MarketGraphPanel::MarketGraphPanel(QWidget* parent)
    : QWidget(parent), m_methodBox(new QComboBox(this)), m_levels(new QLineEdit(QStringLiteral("11,4"), this)),
      m_windowDays(new QSpinBox(this)), m_step(new QSpinBox(this)), m_fitButton(new QPushButton(tr("&Fit"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_slider(new QSlider(Qt::Horizontal, this)), m_dateLabel(new QLabel(this)), m_color(new QComboBox(this)),
      m_edges(new QComboBox(this)), m_threshold(new QSlider(Qt::Horizontal, this)), m_thresholdLabel(new QLabel(this)),
      m_sizeBy(new QComboBox(this)), m_engine(new QComboBox(this)), m_export(new QPushButton(tr("Export…"), this)),
      m_use(new QPushButton(tr("Use levels in formulas"), this)), m_tabs(new QTabWidget(this)),
      m_graph(new MarketGraphView(this)), m_clustermap(new ClustermapView(this)),
      m_collapse(new QCheckBox(tr("Collapse to the clusters of the level"), this)),
      m_model(new ClusterTableModel(this)), m_table(new QTableView(this)), m_timeline(new RegimeTimeline(this)),
      m_details(new InstrumentDetailView(this)), m_debounce(new QTimer(this)),
      m_fitJob(std::make_unique<LatestJob<GraphFitOutcome>>(this)),
      m_windowJob(std::make_unique<LatestJob<GraphWindowOutcome>>(this)) {
    setObjectName(QStringLiteral("MarketGraphPanel"));
    m_methodBox->addItem(tr("Ward linkage"), QStringLiteral("ward"));
    m_methodBox->addItem(tr("Average linkage"), QStringLiteral("average"));
    m_methodBox->addItem(tr("Complete linkage"), QStringLiteral("complete"));
#ifdef ALPHASCOPE_HAVE_TORCH
    m_methodBox->addItem(tr("MinCutPool (learned)"), QStringLiteral("mincut"));
    m_methodBox->addItem(tr("DiffPool (learned)"), QStringLiteral("diffpool"));
#endif
    m_methodBox->setToolTip(tr("How the correlation of each window is clustered into levels"));
    m_levels->setToolTip(tr("Clusters per level, finest first (e.g. 11,4); 0 lets the silhouette choose"));
    m_levels->setMaximumWidth(90);
    m_windowDays->setRange(10, 750);
    m_windowDays->setValue(60);
    m_windowDays->setSuffix(tr(" d"));
    m_windowDays->setToolTip(tr("Days of returns in each window"));
    m_step->setRange(1, 250);
    m_step->setValue(20);
    m_step->setSuffix(tr(" d"));
    m_step->setToolTip(tr("Days between fits (each uses only data up to its last day)"));
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("MarketGraphStatus"));
    m_slider->setEnabled(false);
    m_slider->setToolTip(tr("The window on screen: each is fitted on the returns up to its date"));
    m_dateLabel->setMinimumWidth(150);
    m_edges->addItem(tr("Minimum spanning tree"), SpanningTree);
    m_edges->addItem(tr("Correlation above threshold"), Threshold);
    m_edges->addItem(tr("Nearest neighbours (5)"), Nearest);
    m_edges->addItem(tr("Same sector"), SectorEdges);
    m_edges->addItem(tr("Threshold and sector"), ThresholdAndSector);
    m_threshold->setRange(5, 95);
    m_threshold->setValue(60);
    m_threshold->setMaximumWidth(140);
    m_threshold->setToolTip(tr("Edges between instruments whose return correlation exceeds this"));
    m_sizeBy->addItem(tr("Size: dollar volume"), 0);
    m_sizeBy->addItem(tr("Size: degree"), 1);
    m_engine->addItem(QStringLiteral("sfdp"), static_cast<int>(graph::LayoutEngine::Sfdp));
    m_engine->addItem(QStringLiteral("neato"), static_cast<int>(graph::LayoutEngine::Neato));
    m_engine->setToolTip(
        tr("Graphviz layout: sfdp (multiscale force) or neato (edge length follows the correlation distance)"));
    m_use->setEnabled(false);
    m_use->setToolTip(tr("Add the levels to the dataset as groupings h1, h2, … for GroupDemean, GroupRank, GroupZScore "
                         "and the searches"));
    m_export->setEnabled(false);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_color->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(120);

    auto* fitRow = new QHBoxLayout;
    fitRow->addWidget(new QLabel(tr("Method"), this));
    fitRow->addWidget(m_methodBox);
    fitRow->addWidget(new QLabel(tr("Levels"), this));
    fitRow->addWidget(m_levels);
    fitRow->addWidget(new QLabel(tr("Window"), this));
    fitRow->addWidget(m_windowDays);
    fitRow->addWidget(new QLabel(tr("Step"), this));
    fitRow->addWidget(m_step);
    fitRow->addWidget(m_fitButton);
    fitRow->addWidget(m_cancel);
    fitRow->addWidget(m_progress);
    fitRow->addWidget(m_status, 1);
    fitRow->addWidget(m_use);

    auto* viewRow = new QHBoxLayout;
    viewRow->addWidget(m_slider, 2);
    viewRow->addWidget(m_dateLabel);
    viewRow->addWidget(new QLabel(tr("Colour"), this));
    viewRow->addWidget(m_color);
    viewRow->addWidget(new QLabel(tr("Edges"), this));
    viewRow->addWidget(m_edges);
    viewRow->addWidget(m_threshold);
    viewRow->addWidget(m_thresholdLabel);
    viewRow->addWidget(m_sizeBy);
    viewRow->addWidget(m_engine);
    viewRow->addWidget(m_export);

    auto* mapPage = new QWidget(this);
    auto* mapLayout = new QVBoxLayout(mapPage);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addWidget(m_collapse);
    mapLayout->addWidget(m_clustermap, 1);
    m_tabs->addTab(m_graph, tr("Graph"));
    m_tabs->addTab(mapPage, tr("Clustermap"));
    m_tabs->addTab(m_table, tr("Clusters"));
    m_tabs->addTab(m_timeline, tr("Regimes"));
    m_persistence = new PersistencePage(this);
    m_tabs->addTab(m_persistence, tr("Persistence"));
#ifdef ALPHASCOPE_HAVE_TORCH
    m_gcn = new GcnSignalPage(this);
    m_tabs->addTab(m_gcn, tr("GCN signal"));
#endif

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tabs);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({900, 300});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(fitRow);
    layout->addLayout(viewRow);
    layout->addWidget(split, 1);

    m_graph->showMessage(tr("Open a dataset, then fit the market hierarchy."));
    m_clustermap->showMessage(tr("No fit yet."));
    updateEdgeControls();

    connect(m_fitButton, &QPushButton::clicked, this, &MarketGraphPanel::fit);
    connect(m_cancel, &QPushButton::clicked, this, &MarketGraphPanel::cancelFit);
    connect(m_use, &QPushButton::clicked, this, &MarketGraphPanel::useLevelsRequested);
    connect(m_export, &QPushButton::clicked, this, &MarketGraphPanel::exportCurrent);
    connect(m_slider, &QSlider::valueChanged, this, [this](int) {
        updateDateLabel();
        m_debounce->start();
    });
    connect(m_debounce, &QTimer::timeout, this, &MarketGraphPanel::requestWindow);
    connect(m_edges, &QComboBox::currentIndexChanged, this, [this] {
        updateEdgeControls();
        m_debounce->start();
    });
    connect(m_threshold, &QSlider::valueChanged, this, [this] {
        updateEdgeControls();
        m_debounce->start();
    });
    connect(m_engine, &QComboBox::currentIndexChanged, this, [this] {
        std::fill(m_positions.begin(), m_positions.end(), graph::Point2{kNaNd, kNaNd});
        m_fitView = true;
        m_debounce->start();
    });
    connect(m_color, &QComboBox::currentIndexChanged, this, [this] {
        restyle();
        fillClusterTable();
        updateClustermap();
        updateTimeline();
        showDetails(m_selected);
    });
    connect(m_sizeBy, &QComboBox::currentIndexChanged, this, &MarketGraphPanel::restyle);
    connect(m_collapse, &QCheckBox::toggled, this, &MarketGraphPanel::updateClustermap);
    connect(m_graph, &MarketGraphView::nodeClicked, this,
            [this](int node) { selectInstrument(instrumentOfNode(node)); });
    connect(m_clustermap, &ClustermapView::rowClicked, this, [this](int row) {
        if (m_window && row >= 0 && row < static_cast<int>(m_window->view.active.size()))
            selectInstrument(m_window->view.active[static_cast<std::size_t>(row)]);
    });
    connect(m_timeline, &RegimeTimeline::dayClicked, this, [this](int day) {
        if (!m_fit) return;
        int window = 0;
        for (std::size_t k = 0; k < m_fit->windows.size(); ++k)
            if (m_fit->windows[k].end <= day) window = static_cast<int>(k);
        m_slider->setValue(window);
    });

    m_fitJob->onBusyChanged = [this](bool busy) {
        showJobBusy(busy, m_session != nullptr, m_fitButton, m_cancel, m_progress);
        Q_EMIT busyChanged(busy);
    };
    m_fitJob->onProgress = [this](const TaskProgress& p) {
        m_progress->setValue(static_cast<int>(1000 * p.fraction));
        m_status->setText(QString::fromStdString(p.text));
    };
    m_fitJob->onDone = [this](Result<GraphFitOutcome> r) { onFitDone(std::move(r)); };
    m_windowJob->onDone = [this](Result<GraphWindowOutcome> r) { onWindowDone(std::move(r)); };
    setSession(nullptr);
}

MarketGraphPanel::~MarketGraphPanel() = default;

void MarketGraphPanel::setSession(std::shared_ptr<const ResearchSession> session) {
    m_session = std::move(session);
    // A new session may bring other splits or another target (even on the same market): the
    // persistence is measured again on request.
    if (m_persistence) m_persistence->setSession(m_session);
    m_fitButton->setEnabled(m_session && !fitting());
    // The levels just added to the dataset come back in a session of the same market: keep the fit.
    if (m_session && m_fitData && sameMarket(*m_session->data, *m_fitData)) {
        m_fitData = m_session->data;
        return;
    }
    m_fitJob->abandon();
    m_windowJob->abandon();
    if (m_gcn) m_gcn->setSession(m_session);
    m_fit.reset();
    m_fitData.reset();
    m_returns.reset();
    m_window.reset();
    m_positions.clear();
    m_selected = -1;
    m_slider->setEnabled(false);
    m_use->setEnabled(false);
    m_export->setEnabled(false);
    m_dateLabel->clear();
    m_model->clear();
    m_timeline->clearSeries(QString());
    m_clustermap->showMessage(tr("No fit yet."));
    m_graph->showMessage(m_session ? tr("Press Fit to cluster the market's return correlation window by window.")
                                   : tr("Open a dataset, then fit the market hierarchy."));
    m_status->setText(m_session ? tr("Not fitted") : QString());
    m_color->blockSignals(true);
    m_color->clear();
    m_color->blockSignals(false);
}

bool MarketGraphPanel::fitting() const {
    return m_fitJob->busy();
}
bool MarketGraphPanel::viewBusy() const {
    return m_windowJob->busy() || m_debounce->isActive();
}
QStandardItemModel* MarketGraphPanel::clusterModel() const {
    return m_model;
}
QLabel* MarketGraphPanel::detailLabel() const {
    return m_details->label();
}
int MarketGraphPanel::currentWindow() const {
    return m_window ? m_window->view.window : -1;
}

void MarketGraphPanel::fit() {
    if (!m_session) return;
    const QString method = m_methodBox->currentData().toString();
    const bool pooling = method == QLatin1String("mincut") || method == QLatin1String("diffpool");
    graph::HierarchyOptions options;
    std::string bad;
    const std::string spec =
        (pooling ? std::string("ward") : method.toStdString()) + ":" + m_levels->text().trimmed().toStdString();
    if (!graph::parseHierarchySpec(spec, options, bad)) {
        m_status->setText(tr("Levels: %1").arg(QString::fromStdString(bad)));
        return;
    }
    options.window = m_windowDays->value();
    options.step = m_step->value();
    if (auto checked = graph::checkedHierarchyOptions(options); !checked.ok()) {
        m_status->setText(tr("Levels: %1").arg(QString::fromStdString(checked.error().message)));
        return;
    }
    auto data = m_session->data;
    m_status->setText(tr("Fitting…"));
    m_fitJob->start([data, options, method, pooling](Feedback& feedback) -> Result<GraphFitOutcome> {
        Result<graph::HierarchyFit> fit =
            makeError(ErrorCode::InvalidArgument, "this build has no LibTorch: use a linkage");
        if (!pooling) {
            fit = graph::fitHierarchy(*data, options, ProgressSpan(&feedback).sub(0.0, 0.95));
        } else {
#ifdef ALPHASCOPE_HAVE_TORCH
            nn::PoolingOptions po;
            nn::parsePoolingMethod(method.toStdString(), po.method);
            fit = nn::fitPoolingHierarchy(*data, options, po, ProgressSpan(&feedback).sub(0.0, 0.95));
#endif
        }
        if (!fit.ok()) return fit.error();
        return outcomeOf(*data, std::make_shared<const graph::HierarchyFit>(std::move(fit.value())), method);
    });
}

void MarketGraphPanel::cancelFit() {
    m_fitJob->cancel();
}

void MarketGraphPanel::onFitDone(Result<GraphFitOutcome> result) {
    if (!result.ok()) {
        m_status->setText(result.error().code == ErrorCode::Canceled
                              ? tr("Fit cancelled")
                              : tr("Fit failed: %1").arg(QString::fromStdString(result.error().toString())));
        Q_EMIT fitFinished(false);
        return;
    }
    m_fitData = m_session->data;
    showFitOutcome(std::move(result.value()));
    Q_EMIT fitFinished(true);
}

void MarketGraphPanel::setFit(std::shared_ptr<const graph::HierarchyFit> fit, const QString& method) {
    if (!m_session || !fit) return;
    auto out = outcomeOf(*m_session->data, std::move(fit), method);
    if (!out.ok()) {
        m_status->setText(QString::fromStdString(out.error().toString()));
        return;
    }
    m_fitData = m_session->data;
    showFitOutcome(std::move(out.value()));
}

void MarketGraphPanel::showFitOutcome(GraphFitOutcome outcome) {
    m_fit = std::move(outcome.fit);
    m_regimes = std::move(outcome.regimes);
    m_returns = std::move(outcome.returns);
    m_method = outcome.method;
    m_window.reset();
    m_positions.assign(static_cast<std::size_t>(m_fitData->instrumentCount()), graph::Point2{kNaNd, kNaNd});
    m_fitView = true;
    const graph::HierarchyFit& f = *m_fit;
    QStringList levels;
    for (std::size_t l = 0; l < f.options.levels.size(); ++l)
        levels << tr("%1: ARI with sectors %2, stability %3")
                      .arg(levelName(static_cast<int>(l)))
                      .arg(f.meanOver(static_cast<int>(l), &graph::LevelWindow::ariCompared), 0, 'f', 2)
                      .arg(f.meanOver(static_cast<int>(l), &graph::LevelWindow::ariPrevious), 0, 'f', 2);
    m_status->setText(tr("%1, %n window(s) in %2 s — %3", "", static_cast<int>(f.windows.size()))
                          .arg(m_methodBox->itemText(std::max(0, m_methodBox->findData(m_method))))
                          .arg(f.seconds, 0, 'f', 1)
                          .arg(levels.join(QStringLiteral("; "))));
    m_color->blockSignals(true);
    m_color->clear();
    for (std::size_t l = 0; l < f.options.levels.size(); ++l) {
        const auto& w = f.windows.back().levels[l];
        m_color->addItem(tr("%1 (%n cluster(s))", "", w.clusters).arg(levelName(static_cast<int>(l))),
                         static_cast<int>(l));
    }
    // The data's own groupings (sector, industry), not the levels of a fit added to it (h1, h2, ...).
    auto isLevel = [&](const std::string& name) {
        const std::string& prefix = f.options.prefix;
        return name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
               std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    };
    for (const Grouping& g : m_fitData->groupings)
        if (!isLevel(g.name))
            m_color->addItem(QString::fromStdString(g.name), QStringLiteral("group:") + QString::fromStdString(g.name));
    m_color->blockSignals(false);
    m_slider->blockSignals(true);
    m_slider->setRange(0, static_cast<int>(f.windows.size()) - 1);
    m_slider->setValue(static_cast<int>(f.windows.size()) - 1);
    m_slider->blockSignals(false);
    m_slider->setEnabled(true);
    m_use->setEnabled(true);
    m_export->setEnabled(true);
    updateTimeline();
    updateDateLabel();
    m_debounce->stop();
    requestWindow();
}

void MarketGraphPanel::updateDateLabel() {
    if (!m_fit || !m_fitData) return;
    m_dateLabel->setText(tr("%1 (%2 of %3)")
                             .arg(dateText(*m_fitData, m_fit->windows[static_cast<std::size_t>(m_slider->value())].end))
                             .arg(m_slider->value() + 1)
                             .arg(m_fit->windows.size()));
}

QString MarketGraphPanel::levelName(int level) const {
    const std::string prefix = m_fit ? m_fit->options.prefix : std::string("h");
    return QString::fromStdString(prefix) + QString::number(level + 1);
}

int MarketGraphPanel::colorLevel() const {
    const QVariant v = m_color->currentData();
    return v.typeId() == QMetaType::Int ? v.toInt() : -1;
}

QString MarketGraphPanel::colorGrouping() const {
    const QString v = m_color->currentData().toString();
    return v.startsWith(QLatin1String("group:")) ? v.mid(6) : QString();
}

void MarketGraphPanel::showWindow(int window) {
    if (!m_fit || window < 0 || window >= static_cast<int>(m_fit->windows.size())) return;
    m_slider->setValue(window);
    m_debounce->stop();
    requestWindow();
}

void MarketGraphPanel::updateEdgeControls() {
    const int mode = m_edges->currentData().toInt();
    const bool threshold = mode == Threshold || mode == ThresholdAndSector;
    m_threshold->setVisible(threshold);
    m_thresholdLabel->setVisible(threshold);
    m_thresholdLabel->setText(tr("ρ > %1").arg(m_threshold->value() / 100.0, 0, 'f', 2));
}

void MarketGraphPanel::requestWindow() {
    if (!m_fit || !m_fitData) return;
    const int window = m_slider->value();
    const int mode = m_edges->currentData().toInt();
    graph::GraphOptions go;
    go.threshold = m_threshold->value() / 100.0;
    go.k = 5;
    go.rule = mode == Nearest              ? graph::EdgeRule::Knn
              : mode == SectorEdges        ? graph::EdgeRule::Sector
              : mode == ThresholdAndSector ? graph::EdgeRule::Both
                                           : graph::EdgeRule::Threshold;
    const Grouping* sector = m_fitData->grouping("sector");
    if (!sector && !m_fitData->groupings.empty()) sector = &m_fitData->groupings.front();
    std::vector<int> groups = sector ? std::vector<int>(sector->ids) : std::vector<int>();
    if ((mode == SectorEdges || mode == ThresholdAndSector) && groups.empty()) {
        m_graph->showMessage(tr("The dataset has no sectors: choose correlation edges."));
        return;
    }
    graph::LayoutOptions lo;
    lo.engine = static_cast<graph::LayoutEngine>(m_engine->currentData().toInt());
    auto fit = m_fit;
    auto data = m_fitData;
    auto returns = m_returns;
    const std::vector<graph::Point2> previous = m_positions;
    const bool tree = mode == SpanningTree;
    m_windowJob->start([=](Feedback& feedback) -> Result<GraphWindowOutcome> {
        const auto t0 = std::chrono::steady_clock::now();
        auto view = graph::windowView(*data, *fit, window);
        if (!view.ok()) return view.error();
        if (feedback.canceled()) return makeError(ErrorCode::Canceled, "superseded");
        GraphWindowOutcome out;
        out.view = std::move(view.value());
        out.edges = graph::viewEdges(out.view, go, tree, groups);
        std::vector<graph::Point2> initial;
        bool any = false;
        for (int i : out.view.active) {
            const graph::Point2 p = i < static_cast<int>(previous.size()) ? previous[static_cast<std::size_t>(i)]
                                                                          : graph::Point2{kNaNd, kNaNd};
            any = any || std::isfinite(p.x);
            initial.push_back(p);
        }
        auto laid = graph::layoutGraph(static_cast<int>(out.view.active.size()), out.edges, lo,
                                       any ? initial : std::vector<graph::Point2>{});
        if (!laid.ok()) return laid.error();
        out.positions = std::move(laid.value());
        if (any) graph::alignLayout(out.positions, initial);
        for (std::size_t l = 0; l < out.view.labels.size(); ++l)
            out.clusters.push_back(
                graph::clusterSummaries(out.view, static_cast<int>(l), fit->options.window, groups, returns.get()));
        out.dollarVolume = graph::meanDollarVolume(*data, out.view, fit->options.window);
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return out;
    });
}

void MarketGraphPanel::onWindowDone(Result<GraphWindowOutcome> result) {
    if (!result.ok()) {
        if (result.error().code != ErrorCode::Canceled)
            m_graph->showMessage(
                tr("Cannot draw this window: %1").arg(QString::fromStdString(result.error().toString())));
        return;
    }
    m_window = std::make_unique<GraphWindowOutcome>(std::move(result.value()));
    for (std::size_t a = 0; a < m_window->view.active.size(); ++a)
        m_positions[static_cast<std::size_t>(m_window->view.active[a])] = m_window->positions[a];
    QVector<GraphLink> links;
    links.reserve(static_cast<int>(m_window->edges.size()));
    for (const graph::Edge& e : m_window->edges) links.push_back({e.a, e.b, e.weight});
    // Positions first (the styles follow in restyle).
    QVector<GraphNode> nodes(static_cast<int>(m_window->view.active.size()));
    for (int a = 0; a < nodes.size(); ++a)
        nodes[a].position = QPointF(m_window->positions[static_cast<std::size_t>(a)].x,
                                    m_window->positions[static_cast<std::size_t>(a)].y);
    m_graph->setGraph(nodes, links, m_fitView);
    m_fitView = false;
    restyle();
    fillClusterTable();
    updateClustermap();
    m_timeline->setCurrentDay(m_window->view.end);
    showDetails(m_selected);
    Q_EMIT windowShown(m_window->view.window);
}

std::vector<int> MarketGraphPanel::nodeColors() const {
    std::vector<int> colors;
    if (!m_window) return colors;
    const int level = colorLevel();
    const QString grouping = colorGrouping();
    const Grouping* g = grouping.isEmpty() || !m_fitData ? nullptr : m_fitData->grouping(grouping.toStdString());
    for (std::size_t a = 0; a < m_window->view.active.size(); ++a) {
        if (level >= 0 && level < static_cast<int>(m_window->view.labels.size()))
            colors.push_back(m_window->view.labels[static_cast<std::size_t>(level)][a]);
        else if (g)
            colors.push_back(g->idsOn(m_window->view.end)[m_window->view.active[a]]);
        else
            colors.push_back(-1);
    }
    return colors;
}

int MarketGraphPanel::instrumentOfNode(int node) const {
    return m_window && node >= 0 && node < static_cast<int>(m_window->view.active.size())
               ? m_window->view.active[static_cast<std::size_t>(node)]
               : -1;
}

void MarketGraphPanel::restyle() {
    if (!m_window || !m_fitData) return;
    const auto& v = m_window->view;
    const int n = static_cast<int>(v.active.size());
    std::vector<double> weight(static_cast<std::size_t>(n), 0);
    const bool byVolume = m_sizeBy->currentData().toInt() == 0 &&
                          std::any_of(m_window->dollarVolume.begin(), m_window->dollarVolume.end(),
                                      [](double x) { return std::isfinite(x); });
    if (byVolume) {
        weight = m_window->dollarVolume;
    } else {
        for (const graph::Edge& e : m_window->edges)
            ++weight[static_cast<std::size_t>(e.a)], ++weight[static_cast<std::size_t>(e.b)];
    }
    double top = 0;
    for (double w : weight)
        if (std::isfinite(w)) top = std::max(top, w);
    std::vector<int> rank(static_cast<std::size_t>(n));
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](int a, int b) {
        const double x = std::isfinite(weight[static_cast<std::size_t>(a)]) ? weight[static_cast<std::size_t>(a)] : -1;
        const double y = std::isfinite(weight[static_cast<std::size_t>(b)]) ? weight[static_cast<std::size_t>(b)] : -1;
        return x > y;
    });
    std::vector<char> labelled(static_cast<std::size_t>(n), 0);
    for (int k = 0; k < std::min(n, kLabelledNodes); ++k)
        labelled[static_cast<std::size_t>(rank[static_cast<std::size_t>(k)])] = 1;
    const std::vector<int> colors = nodeColors();
    const Grouping* sector = m_fitData->grouping("sector");
    QVector<GraphNode> nodes(n);
    for (int a = 0; a < n; ++a) {
        const int i = v.active[static_cast<std::size_t>(a)];
        GraphNode& node = nodes[a];
        node.position = QPointF(m_window->positions[static_cast<std::size_t>(a)].x,
                                m_window->positions[static_cast<std::size_t>(a)].y);
        node.name = QString::fromStdString(m_fitData->instruments[static_cast<std::size_t>(i)]);
        node.color = colors[static_cast<std::size_t>(a)];
        const double w = weight[static_cast<std::size_t>(a)];
        node.size = 4 + 12 * (top > 0 && std::isfinite(w) ? std::sqrt(std::max(0.0, w) / top) : 0);
        node.labelled = labelled[static_cast<std::size_t>(a)];
        QString sectorName;
        if (sector && sector->ids[static_cast<std::size_t>(i)] >= 0)
            sectorName = QString::fromStdString(
                sector->labels[static_cast<std::size_t>(sector->ids[static_cast<std::size_t>(i)])]);
        node.toolTip = tr("%1 — %2 — cluster %3")
                           .arg(node.name, sectorName.isEmpty() ? tr("no sector") : sectorName)
                           .arg(node.color + 1);
    }
    m_graph->restyle(nodes);
}

void MarketGraphPanel::fillClusterTable() {
    m_model->clear();
    if (!m_window || !m_fitData) return;
    const int level = std::max(0, colorLevel());
    if (level >= static_cast<int>(m_window->clusters.size())) return;
    m_model->setClusters(*m_fitData, m_window->view, m_window->clusters[static_cast<std::size_t>(level)],
                         levelName(level));
    m_table->resizeColumnsToContents();
}

void MarketGraphPanel::updateClustermap() {
    if (!m_window || !m_fitData) return;
    const auto& v = m_window->view;
    QStringList names;
    for (int i : v.active) names << QString::fromStdString(m_fitData->instruments[static_cast<std::size_t>(i)]);
    QVector<ColorStrip> strips;
    const Grouping* sector = m_fitData->grouping("sector");
    if (sector) {
        ColorStrip s{tr("sector"), {}};
        for (int i : v.active) s.colors.push_back(sector->idsOn(v.end)[i]);
        strips.push_back(s);
    }
    for (std::size_t l = 0; l < v.labels.size(); ++l) {
        ColorStrip s{levelName(static_cast<int>(l)), {}};
        for (int c : v.labels[l]) s.colors.push_back(c);
        strips.push_back(s);
    }
    // An agglomerative fit's levels are cuts of this dendrogram: the leaf order groups them. A
    // learned hierarchy is ordered by its coarse, then fine clusters (by their mean leaf position),
    // and no dendrogram is drawn beside it.
    const bool agglomerative = m_method != QLatin1String("mincut") && m_method != QLatin1String("diffpool");
    const std::vector<int> ordered = agglomerative ? v.order : graph::clusterOrder(v);
    const QVector<int> order(ordered.begin(), ordered.end());
    m_clustermap->setData(v.rho, order, agglomerative ? std::optional<graph::Dendrogram>(v.dendrogram) : std::nullopt,
                          names, strips);
    const int level = std::max(0, colorLevel());
    if (m_collapse->isChecked() && level < static_cast<int>(v.labels.size())) {
        const auto& labels = v.labels[static_cast<std::size_t>(level)];
        m_clustermap->setCollapsed(
            QVector<int>(labels.begin(), labels.end()),
            m_fit->windows[static_cast<std::size_t>(v.window)].levels[static_cast<std::size_t>(level)].clusters);
    } else {
        m_clustermap->setCollapsed({}, 0);
    }
}

void MarketGraphPanel::updateTimeline() {
    if (!m_fit || !m_fitData) return;
    const int level = std::max(0, colorLevel());
    m_timeline->setSeries(m_regimes, m_fitData->calendar, level, levelName(level));
    if (m_window) m_timeline->setCurrentDay(m_window->view.end);
}

void MarketGraphPanel::selectInstrument(int instrument) {
    m_selected = instrument;
    int node = -1;
    if (m_window)
        for (std::size_t a = 0; a < m_window->view.active.size(); ++a)
            if (m_window->view.active[a] == instrument) node = static_cast<int>(a);
    m_graph->setSelectedNode(node);
    showDetails(instrument);
}

void MarketGraphPanel::showDetails(int instrument) {
    InstrumentWindow w;
    if (m_window && m_fit) {
        w.data = m_fitData.get();
        w.returns = m_returns.get();
        w.view = &m_window->view;
        w.clusters = &m_window->clusters;
        w.edges = &m_window->edges;
        w.windowDays = m_fit->options.window;
        w.level = std::max(0, colorLevel());
        w.prefix = QString::fromStdString(m_fit->options.prefix);
    }
    m_details->showInstrument(w, instrument);
}

void MarketGraphPanel::exportCurrent() {
    const bool graphTab = m_tabs->currentWidget() == m_graph;
    const QString filter = graphTab ? tr("SVG (*.svg);;PNG image (*.png)") : tr("PNG image (*.png)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the view"), QString(), filter);
    if (path.isEmpty()) return;
    QString error;
    bool ok = true;
    if (graphTab) {
        ok = m_graph->exportTo(path, &error);
    } else {
        ok = m_tabs->currentWidget()->grab().save(path);
        if (!ok) error = tr("Cannot write %1").arg(path);
    }
    if (!ok) QMessageBox::warning(this, tr("Export"), error);
}

} // namespace alphascope::ui
