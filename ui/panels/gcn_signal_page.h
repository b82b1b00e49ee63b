#pragma once
// GcnSignalPage: the GCN signal baseline of the graph-RL post in the workbench. Two graph
// convolutions over the chosen graph (sector edges, correlation edges or both) are trained on the
// train split with early stopping on valid, off the GUI thread with progress and cancel; the daily
// scores are measured like a formula (IC, Rank IC, ICIR per split) and can be sent to the backtest
// view, labelled with the graph they were made on.

#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace alphascope::ui {

class SplitMetricsModel;
template <typename T>
class LatestJob;

/// A trained GCN and its measurement.
struct GcnOutcome {
    FactorReport report;         ///< report.formula: "GCN (<graph>)"
    std::string graph;           ///< the graph the model was trained on
    std::vector<double> validIc; ///< per epoch
    int bestEpoch = 0;           ///< 0-based
    std::string device;
    double seconds = 0;
};

class GcnSignalPage : public QWidget {
    Q_OBJECT
public:
    explicit GcnSignalPage(QWidget* parent = nullptr);
    ~GcnSignalPage() override;

    void setSession(std::shared_ptr<const ResearchSession> session);
    /// Trains with the page's settings (cancels a training in flight).
    void train();
    void cancel();
    bool training() const;
    /// The last finished training (null before one or after a new session).
    const GcnOutcome* outcome() const { return m_outcome.get(); }

    QComboBox* graphBox() const { return m_graph; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QSpinBox* hiddenBox() const { return m_hidden; }
    QSpinBox* seedBox() const { return m_seed; }
    QPushButton* trainButton() const { return m_train; }
    QPushButton* backtestButton() const { return m_backtest; }
    SplitMetricsModel* metricsModel() const { return m_model; }
    QLabel* summaryLabel() const { return m_summary; }

Q_SIGNALS:
    void trained(bool ok);
    void busyChanged(bool busy);
    /// The user asked to backtest the scores (`label` names the model and its graph).
    void backtestRequested(const QString& label, PanelPtr scores);

private:
    void onDone(Result<GcnOutcome> result);

    std::shared_ptr<const ResearchSession> m_session;
    QComboBox* m_graph;
    QSpinBox* m_hidden;
    QSpinBox* m_epochs;
    QSpinBox* m_seed;
    QComboBox* m_loss;
    QPushButton* m_train;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QPushButton* m_backtest;
    QLabel* m_summary;
    SplitMetricsModel* m_model;
    QTableView* m_table;
    std::unique_ptr<GcnOutcome> m_outcome;
    std::unique_ptr<LatestJob<GcnOutcome>> m_job;
};

} // namespace alphascope::ui
