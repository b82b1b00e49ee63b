#pragma once
// FactorLibraryModel: the saved factors of a project as a table; edits of the name and the notes go
// straight to the project store. The only class of the library that writes to the store.

#include "core/store/project_store.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace alphascope::ui {

/// Table of FactorRecords: Name, Formula, IC and Rank IC per split found in the records, Notes, Created.
class FactorLibraryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Raw value for sorting: text, or a double (invalid where the metric is undefined).
    static constexpr int kSortRole = Qt::UserRole;
    /// The factor's id (qint64) on every cell.
    static constexpr int kIdRole = Qt::UserRole + 1;
    enum FixedColumn { NameColumn = 0, FormulaColumn = 1 };

    explicit FactorLibraryModel(QObject* parent = nullptr);

    /// The store edits and reload() go to (nullptr: the model holds what setRecords() gave it).
    void setStore(std::shared_ptr<ProjectStore> store);
    std::shared_ptr<ProjectStore> store() const { return m_store; }
    /// Re-reads all factors from the store.
    Result<void> reload();
    /// Shows `records` as they are (no store access).
    void setRecords(std::vector<FactorRecord> records);

    const std::vector<FactorRecord>& records() const { return m_records; }
    const FactorRecord& record(int row) const { return m_records[static_cast<std::size_t>(row)]; }
    /// Row of the factor with `id`, or -1.
    int rowOf(std::int64_t id) const;
    /// Split names with metric columns, in the order first seen in the records.
    const QStringList& splitNames() const { return m_splits; }
    /// Column of the IC (rank = false) or Rank IC of `split`, or -1.
    int metricColumn(const QString& split, bool rank) const;
    int notesColumn() const { return 2 + 2 * static_cast<int>(m_splits.size()); }
    int createdColumn() const { return notesColumn() + 1; }

    /// Removes the factors from the store, then from the table. All or nothing: on a store error
    /// the ones already removed are put back.
    Result<void> removeFactors(const std::vector<std::int64_t>& ids);
    /// Re-inserts removed factors with their ids (undo of removeFactors()).
    Result<void> restoreFactors(const std::vector<FactorRecord>& records);
    /// Adds `record` to the store (a new id) and shows it; the stored record's id.
    Result<std::int64_t> addFactor(const FactorRecord& record);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// A store operation failed; the message is ready to show.
    void storeError(const QString& message);

private:
    /// Inserts into the table at its id position (resets when it brings a new split).
    void insertRow(const FactorRecord& record);
    void removeRowOf(std::int64_t id);
    static QStringList splitsOf(const std::vector<FactorRecord>& records);
    QString errorText(const Error& error) const;

    std::shared_ptr<ProjectStore> m_store;
    std::vector<FactorRecord> m_records;
    QStringList m_splits;
};

} // namespace alphascope::ui
