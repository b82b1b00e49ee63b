#include "ui/panels/factor_library_panel.h"

#include "ui/util/latest_job.h"

#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "core/store/factor_record_of.h"
#include "ui/models/factor_library_model.h"
#include "ui/panels/delete_factors_command.h"
#include "ui/views/combination_view.h"
#include "ui/views/correlation_heatmap.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace alphascope::ui {

namespace {

/// Filters on the name and the formula only (numbers and notes would make the search noisy).
class FactorFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QRegularExpression re = filterRegularExpression();
        if (re.pattern().isEmpty()) return true;
        for (int column : {int(FactorLibraryModel::NameColumn), int(FactorLibraryModel::FormulaColumn)})
            if (sourceModel()->index(row, column, parent).data().toString().contains(re)) return true;
        return false;
    }
};

/// Evaluates every formula, then compares or combines them over the first split (worker thread).
LibraryJobOutcome runJob(LibraryJobOutcome out, const std::shared_ptr<const ResearchSession>& session,
                         const std::vector<std::string>& formulas, CombineMethod method,
                         const std::atomic<bool>* cancel) {
    const ParseOptions options = parseOptionsFor(*session->data, false);
    std::vector<PanelPtr> values;
    for (std::size_t k = 0; k < formulas.size(); ++k) {
        auto parsed = parseFormula(formulas[k], options);
        Result<PanelPtr> v =
            parsed.ok() ? session->evaluator->evaluate(parsed.value(), cancel) : Result<PanelPtr>(parsed.error());
        if (!v.ok()) {
            out.error = v.error();
            const std::string name = out.names[static_cast<qsizetype>(k)].toStdString();
            out.error.where = out.error.where.empty() ? name : name + ", " + out.error.where;
            return out;
        }
        values.push_back(v.value());
    }
    const Split& train = trainingSplit(*session);
    const DayRange fit{train.begin, train.end};
    if (!out.combine) {
        out.mutual = mutualCorrelationMatrix(values, fit);
        out.ok = true;
        return out;
    }
    auto combination = combineFactors(values, *session->targetValues, fit, method);
    if (!combination.ok()) {
        out.error = combination.error();
        return out;
    }
    AnalysisOptions analysis;
    analysis.decayHorizons = 0; // the combination view shows IC, ICIR and turnover only
    analysis.histogramBins = 0;
    auto report = analyzeValues(*session->evaluator, combination.value().values, out.label.toStdString(),
                                session->targetValues, session->splits, analysis, cancel);
    if (!report.ok()) {
        out.error = report.error();
        return out;
    }
    out.combination = std::move(combination.value());
    out.report = std::move(report.value());
    out.ok = true;
    return out;
}

} // namespace

FactorLibraryPanel::FactorLibraryPanel(QWidget* parent)
    : QWidget(parent), m_model(new FactorLibraryModel(this)), m_proxy(new FactorFilterProxy(this)),
      m_undo(new QUndoStack(this)), m_search(new QLineEdit(this)), m_table(new QTableView(this)),
      m_open(new QPushButton(tr("&Open in lab"), this)), m_delete(new QPushButton(tr("&Delete"), this)),
      m_compare(new QPushButton(tr("Co&mpare"), this)), m_method(new QComboBox(this)),
      m_combine(new QPushButton(tr("Com&bine"), this)), m_message(new QLabel(this)), m_tabs(new QTabWidget(this)),
      m_heatmap(new CorrelationHeatmap(this)), m_combination(new CombinationView(this)),
      m_job(std::make_unique<LatestJob<LibraryJobOutcome>>(this)) {
    m_search->setPlaceholderText(tr("Search names and formulas"));
    m_search->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(FactorLibraryModel::kSortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // saved order (oldest first) until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Double-click opens the factor in the lab; F2 or a click on a selected cell edits the name / notes.
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_table->verticalHeader()->setVisible(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);
    m_method->addItem(tr("Equal weight"), int(CombineMethod::EqualWeight));
    m_method->addItem(tr("Least squares"), int(CombineMethod::LeastSquares));
    m_method->setToolTip(
        tr("Equal weight: sign(IC) / n. Least squares: AlphaGen pool weights fitted on the first split."));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Short fixed labels on the buttons (the command's text is in the tooltip); the stack's own
    // actions, whose text names the command, serve the shortcuts.
    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    undo->setShortcut(QKeySequence::Undo);
    redo->setShortcut(QKeySequence::Redo);
    auto* del = new QAction(tr("Delete"), this);
    del->setShortcut(QKeySequence::Delete);
    m_copyQlib = new QAction(tr("Copy as Qlib"), this);
    m_copyWorldQuant = new QAction(tr("Copy as WorldQuant"), this);
    m_copyQlib->setShortcut(QKeySequence::Copy);
    m_copyQlib->setToolTip(tr("The selected formulas, one per line, in Qlib's notation"));
    m_copyWorldQuant->setToolTip(tr("The selected formulas, one per line, in WorldQuant's notation (BRAIN's names)"));
    connect(m_copyQlib, &QAction::triggered, this, [this] { copySelected(Notation::Qlib); });
    connect(m_copyWorldQuant, &QAction::triggered, this, [this] { copySelected(Notation::WorldQuant); });
    // The table's context menu: the copies, then the edits (their shortcuts work with it focused).
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction* a : {m_copyQlib, m_copyWorldQuant, undo, redo, del}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_table->addAction(a);
    }
    auto* undoButton = new QPushButton(tr("Undo"), this);
    auto* redoButton = new QPushButton(tr("Redo"), this);
    connect(undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    connect(m_undo, &QUndoStack::undoTextChanged, undoButton, &QWidget::setToolTip);
    connect(m_undo, &QUndoStack::redoTextChanged, redoButton, &QWidget::setToolTip);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto* searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_open);
    searchRow->addWidget(m_delete);
    searchRow->addWidget(undoButton);
    searchRow->addWidget(redoButton);
    topLayout->addLayout(searchRow);
    topLayout->addWidget(m_table, 1);
    auto* jobRow = new QHBoxLayout;
    jobRow->addWidget(m_compare);
    jobRow->addSpacing(12);
    jobRow->addWidget(m_method);
    jobRow->addWidget(m_combine);
    jobRow->addStretch(1);
    topLayout->addLayout(jobRow);
    topLayout->addWidget(m_message);

    m_tabs->addTab(m_heatmap, tr("Correlation"));
    m_tabs->addTab(m_combination, tr("Combination"));
    m_splitter = new QSplitter(Qt::Vertical, this);
    QSplitter* splitter = m_splitter;
    splitter->addWidget(top);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table, &QTableView::doubleClicked, this, &FactorLibraryPanel::openSelected);
    connect(m_open, &QPushButton::clicked, this, &FactorLibraryPanel::openSelected);
    connect(m_delete, &QPushButton::clicked, this, &FactorLibraryPanel::deleteSelected);
    connect(del, &QAction::triggered, this, &FactorLibraryPanel::deleteSelected);
    connect(m_compare, &QPushButton::clicked, this, &FactorLibraryPanel::compareSelected);
    connect(m_combine, &QPushButton::clicked, this, &FactorLibraryPanel::combineSelected);
    connect(m_combination, &CombinationView::backtestRequested, this, &FactorLibraryPanel::backtestRequested);
    connect(m_model, &FactorLibraryModel::storeError, this, [this](const QString& m) { showMessage(m, true); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FactorLibraryPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &FactorLibraryPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &FactorLibraryPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &FactorLibraryPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &FactorLibraryPanel::updateActions);
    m_job->onBusyChanged = [this](bool busy) { setBusy(busy); };
    m_job->onDone = [this](Result<LibraryJobOutcome> r) {
        if (r.ok()) {
            showOutcome(r.value());
            return;
        }
        LibraryJobOutcome failed; // an exception in the job (the fence turned it into an error)
        failed.error = r.error();
        showOutcome(failed);
    };
    updateActions();
}

FactorLibraryPanel::~FactorLibraryPanel() {
    cancelJob();
}

void FactorLibraryPanel::setStore(std::shared_ptr<ProjectStore> store) {
    m_undo->clear(); // the commands refer to the old project's factors
    m_store = std::move(store);
    m_message->clear();
    m_model->setStore(m_store);
    updateActions();
}

void FactorLibraryPanel::setSession(std::shared_ptr<const ResearchSession> session) {
    cancelJob();
    m_session = std::move(session);
    m_heatmap->clearMatrix();
    m_combination->clear(); // a combination of the old data cannot be backtested on the new one
    updateActions();
}

void FactorLibraryPanel::reload() {
    if (!m_store) return;
    if (Result<void> r = m_model->reload(); !r.ok())
        showMessage(tr("Project: %1").arg(QString::fromStdString(r.error().toString())), true);
}

Result<std::int64_t> FactorLibraryPanel::saveFactor(const QString& name, const FactorReport& report,
                                                    std::int64_t originRunId) {
    if (!m_store) return makeError(ErrorCode::InvalidArgument, "no project is open");
    FactorRecord record = factorRecordOf(name.trimmed().toStdString(), report, m_datasetId);
    record.originRunId = originRunId;
    auto id = m_model->addFactor(record);
    if (id.ok())
        showMessage(tr("Saved “%1”.").arg(name));
    else
        showMessage(tr("Could not save: %1").arg(QString::fromStdString(id.error().toString())), true);
    return id;
}

std::vector<int> FactorLibraryPanel::selectedRows() const {
    std::vector<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.push_back(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void FactorLibraryPanel::updateActions() {
    const std::size_t n = selectedRows().size();
    m_open->setEnabled(n >= 1);
    m_copyQlib->setEnabled(n >= 1);
    m_copyWorldQuant->setEnabled(n >= 1);
    m_delete->setEnabled(n >= 1 && m_store);
    m_compare->setEnabled(n >= 2 && m_session);
    m_combine->setEnabled(n >= 2 && m_session);
}

void FactorLibraryPanel::fitColumns() {
    // The formula takes the room that is left; numbers, names and dates are as wide as they need.
    QHeaderView* header = m_table->horizontalHeader();
    for (int c = 0; c < m_model->columnCount(); ++c)
        header->setSectionResizeMode(c, c == FactorLibraryModel::FormulaColumn ? QHeaderView::Stretch
                                        : c == m_model->notesColumn()          ? QHeaderView::Interactive
                                                                               : QHeaderView::ResizeToContents);
    header->setMinimumSectionSize(60);
}

void FactorLibraryPanel::openSelected() {
    QModelIndex index = m_table->currentIndex();
    if (!index.isValid() || !m_table->selectionModel()->isRowSelected(index.row(), index.parent())) {
        const std::vector<int> rows = selectedRows();
        if (rows.empty()) return;
        index = m_proxy->mapFromSource(m_model->index(rows.front(), 0));
    }
    const int row = m_proxy->mapToSource(index).row();
    if (row < 0) return;
    Q_EMIT openFormulaRequested(QString::fromStdString(m_model->record(row).formula));
}

QString FactorLibraryPanel::selectedFormulas(Notation notation) const {
    QStringList lines;
    for (int row : selectedRows()) {
        const std::string& text = m_model->record(row).formula;
        auto parsed = parseFormula(text);
        lines << QString::fromStdString(parsed.ok() ? formatFormula(*parsed.value(), notation) : text);
    }
    return lines.join(QLatin1Char('\n'));
}

void FactorLibraryPanel::copySelected(Notation notation) {
    const QString text = selectedFormulas(notation);
    if (text.isEmpty()) return;
    QGuiApplication::clipboard()->setText(text);
    showMessage(
        tr("Copied %n formula(s) in %1's notation.", nullptr, static_cast<int>(text.count(QLatin1Char('\n')) + 1))
            .arg(notation == Notation::WorldQuant ? QStringLiteral("WorldQuant") : QStringLiteral("Qlib")));
}

void FactorLibraryPanel::deleteSelected() {
    const std::vector<int> rows = selectedRows();
    if (rows.empty() || !m_store) return;
    std::vector<FactorRecord> records;
    for (int row : rows) records.push_back(m_model->record(row));
    m_undo->push(new DeleteFactorsCommand(m_model, std::move(records)));
}

void FactorLibraryPanel::compareSelected() {
    startJob(false);
}

void FactorLibraryPanel::combineSelected() {
    startJob(true);
}

void FactorLibraryPanel::startJob(bool combine) {
    QStringList names;
    std::vector<std::string> formulas;
    for (int row : selectedRows()) {
        names << QString::fromStdString(m_model->record(row).name);
        formulas.push_back(m_model->record(row).formula);
    }
    startJob(combine, names, formulas);
}

void FactorLibraryPanel::compareFormulas(const QStringList& names, const std::vector<std::string>& formulas) {
    startJob(false, names, formulas);
}

void FactorLibraryPanel::combineFormulas(const QStringList& names, const std::vector<std::string>& formulas) {
    startJob(true, names, formulas);
}

void FactorLibraryPanel::startJob(bool combine, const QStringList& names, const std::vector<std::string>& formulas) {
    QString problem;
    if (!m_session)
        problem = tr("No dataset is loaded.");
    else if (m_session->splits.empty())
        problem = tr("The dataset has no splits to fit on.");
    else if (formulas.size() < 2)
        problem = tr("Select at least two factors.");
    if (!problem.isEmpty()) {
        showMessage(problem, true);
        Q_EMIT jobFinished(combine, false);
        return;
    }
    LibraryJobOutcome job;
    job.combine = combine;
    job.names = names;
    const auto method = static_cast<CombineMethod>(m_method->currentData().toInt());
    const auto n = static_cast<qsizetype>(formulas.size());
    job.label = method == CombineMethod::EqualWeight ? tr("Equal-weight combination of %1 factors").arg(n)
                                                     : tr("Least-squares combination of %1 factors").arg(n);
    showMessage(tr("Evaluating %1 factors…").arg(n));
    setBusy(true);
    auto session = m_session;
    m_job->start([job, session, formulas, method](Feedback& feedback) -> Result<LibraryJobOutcome> {
        return runJob(job, session, formulas, method, &feedback.cancelFlag);
    });
}

void FactorLibraryPanel::cancelJob() {
    m_job->abandon();
}

void FactorLibraryPanel::setBusy(bool busy) {
    if (m_busy == busy) return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void FactorLibraryPanel::showMessage(const QString& text, bool error) {
    m_message->setText(error ? QStringLiteral("<span style='color:#b00020'>%1</span>").arg(text.toHtmlEscaped())
                             : text.toHtmlEscaped());
}

void FactorLibraryPanel::showOutcome(const LibraryJobOutcome& outcome) {
    if (!outcome.ok) {
        if (outcome.error.code == ErrorCode::Canceled) return;
        showMessage(
            tr("Could not %1: %2")
                .arg(outcome.combine ? tr("combine") : tr("compare"), QString::fromStdString(outcome.error.toString())),
            true);
        Q_EMIT jobFinished(outcome.combine, false);
        return;
    }
    const Split& train = trainingSplit(*m_session);
    const QString range = tr("%1 (%2 .. %3)")
                              .arg(QString::fromStdString(train.name), QString::fromStdString(train.first.toString()),
                                   QString::fromStdString(train.last.toString()));
    if (outcome.combine) {
        m_combination->setResult(outcome.label, outcome.names, outcome.combination, outcome.report);
        m_tabs->setCurrentWidget(m_combination);
        showMessage(tr("%1, fitted on %2.").arg(outcome.label, range));
    } else {
        m_heatmap->setMatrix(outcome.names, outcome.mutual);
        m_tabs->setCurrentWidget(m_heatmap);
        showMessage(tr("Mutual IC of %1 factors over %2.").arg(outcome.names.size()).arg(range));
    }
    Q_EMIT jobFinished(outcome.combine, true);
}

void FactorLibraryPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // Table and charts side by side in a wide, short dock (the bottom area), stacked in a tall one.
    const Qt::Orientation wanted = width() > 2 * height() ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() != wanted) m_splitter->setOrientation(wanted);
}

} // namespace alphascope::ui
