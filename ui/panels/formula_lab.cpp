#include "ui/panels/formula_lab.h"

#include "core/expr/parser.h"
#include "ui/qcustomplot_include.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <cmath>

namespace alphascope::ui {

namespace {
constexpr int kDebounceMs = 300; // evaluate once typing pauses this long

QString formatMetric(double v, int decimals = 4) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
}
} // namespace

FormulaLab::FormulaLab(QWidget* parent)
    : QWidget(parent), m_editor(new QLineEdit(this)), m_evaluate(new QPushButton(tr("&Evaluate"), this)),
      m_message(new QLabel(this)), m_table(new QTableWidget(this)), m_plot(new QCustomPlot(this)), m_debounce(new QTimer(this)) {
    m_editor->setPlaceholderText(tr("Type a formula, e.g. Div(Sub($close,$open),Sub($high,$low))"));
    m_editor->setClearButtonEnabled(true);
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    m_editor->setFont(mono);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const QStringList columns = {tr("Split"), tr("First day"), tr("Last day"), tr("IC days"), tr("IC"), tr("Rank IC"), tr("ICIR"),
                                 tr("Rank ICIR"), tr("Coverage"), tr("Turnover"), tr("Autocorr.")};
    m_table->setColumnCount(static_cast<int>(columns.size()));
    m_table->setHorizontalHeaderLabels(columns);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setMaximumHeight(140);

    m_plot->xAxis->setLabel(tr("Date"));
    m_plot->yAxis->setLabel(tr("Cumulative IC"));
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("yyyy-MM"));
    m_plot->xAxis->setTicker(ticker);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200)); // the curves stay visible under the legend
    m_plot->setMinimumHeight(220);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Formula:"), this));
    row->addWidget(m_editor, 1);
    row->addWidget(m_evaluate);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_message);
    layout->addWidget(m_table);
    layout->addWidget(m_plot, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &FormulaLab::evaluateNow);
    connect(m_editor, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_editor, &QLineEdit::returnPressed, this, &FormulaLab::evaluateNow);
    connect(m_evaluate, &QPushButton::clicked, this, &FormulaLab::evaluateNow);
    connect(&m_watcher, &QFutureWatcher<LabOutcome>::finished, this, [this] {
        const LabOutcome outcome = m_watcher.result();
        if (outcome.generation != m_generation) return; // superseded
        setBusy(false);
        showOutcome(outcome);
    });
}

void FormulaLab::setSession(std::shared_ptr<const ResearchSession> session) {
    m_session = std::move(session);
    m_table->setRowCount(0);
    m_plot->clearGraphs();
    m_plot->replot();
    if (m_session && !m_editor->text().trimmed().isEmpty()) evaluateNow();
}

QString FormulaLab::formula() const { return m_editor->text(); }

void FormulaLab::setFormula(const QString& text) { m_editor->setText(text); }

void FormulaLab::evaluateNow() {
    m_debounce->stop();
    if (!m_session) {
        m_message->setText(tr("No dataset is loaded."));
        return;
    }
    const std::string text = m_editor->text().toStdString();
    if (m_editor->text().trimmed().isEmpty()) {
        m_message->clear();
        return;
    }
    auto parsed = parseFormula(text, parseOptionsFor(*m_session->data, false));
    if (!parsed.ok()) {
        cancelInFlight(); // a late result must not replace the error
        showError(parsed.error());
        return;
    }
    cancelInFlight();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const int generation = m_generation;
    m_message->setText(tr("Evaluating…"));
    setBusy(true);
    auto session = m_session;
    auto cancel = m_cancel;
    ExprPtr expr = parsed.value();
    m_watcher.setFuture(QtConcurrent::run([session, cancel, expr, generation] {
        LabOutcome out;
        out.generation = generation;
        const auto t0 = std::chrono::steady_clock::now();
        auto r = analyzeFactor(*session->evaluator, expr, session->targetValues, session->splits, AnalysisOptions{}, cancel.get());
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (r.ok()) {
            out.ok = true;
            out.report = std::move(r.value());
        } else {
            out.error = r.error();
        }
        return out;
    }));
}

void FormulaLab::cancelInFlight() {
    if (m_cancel) m_cancel->store(true);
    ++m_generation;
    setBusy(false);
}

void FormulaLab::setBusy(bool busy) {
    if (m_busy == busy) return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void FormulaLab::showError(const Error& error) {
    QString msg = QString::fromStdString(error.message);
    if (error.column > 0) msg = tr("Column %1: %2").arg(error.column).arg(msg);
    m_message->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(msg.toHtmlEscaped()));
    // Results of an earlier formula must not stay on screen under the error.
    m_table->setRowCount(0);
    m_plot->clearGraphs();
    m_plot->replot();
    if (error.column > 0) {
        m_editor->setCursorPosition(error.column - 1);
        m_editor->setSelection(error.column - 1, 1);
    }
    Q_EMIT evaluated(false);
}

void FormulaLab::showOutcome(const LabOutcome& outcome) {
    if (!outcome.ok) {
        if (outcome.error.code != ErrorCode::Canceled) showError(outcome.error);
        return;
    }
    const FactorReport& r = outcome.report;
    QString msg = tr("%1 — dimension %2 — %3 ms").arg(QString::fromStdString(r.formula), QString::fromStdString(r.dimension.dimension.toString())).arg(outcome.seconds * 1000.0, 0, 'f', 0);
    for (const auto& w : r.warnings) msg += QStringLiteral("<br><span style='color:#a06000'>%1</span>").arg(QString::fromStdString(w).toHtmlEscaped());
    m_message->setText(msg);

    m_table->setRowCount(static_cast<int>(r.splits.size()));
    for (int k = 0; k < static_cast<int>(r.splits.size()); ++k) {
        const SplitMetrics& m = r.splits[static_cast<std::size_t>(k)];
        const QStringList cells = {QString::fromStdString(m.name), m.days ? QString::fromStdString(m.first.toString()) : QString(),
                                   m.days ? QString::fromStdString(m.last.toString()) : QString(), QString::number(m.icDays),
                                   formatMetric(m.ic), formatMetric(m.rankIc), formatMetric(m.icir, 3), formatMetric(m.rankIcir, 3),
                                   formatMetric(m.coverage, 3), formatMetric(m.turnover, 3), formatMetric(m.autocorrelation, 3)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 3) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(k, c, item);
        }
    }

    m_plot->clearGraphs();
    const MarketData& data = *m_session->data;
    auto addCurve = [&](const std::vector<double>& daily, const QString& name, const QColor& color) {
        QVector<double> x, y;
        double cum = 0;
        for (int t = 0; t < data.days(); ++t) {
            const double v = daily[static_cast<std::size_t>(t)];
            if (!std::isfinite(v)) continue;
            cum += v;
            const Date d = data.calendar[t];
            x.push_back(QDateTime(QDate(d.year(), d.month(), d.day()), QTime(0, 0), Qt::UTC).toSecsSinceEpoch());
            y.push_back(cum);
        }
        QCPGraph* g = m_plot->addGraph();
        g->setName(name);
        g->setPen(QPen(color, 1.5));
        g->setData(x, y, true);
    };
    addCurve(r.dailyIc, tr("Cumulative IC"), QColor(31, 119, 180));
    addCurve(r.dailyRankIc, tr("Cumulative Rank IC"), QColor(214, 39, 40));
    m_plot->rescaleAxes();
    m_plot->replot();
    Q_EMIT evaluated(true);
}

} // namespace alphascope::ui
