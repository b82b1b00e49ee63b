#include "ui/models/factor_library_model.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {

const FactorSplitRecord* metricsOf(const FactorRecord& r, const QString& split) {
    const std::string name = split.toStdString();
    for (const FactorSplitRecord& m : r.metrics)
        if (m.split == name) return &m;
    return nullptr;
}

QString formatMetric(double v) {
    return std::isfinite(v) ? QString::number(v, 'f', 4) : QStringLiteral("–");
}

QString formatCreated(const std::string& iso) {
    const QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd")) : QString::fromStdString(iso);
}

} // namespace

FactorLibraryModel::FactorLibraryModel(QObject* parent) : QAbstractTableModel(parent) {}

void FactorLibraryModel::setStore(std::shared_ptr<ProjectStore> store) {
    m_store = std::move(store);
    if (!m_store) {
        setRecords({});
        return;
    }
    if (Result<void> r = reload(); !r.ok()) Q_EMIT storeError(errorText(r.error()));
}

Result<void> FactorLibraryModel::reload() {
    if (!m_store) return makeError(ErrorCode::InvalidArgument, "no project is open");
    auto factors = m_store->factors();
    if (!factors.ok()) return factors.error();
    setRecords(std::move(factors.value()));
    return {};
}

void FactorLibraryModel::setRecords(std::vector<FactorRecord> records) {
    beginResetModel();
    m_records = std::move(records);
    m_splits = splitsOf(m_records);
    endResetModel();
}

QStringList FactorLibraryModel::splitsOf(const std::vector<FactorRecord>& records) {
    QStringList names;
    for (const FactorRecord& r : records)
        for (const FactorSplitRecord& m : r.metrics) {
            const QString name = QString::fromStdString(m.split);
            if (!names.contains(name)) names << name;
        }
    return names;
}

int FactorLibraryModel::rowOf(std::int64_t id) const {
    for (std::size_t k = 0; k < m_records.size(); ++k)
        if (m_records[k].id == id) return static_cast<int>(k);
    return -1;
}

int FactorLibraryModel::metricColumn(const QString& split, bool rank) const {
    const int k = static_cast<int>(m_splits.indexOf(split));
    return k < 0 ? -1 : 2 + 2 * k + (rank ? 1 : 0);
}

QString FactorLibraryModel::errorText(const Error& error) const {
    return tr("Project: %1").arg(QString::fromStdString(error.toString()));
}

Result<void> FactorLibraryModel::removeFactors(const std::vector<std::int64_t>& ids) {
    if (!m_store) return makeError(ErrorCode::InvalidArgument, "no project is open");
    std::vector<FactorRecord> removed;
    for (std::int64_t id : ids) {
        const int row = rowOf(id);
        Result<void> r = m_store->removeFactor(id);
        if (!r.ok()) {
            for (const FactorRecord& back : removed) (void)m_store->addFactor(back); // all or nothing
            return r.error();
        }
        if (row >= 0) removed.push_back(record(row));
    }
    for (std::int64_t id : ids) removeRowOf(id);
    return {};
}

Result<void> FactorLibraryModel::restoreFactors(const std::vector<FactorRecord>& records) {
    if (!m_store) return makeError(ErrorCode::InvalidArgument, "no project is open");
    std::vector<std::int64_t> added;
    for (const FactorRecord& rec : records) {
        auto r = m_store->addFactor(rec);
        if (!r.ok()) {
            for (std::int64_t id : added) (void)m_store->removeFactor(id);
            return r.error();
        }
        added.push_back(r.value());
    }
    for (const FactorRecord& rec : records) insertRow(rec);
    return {};
}

Result<std::int64_t> FactorLibraryModel::addFactor(const FactorRecord& record) {
    if (!m_store) return makeError(ErrorCode::InvalidArgument, "no project is open");
    auto id = m_store->addFactor(record);
    if (!id.ok()) return id.error();
    // Read it back: the store fills in the creation time.
    auto stored = m_store->factor(id.value());
    if (stored.ok() && stored.value()) {
        insertRow(*stored.value());
    } else {
        FactorRecord copy = record;
        copy.id = id.value();
        insertRow(copy);
    }
    return id.value();
}

void FactorLibraryModel::insertRow(const FactorRecord& record) {
    QStringList splits = m_splits;
    for (const FactorSplitRecord& m : record.metrics)
        if (!splits.contains(QString::fromStdString(m.split))) splits << QString::fromStdString(m.split);
    const auto at =
        std::find_if(m_records.begin(), m_records.end(), [&](const FactorRecord& r) { return r.id > record.id; });
    if (splits != m_splits) { // new columns: the simplest correct change is a reset
        beginResetModel();
        m_records.insert(at, record);
        m_splits = splits;
        endResetModel();
        return;
    }
    const int row = static_cast<int>(at - m_records.begin());
    beginInsertRows({}, row, row);
    m_records.insert(at, record);
    endInsertRows();
}

void FactorLibraryModel::removeRowOf(std::int64_t id) {
    const int row = rowOf(id);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    m_records.erase(m_records.begin() + row);
    endRemoveRows();
}

int FactorLibraryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

int FactorLibraryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : createdColumn() + 1;
}

QVariant FactorLibraryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const FactorRecord& r = record(index.row());
    const int c = index.column();
    if (role == kIdRole) return QVariant::fromValue<qint64>(r.id);

    if (c == NameColumn || c == FormulaColumn || c == notesColumn()) {
        const std::string& text = c == NameColumn ? r.name : c == FormulaColumn ? r.formula : r.notes;
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
        case kSortRole: return QString::fromStdString(text);
        case Qt::ToolTipRole: return c == NameColumn ? QVariant() : QString::fromStdString(text);
        default: return {};
        }
    }
    if (c == createdColumn()) {
        switch (role) {
        case Qt::DisplayRole: return formatCreated(r.createdAt);
        case kSortRole: return QString::fromStdString(r.createdAt);
        case Qt::ToolTipRole: {
            const QDateTime t = QDateTime::fromString(QString::fromStdString(r.createdAt), Qt::ISODate);
            return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")) : QVariant();
        }
        default: return {};
        }
    }
    // A metric column.
    const int k = (c - 2) / 2;
    const bool rank = (c - 2) % 2 == 1;
    const FactorSplitRecord* m = metricsOf(r, m_splits[k]);
    const double v = m ? (rank ? m->rankIc : m->ic) : std::nan("");
    switch (role) {
    case Qt::DisplayRole: return m ? formatMetric(v) : QString();
    case kSortRole: return std::isfinite(v) ? QVariant(v) : QVariant(); // undefined sorts last
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return m ? tr("%1 on %2: IC %3, Rank IC %4, ICIR %5, Rank ICIR %6, %7 days")
                       .arg(QString::fromStdString(r.name), m_splits[k], formatMetric(m->ic), formatMetric(m->rankIc),
                            formatMetric(m->icir), formatMetric(m->rankIcir))
                       .arg(m->icDays)
                 : QVariant();
    default: return {};
    }
}

QVariant FactorLibraryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == NameColumn) return tr("Name");
    if (section == FormulaColumn) return tr("Formula");
    if (section == notesColumn()) return tr("Notes");
    if (section == createdColumn()) return tr("Created");
    if (section < 2 || section > createdColumn()) return {};
    const QString split = m_splits[(section - 2) / 2];
    // Two lines: the split under the metric keeps the many metric columns narrow.
    return (section - 2) % 2 == 0 ? tr("IC\n%1").arg(split) : tr("Rank IC\n%1").arg(split);
}

Qt::ItemFlags FactorLibraryModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == NameColumn || index.column() == notesColumn())) f |= Qt::ItemIsEditable;
    return f;
}

bool FactorLibraryModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid)) return false;
    const int c = index.column();
    if (c != NameColumn && c != notesColumn()) return false;
    const QString text = c == NameColumn ? value.toString().trimmed() : value.toString();
    if (c == NameColumn && text.isEmpty()) return false; // a factor keeps a name
    FactorRecord updated = record(index.row());
    (c == NameColumn ? updated.name : updated.notes) = text.toStdString();
    if (m_store) {
        if (Result<void> r = m_store->updateFactor(updated); !r.ok()) {
            Q_EMIT storeError(errorText(r.error()));
            return false;
        }
    }
    m_records[static_cast<std::size_t>(index.row())] = std::move(updated);
    Q_EMIT dataChanged(index, index);
    return true;
}

} // namespace alphascope::ui
