#pragma once
// DeleteFactorsCommand: deleting saved factors as one undoable step (undo puts them back with
// their ids, names, notes, metrics and creation times).

#include "core/store/project_store.h"

#include <QPointer>
#include <QUndoCommand>

#include <vector>

namespace alphascope::ui {

class FactorLibraryModel;

/// Removes `records` from the model's store on redo and re-inserts them on undo. A store error
/// is reported through FactorLibraryModel::storeError() and makes the command obsolete.
class DeleteFactorsCommand : public QUndoCommand {
public:
    DeleteFactorsCommand(FactorLibraryModel* model, std::vector<FactorRecord> records, QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;

private:
    QPointer<FactorLibraryModel> m_model;
    std::vector<FactorRecord> m_records;
};

} // namespace alphascope::ui
