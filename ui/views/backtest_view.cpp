#include "ui/views/backtest_view.h"

#include "ui/models/backtest_stats_model.h"
#include "ui/util/latest_job.h"
#include "ui/views/backtest_chart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {

constexpr int kAutoRunDelayMs = 250; // coalesce a burst of form edits into one run
constexpr double kBasisPoint = 1e-4;
constexpr int kAllSplits = -1; // period combo data of "All splits"

QString csvNumber(double v) {
    return std::isfinite(v) ? QString::number(v, 'g', 12) : QString();
}

} // namespace

BacktestView::BacktestView(QWidget* parent)
    : QWidget(parent), m_strategy(new QComboBox(this)), m_topk(new QSpinBox(this)), m_ndrop(new QSpinBox(this)),
      m_quantiles(new QSpinBox(this)), m_openCost(new QDoubleSpinBox(this)), m_closeCost(new QDoubleSpinBox(this)),
      m_minCost(new QDoubleSpinBox(this)), m_account(new QDoubleSpinBox(this)), m_period(new QComboBox(this)),
      m_run(new QPushButton(tr("&Run backtest"), this)), m_autoRun(new QCheckBox(tr("Run automatically"), this)),
      m_exportCsv(new QPushButton(tr("Export CSV…"), this)), m_exportPng(new QPushButton(tr("Export PNG…"), this)),
      m_message(new QLabel(this)), m_table(new QTableView(this)), m_stats(new BacktestStatsModel(this)),
      m_plot(new BacktestChart(this)), m_autoTimer(new QTimer(this)),
      m_job(std::make_unique<LatestJob<BacktestOutcome>>(this)) {
    m_run->setObjectName(QStringLiteral("runButton"));
    m_exportCsv->setObjectName(QStringLiteral("exportCsvButton"));
    m_exportPng->setObjectName(QStringLiteral("exportPngButton"));
    buildForm();

    // Three columns (form, statistics, chart) so that the view stays short enough for a bottom dock.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* form = new QGridLayout;
    auto addField = [this, form](int row, int col, const QString& label, QWidget* field, int span = 1) {
        auto* l = new QLabel(label, this);
        l->setBuddy(field);
        form->addWidget(l, row, col * 2);
        form->addWidget(field, row, col * 2 + 1, 1, span);
    };
    addField(0, 0, tr("Strategy:"), m_strategy, 3);
    addField(1, 0, tr("Period:"), m_period, 3);
    addField(2, 0, tr("Top k:"), m_topk);
    addField(2, 1, tr("Drop n:"), m_ndrop);
    addField(3, 0, tr("Quantiles:"), m_quantiles);
    addField(3, 1, tr("Min cost:"), m_minCost);
    addField(4, 0, tr("Open cost:"), m_openCost);
    addField(4, 1, tr("Close cost:"), m_closeCost);
    addField(5, 0, tr("Capital:"), m_account, 3);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    leftLayout->addLayout(form);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_autoRun);
    runRow->addStretch(1);
    leftLayout->addLayout(runRow);
    leftLayout->addWidget(m_message);
    leftLayout->addStretch(1);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_exportCsv);
    exportRow->addWidget(m_exportPng);
    exportRow->addStretch(1);
    leftLayout->addLayout(exportRow);

    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setModel(m_stats);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_table->setMinimumWidth(360);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_table);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 1);
    splitter->setSizes({310, 370, 600});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    m_autoTimer->setSingleShot(true);
    m_autoTimer->setInterval(kAutoRunDelayMs);
    connect(m_autoTimer, &QTimer::timeout, this, &BacktestView::run);
    connect(m_run, &QPushButton::clicked, this, &BacktestView::run);
    connect(m_exportCsv, &QPushButton::clicked, this, &BacktestView::exportCsvDialog);
    connect(m_exportPng, &QPushButton::clicked, this, &BacktestView::exportPngDialog);
    m_job->onBusyChanged = [this](bool busy) { setBusy(busy); };
    m_job->onDone = [this](Result<BacktestOutcome> r) {
        if (!r.ok() && r.error().code == ErrorCode::Canceled) {
            m_message->setText(tr("Backtest cancelled."));
            return;
        }
        BacktestOutcome outcome;
        if (r.ok())
            outcome = std::move(r.value());
        else
            outcome.error = r.error();
        outcome.ok = r.ok();
        showOutcome(outcome);
    };
    clearResults();
}

BacktestView::~BacktestView() = default;

void BacktestView::buildForm() {
    m_strategy->addItem(tr("Top-k dropout"), int(BacktestStrategy::TopkDropout));
    m_strategy->addItem(tr("Long-short quantile"), int(BacktestStrategy::LongShortQuantile));
    m_strategy->addItem(tr("Long-only top quantile"), int(BacktestStrategy::LongOnlyTopQuantile));
    m_topk->setRange(1, 100000);
    m_topk->setToolTip(tr("Names held by the top-k dropout strategy"));
    m_ndrop->setRange(0, 100000);
    m_ndrop->setToolTip(tr("Most names replaced a day"));
    m_quantiles->setRange(2, 100);
    for (QDoubleSpinBox* cost : {m_openCost, m_closeCost}) {
        cost->setRange(0.0, 1000.0);
        cost->setDecimals(1);
        cost->setSuffix(tr(" bp"));
    }
    m_openCost->setToolTip(tr("Cost of a buy (or of opening a short), in basis points of the traded value"));
    m_closeCost->setToolTip(tr("Cost of a sell (or of covering a short), in basis points of the traded value"));
    m_minCost->setRange(0.0, 1e9);
    m_minCost->setDecimals(2);
    m_minCost->setToolTip(tr("Minimum cost per order, in the currency of the capital"));
    m_account->setRange(1.0, 1e15);
    m_account->setDecimals(0);
    m_account->setGroupSeparatorShown(true);
    m_account->setToolTip(tr("Starting capital (matters only with a minimum cost)"));
    m_autoRun->setChecked(true);
    setConfig(BacktestConfig{});

    connect(m_strategy, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        updateStrategyFields();
        settingsChanged();
    });
    for (QSpinBox* box : {m_topk, m_ndrop, m_quantiles})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &BacktestView::settingsChanged);
    for (QDoubleSpinBox* box : {m_openCost, m_closeCost, m_minCost, m_account})
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &BacktestView::settingsChanged);
    connect(m_period, qOverload<int>(&QComboBox::currentIndexChanged), this, &BacktestView::settingsChanged);
}

void BacktestView::setSession(std::shared_ptr<const ResearchSession> session) {
    m_session = std::move(session);
    m_score.reset();
    m_label.clear();
    m_job->abandon(); // a result in flight belongs to the old data
    const QSignalBlocker block(m_period);
    m_period->clear();
    if (m_session) {
        for (int k = 0; k < static_cast<int>(m_session->splits.size()); ++k) {
            const Split& s = m_session->splits[static_cast<std::size_t>(k)];
            m_period->addItem(tr("%1 (%2 .. %3)")
                                  .arg(QString::fromStdString(s.name), QString::fromStdString(s.first.toString()),
                                       QString::fromStdString(s.last.toString())),
                              k);
        }
        if (!m_session->splits.empty()) m_period->addItem(tr("All splits"), kAllSplits);
        m_period->setCurrentIndex(m_period->count() - 1);
    }
    clearResults();
}

void BacktestView::setScore(const QString& label, PanelPtr score) {
    m_label = label;
    m_score = std::move(score);
    if (m_autoRun->isChecked()) run();
}

BacktestConfig BacktestView::config() const {
    BacktestConfig cfg;
    cfg.strategy = static_cast<BacktestStrategy>(m_strategy->currentData().toInt());
    cfg.topk = m_topk->value();
    cfg.ndrop = m_ndrop->value();
    cfg.quantiles = m_quantiles->value();
    cfg.openCost = m_openCost->value() * kBasisPoint;
    cfg.closeCost = m_closeCost->value() * kBasisPoint;
    cfg.minCost = m_minCost->value();
    cfg.account = m_account->value();
    return cfg;
}

void BacktestView::setConfig(const BacktestConfig& cfg) {
    // One run for the whole change, not one per field.
    const bool wasAuto = m_autoRun->isChecked();
    m_autoRun->setChecked(false);
    m_strategy->setCurrentIndex(std::max(0, m_strategy->findData(int(cfg.strategy))));
    m_topk->setValue(cfg.topk);
    m_ndrop->setValue(cfg.ndrop);
    m_quantiles->setValue(cfg.quantiles);
    m_openCost->setValue(cfg.openCost / kBasisPoint);
    m_closeCost->setValue(cfg.closeCost / kBasisPoint);
    m_minCost->setValue(cfg.minCost);
    m_account->setValue(cfg.account);
    m_autoRun->setChecked(wasAuto);
    updateStrategyFields();
    settingsChanged();
}

DayRange BacktestView::period() const {
    if (!m_session || m_session->splits.empty()) return {};
    const auto& splits = m_session->splits;
    const int k = m_period->currentData().isValid() ? m_period->currentData().toInt() : kAllSplits;
    if (k == kAllSplits || k >= static_cast<int>(splits.size())) return {splits.front().begin, splits.back().end};
    return {splits[static_cast<std::size_t>(k)].begin, splits[static_cast<std::size_t>(k)].end};
}

void BacktestView::updateStrategyFields() {
    const bool topk = m_strategy->currentData().toInt() == int(BacktestStrategy::TopkDropout);
    m_topk->setEnabled(topk);
    m_ndrop->setEnabled(topk);
    m_quantiles->setEnabled(!topk);
}

void BacktestView::settingsChanged() {
    if (m_autoRun->isChecked() && m_score) m_autoTimer->start();
}

void BacktestView::run() {
    m_autoTimer->stop();
    if (!m_session) {
        m_message->setText(tr("No dataset is loaded."));
        return;
    }
    if (!m_score) {
        m_message->setText(
            tr("Nothing to backtest yet: evaluate a formula in the lab or combine factors in the library."));
        return;
    }
    const PanelPtr score = m_score;
    const DayRange range = period();
    const BacktestConfig cfg = config();
    auto session = m_session;
    m_message->setText(tr("Running…"));
    m_job->start([session, score, range, cfg](Feedback& feedback) -> Result<BacktestOutcome> {
        const Panel* prices = session->data->field("close");
        if (!prices) return makeError(ErrorCode::NotFound, "the dataset has no close prices");
        auto r = runBacktest(*score, *prices, range, cfg, &feedback);
        if (!r.ok()) return r.error();
        BacktestOutcome out;
        out.ok = true;
        out.result = std::move(r.value());
        out.series = makeBacktestSeries(out.result, session->data->calendar);
        return out;
    });
}

void BacktestView::cancel() {
    m_job->cancel();
}

void BacktestView::setBusy(bool busy) {
    if (m_busy == busy) return;
    m_busy = busy;
    m_run->setEnabled(!busy);
    Q_EMIT busyChanged(busy);
}

void BacktestView::clearResults() {
    m_last = BacktestOutcome{};
    m_stats->clear();
    m_plot->clearChart(tr("No backtest yet"));
    m_exportCsv->setEnabled(false);
    m_message->setText(m_session ? tr("Evaluate a formula to backtest it.") : tr("No dataset is loaded."));
}

void BacktestView::showError(const QString& message) {
    clearResults(); // a result of other settings must not stay on screen under the error
    m_message->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(message.toHtmlEscaped()));
    Q_EMIT finished(false);
}

void BacktestView::showOutcome(const BacktestOutcome& outcome) {
    if (!outcome.ok) {
        showError(QString::fromStdString(outcome.error.toString()));
        return;
    }
    m_last = outcome;
    m_stats->setResult(outcome.result);
    const BacktestConfig& cfg = outcome.result.config;
    QString strategy = m_strategy->itemText(m_strategy->findData(int(cfg.strategy)));
    if (cfg.strategy == BacktestStrategy::TopkDropout)
        strategy += tr(" %1 / %2").arg(cfg.topk).arg(cfg.ndrop);
    else
        strategy += tr(", %1 quantiles").arg(cfg.quantiles);
    m_plot->showSeries(
        outcome.series, m_session ? m_session->splits : std::vector<Split>{},
        tr("%1 — %2 — %3").arg(m_label.isEmpty() ? tr("Score") : m_label, strategy, m_period->currentText()));
    const BacktestSeries& s = outcome.series;
    m_exportCsv->setEnabled(true);
    m_message->setText(s.dates.isEmpty()
                           ? tr("The period holds no tradable day.")
                           : tr("%1 days, %2 .. %3").arg(s.dates.size()).arg(s.dates.front(), s.dates.back()));
    Q_EMIT finished(true);
}

bool BacktestView::exportCsv(const QString& path) const {
    if (!m_last.ok) return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&file);
    out << "date,return,benchmark,excess,turnover,cost,value,holdings,cumulative_return,benchmark_cumulative,"
           "drawdown\n";
    const auto& days = m_last.result.days;
    const BacktestSeries& s = m_last.series;
    for (std::size_t k = 0; k < days.size(); ++k) {
        const BacktestDay& d = days[k];
        const auto i = static_cast<qsizetype>(k);
        out << s.dates[i] << ',' << csvNumber(d.ret) << ',' << csvNumber(d.benchmark) << ',' << csvNumber(d.excess)
            << ',' << csvNumber(d.turnover) << ',' << csvNumber(d.cost) << ',' << csvNumber(d.value) << ','
            << d.holdings << ',' << csvNumber(s.cumulative[i]) << ',' << csvNumber(s.benchmark[i]) << ','
            << csvNumber(s.drawdown[i]) << '\n';
    }
    out.flush();
    return out.status() == QTextStream::Ok && file.error() == QFileDevice::NoError;
}

bool BacktestView::exportPng(const QString& path) const {
    // A view never shown has no useful size; render at a readable default then.
    const bool sized = m_plot->width() >= 300 && m_plot->height() >= 300;
    return m_plot->savePng(path, sized ? 0 : 1100, sized ? 0 : 800);
}

void BacktestView::exportCsvDialog() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export daily series"), QString(), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    if (!exportCsv(path)) m_message->setText(tr("Could not write %1.").arg(path));
}

void BacktestView::exportPngDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QString(), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!exportPng(path)) m_message->setText(tr("Could not write %1.").arg(path));
}

} // namespace alphascope::ui
