#pragma once
// StudyPanel: does a search find anything beyond seed noise? Runs every (search, seed) pair of a
// study at one budget off the GUI thread, with progress and cancel, in a folder that keeps each
// pool file (core/search/study.h, the road of `alphascope-cli study`: a stopped study resumes, a
// finished pair is never run again), or opens a study folder (the CLI's or an earlier one) without
// running anything. It shows per search the mean and 95 % interval over seeds of the out-of-sample
// figures, the paired comparisons (seed-by-seed difference of test Rank IC with its interval, and
// Newey-West on the daily difference), the split's persistence verdict, and the learning curves;
// and sets the study against a baseline study folder seed by seed (alphascope-cli study-compare).

#include "core/search/study.h"
#include "core/search/study_compare.h"

#include <QString>
#include <QWidget>

#include <map>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace alphascope::ui {

class StudyCurvesPlot;
template <typename T>
class LatestJob;

/// What a study job gives the panel: the report, and the learning curves read from its folder
/// (empty, with the reason, when the folder has no curve files).
struct StudyOutcome {
    StudyReport report;
    std::optional<StudyCurves> curves;
    QString curvesError;
    bool opened = false; ///< read from a folder (nothing run)
    /// The folder as opened (its searches' settings): Run in the same folder without a settings
    /// file resumes it with them, not with the defaults.
    std::optional<StudyFolder> folder;
    /// This study against a baseline study folder (compareWith), seed by seed.
    std::optional<StudyComparison> comparison;
};

class StudyPanel : public QWidget {
    Q_OBJECT
public:
    explicit StudyPanel(QWidget* parent = nullptr);
    ~StudyPanel() override;

    void setSession(std::shared_ptr<const ResearchSession> session);
    /// The folder under which "New folder" makes a study folder (e.g. beside the project file).
    void setFolderBase(const QString& dir);

    /// Runs (or resumes) the study the form describes in the folder of the form.
    void run();
    /// Reads the study folder `dir` (its searches, seeds, budget and each search's settings from its
    /// pool files) without running anything, and fills the form with it.
    void open(const QString& dir);
    /// Reads the study folder `dir` on the same session as the baseline of the study shown and sets
    /// this study against it seed by seed (core's compareStudies); nothing is run.
    void compareWith(const QString& dir);
    void cancel();
    bool busy() const;
    /// The last finished study (null before one or after a new session).
    const StudyOutcome* outcome() const { return m_outcome.get(); }

    QCheckBox* algoBox(SearchAlgo algo) const { return m_algos.at(algo); }
    QSpinBox* seedsBox() const { return m_seeds; }
    QSpinBox* firstSeedBox() const { return m_firstSeed; }
    QSpinBox* budgetBox() const { return m_budget; }
    QSpinBox* jobsBox() const { return m_jobs; }
    /// Random formulas that measure the split's persistence after the runs (0: none).
    QSpinBox* persistenceBox() const { return m_persistence; }
    QLineEdit* folderEdit() const { return m_folder; }
    /// A search config JSON file (alphascope-cli study's --config) applied to every search's
    /// defaults; empty: the defaults.
    QLineEdit* settingsEdit() const { return m_settings; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* openButton() const { return m_openButton; }
    QPushButton* compareButton() const { return m_compareButton; }
    /// One row per search both studies ran, then every paired run: seeds, valid and test Rank IC of
    /// this study and the baseline and their difference seed by seed (interval, runs higher),
    /// Newey-West t and p on the daily difference, the selected and adaptive pools' differences.
    QTableWidget* compareTable() const { return m_compareTable; }
    /// One row per search: runs, valid Rank IC, test IC, test Rank IC and its interval, adaptive,
    /// selected on valid, best member's test IC, diversity, unusable share, evaluations/s.
    QTableWidget* searchTable() const { return m_searchTable; }
    /// One row per pair of searches: difference of test Rank IC, interval, seeds, Newey-West t and p,
    /// the same difference for the pools selected on valid and its p.
    QTableWidget* pairTable() const { return m_pairTable; }
    QComboBox* curveBox() const { return m_curveKind; }
    StudyCurvesPlot* curvesPlot() const { return m_plot; }
    QTabWidget* tabs() const { return m_tabs; }
    QLabel* summaryLabel() const { return m_summary; }

    /// The form's spec (folder and all) as run() would use it.
    StudySpec spec() const;

Q_SIGNALS:
    void finished(bool ok);
    void busyChanged(bool busy);

private:
    void onDone(Result<StudyOutcome>& result);
    void showOutcome();
    void showCurves();
    void updateRunEnabled();
    QString newFolder() const;

    std::shared_ptr<const ResearchSession> m_session;
    QString m_folderBase;
    std::map<SearchAlgo, QCheckBox*> m_algos;
    QSpinBox* m_seeds;
    QSpinBox* m_firstSeed;
    QSpinBox* m_budget;
    QSpinBox* m_jobs;
    QSpinBox* m_persistence;
    QLineEdit* m_folder;
    QLineEdit* m_settings;
    QPushButton* m_settingsBrowse;
    QPushButton* m_browse;
    QPushButton* m_newFolder;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QPushButton* m_openButton;
    QPushButton* m_compareButton;
    QProgressBar* m_progress;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    QTableWidget* m_searchTable;
    QTableWidget* m_pairTable;
    QTableWidget* m_compareTable;
    QComboBox* m_curveKind;
    StudyCurvesPlot* m_plot;
    QLabel* m_curvesNote;
    std::unique_ptr<StudyOutcome> m_outcome;
    bool m_comparing = false; ///< the job in flight compares with a baseline (compareWith)
    std::unique_ptr<LatestJob<StudyOutcome>> m_job;
};

} // namespace alphascope::ui
