#include "ui/panels/delete_factors_command.h"

#include "ui/models/factor_library_model.h"

#include <QCoreApplication>

namespace alphascope::ui {

DeleteFactorsCommand::DeleteFactorsCommand(FactorLibraryModel* model, std::vector<FactorRecord> records,
                                           QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_records(std::move(records)) {
    if (m_records.size() == 1)
        setText(QCoreApplication::translate("alphascope::ui::DeleteFactorsCommand", "Delete “%1”")
                    .arg(QString::fromStdString(m_records.front().name)));
    else
        setText(QCoreApplication::translate("alphascope::ui::DeleteFactorsCommand", "Delete %1 factors")
                    .arg(m_records.size()));
}

void DeleteFactorsCommand::redo() {
    if (!m_model) return setObsolete(true);
    std::vector<std::int64_t> ids;
    for (const FactorRecord& r : m_records) ids.push_back(r.id);
    if (Result<void> r = m_model->removeFactors(ids); !r.ok()) {
        // Nothing was removed (all or nothing): there is nothing to undo either.
        setObsolete(true);
        Q_EMIT m_model->storeError(
            QCoreApplication::translate("alphascope::ui::DeleteFactorsCommand", "Could not delete: %1")
                .arg(QString::fromStdString(r.error().toString())));
    }
}

void DeleteFactorsCommand::undo() {
    if (!m_model) return setObsolete(true);
    if (Result<void> r = m_model->restoreFactors(m_records); !r.ok()) {
        setObsolete(true);
        Q_EMIT m_model->storeError(
            QCoreApplication::translate("alphascope::ui::DeleteFactorsCommand", "Could not restore: %1")
                .arg(QString::fromStdString(r.error().toString())));
    }
}

} // namespace alphascope::ui
