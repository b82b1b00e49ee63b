#pragma once
// BacktestView: configure and run a signal backtest of a score panel, plot the path (cumulative
// return vs the benchmark, excess, drawdown, turnover) and show its statistics. Runs off the GUI
// thread; a newer run supersedes an older one.

#include "core/backtest/backtest.h"
#include "core/eval/research_session.h"
#include "ui/views/backtest_chart.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace alphascope::ui {

class BacktestStatsModel;
template <typename T>
class LatestJob;

/// The outcome of one background backtest.
struct BacktestOutcome {
    bool ok = false;
    BacktestResult result;
    BacktestSeries series;
    Error error;
};

/// The backtest view: form, Run, plots, statistics table and exports.
class BacktestView : public QWidget {
    Q_OBJECT
public:
    explicit BacktestView(QWidget* parent = nullptr);
    ~BacktestView() override;

    /// Uses `session`'s close prices and splits; clears the score and the results.
    void setSession(std::shared_ptr<const ResearchSession> session);
    /// The signal to backtest (day x instrument, like the session's fields); runs when "Run
    /// automatically" is on.
    void setScore(const QString& label, PanelPtr score);
    QString scoreLabel() const { return m_label; }

    /// The settings in the form.
    BacktestConfig config() const;
    /// Puts `cfg` into the form.
    void setConfig(const BacktestConfig& cfg);
    /// The signal days of the chosen period (one split, or first split begin .. last split end).
    DayRange period() const;

    BacktestStatsModel* statsModel() const { return m_stats; }
    BacktestChart* plot() const { return m_plot; }
    QComboBox* periodBox() const { return m_period; }
    QCheckBox* autoRunBox() const { return m_autoRun; }
    QLabel* messageLabel() const { return m_message; }
    bool isBusy() const { return m_busy; }

    /// Writes the daily series of the last result as CSV; false when there is none or on I/O error.
    bool exportCsv(const QString& path) const;
    /// Saves the chart as PNG; false on I/O error.
    bool exportPng(const QString& path) const;

public Q_SLOTS:
    /// Starts a backtest with the current settings now (supersedes one in flight).
    void run();
    /// Stops the backtest in flight (its result is not shown).
    void cancel();

Q_SIGNALS:
    /// A run ended and its result (or error) is on screen.
    void finished(bool ok);
    void busyChanged(bool busy);

private:
    void buildForm();
    void updateStrategyFields();
    void settingsChanged();
    void showOutcome(const BacktestOutcome& outcome);
    void showError(const QString& message);
    void clearResults();
    void setBusy(bool busy);
    void exportCsvDialog();
    void exportPngDialog();

    std::shared_ptr<const ResearchSession> m_session;
    PanelPtr m_score;
    QString m_label;

    QComboBox* m_strategy;
    QSpinBox* m_topk;
    QSpinBox* m_ndrop;
    QSpinBox* m_quantiles;
    QDoubleSpinBox* m_openCost;
    QDoubleSpinBox* m_closeCost;
    QDoubleSpinBox* m_minCost;
    QDoubleSpinBox* m_account;
    QComboBox* m_period;
    QPushButton* m_run;
    QCheckBox* m_autoRun;
    QPushButton* m_exportCsv;
    QPushButton* m_exportPng;
    QLabel* m_message;
    QTableView* m_table;
    BacktestStatsModel* m_stats;
    BacktestChart* m_plot;
    QTimer* m_autoTimer;

    std::unique_ptr<LatestJob<BacktestOutcome>> m_job;
    BacktestOutcome m_last; ///< the result on screen (ok == false: none)
    bool m_busy = false;
};

} // namespace alphascope::ui
