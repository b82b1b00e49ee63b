#pragma once
// FactorLibraryPanel: the saved factors of the project — search, sort, open in the lab, delete with
// undo, compare (correlation heat map) and combine (equal weight / least squares) the selected ones.
// Evaluation and fitting run off the GUI thread; a newer job supersedes (cancels) an older one.

#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"
#include "core/pool/linear_combination.h"
#include "core/store/project_store.h"

#include "core/expr/parser.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QSplitter;
class QTableView;
class QUndoStack;

namespace alphascope::ui {

class CombinationView;
class CorrelationHeatmap;
class FactorLibraryModel;
template <typename T>
class LatestJob;

/// The outcome of one background Compare or Combine.
struct LibraryJobOutcome {
    bool combine = false;
    bool ok = false;
    Error error;
    QStringList names;
    Eigen::MatrixXd mutual;  ///< Compare: mutual IC over the fit range
    Combination combination; ///< Combine
    FactorReport report;     ///< Combine: the combination's metrics per split
    QString label;           ///< Combine: name of the combination
};

/// The factor library panel.
class FactorLibraryPanel : public QWidget {
    Q_OBJECT
public:
    explicit FactorLibraryPanel(QWidget* parent = nullptr);
    ~FactorLibraryPanel() override;

    /// The project the library shows (nullptr: none); clears the undo history.
    void setStore(std::shared_ptr<ProjectStore> store);
    /// The data Compare and Combine evaluate the formulas on; the first split is the fit range.
    void setSession(std::shared_ptr<const ResearchSession> session);
    /// The dataset new factors are saved with (0 = none).
    void setDatasetId(std::int64_t id) { m_datasetId = id; }
    /// Saves the analysed formula with its per-split metrics (and the search run it came from, 0 =
    /// none); the new factor's id.
    Result<std::int64_t> saveFactor(const QString& name, const FactorReport& report, std::int64_t originRunId = 0);
    /// Re-reads the factors from the store.
    void reload();

    FactorLibraryModel* model() const { return m_model; }
    QSortFilterProxyModel* proxyModel() const { return m_proxy; }
    QUndoStack* undoStack() const { return m_undo; }
    QTableView* tableView() const { return m_table; }
    QLineEdit* searchBox() const { return m_search; }
    QComboBox* methodBox() const { return m_method; }
    QLabel* messageLabel() const { return m_message; }
    CorrelationHeatmap* heatmap() const { return m_heatmap; }
    CombinationView* combinationView() const { return m_combination; }
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    /// Emits openFormulaRequested() with the formula of the current row.
    void openSelected();
    /// The selected factors' formulas, one per line, in a notation (Qlib's or WorldQuant's).
    QString selectedFormulas(alphascope::Notation notation) const;
    /// Puts selectedFormulas() on the clipboard (the table's context menu: Copy as Qlib / as WorldQuant).
    void copySelected(alphascope::Notation notation);
    /// Deletes the selected factors as one undoable command.
    void deleteSelected();
    /// Mutual IC heat map of the selected factors (at least two).
    void compareSelected();
    /// Combines the selected factors (at least two) with the method in the combo box.
    void combineSelected();
    /// Compare / Combine formulas that are not (yet) in the library, e.g. a search's pool members.
    void compareFormulas(const QStringList& names, const std::vector<std::string>& formulas);
    void combineFormulas(const QStringList& names, const std::vector<std::string>& formulas);

Q_SIGNALS:
    void openFormulaRequested(const QString& formula);
    void backtestRequested(const QString& label, alphascope::PanelPtr score);
    /// A Compare (combine = false) or Combine ended; its result or error is on screen.
    void jobFinished(bool combine, bool ok);
    void busyChanged(bool busy);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    std::vector<int> selectedRows() const;
    void startJob(bool combine);
    void startJob(bool combine, const QStringList& names, const std::vector<std::string>& formulas);
    void showOutcome(const LibraryJobOutcome& outcome);
    void showMessage(const QString& text, bool error = false);
    void cancelJob();
    void setBusy(bool busy);
    void updateActions();
    void fitColumns();

    std::shared_ptr<ProjectStore> m_store;
    std::shared_ptr<const ResearchSession> m_session;
    std::int64_t m_datasetId = 0;

    FactorLibraryModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QUndoStack* m_undo;
    QLineEdit* m_search;
    QTableView* m_table;
    QPushButton* m_open;
    QAction* m_copyQlib;
    QAction* m_copyWorldQuant;
    QPushButton* m_delete;
    QPushButton* m_compare;
    QComboBox* m_method;
    QPushButton* m_combine;
    QLabel* m_message;
    QTabWidget* m_tabs;
    CorrelationHeatmap* m_heatmap;
    CombinationView* m_combination;

    std::unique_ptr<LatestJob<LibraryJobOutcome>> m_job;
    bool m_busy = false;
    QSplitter* m_splitter = nullptr;
};

} // namespace alphascope::ui
