#pragma once
// DatasetPanel: what the loaded dataset holds (size, dates, fields with coverage, groups, warnings).

#include "core/eval/research_session.h"

#include <QWidget>

#include <memory>

class QTreeWidget;

namespace alphascope::ui {

/// A read-only summary tree of the current dataset.
class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);

    /// Shows the session's dataset (nullptr clears the panel).
    void setSession(std::shared_ptr<const ResearchSession> session);
    QTreeWidget* tree() const { return m_tree; }

private:
    QTreeWidget* m_tree;
};

} // namespace alphascope::ui
