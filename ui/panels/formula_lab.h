#pragma once
// FormulaLab: type a formula, see its metrics per split and its charts, computed off the GUI thread
// (debounced; a superseded evaluation is cancelled). A node chosen in the formula tree gets its own
// metrics below the formula's.

#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QGroupBox;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace alphascope::ui {

class FactorPlots;
class FormulaEditor;
class SplitMetricsModel;
template <typename T>
class LatestJob;

/// The outcome of one background analysis.
struct LabOutcome {
    bool ok = false;
    FactorReport report;
    Error error;
    double seconds = 0;
};

/// The formula lab panel.
class FormulaLab : public QWidget {
    Q_OBJECT
public:
    explicit FormulaLab(QWidget* parent = nullptr);
    ~FormulaLab() override;

    void setSession(std::shared_ptr<const ResearchSession> session);
    QString formula() const;
    /// Replaces the text and evaluates it (when a dataset is loaded).
    void setFormula(const QString& text);
    void setDebounceMs(int ms);

    FormulaEditor* editor() const { return m_editor; }
    QTableView* metricsTable() const { return m_table; }
    SplitMetricsModel* metricsModel() const { return m_model; }
    SplitMetricsModel* nodeMetricsModel() const { return m_nodeModel; }
    QGroupBox* nodeBox() const { return m_nodeBox; }
    QLabel* messageLabel() const { return m_message; }
    FactorPlots* plots() const { return m_plots; }
    QPushButton* saveButton() const { return m_save; }
    /// The report of the text on screen; null while it is being evaluated or when it failed.
    const FactorReport* report() const { return m_report ? &*m_report : nullptr; }
    /// Seconds from the start of the last evaluation to its results being on screen.
    double lastLatency() const { return m_lastLatency; }

public Q_SLOTS:
    /// Starts an analysis of the current text now (cancels one in flight).
    void evaluateNow();
    /// Highlights [begin, end) of the text and analyses that sub-formula (from the formula tree).
    void analyzeNode(const QString& subFormula, int begin, int end);
    /// Stops an evaluation in flight (its result is dropped); the text stays.
    void cancelEvaluation();

Q_SIGNALS:
    void busyChanged(bool busy);
    /// Emitted when an analysis finished and its results (or its error) are on screen: the metrics
    /// table, the daily IC and the quantile charts. The IC decay and the histogram follow
    /// (detailsShown), so that the metrics do not wait for them.
    void evaluated(bool ok);
    /// The IC decay and the value histogram of the formula on screen are drawn.
    void detailsShown();
    /// The text changed (typed or set); the tree view follows it.
    void formulaChanged(const QString& text);
    /// A formula was evaluated; `values` is its factor panel (for the backtest).
    void factorReady(const QString& formula, PanelPtr values);
    /// The node metrics of analyzeNode() are on screen.
    void nodeEvaluated(bool ok);
    /// The user asked to save the formula on screen to the library.
    void saveRequested();

private:
    void showOutcome(const LabOutcome& outcome);
    void showNodeOutcome(const LabOutcome& outcome);
    void showDetails(Result<FactorReport> detailed);
    void setBusy(bool busy);
    void cancelInFlight();
    void showError(const Error& error);
    void onEdited();

    std::shared_ptr<const ResearchSession> m_session;
    FormulaEditor* m_editor;
    QPushButton* m_evaluate;
    QPushButton* m_save;
    QLabel* m_message;
    SplitMetricsModel* m_model;
    QTableView* m_table;
    QGroupBox* m_nodeBox;
    QLabel* m_nodeLabel;
    SplitMetricsModel* m_nodeModel;
    QTableView* m_nodeTable;
    FactorPlots* m_plots;
    QTimer* m_debounce;
    std::unique_ptr<LatestJob<LabOutcome>> m_job;         ///< the formula's analysis
    std::unique_ptr<LatestJob<LabOutcome>> m_nodeJob;     ///< the selected tree node's analysis
    std::unique_ptr<LatestJob<FactorReport>> m_detailJob; ///< the formula's IC decay and histogram
    std::optional<FactorReport> m_report;
    bool m_busy = false;
    double m_lastLatency = 0;
    qint64 m_startedAt = 0;
};

} // namespace alphascope::ui
