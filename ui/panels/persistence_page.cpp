#include "ui/panels/persistence_page.h"

#include "ui/util/job_controls.h"
#include "ui/util/latest_job.h"
#include "ui/util/number_text.h"
#include "ui/views/correlation_heatmap.h"

#include <QComboBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace alphascope::ui {

PersistencePage::PersistencePage(QWidget* parent)
    : QWidget(parent), m_formulas(new QSpinBox(this)), m_seed(new QSpinBox(this)), m_top(new QSpinBox(this)),
      m_blocks(new QSpinBox(this)), m_measure(new QComboBox(this)), m_run(new QPushButton(tr("&Measure"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_useWindow(new QPushButton(this)),
      m_progress(new QProgressBar(this)), m_summary(new QLabel(this)), m_heatmap(new CorrelationHeatmap(this)),
      m_selection(new QTableWidget(this)), m_samplers(new QTableWidget(this)),
      m_job(std::make_unique<LatestJob<PersistenceReport>>(this)) {
    setObjectName(QStringLiteral("PersistencePage"));
    const PersistenceSpec defaults;
    m_formulas->setRange(10, 100000);
    m_formulas->setSingleStep(500);
    m_formulas->setValue(defaults.formulas);
    m_formulas->setToolTip(
        tr("Distinct random formulas of the search grammar to draw and evaluate (about 25 s for 2,000 on "
           "500 stocks x 5 years on 2 cores)"));
    m_seed->setRange(0, 1000000);
    m_seed->setValue(static_cast<int>(defaults.seed));
    m_top->setRange(1, 100000);
    m_top->setValue(defaults.topK);
    m_top->setToolTip(
        tr("Formulas kept by their |train Rank IC| for the selection check, as a search that ranks by train would"));
    m_blocks->setRange(0, 100);
    m_blocks->setValue(defaults.blocks);
    m_blocks->setSpecialValueText(tr("Calendar years"));
    m_blocks->setSuffix(tr(" equal blocks"));
    m_blocks->setToolTip(tr("Periods: the calendar years, or this many equal blocks of the labelled days"));
    m_measure->addItem(tr("Rank IC"), true);
    m_measure->addItem(tr("IC (Pearson)"), false);
    m_cancel->setEnabled(false);
    m_useWindow->setVisible(false);
    m_useWindow->setObjectName(QStringLiteral("UseTrainingWindow"));
    m_useWindow->setToolTip(tr("Reopen the session with this training split; valid and test stay as they are"));
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("PersistenceSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setText(
        tr("Does a formula's Rank IC in the training split say anything about the test split? A search that "
           "maximises train IC can only gain out of sample where the answer is yes. Random formulas of the "
           "search grammar are measured per year and per split; the map shows how the periods rank them alike "
           "(Spearman across formulas)."));
    m_heatmap->setScaleLabel(tr("Spearman across formulas"));
    m_selection->setColumnCount(6);
    m_selection->setHorizontalHeaderLabels({tr("Split"), tr("Formulas"), tr("Top K: signed mean"), tr("95 % interval"),
                                            tr("Same sign"), tr("Every formula: signed mean")});
    m_selection->verticalHeader()->setVisible(false);
    m_selection->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_selection->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_selection->setMaximumHeight(110);
    m_samplers->setObjectName(QStringLiteral("PersistenceSamplers"));
    m_samplers->verticalHeader()->setVisible(false);
    m_samplers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_samplers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_samplers->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_samplers->setMaximumHeight(200);
    m_samplers->setToolTip(
        tr("The measured formulas drawn in proportion to |train mean|^β, each signed by its train sign: "
           "what a sampler trained with reward exponent β (a GFlowNet on these random walks) would draw. "
           "β 0 is the random walks themselves; the bold row is the β best in valid."));

    auto* form = new QFormLayout;
    form->addRow(tr("Formulas"), m_formulas);
    form->addRow(tr("Measure"), m_measure);
    form->addRow(tr("Periods"), m_blocks);
    form->addRow(tr("Top K"), m_top);
    form->addRow(tr("Seed"), m_seed);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addWidget(m_useWindow);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_summary);
    right->addWidget(m_heatmap, 1);
    right->addWidget(m_selection);
    right->addWidget(m_samplers);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 3);

    connect(m_run, &QPushButton::clicked, this, &PersistencePage::measure);
    connect(m_cancel, &QPushButton::clicked, this, &PersistencePage::cancel);
    connect(m_useWindow, &QPushButton::clicked, this, [this] {
        if (m_report && m_report->suggestedWindow >= 0) Q_EMIT trainingWindowRequested(m_report->suggestedWindow);
    });
    m_job->onBusyChanged = [this](bool busy) {
        showJobBusy(busy, m_session != nullptr, m_run, m_cancel, m_progress);
        Q_EMIT busyChanged(busy);
    };
    m_job->onProgress = [this](const TaskProgress& p) { showJobProgress(p, m_progress); };
    m_job->onDone = [this](Result<PersistenceReport> r) { onDone(std::move(r)); };
    setSession(nullptr);
}

PersistencePage::~PersistencePage() = default;

bool PersistencePage::measuring() const {
    return m_job->busy();
}
void PersistencePage::cancel() {
    m_job->cancel();
}

void PersistencePage::setSession(std::shared_ptr<const ResearchSession> session) {
    m_job->abandon();
    m_session = std::move(session);
    m_report.reset();
    m_heatmap->clearMatrix();
    m_selection->setRowCount(0);
    m_samplers->setRowCount(0);
    m_samplers->setColumnCount(0);
    m_useWindow->setVisible(false);
    m_run->setEnabled(m_session != nullptr);
}

bool PersistencePage::isTrainingSplit(int period) const {
    return m_report && m_report->isTraining(period);
}

void PersistencePage::measure() {
    if (!m_session) return;
    PersistenceSpec spec;
    spec.formulas = m_formulas->value();
    spec.seed = static_cast<std::uint64_t>(m_seed->value());
    spec.topK = m_top->value();
    spec.blocks = m_blocks->value();
    spec.rankIc = m_measure->currentData().toBool();
    auto session = m_session;
    m_summary->setText(tr("Measuring %n formula(s)…", "", spec.formulas));
    m_useWindow->setVisible(false);
    m_job->start([session, spec](Feedback& feedback) { return measurePersistence(*session, spec, feedback); });
}

void PersistencePage::onDone(Result<PersistenceReport> result) {
    if (!result.ok()) {
        m_summary->setText(
            result.error().code == ErrorCode::Canceled
                ? tr("Measurement cancelled.")
                : tr("Measurement failed: %1").arg(QString::fromStdString(result.error().toString()).toHtmlEscaped()));
        Q_EMIT measured(false);
        return;
    }
    m_report = std::make_unique<PersistenceReport>(std::move(result.value()));
    const PersistenceReport& r = *m_report;
    const int n = static_cast<int>(r.periods.size());
    QStringList names;
    Eigen::MatrixXd matrix = Eigen::MatrixXd::Identity(n, n);
    for (const auto& p : r.periods) names << QString::fromStdString(p.name);
    for (const PeriodCorrelation& c : r.correlations) matrix(c.a, c.b) = matrix(c.b, c.a) = c.correlation;
    m_heatmap->setMatrix(names, matrix);

    m_selection->setRowCount(static_cast<int>(r.selection.size()));
    for (int row = 0; row < static_cast<int>(r.selection.size()); ++row) {
        const PersistenceSelection& s = r.selection[static_cast<std::size_t>(row)];
        const QStringList cells{QString::fromStdString(r.periods[static_cast<std::size_t>(s.period)].name),
                                QString::number(s.formulas),
                                signedFixed(s.topMean, 4),
                                QStringLiteral("[%1, %2]").arg(signedFixed(s.topLo, 4), signedFixed(s.topHi, 4)),
                                std::isfinite(s.topSameSign) ? QString::number(s.topSameSign, 'f', 2)
                                                             : QStringLiteral("–"),
                                signedFixed(s.allMean, 4)};
        for (int col = 0; col < cells.size(); ++col) m_selection->setItem(row, col, new QTableWidgetItem(cells[col]));
    }

    // The samplers: beta, what they draw on train, from how many formulas, and what that gives later.
    const QString measure = r.spec.rankIc ? tr("Rank IC") : tr("IC");
    QStringList samplerHeaders{tr("Sampler β"), tr("|train %1|").arg(measure), tr("Effective formulas")};
    for (const PersistenceSelection& s : r.selection)
        samplerHeaders
            << tr("%1: signed mean").arg(QString::fromStdString(r.periods[static_cast<std::size_t>(s.period)].name));
    m_samplers->setColumnCount(static_cast<int>(samplerHeaders.size()));
    m_samplers->setHorizontalHeaderLabels(samplerHeaders);
    m_samplers->setRowCount(static_cast<int>(r.samplers.size()));
    m_samplers->setMaximumHeight(m_samplers->horizontalHeader()->sizeHint().height() + 2 * m_samplers->frameWidth() +
                                 m_samplers->rowCount() * m_samplers->verticalHeader()->defaultSectionSize() + 4);
    for (int row = 0; row < static_cast<int>(r.samplers.size()); ++row) {
        const PersistenceSampler& sampler = r.samplers[static_cast<std::size_t>(row)];
        QStringList cells{QString::number(sampler.beta), fixedOrDash(sampler.trainAbs, 4),
                          fixedOrDash(sampler.effectiveFormulas, 1)};
        for (double mean : sampler.splitMeans) cells << signedFixed(mean, 4);
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (row == r.suggestedSampler) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
                item->setToolTip(tr("The β best in valid"));
            }
            m_samplers->setItem(row, col, item);
        }
    }

    // The verdict on train -> test (or the last split after train).
    QString text = tr("%1 usable formulas of %2 drawn.").arg(r.formulas.size()).arg(r.drawn);
    const int test = lastSelectionPeriod(r);
    const PeriodCorrelation* c = r.trainPeriod >= 0 && test >= 0 ? r.correlation(r.trainPeriod, test) : nullptr;
    if (c && std::isfinite(c->correlation)) {
        const QString pair = tr("%1 → %2: Spearman %3 [%4, %5] over %6 formulas.")
                                 .arg(QString::fromStdString(r.periods[static_cast<std::size_t>(r.trainPeriod)].name),
                                      QString::fromStdString(r.periods[static_cast<std::size_t>(test)].name),
                                      signedFixed(c->correlation, 2), signedFixed(c->lo, 2), signedFixed(c->hi, 2))
                                 .arg(c->formulas);
        QString verdict;
        switch (persistenceVerdict(c)) {
        case PersistenceVerdict::Against:
            verdict =
                tr("The test period ranks the formulas against the training period: a search that maximises train %1 "
                   "should not be expected to gain out of sample on this split.")
                    .arg(measure);
            break;
        case PersistenceVerdict::CarriesOver:
            verdict =
                tr("The ranking carries over: searching harder on train can pay off out of sample on this split.");
            break;
        case PersistenceVerdict::Weak:
            verdict = tr("The ranking carries over only weakly: expect small out-of-sample differences between "
                         "searches on this split.");
            break;
        case PersistenceVerdict::NoCarryOver:
        case PersistenceVerdict::Unknown:
            verdict = tr("No measurable carry-over: differences between searches out of sample will be mostly noise on "
                         "this split.");
            break;
        }
        text += QStringLiteral(" <b>") + pair.toHtmlEscaped() + QStringLiteral("</b> ") + verdict.toHtmlEscaped();
    } else {
        text +=
            QLatin1Char(' ') + tr("No training and later split to compare: see the years in the map.").toHtmlEscaped();
    }
    if (r.suggestedSampler >= 0 && !r.selection.empty()) {
        const PersistenceSampler& best = r.samplers[static_cast<std::size_t>(r.suggestedSampler)];
        text += QLatin1Char(' ') +
                tr("Drawing these formulas in proportion to |train %1|^β (β %2, the best in valid) gives %3 in %4, "
                   "against %5 for the random walks (β 0).")
                    .arg(measure)
                    .arg(best.beta)
                    .arg(signedFixed(best.splitMeans.back(), 4),
                         QString::fromStdString(r.periods[static_cast<std::size_t>(r.selection.back().period)].name),
                         signedFixed(r.samplers.front().splitMeans.back(), 4))
                    .toHtmlEscaped();
    }
    if (r.suggestedWindow >= 0) {
        const PeriodCorrelation* w = r.correlation(r.suggestedWindow, r.validPeriod);
        text += QLatin1Char(' ') +
                tr("Of the training windows that end before valid, %1 ranks the formulas most like valid (Spearman %2 "
                   "[%3, %4]).")
                    .arg(QString::fromStdString(r.periods[static_cast<std::size_t>(r.suggestedWindow)].name),
                         signedFixed(w->correlation, 2), signedFixed(w->lo, 2), signedFixed(w->hi, 2))
                    .toHtmlEscaped();
    }
    m_summary->setText(text);
    const bool offer = r.suggestedWindow >= 0 && !isTrainingSplit(r.suggestedWindow);
    if (offer) {
        const PersistencePeriod& w = r.periods[static_cast<std::size_t>(r.suggestedWindow)];
        m_useWindow->setText(
            tr("Train on %1 … %2")
                .arg(QString::fromStdString(w.first.toString()), QString::fromStdString(w.last.toString())));
    }
    m_useWindow->setVisible(offer);
    Q_EMIT measured(true);
}

} // namespace alphascope::ui
