#pragma once
// FormulaLab: type a formula, see its metrics per split and its cumulative IC, computed off the
// GUI thread (debounced, superseded evaluations are cancelled).

#include "core/metrics/factor_report.h"
#include "core/eval/research_session.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTimer;
class QCustomPlot;

namespace alphascope::ui {

/// The outcome of one background analysis.
struct LabOutcome {
    int generation = 0;
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

    void setSession(std::shared_ptr<const ResearchSession> session);
    QString formula() const;
    void setFormula(const QString& text);

    QLineEdit* editor() const { return m_editor; }
    QTableWidget* metricsTable() const { return m_table; }
    QLabel* messageLabel() const { return m_message; }
    QCustomPlot* plot() const { return m_plot; }

public Q_SLOTS:
    /// Starts an analysis of the current text now (cancels one in flight).
    void evaluateNow();

Q_SIGNALS:
    void busyChanged(bool busy);
    /// Emitted when an analysis finished and its results are on screen.
    void evaluated(bool ok);

private:
    void showOutcome(const LabOutcome& outcome);
    void setBusy(bool busy);
    void cancelInFlight();
    void showError(const Error& error);

    std::shared_ptr<const ResearchSession> m_session;
    QLineEdit* m_editor;
    QPushButton* m_evaluate;
    QLabel* m_message;
    QTableWidget* m_table;
    QCustomPlot* m_plot;
    QTimer* m_debounce;
    QFutureWatcher<LabOutcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_generation = 0;
    bool m_busy = false;
};

} // namespace alphascope::ui
