#include "ui/panels/search_panel.h"

#include "core/io/pool_json.h"
#include "ui/models/pool_model.h"
#include "ui/panels/search_form.h"
#include "ui/views/search_monitor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {
QString duration(double seconds) {
    if (!(seconds >= 0)) return QStringLiteral("?");
    const int s = static_cast<int>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
const QColor kLiveColor(31, 119, 180);
} // namespace

SearchPanel::SearchPanel(QWidget* parent)
    : QWidget(parent), m_form(new SearchForm(this)), m_controller(new SearchController(this)),
      m_monitor(new SearchMonitor(this)), m_xAxis(new QComboBox(this)), m_poolChoice(new QComboBox(this)),
      m_poolSummary(new QLabel(this)), m_pool(new PoolModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this)), m_start(new QPushButton(tr("&Start"), this)),
      m_pause(new QPushButton(tr("&Pause"), this)), m_stop(new QPushButton(tr("S&top"), this)),
      m_open(new QPushButton(tr("Open in lab"), this)), m_save(new QPushButton(tr("Save to library"), this)),
      m_compare(new QPushButton(tr("Correlation"), this)), m_combine(new QPushButton(tr("Combine && backtest"), this)),
      m_export(new QPushButton(tr("Export…"), this)), m_status(new QLabel(this)), m_progress(new QProgressBar(this)) {
    setObjectName(QStringLiteral("SearchPanel"));
    m_start->setToolTip(tr("Run the search on a background thread; one search runs at a time"));
    m_pause->setToolTip(tr("Pause or resume the running search"));
    m_stop->setToolTip(tr("Stop the search; the pool found so far is kept and recorded"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_xAxis->addItem(tr("against evaluations"));
    m_xAxis->addItem(tr("against wall time"));
    // PoolChoice's order.
    m_poolChoice->addItem(tr("Combined (fitted on train)"));
    m_poolChoice->addItem(tr("Selected on valid"));
    m_poolChoice->addItem(tr("L1 chosen on valid"));
    m_poolChoice->addItem(tr("Early stopping on valid"));
    m_poolChoice->setItemData(0, tr("Every member, with the weights fitted on the training split"), Qt::ToolTipRole);
    m_poolChoice->setItemData(1,
                              tr("The members whose validation IC has the sign of their train IC, refitted on train; "
                                 "valid chose them, so their valid figures are not out of sample"),
                              Qt::ToolTipRole);
    m_poolChoice->setItemData(2,
                              tr("Every member, refitted on train with the L1 strength whose combined validation IC "
                                 "was highest; its valid figures are not out of sample"),
                              Qt::ToolTipRole);
    m_poolChoice->setItemData(3,
                              tr("The pool as it was at the tenth of the budget with the highest combined validation "
                                 "IC; members no longer in the final pool show no per-member figures"),
                              Qt::ToolTipRole);
    m_poolChoice->setObjectName(QStringLiteral("PoolChoice"));
    m_poolSummary->setWordWrap(true);
    m_poolSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_proxy->setSourceModel(m_pool);
    m_proxy->setSortRole(Qt::UserRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(PoolModel::Formula, 320);
    m_table->setObjectName(QStringLiteral("PoolTable"));

    // Left: the form (scrolls on short screens) and the run controls.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    auto* scroll = new QScrollArea(left);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    leftLayout->addWidget(scroll, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_status);

    // Right: the monitor over the pool.
    auto* monitorBox = new QWidget(this);
    auto* monitorLayout = new QVBoxLayout(monitorBox);
    monitorLayout->setContentsMargins(0, 0, 0, 0);
    auto* axisRow = new QHBoxLayout;
    axisRow->addWidget(new QLabel(tr("Curves"), monitorBox));
    axisRow->addWidget(m_xAxis);
    axisRow->addStretch(1);
    monitorLayout->addLayout(axisRow);
    monitorLayout->addWidget(m_monitor, 1);
    auto* poolBox = new QWidget(this);
    auto* poolLayout = new QVBoxLayout(poolBox);
    poolLayout->setContentsMargins(0, 0, 0, 0);
    auto* choiceRow = new QHBoxLayout;
    choiceRow->addWidget(new QLabel(tr("Pool"), poolBox));
    choiceRow->addWidget(m_poolChoice);
    choiceRow->addWidget(m_poolSummary, 1);
    poolLayout->addLayout(choiceRow);
    poolLayout->addWidget(m_table, 1);
    auto* actions = new QHBoxLayout;
    for (QPushButton* b : {m_open, m_save, m_compare, m_combine, m_export}) actions->addWidget(b);
    actions->addStretch(1);
    poolLayout->addLayout(actions);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(monitorBox);
    right->addWidget(poolBox);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({330, 900});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_start, &QPushButton::clicked, this, &SearchPanel::start);
    connect(m_pause, &QPushButton::clicked, this, &SearchPanel::togglePause);
    connect(m_stop, &QPushButton::clicked, this, &SearchPanel::stop);
    connect(m_form, &SearchForm::changed, this, &SearchPanel::updateButtons);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this](int k) {
        m_monitor->setXAxis(k == 0 ? SearchMonitor::XAxis::Evaluations : SearchMonitor::XAxis::Seconds);
    });
    connect(m_poolChoice, &QComboBox::currentIndexChanged, this, &SearchPanel::showPoolChoice);
    connect(m_controller, &SearchController::started, this, [this](qint64 runId, const QString& device) {
        m_shownRunId = runId;
        m_status->setText(runId ? tr("Running on %1 — run %2 is recorded in the project.").arg(device).arg(runId)
                                : tr("Running on %1 (not recorded: no project).").arg(device));
        Q_EMIT runStarted(runId);
    });
    connect(m_controller, &SearchController::progress, this, &SearchPanel::onProgress);
    connect(m_controller, &SearchController::snapshot, this, &SearchPanel::onSnapshot);
    connect(m_controller, &SearchController::finished, this, &SearchPanel::onFinished);
    connect(m_controller, &SearchController::failed, this, &SearchPanel::onFailed);
    connect(m_controller, &SearchController::warning, this,
            [this](const QString& w) { m_status->setText(m_status->text() + QStringLiteral("\n") + w); });
    connect(m_controller, &SearchController::stateChanged, this, &SearchPanel::updateButtons);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SearchPanel::updateActions);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT openFormulaRequested(m_proxy->index(index.row(), PoolModel::Formula).data().toString());
    });
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT openFormulaRequested(m_proxy->index(index.row(), PoolModel::Formula).data().toString());
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QStringList f = selectedFormulas();
        if (!f.isEmpty()) Q_EMIT openFormulaRequested(f.front());
    });
    connect(m_save, &QPushButton::clicked, this,
            [this] { Q_EMIT saveToLibraryRequested(selectedFormulas(), m_shownRunId); });
    connect(m_compare, &QPushButton::clicked, this, [this] { Q_EMIT compareRequested(selectedFormulas()); });
    connect(m_combine, &QPushButton::clicked, this, [this] { Q_EMIT combineRequested(selectedFormulas()); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        QStringList f = selectedFormulas();
        if (f.isEmpty())
            for (const SnapshotMember& m : m_pool->members()) f << QString::fromStdString(m.formula);
        Q_EMIT exportRequested(f, m_shownRunId);
    });
    clearPoolChoices();
    updateButtons();
    updateActions();
}

SearchPanel::~SearchPanel() = default;

void SearchPanel::setSession(std::shared_ptr<const ResearchSession> session, std::int64_t datasetId) {
    m_session = std::move(session);
    m_datasetId = datasetId;
    m_form->setSession(m_session);
    updateButtons();
}

QStringList SearchPanel::selectedFormulas() const {
    QStringList out;
    QModelIndexList rows = m_table->selectionModel()->selectedRows(PoolModel::Formula);
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& i : rows) out << i.data().toString();
    return out;
}

bool SearchPanel::start() {
    SearchRequest request;
    request.config = m_form->config();
    request.session = m_session;
    request.projectPath = m_projectPath.toStdString();
    request.datasetId = m_datasetId;
    request.libraryFormulas = m_libraryFormulas;
    QString why;
    if (!m_controller->start(request, &why)) {
        m_status->setText(tr("Not started: %1").arg(why));
        return false;
    }
    m_monitor->clearSeries();
    m_liveSeries = m_monitor->addSeries(tr("this run"), {}, kLiveColor);
    clearPoolChoices();
    m_pool->clear();
    m_shownRunId = 0;
    m_progress->setValue(0);
    m_status->setText(tr("Starting…"));
    Q_EMIT progressChanged(true, 0.0, -1.0, tr("Search starting"));
    return true;
}

void SearchPanel::togglePause() {
    if (!m_controller->isRunning()) return;
    if (m_controller->isPaused()) {
        m_controller->resume();
        m_status->setText(tr("Resumed."));
    } else {
        m_controller->pause();
        m_status->setText(
            tr("Paused: the search waits; Resume continues it, Stop ends it with the pool found so far."));
    }
}

void SearchPanel::stop() {
    if (!m_controller->isRunning()) return;
    m_controller->cancel();
    m_status->setText(tr("Stopping… the pool found so far is measured and kept."));
}

void SearchPanel::onProgress(const SearchProgress& p) {
    m_monitor->appendPoint(m_liveSeries, MonitorPoint::of(p));
    m_progress->setValue(static_cast<int>(1000.0 * p.fraction));
    m_progress->setFormat(tr("%1% — %2 left").arg(100.0 * p.fraction, 0, 'f', 1).arg(duration(p.secondsLeft)));
    const QString text = tr("%1 evaluations, %2/s, pool %3, pool IC %4")
                             .arg(p.evaluations)
                             .arg(p.evaluationsPerSecond, 0, 'f', 1)
                             .arg(p.poolSize)
                             .arg(std::isfinite(p.poolIc) ? QString::number(p.poolIc, 'f', 4) : QStringLiteral("–"));
    Q_EMIT progressChanged(true, p.fraction, p.secondsLeft, text);
}

void SearchPanel::onSnapshot(const PoolSnapshot& s) {
    // Keep the selection (by formula) across the refresh: the analyst may be choosing rows.
    const QStringList selected = selectedFormulas();
    m_pool->setMembers(s.members);
    if (!selected.isEmpty()) {
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            if (selected.contains(m_proxy->index(r, PoolModel::Formula).data().toString()))
                m_table->selectionModel()->select(m_proxy->index(r, 0),
                                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    updateActions();
}

void SearchPanel::onFinished(const SearchResult& r, qint64 runId) {
    if (!r.history.empty()) onSnapshot(r.history.back());
    m_monitor->appendPoint(m_liveSeries, MonitorPoint::of(r.lastProgress));
    m_progress->setValue(r.canceled ? m_progress->value() : 1000);
    m_progress->setFormat(r.canceled ? tr("stopped") : tr("done"));
    QString text = tr("Finished (%1): %2 evaluations in %3, %4 evaluations/s on %5; pool of %6.")
                       .arg(QString::fromStdString(r.stopReason))
                       .arg(r.evaluations)
                       .arg(duration(r.seconds))
                       .arg(r.evaluationsPerSecond, 0, 'f', 1)
                       .arg(QString::fromStdString(r.device))
                       .arg(r.pool.size());
    for (const SplitMetrics& m : r.combined)
        text += tr("\nPool %1: IC %2, Rank IC %3")
                    .arg(QString::fromStdString(m.name))
                    .arg(m.ic, 0, 'f', 4)
                    .arg(m.rankIc, 0, 'f', 4);
    // The adaptive combination (weights refitted by rolling OLS on past days only) is not a fixed
    // set of weights, so it has no entry in the Pool box; its figures are here.
    for (const SplitMetrics& m : r.adaptive)
        text += tr("\nAdaptive combination %1: IC %2, Rank IC %3")
                    .arg(QString::fromStdString(m.name))
                    .arg(m.ic, 0, 'f', 4)
                    .arg(m.rankIc, 0, 'f', 4);
    if (runId) text += tr("\nRecorded as run %1.").arg(runId);
    m_status->setText(text);
    std::array<std::vector<WeightedFormula>, 4> pools;
    for (int k = 0; k < 4; ++k) pools[static_cast<std::size_t>(k)] = poolMembers(r, static_cast<PoolChoice>(k));
    setPoolChoices(std::move(pools), {r.combined, r.selected, r.tuned, r.early},
                   r.history.empty() ? std::vector<SnapshotMember>{} : r.history.back().members);
    Q_EMIT progressChanged(false, 1.0, 0.0, QString());
    Q_EMIT runEnded(runId, true);
}

void SearchPanel::onFailed(const QString& message, qint64 runId) {
    m_status->setText(tr("The search failed: %1").arg(message));
    m_progress->setFormat(tr("failed"));
    Q_EMIT progressChanged(false, 0.0, -1.0, QString());
    Q_EMIT runEnded(runId, false);
}

void SearchPanel::showStoredRun(qint64 runId, const QString& label, const SearchConfig& config,
                                const std::vector<MonitorPoint>& curve, std::vector<SnapshotMember> pool,
                                const QByteArray& resultJson) {
    if (m_controller->isRunning()) {
        m_status->setText(tr("A search is running: stop it before reopening another run."));
        return;
    }
    m_form->setConfig(config);
    m_monitor->clearSeries();
    m_liveSeries = -1;
    m_monitor->addSeries(label, curve, kLiveColor);
    m_shownRunId = runId;
    m_status->setText(tr("Showing %1. Start runs the same config again.").arg(label));
    clearPoolChoices();
    m_pool->setMembers(pool);
    if (!resultJson.isEmpty()) {
        // A finished run: its pool file holds every pool and their combined figures per split.
        const std::string text = resultJson.toStdString();
        std::array<std::vector<WeightedFormula>, 4> pools;
        for (int k = 0; k < 4; ++k)
            if (auto entries = readPoolFile(text, {}, static_cast<PoolChoice>(k)); entries.ok())
                for (const PoolFileEntry& e : entries.value())
                    pools[static_cast<std::size_t>(k)].push_back({e.formula, e.weight});
        const auto metricsOf = [&](const char* combination) {
            auto splits = readPoolSplits(text, combination);
            return splits.ok() ? std::move(splits.value()) : std::vector<SplitMetrics>{};
        };
        setPoolChoices(std::move(pools),
                       {metricsOf("combined"), metricsOf("selected"), metricsOf("tuned"), metricsOf("early")},
                       std::move(pool));
    }
    updateActions();
}

void SearchPanel::setPoolChoices(std::array<std::vector<WeightedFormula>, 4> pools,
                                 std::array<std::vector<SplitMetrics>, 4> metrics,
                                 std::vector<SnapshotMember> finalMembers) {
    m_choicePools = std::move(pools);
    m_choiceMetrics = std::move(metrics);
    m_finalMembers = std::move(finalMembers);
    auto* items = qobject_cast<QStandardItemModel*>(m_poolChoice->model());
    for (int k = 0; k < 4; ++k)
        if (items) items->item(k)->setEnabled(!m_choicePools[static_cast<std::size_t>(k)].empty());
    m_poolChoice->setEnabled(true);
    int choice = m_poolChoice->currentIndex(); // the analyst's choice holds from run to run where it can
    if (choice < 0 || m_choicePools[static_cast<std::size_t>(choice)].empty()) choice = 0;
    const QSignalBlocker block(m_poolChoice);
    m_poolChoice->setCurrentIndex(choice);
    showPoolChoice(choice);
}

void SearchPanel::clearPoolChoices() {
    for (auto& p : m_choicePools) p.clear();
    for (auto& m : m_choiceMetrics) m.clear();
    m_finalMembers.clear();
    m_poolChoice->setEnabled(false);
    m_poolSummary->clear();
}

void SearchPanel::showPoolChoice(int choice) {
    if (choice < 0 || choice >= 4) return;
    const auto k = static_cast<std::size_t>(choice);
    if (m_choicePools[k].empty()) return; // no such pool: the table keeps what it shows
    std::vector<SnapshotMember> rows;
    for (const WeightedFormula& f : m_choicePools[k]) {
        const auto it = std::find_if(m_finalMembers.begin(), m_finalMembers.end(),
                                     [&](const SnapshotMember& m) { return m.formula == f.formula; });
        SnapshotMember row = it != m_finalMembers.end() ? *it : SnapshotMember{f.formula};
        row.weight = f.weight;
        rows.push_back(std::move(row));
    }
    QStringList figures;
    for (const SplitMetrics& m : m_choiceMetrics[k])
        figures << tr("%1 IC %2, Rank IC %3")
                       .arg(QString::fromStdString(m.name))
                       .arg(std::isfinite(m.ic) ? QString::number(m.ic, 'f', 4) : QStringLiteral("–"))
                       .arg(std::isfinite(m.rankIc) ? QString::number(m.rankIc, 'f', 4) : QStringLiteral("–"));
    m_poolSummary->setText(tr("%n member(s)", nullptr, static_cast<int>(rows.size())) +
                           (figures.isEmpty() ? QString() : QStringLiteral("; ") + figures.join(QStringLiteral("; "))));
    m_pool->setMembers(std::move(rows));
    updateActions();
}

void SearchPanel::updateButtons() {
    const bool running = m_controller->isRunning();
    m_start->setEnabled(!running && m_form->isValid() && m_session);
    m_pause->setEnabled(running);
    m_pause->setText(m_controller->isPaused() ? tr("&Resume") : tr("&Pause"));
    m_stop->setEnabled(running);
    m_form->setEnabled(!running);
}

void SearchPanel::updateActions() {
    const int n = static_cast<int>(m_table->selectionModel()->selectedRows().size());
    m_open->setEnabled(n >= 1);
    m_save->setEnabled(n >= 1);
    m_compare->setEnabled(n >= 2);
    m_combine->setEnabled(n >= 2);
    m_export->setEnabled(m_pool->rowCount() > 0);
}

} // namespace alphascope::ui
