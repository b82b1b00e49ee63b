#include "ui/panels/study_panel.h"

#include "ui/util/job_controls.h"
#include "ui/util/latest_job.h"
#include "ui/util/number_text.h"
#include "ui/util/search_choice.h"
#include "ui/views/study_curves_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace alphascope::ui {

namespace {

QString interval(const MeanInterval& m, int digits) {
    return std::isfinite(m.lo) ? QStringLiteral("[%1, %2]").arg(signedFixed(m.lo, digits), signedFixed(m.hi, digits))
                               : QStringLiteral("–");
}
bool excludesZero(const MeanInterval& m) {
    return std::isfinite(m.lo) && std::isfinite(m.hi) && (m.lo > 0 || m.hi < 0);
}

QTableWidget* makeTable(QWidget* parent, const QStringList& headers) {
    auto* t = new QTableWidget(parent);
    t->setColumnCount(static_cast<int>(headers.size()));
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return t;
}

void setRow(QTableWidget* table, int row, const QStringList& cells, bool bold, const QStringList& tips = {}) {
    for (int col = 0; col < cells.size(); ++col) {
        auto* item = new QTableWidgetItem(cells[col]);
        if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (bold) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        if (col < tips.size() && !tips[col].isEmpty()) item->setToolTip(tips[col]);
        table->setItem(row, col, item);
    }
}

} // namespace

StudyPanel::StudyPanel(QWidget* parent)
    : QWidget(parent), m_seeds(new QSpinBox(this)), m_firstSeed(new QSpinBox(this)), m_budget(new QSpinBox(this)),
      m_jobs(new QSpinBox(this)), m_persistence(new QSpinBox(this)), m_folder(new QLineEdit(this)),
      m_settings(new QLineEdit(this)), m_settingsBrowse(new QPushButton(tr("Browse…"), this)),
      m_browse(new QPushButton(tr("Browse…"), this)), m_newFolder(new QPushButton(tr("New"), this)),
      m_run(new QPushButton(tr("&Run study"), this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_openButton(new QPushButton(tr("&Open study…"), this)),
      m_compareButton(new QPushButton(tr("Compare with…"), this)), m_progress(new QProgressBar(this)),
      m_summary(new QLabel(this)), m_tabs(new QTabWidget(this)), m_curveKind(new QComboBox(this)),
      m_plot(new StudyCurvesPlot(this)), m_curvesNote(new QLabel(this)),
      m_job(std::make_unique<LatestJob<StudyOutcome>>(this)) {
    setObjectName(QStringLiteral("StudyPanel"));
    const StudySpec defaults;
    auto* algos = new QGridLayout;
    m_algos = SearchChoice::addBoxes(this, algos, {SearchAlgo::Mcts, SearchAlgo::Genetic, SearchAlgo::Random});
    for (const auto& [algo, box] : m_algos) connect(box, &QCheckBox::toggled, this, &StudyPanel::updateRunEnabled);
    m_seeds->setRange(1, 1000);
    m_seeds->setValue(5);
    m_seeds->setToolTip(
        tr("Seeds per search: the intervals are over seeds, so two seeds are the least and five a usual study"));
    m_firstSeed->setRange(0, 1000000);
    m_budget->setRange(10, 100000000);
    m_budget->setSingleStep(1000);
    m_budget->setValue(2000);
    m_budget->setGroupSeparatorShown(true);
    m_budget->setToolTip(
        tr("Formula evaluations per run, equal for every search. On 500 stocks x 5 years and 2 cores a run of "
           "20,000 takes about 1.5 (GP) to 10 (GFlowNet) minutes"));
    m_jobs->setRange(1, std::max(1, QThread::idealThreadCount()));
    m_jobs->setValue(1);
    m_jobs->setToolTip(tr("Searches run at once, each on its own thread; every search is deterministic per seed, so "
                          "the results do not depend on it"));
    m_persistence->setRange(0, 100000);
    m_persistence->setSingleStep(500);
    m_persistence->setValue(defaults.persistenceFormulas);
    m_persistence->setSpecialValueText(tr("Not measured"));
    m_persistence->setToolTip(
        tr("After the runs, this many random formulas measure whether train ranks formulas as test does "
           "(the Persistence tab): how much out-of-sample difference between searches to expect"));
    m_folder->setPlaceholderText(tr("Study folder"));
    m_folder->setToolTip(
        tr("Each run's pool file and the summary go here; a finished run in it is read back, not run again"));
    m_settings->setPlaceholderText(tr("Defaults"));
    m_settings->setToolTip(
        tr("A search config JSON file, as alphascope-cli study --config: its keys are applied to every search's "
           "defaults, e.g. {\"mcts\": {\"network\": false}}. Empty: every search's defaults"));
    m_settings->setClearButtonEnabled(true);
    m_settingsBrowse->setToolTip(tr("Choose a search config JSON file"));
    m_browse->setToolTip(tr("Choose the study folder"));
    m_newFolder->setToolTip(tr("A new, empty study folder beside the project"));
    m_openButton->setToolTip(tr("Show a study folder (made here or by alphascope-cli study) without running anything"));
    m_compareButton->setToolTip(tr("Set this study against a baseline study folder on the same data, seed by seed (as "
                                   "alphascope-cli study-compare); nothing is run"));
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_summary->setObjectName(QStringLiteral("StudySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);

    m_searchTable = makeTable(this, {tr("Search"), tr("Runs"), tr("Valid Rank IC"), tr("Test IC"), tr("Test Rank IC"),
                                     tr("95 % interval"), tr("Adaptive: test Rank IC"),
                                     tr("Selected on valid: test Rank IC"), tr("Best member: test IC"),
                                     tr("Mean |mutual corr|"), tr("Unusable evaluations"), tr("Evaluations/s")});
    m_searchTable->setObjectName(QStringLiteral("StudySearches"));
    m_pairTable = makeTable(this, {tr("A − B"), tr("Test Rank IC: A − B"), tr("95 % interval"), tr("Seeds"),
                                   tr("Newey-West t"), tr("p"), tr("Selected on valid: A − B"), tr("p (selected)")});
    m_pairTable->setObjectName(QStringLiteral("StudyPairs"));
    m_pairTable->setToolTip(
        tr("Seed by seed difference of the combined pools' test Rank IC with its 95 % interval, and a "
           "Newey-West test on the day-by-day difference of the two searches' seed-averaged test Rank IC. "
           "Bold: the interval excludes 0."));
    m_compareTable =
        makeTable(this, {tr("Search"), tr("Seeds"), tr("Valid Rank IC: this / baseline"),
                         tr("Valid Rank IC: this − baseline"), tr("Test Rank IC: this / baseline"),
                         tr("Test Rank IC: this − baseline"), tr("95 % interval"), tr("Higher"), tr("Newey-West t"),
                         tr("p"), tr("Selected on valid: this − baseline"), tr("Adaptive: this − baseline")});
    m_compareTable->setObjectName(QStringLiteral("StudyComparison"));
    m_compareTable->setToolTip(
        tr("This study against a baseline study on the same data, run by run on the seeds both have: "
           "the means of each, the difference with its 95 % interval and the runs where this study is "
           "higher, and a Newey-West test on the day-by-day difference of the combined pools' test "
           "Rank IC. Bold: the interval excludes 0."));
    m_curveKind->addItem(tr("Combined valid IC"), static_cast<int>(StudyCurvesPlot::Kind::ValidIc));
    m_curveKind->addItem(tr("Each search's own reward"), static_cast<int>(StudyCurvesPlot::Kind::Reward));
    m_curveKind->addItem(tr("Evaluated formulas' mean |IC|"), static_cast<int>(StudyCurvesPlot::Kind::FormulaIc));
    m_curveKind->addItem(tr("Share of new top-tenth formulas"), static_cast<int>(StudyCurvesPlot::Kind::TopShare));
    m_curvesNote->setWordWrap(true);
    m_curvesNote->setVisible(false);
    auto* curves = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addWidget(m_curveKind, 0, Qt::AlignLeft);
    curvesLayout->addWidget(m_curvesNote);
    curvesLayout->addWidget(m_plot, 1);
    m_tabs->addTab(m_searchTable, tr("Searches"));
    m_tabs->addTab(m_pairTable, tr("Pairs"));
    m_tabs->addTab(m_compareTable, tr("Against a baseline"));
    m_tabs->addTab(curves, tr("Learning curves"));

    auto* folderButtons = new QHBoxLayout;
    folderButtons->addWidget(m_browse);
    folderButtons->addWidget(m_newFolder);
    folderButtons->addStretch(1);
    auto* folderRow = new QVBoxLayout;
    folderRow->addWidget(m_folder);
    folderRow->addLayout(folderButtons);
    auto* form = new QFormLayout;
    form->addRow(tr("Searches"), algos);
    form->addRow(tr("Seeds"), m_seeds);
    form->addRow(tr("First seed"), m_firstSeed);
    form->addRow(tr("Evaluations per run"), m_budget);
    form->addRow(tr("At once"), m_jobs);
    form->addRow(tr("Persistence formulas"), m_persistence);
    auto* settingsRow = new QHBoxLayout;
    settingsRow->addWidget(m_settings, 1);
    settingsRow->addWidget(m_settingsBrowse);
    form->addRow(tr("Settings"), settingsRow);
    form->addRow(tr("Folder"), folderRow);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_openButton);
    buttons->addWidget(m_compareButton);
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

    connect(m_run, &QPushButton::clicked, this, &StudyPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &StudyPanel::cancel);
    connect(m_folder, &QLineEdit::textChanged, this, &StudyPanel::updateRunEnabled);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Study folder"), m_folder->text().isEmpty() ? m_folderBase : m_folder->text());
        if (!dir.isEmpty()) m_folder->setText(dir);
    });
    connect(m_newFolder, &QPushButton::clicked, this, [this] { m_folder->setText(newFolder()); });
    connect(m_settingsBrowse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Search settings"), m_settings->text().isEmpty() ? m_folderBase : m_settings->text(),
            tr("Search config (*.json);;All files (*)"));
        if (!file.isEmpty()) m_settings->setText(file);
    });
    connect(m_openButton, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Open study"), m_folder->text().isEmpty() ? m_folderBase : m_folder->text());
        if (!dir.isEmpty()) open(dir);
    });
    connect(m_compareButton, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Baseline study"), m_folderBase);
        if (!dir.isEmpty()) compareWith(dir);
    });
    connect(m_curveKind, &QComboBox::currentIndexChanged, this, &StudyPanel::showCurves);
    m_job->onBusyChanged = [this](bool busy) {
        showJobBusy(busy, true, m_run, m_cancel, m_progress);
        updateRunEnabled();
        Q_EMIT busyChanged(busy);
    };
    m_job->onProgress = [this](const TaskProgress& p) { showJobProgress(p, m_progress); };
    m_job->onDone = [this](Result<StudyOutcome> r) { onDone(r); };
    setFolderBase(QDir::homePath());
    setSession(nullptr);
}

StudyPanel::~StudyPanel() = default;

bool StudyPanel::busy() const {
    return m_job->busy();
}
void StudyPanel::cancel() {
    m_job->cancel();
}

void StudyPanel::setSession(std::shared_ptr<const ResearchSession> session) {
    m_job->abandon();
    m_session = std::move(session);
    m_outcome.reset();
    m_searchTable->setRowCount(0);
    m_pairTable->setRowCount(0);
    m_compareTable->setRowCount(0);
    m_plot->setCurves(StudyCurves{}, StudyCurvesPlot::Kind::ValidIc);
    m_curvesNote->setVisible(false);
    m_summary->setText(
        tr("Does a search find anything beyond seed noise? A study runs each search with several seeds at one "
           "budget and compares them out of sample, with 95 % intervals over the seeds and paired tests."));
    updateRunEnabled();
}

void StudyPanel::setFolderBase(const QString& dir) {
    m_folderBase = dir;
    if (m_folder->text().isEmpty() || !QFileInfo::exists(m_folder->text())) m_folder->setText(newFolder());
}

QString StudyPanel::newFolder() const {
    return QDir(m_folderBase)
        .filePath(QStringLiteral("study-") + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

void StudyPanel::updateRunEnabled() {
    const bool any = std::any_of(m_algos.begin(), m_algos.end(), [](const auto& a) { return a.second->isChecked(); });
    const bool idle = !m_job->busy();
    m_run->setEnabled(idle && m_session && any && !m_folder->text().trimmed().isEmpty());
    m_openButton->setEnabled(idle && m_session != nullptr);
    m_compareButton->setEnabled(idle && m_session != nullptr && m_outcome != nullptr);
    if (!m_session)
        m_run->setToolTip(tr("Open a dataset first"));
    else if (!any)
        m_run->setToolTip(tr("Choose at least one search"));
    else if (m_folder->text().trimmed().isEmpty())
        m_run->setToolTip(tr("Choose a study folder"));
    else
        m_run->setToolTip(tr("Run every (search, seed) pair whose pool file is not in the folder yet"));
}

StudySpec StudyPanel::spec() const {
    StudySpec s;
    s.algos = SearchChoice::ticked(m_algos);
    for (int k = 0; k < m_seeds->value(); ++k) s.seeds.push_back(static_cast<std::uint64_t>(m_firstSeed->value() + k));
    s.evaluations = m_budget->value();
    s.outDir = QDir::cleanPath(m_folder->text().trimmed()).toStdString();
    s.jobs = m_jobs->value();
    s.persistenceFormulas = m_persistence->value();
    return s;
}

void StudyPanel::run() {
    if (!m_session || !m_run->isEnabled()) return;
    const StudySpec s = spec();
    // An opened study run again in its folder without a settings file resumes with the settings
    // its runs were made with (a CLI study with --config is not rerun with the defaults); otherwise
    // the same settings road as alphascope-cli study --config, checked for every search first.
    const QString file = m_settings->text().trimmed();
    const bool resumeOpened =
        file.isEmpty() && m_outcome && m_outcome->folder && m_outcome->report.spec.outDir == s.outDir;
    std::optional<StudyBase> base;
    QString error;
    if (resumeOpened)
        base = StudyBase([folder = *m_outcome->folder](SearchAlgo algo) { return folder.base(algo); });
    else
        base = SearchChoice::settings(file, s.algos, &error);
    if (!base) {
        m_summary->setText(error.toHtmlEscaped());
        return;
    }
    m_comparing = false;
    auto session = m_session;
    m_summary->setText(
        tr("Running %n (search, seed) pair(s) in %1…", "", static_cast<int>(s.algos.size() * s.seeds.size()))
            .arg(QString::fromStdString(s.outDir).toHtmlEscaped()) +
        (resumeOpened ? QLatin1Char(' ') + tr("with the settings of the folder's runs") : QString()));
    std::optional<StudyFolder> folder;
    if (resumeOpened) folder = m_outcome->folder;
    m_job->start([session, s, base = *base, folder](Feedback& feedback) -> Result<StudyOutcome> {
        auto report = runStudy(session, s, base, feedback);
        if (!report.ok()) return report.error();
        if (auto w = writeStudySummary(report.value()); !w.ok()) return w.error();
        StudyOutcome out;
        out.report = std::move(report.value());
        out.folder = folder; // a resumed study keeps resuming with its folder's settings
        auto curves = readStudyCurves(s.outDir);
        if (curves.ok())
            out.curves = std::move(curves.value());
        else
            out.curvesError = QString::fromStdString(curves.error().toString());
        return out;
    });
}

void StudyPanel::open(const QString& dir) {
    if (!m_session || m_job->busy()) return;
    m_folder->setText(dir);
    m_comparing = false;
    auto session = m_session;
    const std::string path = QDir::cleanPath(dir).toStdString();
    const int persistence = m_persistence->value();
    m_summary->setText(tr("Reading the study in %1…").arg(dir.toHtmlEscaped()));
    m_job->start([session, path, persistence](Feedback& feedback) -> Result<StudyOutcome> {
        auto opened = openStudy(session, path, persistence, feedback);
        if (!opened.ok()) return opened.error();
        const StudyReport& report = opened->report;
        // A folder without its summary (a study stopped before the end) gets one, so that its
        // curves can be read; an existing summary is left as it is.
        if (!std::filesystem::exists(std::filesystem::path(path) / "curves.csv"))
            if (auto w = writeStudySummary(report); !w.ok()) return w.error();
        StudyOutcome out;
        out.report = std::move(opened->report);
        out.opened = true;
        out.folder = std::move(opened->folder);
        auto curves = readStudyCurves(path);
        if (curves.ok())
            out.curves = std::move(curves.value());
        else
            out.curvesError = QString::fromStdString(curves.error().toString());
        return out;
    });
}

void StudyPanel::compareWith(const QString& dir) {
    if (!m_session || m_job->busy() || !m_outcome) return;
    auto session = m_session;
    const std::string path = QDir::cleanPath(dir).toStdString();
    m_comparing = true;
    StudyOutcome current = *m_outcome;
    current.comparison.reset();
    m_summary->setText(tr("Reading the baseline study in %1…").arg(dir.toHtmlEscaped()));
    m_job->start([session, path, current = std::move(current)](Feedback& feedback) -> Result<StudyOutcome> {
        auto baseline = openStudy(session, path, 0, feedback);
        if (!baseline.ok()) return baseline.error();
        StudyOutcome out = current;
        out.opened = false; // the form keeps what it shows
        out.comparison = compareStudies(out.report, baseline->report);
        if (out.comparison->algos.empty())
            return makeError(ErrorCode::NotFound, "the baseline has no search and seed in common with this study",
                             path);
        return out;
    });
}

void StudyPanel::onDone(Result<StudyOutcome>& result) {
    if (!result.ok()) {
        const Error& e = result.error();
        const QString error = QString::fromStdString(e.toString()).toHtmlEscaped();
        if (m_comparing) // the study shown stays as it was
            m_summary->setText(e.code == ErrorCode::Canceled ? tr("Comparison cancelled.")
                                                             : tr("The baseline could not be compared: %1").arg(error));
        else
            m_summary->setText(
                e.code == ErrorCode::Canceled
                    ? tr("Study cancelled; the runs that finished are kept in the folder and are not run again.")
                    : tr("The study failed: %1").arg(error));
        Q_EMIT finished(false);
        return;
    }
    m_outcome = std::make_unique<StudyOutcome>(std::move(result.value()));
    if (m_outcome->opened) { // the form shows what was opened
        const StudySpec& s = m_outcome->report.spec;
        for (SearchAlgo algo : SearchChoice::kAlgos)
            m_algos[algo]->setChecked(std::find(s.algos.begin(), s.algos.end(), algo) != s.algos.end());
        m_seeds->setValue(static_cast<int>(s.seeds.size()));
        m_firstSeed->setValue(static_cast<int>(s.seeds.front()));
        m_budget->setValue(static_cast<int>(std::min<long long>(s.evaluations, m_budget->maximum())));
    }
    showOutcome();
    updateRunEnabled();
    Q_EMIT finished(true);
}

void StudyPanel::showOutcome() {
    const StudyReport& r = m_outcome->report;
    const auto label = [this](SearchAlgo algo) { return m_algos.at(algo)->text(); };
    // The search with the highest mean test Rank IC is bold.
    int best = -1;
    for (int k = 0; k < static_cast<int>(r.algos.size()); ++k)
        if (std::isfinite(r.algos[k].testRankIc.mean) &&
            (best < 0 || r.algos[k].testRankIc.mean > r.algos[best].testRankIc.mean))
            best = k;
    m_searchTable->setRowCount(static_cast<int>(r.algos.size()));
    for (int row = 0; row < static_cast<int>(r.algos.size()); ++row) {
        const StudyAlgoSummary& a = r.algos[row];
        const auto tip = [](const MeanInterval& m, int digits) {
            return m.n > 0 && std::isfinite(m.mean) ? tr("%1 ± %2 [%3, %4] over %n seed(s)", "", m.n)
                                                          .arg(fixedOrDash(m.mean, digits), fixedOrDash(m.sd, digits),
                                                               fixedOrDash(m.lo, digits), fixedOrDash(m.hi, digits))
                                                    : QString();
        };
        setRow(m_searchTable, row,
               {label(a.algo), QString::number(a.testRankIc.n), signedFixed(a.validRankIc.mean, 4),
                signedFixed(a.testIc.mean, 4), signedFixed(a.testRankIc.mean, 4), interval(a.testRankIc, 4),
                signedFixed(a.adaptiveTestRankIc.mean, 4), signedFixed(a.selectedTestRankIc.mean, 4),
                signedFixed(a.bestFactorTestIc.mean, 4), fixedOrDash(a.meanAbsMutual.mean, 3),
                fixedOrDash(a.failedShare.mean, 3), fixedOrDash(a.evaluationsPerSecond.mean, 1)},
               row == best,
               {QString(), QString(), tip(a.validRankIc, 4), tip(a.testIc, 4), tip(a.testRankIc, 4), QString(),
                tip(a.adaptiveTestRankIc, 4), tip(a.selectedTestRankIc, 4), tip(a.bestFactorTestIc, 4),
                tip(a.meanAbsMutual, 3), tip(a.failedShare, 3), tip(a.evaluationsPerSecond, 1)});
    }
    int differing = 0;
    m_pairTable->setRowCount(static_cast<int>(r.pairs.size()));
    for (int row = 0; row < static_cast<int>(r.pairs.size()); ++row) {
        const StudyPair& p = r.pairs[row];
        const bool differs = excludesZero(p.testRankIcDifference);
        differing += differs ? 1 : 0;
        setRow(m_pairTable, row,
               {tr("%1 − %2").arg(label(p.a), label(p.b)), signedFixed(p.testRankIcDifference.mean, 4),
                interval(p.testRankIcDifference, 4), QString::number(p.testRankIcDifference.n),
                fixedOrDash(p.dailyDifference.t, 2), fixedOrDash(p.dailyDifference.p, 3),
                signedFixed(p.selectedTestRankIcDifference.mean, 4), fixedOrDash(p.selectedDailyDifference.p, 3)},
               differs);
    }

    QString text = tr("%1: %2 run(s) of %3 evaluations (%4 run now, %5 read back).")
                       .arg(QString::fromStdString(r.spec.outDir))
                       .arg(r.runs.size())
                       .arg(r.spec.evaluations)
                       .arg(r.ran)
                       .arg(r.reused)
                       .toHtmlEscaped();
    if (r.missing > 0)
        text += QLatin1Char(' ') +
                tr("%n (search, seed) pair(s) without a finished run are left out (the first: %1).", "", r.missing)
                    .arg(QString::fromStdString(r.missingReason))
                    .toHtmlEscaped();
    if (best >= 0) {
        const StudyAlgoSummary& a = r.algos[best];
        text += QStringLiteral(" <b>") +
                tr("Highest mean test Rank IC: %1, %2 %3.")
                    .arg(label(a.algo), signedFixed(a.testRankIc.mean, 4), interval(a.testRankIc, 4))
                    .toHtmlEscaped() +
                QStringLiteral("</b>");
    }
    if (!r.pairs.empty())
        text +=
            QLatin1Char(' ') +
            (differing == 0 ? tr("No two searches differ beyond seed noise: every seed-by-seed interval of their "
                                 "test Rank IC difference holds 0.")
                            : tr("%n pair(s) of searches differ beyond seed noise (bold under Pairs).", "", differing))
                .toHtmlEscaped();
    if (r.persistence) {
        const PersistenceReport& pr = *r.persistence;
        const int test = lastSelectionPeriod(pr);
        const PeriodCorrelation* c = pr.trainPeriod >= 0 && test >= 0 ? pr.correlation(pr.trainPeriod, test) : nullptr;
        QString verdict;
        switch (trainToTestVerdict(pr)) {
        case PersistenceVerdict::Against:
            verdict =
                tr("test ranks the formulas against train: no search should be expected to gain out of sample here.");
            break;
        case PersistenceVerdict::CarriesOver:
            verdict = tr("the ranking carries over: searching harder on train can pay off here.");
            break;
        case PersistenceVerdict::Weak:
            verdict = tr("the ranking carries over only weakly: expect small differences out of sample.");
            break;
        case PersistenceVerdict::NoCarryOver:
        case PersistenceVerdict::Unknown:
            verdict = tr("no measurable carry-over: out-of-sample differences will be mostly noise here.");
            break;
        }
        if (c && std::isfinite(c->correlation))
            text += QLatin1Char(' ') +
                    tr("The split's persistence (%1 usable random formulas): train → test Spearman %2 [%3, %4]; %5")
                        .arg(pr.formulas.size())
                        .arg(signedFixed(c->correlation, 2), signedFixed(c->lo, 2), signedFixed(c->hi, 2), verdict)
                        .toHtmlEscaped();
    }
    m_compareTable->setRowCount(0);
    if (m_outcome->comparison) {
        const StudyComparison& c = *m_outcome->comparison;
        const auto addRow = [&](const QString& name, int seeds, const std::vector<StudyFigureComparison>& list,
                                const NeweyWestTest& daily) {
            const StudyFigureComparison& valid = studyFigure(list, "valid Rank IC");
            const StudyFigureComparison& test = studyFigure(list, "test Rank IC");
            const int row = m_compareTable->rowCount();
            m_compareTable->setRowCount(row + 1);
            setRow(m_compareTable, row,
                   {name, QString::number(seeds),
                    signedFixed(valid.variant.mean, 4) + QStringLiteral(" / ") + signedFixed(valid.baseline.mean, 4),
                    signedFixed(valid.difference.mean, 4),
                    signedFixed(test.variant.mean, 4) + QStringLiteral(" / ") + signedFixed(test.baseline.mean, 4),
                    signedFixed(test.difference.mean, 4), interval(test.difference, 4),
                    tr("%1 of %2").arg(test.higher).arg(test.difference.n), fixedOrDash(daily.t, 2),
                    fixedOrDash(daily.p, 3),
                    signedFixed(studyFigure(list, "selected on valid: test Rank IC").difference.mean, 4),
                    signedFixed(studyFigure(list, "adaptive test Rank IC").difference.mean, 4)},
                   excludesZero(test.difference));
        };
        int runs = 0;
        for (const StudyAlgoComparison& a : c.algos) {
            addRow(label(a.algo), static_cast<int>(a.seeds.size()), a.figures, a.dailyTestRankIc);
            runs += static_cast<int>(a.seeds.size());
        }
        if (c.algos.size() > 1) addRow(tr("All runs"), runs, c.overall, c.overallDaily);
        const StudyFigureComparison& test = studyFigure(c.overall, "test Rank IC");
        text +=
            QLatin1Char(' ') +
            tr("Against the baseline %1: %n paired run(s), test Rank IC this − baseline %2 %3, higher in %4 of them.",
               "", runs)
                .arg(QString::fromStdString(c.baselineDir), signedFixed(test.difference.mean, 4),
                     interval(test.difference, 4))
                .arg(test.higher)
                .toHtmlEscaped();
        if (c.unpaired > 0)
            text += QLatin1Char(' ') +
                    tr("%n run(s) without a partner in the other study are left out.", "", c.unpaired).toHtmlEscaped();
        m_tabs->setCurrentWidget(m_compareTable);
    }
    m_summary->setText(text);
    showCurves();
}

void StudyPanel::showCurves() {
    const bool have = m_outcome && m_outcome->curves;
    m_curvesNote->setVisible(m_outcome && !have);
    if (m_outcome && !have) m_curvesNote->setText(tr("No learning curves: %1").arg(m_outcome->curvesError));
    m_plot->setCurves(have ? *m_outcome->curves : StudyCurves{},
                      static_cast<StudyCurvesPlot::Kind>(m_curveKind->currentData().toInt()));
}

} // namespace alphascope::ui
