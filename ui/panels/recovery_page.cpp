#include "ui/panels/recovery_page.h"

#include "ui/qcustomplot_include.h"
#include "ui/util/job_controls.h"
#include "ui/util/latest_job.h"
#include "ui/util/number_text.h"
#include "ui/util/search_choice.h"
#include "ui/views/study_curves_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {

QTableWidget* makeTable(QWidget* parent) {
    auto* t = new QTableWidget(parent);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return t;
}

QString welchCell(const WelchInterval& w) {
    if (!std::isfinite(w.diff)) return QStringLiteral("–");
    return QStringLiteral("%1 [%2, %3]").arg(signedFixed(w.diff, 3), signedFixed(w.lo, 3), signedFixed(w.hi, 3));
}

} // namespace

RecoveryPage::RecoveryPage(QWidget* parent)
    : QWidget(parent), m_seeds(new QSpinBox(this)), m_budget(new QSpinBox(this)), m_formulas(new QPlainTextEdit(this)),
      m_strength(new QDoubleSpinBox(this)), m_threshold(new QDoubleSpinBox(this)), m_days(new QSpinBox(this)),
      m_instruments(new QSpinBox(this)), m_settings(new QLineEdit(this)),
      m_settingsBrowse(new QPushButton(tr("Browse…"), this)), m_run(new QPushButton(tr("&Run benchmark"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_progress(new QProgressBar(this)), m_summary(new QLabel(this)),
      m_tabs(new QTabWidget(this)), m_curveKind(new QComboBox(this)), m_plot(new QCustomPlot(this)),
      m_finds(makeTable(this)), m_differences(makeTable(this)),
      m_job(std::make_unique<LatestJob<RecoveryReport>>(this)) {
    setObjectName(QStringLiteral("RecoveryPage"));
    const RecoverySpec defaults;
    const PlantedSpec market;
    auto* algos = new QGridLayout;
    m_algos = SearchChoice::addBoxes(this, algos,
                                     {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Genetic, SearchAlgo::Random});
    for (const auto& [algo, box] : m_algos) connect(box, &QCheckBox::toggled, this, &RecoveryPage::updateRunEnabled);
    m_seeds->setRange(1, 1000);
    m_seeds->setValue(10);
    m_seeds->setToolTip(
        tr("Seeds per search; the market is the same for all, the seeds drive each search's own draws"));
    m_budget->setRange(10, 100000000);
    m_budget->setSingleStep(1000);
    m_budget->setValue(static_cast<int>(defaults.evaluations));
    m_budget->setGroupSeparatorShown(true);
    m_budget->setToolTip(tr("Formula evaluations per run; the curves are read at ten even checkpoints"));
    QStringList planted;
    for (const std::string& f : recoveryDefaultFormulas()) planted << QString::fromStdString(f);
    m_formulas->setPlainText(planted.join(QLatin1Char('\n')));
    m_formulas->setToolTip(
        tr("One planted formula per line: the next-day return is their sum (z-scored) plus noise. The default has "
           "one formula of each depth 1 to 4; without Log($volume) the market has no lasting drift"));
    m_formulas->setMaximumHeight(fontMetrics().height() * 6);
    m_strength->setRange(0.0, 10.0);
    m_strength->setSingleStep(0.05);
    m_strength->setDecimals(2);
    m_strength->setValue(market.strength);
    m_strength->setToolTip(tr("Signal-to-noise of the next-day return"));
    m_threshold->setRange(0.01, 1.0);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_threshold->setValue(defaults.threshold);
    m_threshold->setToolTip(
        tr("A planted formula counts as found when a pool member correlates with it at least this much on train"));
    m_days->setRange(80, 20000);
    m_days->setValue(market.market.days);
    m_instruments->setRange(10, 20000);
    m_instruments->setValue(market.market.instruments);
    m_settings->setPlaceholderText(tr("Defaults"));
    m_settings->setToolTip(
        tr("A search config JSON file, as alphascope-cli recovery --config: its keys are applied to every search's "
           "defaults. Empty: every search's defaults"));
    m_settings->setClearButtonEnabled(true);
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setObjectName(QStringLiteral("RecoverySummary"));
    m_summary->setText(
        tr("Can a search find formulas planted in a market, and how fast? Each search runs with several seeds on a "
           "synthetic market whose returns are made of the planted formulas plus noise; the curves give the share of "
           "them its pool holds (|corr| at the threshold) and how close it came, against the evaluations spent."));

    m_curveKind->addItem(tr("Share of the planted formulas found"));
    m_curveKind->addItem(tr("Closeness (largest |corr| with each, averaged)"));
    m_plot->setMinimumSize(300, 200);
    m_plot->xAxis->setLabel(tr("Evaluations"));
    m_plot->legend->setVisible(true);
    auto* curves = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addWidget(m_curveKind, 0, Qt::AlignLeft);
    curvesLayout->addWidget(m_plot, 1);
    m_finds->setObjectName(QStringLiteral("RecoveryFinds"));
    m_finds->setToolTip(
        tr("Seeds whose pool ever held the formula (from the earliest evaluation count), and the largest |corr| "
           "any pool of a run reached with it: mean [lowest, highest] over the seeds"));
    m_differences->setObjectName(QStringLiteral("RecoveryDifferences"));
    m_differences->setToolTip(
        tr("First minus second, Welch 95 % interval over seeds and two-sided p (the runs are not paired: the seeds "
           "drive each search's own draws on one market). Bold: the interval excludes 0."));
    m_tabs->addTab(curves, tr("Curves"));
    m_tabs->addTab(m_finds, tr("Planted formulas"));
    m_tabs->addTab(m_differences, tr("Differences"));

    auto* settingsRow = new QHBoxLayout;
    settingsRow->addWidget(m_settings, 1);
    settingsRow->addWidget(m_settingsBrowse);
    auto* form = new QFormLayout;
    form->addRow(tr("Searches"), algos);
    form->addRow(tr("Seeds"), m_seeds);
    form->addRow(tr("Evaluations per run"), m_budget);
    form->addRow(tr("Planted formulas"), m_formulas);
    form->addRow(tr("Strength"), m_strength);
    form->addRow(tr("Found at |corr| ≥"), m_threshold);
    form->addRow(tr("Days"), m_days);
    form->addRow(tr("Instruments"), m_instruments);
    form->addRow(tr("Settings"), settingsRow);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_summary);
    right->addWidget(m_tabs, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(right, 7);

    connect(m_run, &QPushButton::clicked, this, &RecoveryPage::run);
    connect(m_cancel, &QPushButton::clicked, this, &RecoveryPage::cancel);
    connect(m_formulas, &QPlainTextEdit::textChanged, this, &RecoveryPage::updateRunEnabled);
    connect(m_settingsBrowse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Search settings"), m_settings->text(),
                                                          tr("Search config (*.json);;All files (*)"));
        if (!file.isEmpty()) m_settings->setText(file);
    });
    connect(m_curveKind, &QComboBox::currentIndexChanged, this, &RecoveryPage::showCurves);
    m_job->onBusyChanged = [this](bool busy) {
        showJobBusy(busy, true, m_run, m_cancel, m_progress);
        updateRunEnabled();
        Q_EMIT busyChanged(busy);
    };
    m_job->onProgress = [this](const TaskProgress& p) { showJobProgress(p, m_progress); };
    m_job->onDone = [this](Result<RecoveryReport> r) { onDone(r); };
    updateRunEnabled();
}

RecoveryPage::~RecoveryPage() = default;

bool RecoveryPage::busy() const {
    return m_job->busy();
}
void RecoveryPage::cancel() {
    m_job->cancel();
}

void RecoveryPage::updateRunEnabled() {
    const bool any = std::any_of(m_algos.begin(), m_algos.end(), [](const auto& a) { return a.second->isChecked(); });
    const bool formulas = !m_formulas->toPlainText().trimmed().isEmpty();
    m_run->setEnabled(!m_job->busy() && any && formulas);
    m_run->setToolTip(!any ? tr("Choose at least one search")
                           : (!formulas ? tr("Plant at least one formula") : QString()));
}

RecoverySpec RecoveryPage::spec() const {
    RecoverySpec s;
    s.market.formulas.clear(); // PlantedSpec's default formula is not one of the page's
    for (const QString& line : m_formulas->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty()) s.market.formulas.push_back(line.trimmed().toStdString());
    s.market.weights.assign(s.market.formulas.size(), 1.0);
    s.market.strength = m_strength->value();
    s.market.market.days = m_days->value();
    s.market.market.instruments = m_instruments->value();
    s.algos = SearchChoice::ticked(m_algos);
    for (int k = 0; k < m_seeds->value(); ++k) s.seeds.push_back(static_cast<std::uint64_t>(k));
    s.evaluations = m_budget->value();
    s.threshold = m_threshold->value();
    return s;
}

void RecoveryPage::run() {
    if (!m_run->isEnabled()) return;
    const RecoverySpec s = spec();
    QString error;
    const auto base = SearchChoice::settings(m_settings->text().trimmed(), s.algos, &error);
    if (!base) {
        m_summary->setText(error.toHtmlEscaped());
        return;
    }
    m_summary->setText(
        tr("Running %n search(es) on the planted market…", "", static_cast<int>(s.algos.size() * s.seeds.size())));
    m_job->start([s, base = *base](Feedback& feedback) { return runRecovery(s, base, feedback); });
}

void RecoveryPage::onDone(Result<RecoveryReport>& result) {
    if (!result.ok()) {
        const Error& e = result.error();
        m_summary->setText(
            e.code == ErrorCode::Canceled
                ? tr("Benchmark cancelled.")
                : tr("The benchmark failed: %1").arg(QString::fromStdString(e.toString()).toHtmlEscaped()));
        Q_EMIT finished(false);
        return;
    }
    m_report = std::make_unique<RecoveryReport>(std::move(result.value()));
    showReport();
    Q_EMIT finished(true);
}

void RecoveryPage::showReport() {
    const RecoveryReport& r = *m_report;
    const auto label = [this](SearchAlgo algo) { return m_algos.at(algo)->text(); };
    const auto finds = recoveryFinds(r);

    QStringList headers{tr("Planted formula"), tr("Realised IC")};
    for (SearchAlgo algo : r.spec.algos) headers << label(algo);
    m_finds->setColumnCount(static_cast<int>(headers.size()));
    m_finds->setHorizontalHeaderLabels(headers);
    m_finds->setRowCount(static_cast<int>(r.planted.size()));
    for (int p = 0; p < static_cast<int>(r.planted.size()); ++p) {
        m_finds->setItem(p, 0, new QTableWidgetItem(QString::fromStdString(r.planted[p])));
        m_finds->setItem(p, 1, new QTableWidgetItem(QString::number(r.realisedIc[p], 'f', 3)));
        for (int k = 0; k < static_cast<int>(r.spec.algos.size()); ++k) {
            const RecoveryFind& f = finds[k][p];
            QString text = f.seeds > 0 ? tr("%1 of %2 (from %3)").arg(f.seeds).arg(r.spec.seeds.size()).arg(f.earliest)
                                       : tr("0 of %1").arg(r.spec.seeds.size());
            if (std::isfinite(f.bestMean))
                text += QStringLiteral("; %1 [%2, %3]")
                            .arg(QString::number(f.bestMean, 'f', 2), QString::number(f.bestLo, 'f', 2),
                                 QString::number(f.bestHi, 'f', 2));
            m_finds->setItem(p, 2 + k, new QTableWidgetItem(text));
        }
    }

    const std::vector<RecoveryDifference> differences = recoveryDifferences(r);
    const long long budget = r.spec.checkpoints.empty() ? r.spec.evaluations : r.spec.checkpoints.back();
    m_differences->setColumnCount(7);
    m_differences->setHorizontalHeaderLabels({tr("First − second"), tr("Share at %1").arg(budget), tr("p"),
                                              tr("Area under the curve"), tr("p"), tr("Closeness at %1").arg(budget),
                                              tr("p")});
    m_differences->setRowCount(static_cast<int>(differences.size()));
    for (int row = 0; row < static_cast<int>(differences.size()); ++row) {
        const RecoveryDifference& d = differences[row];
        const QStringList cells{tr("%1 − %2").arg(label(d.first), label(d.second)),
                                welchCell(d.atBudget),
                                QString::number(d.atBudget.p, 'f', 3),
                                welchCell(d.area),
                                QString::number(d.area.p, 'f', 3),
                                welchCell(d.closeness),
                                std::isfinite(d.closeness.p) ? QString::number(d.closeness.p, 'f', 3)
                                                             : QStringLiteral("–")};
        const bool excludes[] = {false,
                                 d.atBudget.lo > 0 || d.atBudget.hi<0, false, d.area.lo> 0 ||
                                     d.area.hi<0, false, d.closeness.lo> 0 || d.closeness.hi < 0,
                                 false};
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            const bool bold = col > 0 ? excludes[col] || (col % 2 == 0 && excludes[col - 1]) : false;
            if (bold) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_differences->setItem(row, col, item);
        }
    }

    // The summary: each search's share at the budget and its area, the best first.
    std::vector<std::pair<double, QString>> shares;
    for (std::size_t k = 0; k < r.spec.algos.size(); ++k) {
        const MeanInterval& m = r.curves[k].back();
        std::vector<double> areas;
        for (const RecoveryRun& run : r.runs)
            if (run.algo == r.spec.algos[k]) areas.push_back(recoveryArea(run));
        const MeanInterval area = meanInterval(areas);
        shares.emplace_back(m.mean, tr("%1 %2 [%3, %4] (area %5)")
                                        .arg(label(r.spec.algos[k]), QString::number(m.mean, 'f', 2),
                                             QString::number(m.lo, 'f', 2), QString::number(m.hi, 'f', 2),
                                             QString::number(area.mean, 'f', 3)));
    }
    std::stable_sort(shares.begin(), shares.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList parts;
    for (const auto& s : shares) parts << s.second;
    m_summary->setText(tr("%n planted formula(s), %1 seeds, %2 evaluations per run. Share found at the budget: %3.", "",
                          static_cast<int>(r.planted.size()))
                           .arg(r.spec.seeds.size())
                           .arg(budget)
                           .arg(parts.join(QStringLiteral("; ")))
                           .toHtmlEscaped());
    showCurves();
}

void RecoveryPage::showCurves() {
    m_plot->clearPlottables();
    if (!m_report) {
        m_plot->replot();
        return;
    }
    const RecoveryReport& r = *m_report;
    const bool closeness = m_curveKind->currentIndex() == 1;
    const auto& curves = closeness ? r.closenessCurves : r.curves;
    QVector<double> x;
    for (long long c : r.spec.checkpoints) x << double(c);
    for (std::size_t k = 0; k < r.spec.algos.size() && k < curves.size(); ++k) {
        const QColor color = studyAlgorithmColor(std::string(searchAlgoName(r.spec.algos[k])));
        QVector<double> mean, lo, hi;
        for (const MeanInterval& m : curves[k]) {
            mean << m.mean;
            lo << (std::isfinite(m.lo) ? m.lo : m.mean);
            hi << (std::isfinite(m.hi) ? m.hi : m.mean);
        }
        QCPGraph* low = m_plot->addGraph();
        low->setData(x, lo, true);
        low->setPen(Qt::NoPen);
        low->removeFromLegend();
        QCPGraph* high = m_plot->addGraph();
        high->setData(x, hi, true);
        high->setPen(Qt::NoPen);
        QColor band = color;
        band.setAlpha(45);
        high->setBrush(band);
        high->setChannelFillGraph(low);
        high->removeFromLegend();
        QCPGraph* line = m_plot->addGraph();
        line->setData(x, mean, true);
        line->setPen(QPen(color, 2.2));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        line->setName(m_algos.at(r.spec.algos[k])->text());
    }
    m_plot->yAxis->setLabel(closeness ? tr("closeness") : tr("share found"));
    m_plot->xAxis->setRange(0, x.isEmpty() ? 1.0 : x.back() * 1.02);
    m_plot->yAxis->setRange(0, 1.02);
    m_plot->replot();
}

} // namespace alphascope::ui
