#include "ui/panels/runs_panel.h"

#include "core/io/search_config_json.h"
#include "ui/models/pool_model.h"
#include "ui/models/run_list_model.h"
#include "ui/views/search_monitor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace alphascope::ui {

namespace {
const QColor kSeriesColors[] = {QColor(31, 119, 180),  QColor(214, 39, 40),  QColor(44, 160, 44),
                                QColor(148, 103, 189), QColor(255, 127, 14), QColor(140, 86, 75)};

QTableView* makeTable(QWidget* parent) {
    auto* t = new QTableView(parent);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}
} // namespace

std::vector<MonitorPoint> RunsPanel::curveOf(const std::vector<RunSnapshotRecord>& snapshots) {
    std::vector<MonitorPoint> out;
    for (const RunSnapshotRecord& s : snapshots) {
        MonitorPoint p;
        p.evaluations = double(s.evaluations);
        p.seconds = s.seconds;
        p.rewardMean = s.rewardMean;
        p.rewardBest = s.rewardBest;
        p.loss = s.loss;
        p.poolIc = s.poolIc;
        p.poolValidIc = s.poolValidIc;
        p.bestIc = s.bestIc;
        p.poolSize = s.poolSize;
        p.meanAbsMutual = s.meanAbsMutual;
        p.evaluationsPerSecond = s.evaluationsPerSecond;
        out.push_back(p);
    }
    return out;
}

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), m_model(new RunListModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_table(makeTable(this)), m_reopen(new QPushButton(tr("&Reopen"), this)),
      m_compare(new QPushButton(tr("&Compare"), this)), m_delete(new QPushButton(tr("&Delete"), this)),
      m_refresh(new QPushButton(tr("Re&fresh"), this)), m_message(new QLabel(this)), m_monitor(new SearchMonitor(this)),
      m_metrics(new QTableWidget(this)), m_pools(new QSplitter(Qt::Horizontal, this)) {
    setObjectName(QStringLiteral("RunsPanel"));
    qRegisterMetaType<std::vector<MonitorPoint>>();
    qRegisterMetaType<std::vector<SnapshotMember>>();
    qRegisterMetaType<SearchConfig>();
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setObjectName(QStringLiteral("RunsTable"));
    m_message->setWordWrap(true);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->verticalHeader()->setVisible(false);
    m_reopen->setToolTip(tr("Show the run's curves and final pool in the search panel"));
    m_compare->setToolTip(tr("Overlay the curves of the selected runs and put their pools side by side"));

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_reopen, m_compare, m_delete, m_refresh}) buttons->addWidget(b);
    buttons->addStretch(1);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_message);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(m_monitor, tr("Curves"));
    tabs->addTab(m_metrics, tr("Metrics"));
    tabs->addTab(m_pools, tr("Pools"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_reopen, &QPushButton::clicked, this, &RunsPanel::reopenSelected);
    connect(m_compare, &QPushButton::clicked, this, &RunsPanel::compareSelected);
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(true); });
    connect(m_refresh, &QPushButton::clicked, this, &RunsPanel::reload);
    connect(m_table, &QTableView::doubleClicked, this, &RunsPanel::reopenSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::updateActions);
    updateActions();
}

RunsPanel::~RunsPanel() = default;

void RunsPanel::setProjectPath(const QString& path) {
    m_store.reset();
    if (!path.isEmpty()) {
        auto store = RunStore::open(path.toStdString());
        if (!store.ok()) {
            showMessage(QString::fromStdString(store.error().toString()), true);
        } else {
            m_store = std::move(store.value());
            auto marked = m_store->markInterruptedRuns();
            if (marked.ok() && marked.value() > 0)
                showMessage(tr("%n run(s) were interrupted (the program that ran them ended without finishing them); "
                               "their last snapshots are kept.",
                               nullptr, marked.value()));
        }
    }
    reload();
}

void RunsPanel::reload() {
    if (!m_store) {
        m_model->setRuns({});
        updateActions();
        return;
    }
    auto runs = m_store->runs();
    if (!runs.ok()) {
        showMessage(QString::fromStdString(runs.error().toString()), true);
        return;
    }
    m_model->setRuns(std::move(runs.value()));
    m_table->resizeColumnsToContents();
    updateActions();
}

std::vector<qint64> RunsPanel::selectedIds() const {
    std::vector<qint64> ids;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->run(m_proxy->mapToSource(i).row()).id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsPanel::selectRuns(const QList<qint64>& ids) {
    m_table->clearSelection();
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const qint64 id = m_model->run(m_proxy->mapToSource(m_proxy->index(r, 0)).row()).id;
        if (ids.contains(id))
            m_table->selectionModel()->select(m_proxy->index(r, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

QString RunsPanel::labelOf(const RunRecord& r) const {
    return tr("run %1 (%2, seed %3)").arg(r.id).arg(RunListModel::algorithmLabel(r.algorithm)).arg(r.seed);
}

void RunsPanel::reopenSelected() {
    const auto ids = selectedIds();
    if (ids.empty() || !m_store) return;
    auto run = m_store->run(ids.front());
    auto snapshots = m_store->snapshots(ids.front());
    auto pool = m_store->lastSnapshotMembers(ids.front());
    if (!run.ok() || !run.value() || !snapshots.ok() || !pool.ok()) {
        showMessage(tr("Cannot read run %1.").arg(ids.front()), true);
        return;
    }
    auto config = searchConfigFromJson(run.value()->configJson);
    if (!config.ok()) {
        showMessage(QString::fromStdString(config.error().toString()), true);
        return;
    }
    Q_EMIT runOpened(ids.front(), labelOf(*run.value()), config.value(), curveOf(snapshots.value()), pool.value(),
                     QByteArray::fromStdString(run.value()->resultJson));
}

void RunsPanel::compareSelected() {
    const auto ids = selectedIds();
    if (ids.size() < 2 || !m_store) {
        showMessage(tr("Select at least two runs to compare."), true);
        return;
    }
    m_monitor->clearSeries();
    for (PoolModel* m : m_poolModels) m->deleteLater();
    m_poolModels.clear();
    while (m_pools->count() > 0) delete m_pools->widget(0);

    const QStringList splits = {QStringLiteral("train"), QStringLiteral("valid"), QStringLiteral("test")};
    QStringList headers = {tr("Run"),           tr("Algorithm"), tr("Evaluations"),
                           tr("Evaluations/s"), tr("Pool"),      tr("Status")};
    for (const QString& s : splits) headers << tr("%1 IC").arg(s) << tr("%1 Rank IC").arg(s);
    m_metrics->clear();
    m_metrics->setColumnCount(static_cast<int>(headers.size()));
    m_metrics->setHorizontalHeaderLabels(headers);
    m_metrics->setRowCount(static_cast<int>(ids.size()));

    std::map<std::string, int> seen; // formula -> number of runs whose pool has it
    std::vector<std::vector<SnapshotMember>> pools;
    std::vector<RunRecord> records;
    for (std::size_t k = 0; k < ids.size(); ++k) {
        auto run = m_store->run(ids[k]);
        auto snapshots = m_store->snapshots(ids[k]);
        auto pool = m_store->lastSnapshotMembers(ids[k]);
        if (!run.ok() || !run.value() || !snapshots.ok() || !pool.ok()) continue;
        const RunRecord& r = *run.value();
        records.push_back(r);
        m_monitor->addSeries(labelOf(r), curveOf(snapshots.value()), kSeriesColors[k % std::size(kSeriesColors)]);
        const int row = static_cast<int>(records.size()) - 1;
        auto set = [&](int column, const QString& text) {
            m_metrics->setItem(row, column, new QTableWidgetItem(text));
        };
        set(0, QString::number(r.id));
        set(1, RunListModel::algorithmLabel(r.algorithm));
        set(2, QString::number(r.evaluations));
        set(3, QString::number(r.evaluationsPerSecond, 'f', 1));
        set(4, QString::number(r.poolSize));
        set(5, RunListModel::statusLabel(r.status));
        // The combined pool's metrics per split come from the stored pool file (finished runs).
        const QJsonObject combined = QJsonDocument::fromJson(QByteArray::fromStdString(r.resultJson))
                                         .object()
                                         .value(QStringLiteral("combined"))
                                         .toObject();
        for (int s = 0; s < splits.size(); ++s) {
            const QJsonObject m = combined.value(splits[s]).toObject();
            auto cell = [&](const char* key) {
                const QJsonValue v = m.value(QLatin1String(key));
                return v.isDouble() ? QString::number(v.toDouble(), 'f', 4) : QStringLiteral("–");
            };
            set(6 + 2 * s, cell("ic"));
            set(7 + 2 * s, cell("rank_ic"));
        }
        for (const SnapshotMember& m : pool.value()) ++seen[m.formula];
        pools.push_back(pool.value());
    }
    m_metrics->setRowCount(static_cast<int>(records.size()));
    m_metrics->resizeColumnsToContents();
    QSet<QString> shared;
    for (const auto& [formula, count] : seen)
        if (count >= 2) shared.insert(QString::fromStdString(formula));
    for (std::size_t k = 0; k < pools.size(); ++k) {
        auto* box = new QWidget(m_pools);
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(new QLabel(labelOf(records[k]), box));
        auto* model = new PoolModel(this);
        model->setMembers(pools[k]);
        model->setHighlighted(shared);
        auto* view = makeTable(box);
        view->setModel(model);
        view->setColumnWidth(PoolModel::Formula, 260);
        l->addWidget(view, 1);
        m_pools->addWidget(box);
        m_poolModels.push_back(model);
    }
    showMessage(tr("Comparing %n run(s); %1 formula(s) appear in more than one pool (bold).", nullptr,
                   static_cast<int>(records.size()))
                    .arg(shared.size()));
}

void RunsPanel::deleteSelected(bool confirm) {
    const auto ids = selectedIds();
    if (ids.empty() || !m_store) return;
    if (confirm &&
        QMessageBox::question(this, tr("Delete runs"),
                              tr("Delete %n run(s) with their snapshots? Factors saved from them stay in the library.",
                                 nullptr, static_cast<int>(ids.size()))) != QMessageBox::Yes)
        return;
    for (qint64 id : ids) {
        if (auto r = m_store->deleteRun(id); !r.ok()) {
            showMessage(QString::fromStdString(r.error().toString()), true);
            reload();
            return;
        }
    }
    showMessage(tr("Deleted %n run(s).", nullptr, static_cast<int>(ids.size())));
    reload();
}

void RunsPanel::updateActions() {
    const std::size_t n = m_table->selectionModel() ? m_table->selectionModel()->selectedRows().size() : 0;
    m_reopen->setEnabled(n >= 1);
    m_compare->setEnabled(n >= 2);
    m_delete->setEnabled(n >= 1);
}

void RunsPanel::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color:#b00020") : QString());
}

} // namespace alphascope::ui
