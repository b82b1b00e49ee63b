#include "ui/panels/formula_lab.h"

#include "ui/util/dimension_text.h"
#include "ui/util/latest_job.h"

#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "ui/models/split_metrics_model.h"
#include "ui/views/factor_plots.h"
#include "ui/widgets/formula_editor.h"

#include <QDateTime>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <chrono>

namespace alphascope::ui {

namespace {
constexpr int kDefaultDebounceMs = 300; // evaluate once typing pauses this long

QTableView* makeMetricsTable(SplitMetricsModel* model, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    const int row = table->fontMetrics().height() + 6;
    table->verticalHeader()->setDefaultSectionSize(row);
    // Room for the header and three splits (train, valid, test) without a scroll bar.
    table->setMinimumHeight(table->horizontalHeader()->sizeHint().height() + 3 * row + 2 * table->frameWidth() +
                            table->horizontalScrollBar()->sizeHint().height() + 2);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    return table;
}

/// The metrics first: the IC decay (20 forward returns) and the histogram are added afterwards by
/// a second job (FormulaLab::showDetails), so the table does not wait for them.
AnalysisOptions metricsFirst() {
    AnalysisOptions o;
    o.decayHorizons = 0;
    o.histogramBins = 0;
    return o;
}

LabOutcome analyze(const std::shared_ptr<const ResearchSession>& session, const ExprPtr& expr,
                   const std::atomic<bool>* cancel) {
    LabOutcome out;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = analyzeFactor(*session->evaluator, expr, session->targetValues, session->splits, metricsFirst(), cancel);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r.ok()) {
        out.ok = true;
        out.report = std::move(r.value());
    } else {
        out.error = r.error();
    }
    return out;
}
} // namespace

FormulaLab::FormulaLab(QWidget* parent)
    : QWidget(parent), m_editor(new FormulaEditor(this)), m_evaluate(new QPushButton(tr("&Evaluate"), this)),
      m_save(new QPushButton(tr("&Save to library…"), this)), m_message(new QLabel(this)),
      m_model(new SplitMetricsModel(this)), m_table(makeMetricsTable(m_model, this)),
      m_nodeBox(new QGroupBox(tr("Selected node"), this)), m_nodeLabel(new QLabel(m_nodeBox)),
      m_nodeModel(new SplitMetricsModel(this)), m_nodeTable(makeMetricsTable(m_nodeModel, m_nodeBox)),
      m_plots(new FactorPlots(this)), m_debounce(new QTimer(this)),
      m_job(std::make_unique<LatestJob<LabOutcome>>(this)), m_nodeJob(std::make_unique<LatestJob<LabOutcome>>(this)),
      m_detailJob(std::make_unique<LatestJob<FactorReport>>(this)) {
    setObjectName(QStringLiteral("FormulaLab"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_save->setEnabled(false);
    m_save->setToolTip(tr("Keep this formula and its metrics in the project's factor library (Ctrl+S)"));
    m_evaluate->setToolTip(tr("Evaluate now (Enter)"));
    m_nodeLabel->setWordWrap(true);
    m_nodeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* row = new QHBoxLayout;
    row->addWidget(m_editor, 1);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_evaluate);
    buttons->addWidget(m_save);
    buttons->addStretch();
    row->addLayout(buttons);

    auto* nodeLayout = new QVBoxLayout(m_nodeBox);
    nodeLayout->setContentsMargins(6, 4, 6, 4);
    nodeLayout->addWidget(m_nodeLabel);
    nodeLayout->addWidget(m_nodeTable);
    m_nodeBox->setVisible(false);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table);
    topLayout->addWidget(m_nodeBox);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("LabSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(m_plots);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({150, 400});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDefaultDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &FormulaLab::evaluateNow);
    connect(m_editor, &FormulaEditor::textEdited, this, &FormulaLab::onEdited);
    connect(m_editor, &FormulaEditor::submitted, this, &FormulaLab::evaluateNow);
    connect(m_evaluate, &QPushButton::clicked, this, &FormulaLab::evaluateNow);
    connect(m_save, &QPushButton::clicked, this, &FormulaLab::saveRequested);
    // The job's own failures (an exception fenced at the thread boundary) show like any error.
    auto outcomeOf = [](Result<LabOutcome> r) {
        if (r.ok()) return std::move(r.value());
        LabOutcome failed;
        failed.error = r.error();
        return failed;
    };
    m_job->onBusyChanged = [this](bool busy) { setBusy(busy); };
    m_job->onDone = [this, outcomeOf](Result<LabOutcome> r) { showOutcome(outcomeOf(std::move(r))); };
    m_nodeJob->onDone = [this, outcomeOf](Result<LabOutcome> r) { showNodeOutcome(outcomeOf(std::move(r))); };
    m_detailJob->onDone = [this](Result<FactorReport> r) { showDetails(std::move(r)); };
}

FormulaLab::~FormulaLab() = default;

void FormulaLab::setDebounceMs(int ms) {
    m_debounce->setInterval(ms);
}

void FormulaLab::setSession(std::shared_ptr<const ResearchSession> session) {
    m_detailJob->abandon(); // its report belongs to the previous data
    m_session = std::move(session);
    m_model->clear();
    m_nodeBox->setVisible(false);
    m_plots->clear();
    m_report.reset();
    m_save->setEnabled(false);
    if (m_session) {
        QStringList fields, groups;
        for (const auto& f : m_session->data->fieldNames()) fields << QString::fromStdString(f);
        for (const auto& g : m_session->data->groupings) groups << QString::fromStdString(g.name);
        m_editor->setVocabulary(fields, groups);
    }
    Q_EMIT formulaChanged(formula());
    if (m_session && !formula().trimmed().isEmpty()) evaluateNow();
}

QString FormulaLab::formula() const {
    return m_editor->formula();
}

void FormulaLab::setFormula(const QString& text) {
    m_editor->setFormula(text);
    onEdited();
    if (m_session) evaluateNow();
}

void FormulaLab::onEdited() {
    m_report.reset();
    m_save->setEnabled(false);
    m_nodeBox->setVisible(false);
    m_editor->highlightRange(-1, -1);
    Q_EMIT formulaChanged(formula());
    m_debounce->start();
}

void FormulaLab::evaluateNow() {
    m_debounce->stop();
    if (!m_session) {
        m_message->setText(tr("No dataset is loaded."));
        return;
    }
    const QString text = formula();
    if (text.trimmed().isEmpty()) {
        cancelInFlight();
        m_message->setText(
            tr("Type a formula, e.g. Div(Sub($close,$open),Sub($high,$low)); Ctrl+Space lists operators and fields."));
        m_editor->clearError();
        m_model->clear();
        m_plots->clear();
        return;
    }
    m_startedAt = QDateTime::currentMSecsSinceEpoch();
    auto parsed = parseFormula(text.toStdString(), parseOptionsFor(*m_session->data, false));
    if (!parsed.ok()) {
        cancelInFlight(); // a late result must not replace the error
        showError(parsed.error());
        return;
    }
    m_editor->clearError();
    cancelInFlight();
    m_message->setText(tr("Evaluating…"));
    setBusy(true);
    auto session = m_session;
    const ExprPtr expr = parsed.value();
    m_job->start([session, expr](Feedback& feedback) -> Result<LabOutcome> {
        return analyze(session, expr, &feedback.cancelFlag);
    });
}

void FormulaLab::analyzeNode(const QString& subFormula, int begin, int end) {
    m_editor->highlightRange(begin, end);
    if (!m_session) return;
    auto parsed = parseFormula(subFormula.toStdString(), parseOptionsFor(*m_session->data, false));
    m_nodeBox->setVisible(true);
    if (!parsed.ok()) {
        m_nodeLabel->setText(QString::fromStdString(parsed.error().message));
        m_nodeModel->clear();
        Q_EMIT nodeEvaluated(false);
        return;
    }
    m_nodeLabel->setText(tr("%1 — evaluating…").arg(subFormula));
    auto session = m_session;
    const ExprPtr expr = parsed.value();
    m_nodeJob->start([session, expr](Feedback& feedback) -> Result<LabOutcome> {
        return analyze(session, expr, &feedback.cancelFlag);
    });
}

void FormulaLab::showNodeOutcome(const LabOutcome& outcome) {
    if (!outcome.ok) {
        if (outcome.error.code == ErrorCode::Canceled) return;
        m_nodeLabel->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                                 .arg(QString::fromStdString(outcome.error.message).toHtmlEscaped()));
        m_nodeModel->clear();
        Q_EMIT nodeEvaluated(false);
        return;
    }
    const FactorReport& r = outcome.report;
    m_nodeLabel->setText(
        tr("<b>%1</b> — %2")
            .arg(QString::fromStdString(r.formula).toHtmlEscaped(), dimensionText(r.dimension.dimension)));
    m_nodeModel->setMetrics(r.splits);
    Q_EMIT nodeEvaluated(true);
}

void FormulaLab::cancelEvaluation() {
    m_debounce->stop();
    if (!m_busy) return;
    cancelInFlight();
    m_message->setText(tr("Evaluation cancelled. Press Enter to evaluate again."));
}

void FormulaLab::cancelInFlight() {
    m_job->abandon();
    m_detailJob->abandon();
    setBusy(false);
}

void FormulaLab::setBusy(bool busy) {
    if (m_busy == busy) return;
    m_busy = busy;
    m_evaluate->setEnabled(true);
    Q_EMIT busyChanged(busy);
}

void FormulaLab::showError(const Error& error) {
    QString msg = QString::fromStdString(error.message);
    if (error.column > 0) {
        msg = tr("Column %1: %2").arg(error.column).arg(msg);
        m_editor->setError(error.column, msg);
    } else {
        m_editor->clearError();
    }
    m_message->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(msg.toHtmlEscaped()));
    // Results of an earlier formula must not stay on screen under the error.
    m_model->clear();
    m_plots->clear();
    m_report.reset();
    m_save->setEnabled(false);
    Q_EMIT evaluated(false);
}

void FormulaLab::showOutcome(const LabOutcome& outcome) {
    if (!outcome.ok) {
        if (outcome.error.code != ErrorCode::Canceled) showError(outcome.error);
        return;
    }
    const FactorReport& r = outcome.report;
    m_model->setMetrics(r.splits);
    m_plots->setReport(r, *m_session->data);
    m_report = r;
    m_save->setEnabled(true);
    m_lastLatency = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_startedAt) / 1000.0;
    QString msg = tr("<b>%1</b> — %2 — computed in %3 ms")
                      .arg(QString::fromStdString(r.formula).toHtmlEscaped(), dimensionText(r.dimension.dimension))
                      .arg(outcome.seconds * 1000.0, 0, 'f', 0);
    // The same formula in WorldQuant's notation (typed in either, the message shows both).
    if (auto parsed = parseFormula(r.formula); parsed.ok())
        msg +=
            QStringLiteral("<br><span style='color:#606060'>%1</span>")
                .arg(tr("WorldQuant: %1").arg(QString::fromStdString(toWorldQuant(*parsed.value())).toHtmlEscaped()));
    for (const auto& w : r.warnings)
        msg +=
            QStringLiteral("<br><span style='color:#a06000'>%1</span>").arg(QString::fromStdString(w).toHtmlEscaped());
    m_message->setText(msg);
    auto session = m_session;
    FactorReport metrics = r;
    m_detailJob->start([session, metrics](Feedback& feedback) -> Result<FactorReport> {
        FactorReport detailed = metrics;
        auto added = addDecayAndHistogram(*session->evaluator, detailed, session->splits, AnalysisOptions{},
                                          &feedback.cancelFlag);
        if (!added.ok()) return added.error();
        return detailed;
    });
    Q_EMIT factorReady(QString::fromStdString(r.formula), r.values);
    Q_EMIT evaluated(true);
}

void FormulaLab::showDetails(Result<FactorReport> detailed) {
    if (!detailed.ok()) {
        if (detailed.error().code == ErrorCode::Canceled || !m_report) return;
        // The metrics on screen stay; the message line says why the two charts stay empty.
        m_message->setText(m_message->text() +
                           QStringLiteral("<br><span style='color:#a06000'>%1</span>")
                               .arg(QString::fromStdString(detailed.error().toString()).toHtmlEscaped()));
        return;
    }
    // Only for the report on screen (the text may have changed since).
    if (!m_report || !m_session || m_report->values != detailed.value().values) return;
    m_report = std::move(detailed.value());
    m_plots->setReport(*m_report, *m_session->data);
    Q_EMIT detailsShown();
}

} // namespace alphascope::ui
