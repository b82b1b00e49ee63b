#pragma once
// PersistencePage: does this market's training split rank formulas as its valid and test splits
// do? Random formulas of the search grammar are measured per calendar year (or equal block) and per
// split off the GUI thread, with progress and cancel (core/search/persistence.h, the road of
// `alphascope-cli persistence`); the page shows the Spearman correlation across formulas of every
// pair of periods as a heat map, the selection check (the top formulas by train, signed, in the later
// splits) as a table, the samplers in proportion to |train|^beta (what a sampler trained with reward
// exponent beta would draw, signed by train) as a second table with the beta best in valid marked,
// and a verdict on train -> test in words. When a training window that ends
// before valid ranks the formulas most like valid, "Train on …" asks the main window to reopen the
// session with that training split (chosen on valid only, never on test).

#include "core/search/persistence.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace alphascope::ui {

class CorrelationHeatmap;
template <typename T>
class LatestJob;

class PersistencePage : public QWidget {
    Q_OBJECT
public:
    explicit PersistencePage(QWidget* parent = nullptr);
    ~PersistencePage() override;

    void setSession(std::shared_ptr<const ResearchSession> session);
    /// Measures with the page's settings (cancels a measurement in flight).
    void measure();
    void cancel();
    bool measuring() const;
    /// The last finished measurement (null before one or after a new session).
    const PersistenceReport* report() const { return m_report.get(); }

    QSpinBox* formulasBox() const { return m_formulas; }
    QSpinBox* seedBox() const { return m_seed; }
    QSpinBox* topBox() const { return m_top; }
    /// Calendar years (0) or that many equal blocks.
    QSpinBox* blocksBox() const { return m_blocks; }
    QComboBox* measureBox() const { return m_measure; }
    QPushButton* measureButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    CorrelationHeatmap* heatmap() const { return m_heatmap; }
    QTableWidget* selectionTable() const { return m_selection; }
    /// One row per sampler (beta 0, 1, 2, ...): expected |train|, effective formulas, then the
    /// expected signed mean in each split after train; the row best in valid is bold.
    QTableWidget* samplerTable() const { return m_samplers; }
    QLabel* summaryLabel() const { return m_summary; }
    /// "Train on …": shown when a candidate training window ranks the formulas most like valid
    /// and differs from the training split.
    QPushButton* useWindowButton() const { return m_useWindow; }

    /// Whether `period` (a candidate window of the report) covers the same days as the training split.
    bool isTrainingSplit(int period) const;

Q_SIGNALS:
    void measured(bool ok);
    void busyChanged(bool busy);
    /// The user asked to train on the report's period `period` (a candidate training window).
    void trainingWindowRequested(int period);

private:
    void onDone(Result<PersistenceReport> result);

    std::shared_ptr<const ResearchSession> m_session;
    QSpinBox* m_formulas;
    QSpinBox* m_seed;
    QSpinBox* m_top;
    QSpinBox* m_blocks;
    QComboBox* m_measure;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QPushButton* m_useWindow;
    QProgressBar* m_progress;
    QLabel* m_summary;
    CorrelationHeatmap* m_heatmap;
    QTableWidget* m_selection;
    QTableWidget* m_samplers;
    std::unique_ptr<PersistenceReport> m_report;
    std::unique_ptr<LatestJob<PersistenceReport>> m_job;
};

} // namespace alphascope::ui
