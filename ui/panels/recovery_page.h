#pragma once
// RecoveryPage: can a search find formulas planted in a market free of regime changes, and how
// fast? Runs core's recovery benchmark (core/search/recovery.h, the road of `alphascope-cli
// recovery`) off the GUI thread with progress and cancel: every (search, seed) on a planted market,
// the share of the planted formulas its pool holds and how close it came to each (closeness)
// against the evaluations spent, with 95 % intervals over seeds; which seeds found each formula and
// from when; and Welch differences between searches at the budget, of the area under the curve and
// of the closeness.

#include "core/search/recovery.h"

#include <QWidget>

#include <map>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QCustomPlot;

namespace alphascope::ui {

template <typename T>
class LatestJob;

class RecoveryPage : public QWidget {
    Q_OBJECT
public:
    explicit RecoveryPage(QWidget* parent = nullptr);
    ~RecoveryPage() override;

    /// Runs the benchmark the form describes (cancels nothing: one at a time).
    void run();
    void cancel();
    bool busy() const;
    /// The last finished benchmark (null before one).
    const RecoveryReport* report() const { return m_report.get(); }

    QCheckBox* algoBox(SearchAlgo algo) const { return m_algos.at(algo); }
    QSpinBox* seedsBox() const { return m_seeds; }
    QSpinBox* budgetBox() const { return m_budget; }
    /// One planted formula per line.
    QPlainTextEdit* formulasEdit() const { return m_formulas; }
    QDoubleSpinBox* strengthBox() const { return m_strength; }
    QDoubleSpinBox* thresholdBox() const { return m_threshold; }
    QSpinBox* daysBox() const { return m_days; }
    QSpinBox* instrumentsBox() const { return m_instruments; }
    QLineEdit* settingsEdit() const { return m_settings; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    /// Share found (0) or closeness (1) against evaluations: one line per search, its interval as a band.
    QComboBox* curveBox() const { return m_curveKind; }
    QCustomPlot* plot() const { return m_plot; }
    /// One row per planted formula, one column per search: seeds that found it (from when) and the
    /// largest |corr| reached.
    QTableWidget* findTable() const { return m_finds; }
    /// One row per pair of searches: the differences at the budget, of the area and of the closeness.
    QTableWidget* differenceTable() const { return m_differences; }
    QTabWidget* tabs() const { return m_tabs; }
    QLabel* summaryLabel() const { return m_summary; }

    /// The form's spec as run() would use it (the planted formulas as typed, empty lines left out).
    RecoverySpec spec() const;

Q_SIGNALS:
    void finished(bool ok);
    void busyChanged(bool busy);

private:
    void onDone(Result<RecoveryReport>& result);
    void showReport();
    void showCurves();
    void updateRunEnabled();

    std::map<SearchAlgo, QCheckBox*> m_algos;
    QSpinBox* m_seeds;
    QSpinBox* m_budget;
    QPlainTextEdit* m_formulas;
    QDoubleSpinBox* m_strength;
    QDoubleSpinBox* m_threshold;
    QSpinBox* m_days;
    QSpinBox* m_instruments;
    QLineEdit* m_settings;
    QPushButton* m_settingsBrowse;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    QComboBox* m_curveKind;
    QCustomPlot* m_plot;
    QTableWidget* m_finds;
    QTableWidget* m_differences;
    std::unique_ptr<RecoveryReport> m_report;
    std::unique_ptr<LatestJob<RecoveryReport>> m_job;
};

} // namespace alphascope::ui
