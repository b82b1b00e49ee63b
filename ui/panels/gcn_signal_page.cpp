#include "ui/panels/gcn_signal_page.h"

#include "core/nn/gcn_signal.h"
#include "ui/models/split_metrics_model.h"
#include "ui/util/job_controls.h"
#include "ui/util/latest_job.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace alphascope::ui {

namespace {
enum GraphChoice { SectorEdges, NearestEdges, ThresholdEdges, SectorAndNearest };
}

GcnSignalPage::GcnSignalPage(QWidget* parent)
    : QWidget(parent), m_graph(new QComboBox(this)), m_hidden(new QSpinBox(this)), m_epochs(new QSpinBox(this)),
      m_seed(new QSpinBox(this)), m_loss(new QComboBox(this)), m_train(new QPushButton(tr("&Train"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_progress(new QProgressBar(this)),
      m_backtest(new QPushButton(tr("Backtest the scores"), this)), m_summary(new QLabel(this)),
      m_model(new SplitMetricsModel(this)), m_table(new QTableView(this)),
      m_job(std::make_unique<LatestJob<GcnOutcome>>(this)) {
    setObjectName(QStringLiteral("GcnSignalPage"));
    m_graph->addItem(tr("Sector edges"), SectorEdges);
    m_graph->addItem(tr("10 nearest by correlation"), NearestEdges);
    m_graph->addItem(tr("Correlation above 0.5"), ThresholdEdges);
    m_graph->addItem(tr("Sector and 10 nearest"), SectorAndNearest);
    m_graph->setToolTip(tr("The graph the convolutions run over; correlation graphs are rebuilt every 20 days from the "
                           "last 60 days of returns"));
    m_hidden->setRange(4, 512);
    m_hidden->setValue(32);
    m_epochs->setRange(1, 500);
    m_epochs->setValue(20);
    m_seed->setRange(0, 1000000);
    m_seed->setValue(1);
    m_loss->addItem(tr("IC loss"), true);
    m_loss->addItem(tr("Mean squared error"), false);
    m_cancel->setEnabled(false);
    m_backtest->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("GcnSummary"));
    m_summary->setText(
        tr("A two-layer graph convolutional network over the stocks' graph, trained on the train split to rank "
           "the target (early stopping on valid): the learned baseline the formulas should beat."));
    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto* form = new QFormLayout;
    form->addRow(tr("Graph"), m_graph);
    form->addRow(tr("Hidden units"), m_hidden);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Loss"), m_loss);
    form->addRow(tr("Seed"), m_seed);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_train);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_backtest);
    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_summary);
    right->addWidget(m_table, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 2);

    connect(m_train, &QPushButton::clicked, this, &GcnSignalPage::train);
    connect(m_cancel, &QPushButton::clicked, this, &GcnSignalPage::cancel);
    connect(m_backtest, &QPushButton::clicked, this, [this] {
        if (m_outcome && m_outcome->report.values)
            Q_EMIT backtestRequested(QString::fromStdString(m_outcome->report.formula), m_outcome->report.values);
    });
    m_job->onBusyChanged = [this](bool busy) {
        showJobBusy(busy, m_session != nullptr, m_train, m_cancel, m_progress);
        Q_EMIT busyChanged(busy);
    };
    m_job->onProgress = [this](const TaskProgress& p) { showJobProgress(p, m_progress); };
    m_job->onDone = [this](Result<GcnOutcome> r) { onDone(std::move(r)); };
    setSession(nullptr);
}

GcnSignalPage::~GcnSignalPage() = default;

bool GcnSignalPage::training() const {
    return m_job->busy();
}
void GcnSignalPage::cancel() {
    m_job->cancel();
}

void GcnSignalPage::setSession(std::shared_ptr<const ResearchSession> session) {
    m_job->abandon();
    m_session = std::move(session);
    m_outcome.reset();
    m_model->clear();
    m_backtest->setEnabled(false);
    m_train->setEnabled(m_session != nullptr);
}

void GcnSignalPage::train() {
    if (!m_session) return;
    nn::GcnSignalOptions o;
    switch (m_graph->currentData().toInt()) {
    case SectorEdges: o.graph.rule = graph::EdgeRule::Sector; break;
    case NearestEdges: o.graph.rule = graph::EdgeRule::Knn; break;
    case ThresholdEdges: o.graph.rule = graph::EdgeRule::Threshold; break;
    case SectorAndNearest:
        o.graph.rule = graph::EdgeRule::Both;
        o.graph.bothUsesKnn = true;
        break;
    }
    o.graph.k = 10;
    o.graph.threshold = 0.5;
    o.hidden = m_hidden->value();
    o.epochs = m_epochs->value();
    o.seed = static_cast<std::uint64_t>(m_seed->value());
    o.icLoss = m_loss->currentData().toBool();
    auto session = m_session;
    m_summary->setText(tr("Training…"));
    m_job->start([session, o](Feedback& feedback) -> Result<GcnOutcome> {
        auto trained = nn::trainGcnSignal(*session, o, ProgressSpan(&feedback).sub(0.0, 0.95));
        if (!trained.ok()) return trained.error();
        GcnOutcome out;
        out.graph = trained->graph;
        out.validIc = trained->validIc;
        out.bestEpoch = trained->bestEpoch;
        out.device = trained->device;
        out.seconds = trained->seconds;
        auto report = analyzeValues(*session->evaluator, trained->scores, "GCN (" + trained->graph + ")",
                                    session->targetValues, session->splits);
        if (!report.ok()) return report.error();
        out.report = std::move(report.value());
        return out;
    });
}

void GcnSignalPage::onDone(Result<GcnOutcome> result) {
    if (!result.ok()) {
        m_summary->setText(result.error().code == ErrorCode::Canceled
                               ? tr("Training cancelled.")
                               : tr("Training failed: %1").arg(QString::fromStdString(result.error().toString())));
        Q_EMIT trained(false);
        return;
    }
    m_outcome = std::make_unique<GcnOutcome>(std::move(result.value()));
    m_model->setMetrics(m_outcome->report.splits);
    QStringList ics;
    for (double v : m_outcome->validIc) ics << (std::isfinite(v) ? QString::number(v, 'f', 4) : QStringLiteral("–"));
    m_summary->setText(tr("<b>%1</b> on %2 in %3 s: %n epoch(s), the best %4 by the valid IC (by epoch: %5).", "",
                          static_cast<int>(m_outcome->validIc.size()))
                           .arg(QString::fromStdString(m_outcome->report.formula).toHtmlEscaped(),
                                QString::fromStdString(m_outcome->device))
                           .arg(m_outcome->seconds, 0, 'f', 1)
                           .arg(m_outcome->bestEpoch + 1)
                           .arg(ics.join(QStringLiteral(", "))));
    m_backtest->setEnabled(true);
    Q_EMIT trained(true);
}

} // namespace alphascope::ui
