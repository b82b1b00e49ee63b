#include "ui/models/run_list_model.h"

#include "core/io/search_config_json.h"

#include <QBrush>
#include <QFileInfo>

#include <cmath>

namespace alphascope::ui {

RunListModel::RunListModel(QObject* parent) : QAbstractTableModel(parent) {}

QString RunListModel::algorithmLabel(const std::string& key) {
    if (key == "gfn") return tr("GFlowNet");
    if (key == "mcts") return tr("MCTS");
    if (key == "gp") return tr("GP");
    if (key == "random") return tr("Random");
    if (key == "ppo") return tr("PPO");
    return QString::fromStdString(key);
}

QString RunListModel::statusLabel(RunStatus status) {
    switch (status) {
    case RunStatus::Running: return tr("running");
    case RunStatus::Finished: return tr("finished");
    case RunStatus::Canceled: return tr("stopped");
    case RunStatus::Failed: return tr("failed");
    case RunStatus::Interrupted: return tr("interrupted");
    }
    return {};
}

void RunListModel::setRuns(std::vector<RunRecord> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    m_budget.clear();
    for (const RunRecord& r : m_runs) {
        QStringList parts;
        if (auto c = searchConfigFromJson(r.configJson); c.ok()) {
            if (c->budget.evaluations > 0) parts << tr("%1 evals").arg(c->budget.evaluations);
            if (c->budget.episodes > 0) parts << tr("%1 episodes").arg(c->budget.episodes);
            if (c->budget.seconds > 0) parts << tr("%1 s").arg(c->budget.seconds);
        }
        m_budget.push_back(parts.join(QStringLiteral(", ")));
    }
    endResetModel();
}

int RunListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}
int RunListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const RunRecord& r = m_runs[static_cast<std::size_t>(index.row())];
    auto number = [](double v, int d) { return std::isfinite(v) ? QString::number(v, 'f', d) : QStringLiteral("–"); };
    if (role == Qt::UserRole) {
        switch (index.column()) {
        case Id: return qlonglong(r.id);
        case Status: return int(r.status);
        case Algorithm: return QString::fromStdString(r.algorithm);
        case Dataset: return QString::fromStdString(r.dataset.path);
        case Budget: return m_budget[static_cast<std::size_t>(index.row())];
        case Evaluations: return qlonglong(r.evaluations);
        case BestValidIc: return std::isfinite(r.bestValidIc) ? QVariant(r.bestValidIc) : QVariant(-1e9);
        case PoolSize: return r.poolSize;
        case Duration: return r.seconds;
        case Started: return QString::fromStdString(r.startedAt);
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        if (r.status == RunStatus::Failed || r.status == RunStatus::Interrupted)
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (r.status == RunStatus::Running) return QBrush(QColor(0x1f, 0x77, 0xb4));
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Status && !r.error.empty()) return QString::fromStdString(r.error);
        if (index.column() == Dataset) return QString::fromStdString(r.dataset.path);
        if (index.column() == Status) return QString::fromStdString(r.stopReason);
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Id: return qlonglong(r.id);
    case Status: return statusLabel(r.status);
    case Algorithm: return algorithmLabel(r.algorithm);
    case Dataset: return QFileInfo(QString::fromStdString(r.dataset.path)).fileName();
    case Budget: return m_budget[static_cast<std::size_t>(index.row())];
    case Evaluations: return qlonglong(r.evaluations);
    case BestValidIc: return number(r.bestValidIc, 4);
    case PoolSize: return r.poolSize;
    case Duration: return tr("%1 s").arg(r.seconds, 0, 'f', 0);
    case Started: return QString::fromStdString(r.startedAt).replace(QLatin1Char('T'), QLatin1Char(' '));
    default: return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Id: return tr("Run");
    case Status: return tr("Status");
    case Algorithm: return tr("Algorithm");
    case Dataset: return tr("Dataset");
    case Budget: return tr("Budget");
    case Evaluations: return tr("Evaluations");
    case BestValidIc: return tr("Best valid IC");
    case PoolSize: return tr("Pool");
    case Duration: return tr("Duration");
    case Started: return tr("Started (UTC)");
    default: return {};
    }
}

} // namespace alphascope::ui
