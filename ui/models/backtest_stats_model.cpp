#include "ui/models/backtest_stats_model.h"

#include <cmath>

namespace alphascope::ui {

BacktestStatsModel::BacktestStatsModel(QObject* parent) : QAbstractTableModel(parent) {}

void BacktestStatsModel::setResult(const BacktestResult& result) {
    beginResetModel();
    m_result = result;
    m_result->days.clear(); // the table needs only the statistics; the view keeps the daily path
    endResetModel();
}

void BacktestStatsModel::clear() {
    beginResetModel();
    m_result.reset();
    endResetModel();
}

double BacktestStatsModel::value(const Performance& perf, Row row) {
    switch (row) {
    case CumulativeReturn: return perf.cumulativeReturn;
    case CumulativeReturnSum: return perf.cumulativeReturnSum;
    case AnnualReturn: return perf.annualReturn;
    case Cagr: return perf.cagr;
    case AnnualVolatility: return perf.annualVolatility;
    case Sharpe: return perf.sharpe;
    case Sortino: return perf.sortino;
    case Calmar: return perf.calmar;
    case MaxDrawdown: return perf.maxDrawdown;
    case Turnover: return perf.turnover;
    case WinRate: return perf.winRate;
    case Days: return perf.days;
    case RowCount: break;
    }
    return std::nan("");
}

QString BacktestStatsModel::format(Row row, double v) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    switch (row) {
    case Sharpe:
    case Sortino:
    case Calmar: return QString::number(v, 'f', 3);
    case Days: return QString::number(static_cast<long long>(std::llround(v)));
    default: return QString::number(v * 100.0, 'f', 2) + QLatin1Char('%');
    }
}

int BacktestStatsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_result ? 0 : RowCount;
}

int BacktestStatsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const Performance& BacktestStatsModel::performance(int column) const {
    switch (column) {
    case Benchmark: return m_result->benchmark;
    case Excess: return m_result->excess;
    default: return m_result->portfolio;
    }
}

QVariant BacktestStatsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_result) return {};
    const auto row = static_cast<Row>(index.row());
    const double v = value(performance(index.column()), row);
    switch (role) {
    case Qt::DisplayRole: return format(row, v);
    case kValueRole: return v;
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (row == Turnover && index.column() != Portfolio) return tr("The benchmark does not trade.");
        return {};
    default: return {};
    }
}

QVariant BacktestStatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Horizontal) {
        switch (section) {
        case Portfolio: return tr("Portfolio");
        case Benchmark: return tr("Benchmark");
        case Excess: return tr("Excess");
        default: return {};
        }
    }
    switch (section) {
    case CumulativeReturn: return tr("Cumulative return");
    case CumulativeReturnSum: return tr("Cumulative return (sum)");
    case AnnualReturn: return tr("Annual return");
    case Cagr: return tr("CAGR");
    case AnnualVolatility: return tr("Annual volatility");
    case Sharpe: return tr("Sharpe");
    case Sortino: return tr("Sortino");
    case Calmar: return tr("Calmar");
    case MaxDrawdown: return tr("Max drawdown");
    case Turnover: return tr("Turnover (daily)");
    case WinRate: return tr("Win rate");
    case Days: return tr("Days");
    default: return {};
    }
}

} // namespace alphascope::ui
