#include "ui/panels/search_form.h"

#include "core/expr/operator_registry.h"
#include "core/search/grammar.h"

#include "core/search/search_registry.h"
#include "core/util/compute_device.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace alphascope::ui {

namespace {
QSpinBox* spin(int lo, int hi, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setGroupSeparatorShown(true);
    return s;
}
QDoubleSpinBox* dspin(double lo, double hi, int decimals, double step, QWidget* parent) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    return s;
}
} // namespace

SearchForm::SearchForm(QWidget* parent)
    : QWidget(parent), m_algo(new QComboBox(this)), m_evals(spin(0, 100000000, this)),
      m_episodes(spin(0, 100000000, this)), m_seconds(spin(0, 7 * 24 * 3600, this)), m_poolKind(new QComboBox(this)),
      m_poolSize(spin(1, 1000, this)), m_l1(dspin(0.0, 10.0, 4, 0.001, this)),
      m_complexity(dspin(0.0, 1.0, 5, 0.0001, this)), m_refuseLowerIc(new QCheckBox(tr("Never lower pool IC"), this)),
      m_ssl(dspin(0.0, 100.0, 3, 0.1, this)), m_novelty(dspin(0.0, 100.0, 3, 0.1, this)),
      m_dense(new QCheckBox(tr("Dense rewards"), this)), m_encoder(new QComboBox(this)),
      m_updateFrequency(spin(1, 4096, this)), m_lengthPenalty(dspin(0.0, 10.0, 2, 0.1, this)),
      m_localSearch(dspin(0.0, 1.0, 2, 0.05, this)), m_genetic(dspin(0.0, 1.0, 2, 0.05, this)),
      m_simulations(spin(1, 1000000, this)), m_mctsNetwork(new QCheckBox(tr("Policy/value network"), this)),
      m_population(spin(4, 1000000, this)), m_dimension(new QCheckBox(tr("Dimension check"), this)),
      m_maxTokens(spin(3, 40, this)), m_groups(new QListWidget(this)), m_extraOps(new QListWidget(this)),
      m_seed(spin(0, 2147483647, this)), m_device(new QComboBox(this)), m_message(new QLabel(this)) {
    setObjectName(QStringLiteral("SearchForm"));
    m_algo->addItem(tr("GFlowNet (AlphaSAGE)"), static_cast<int>(SearchAlgo::GFlowNet));
    m_algo->addItem(tr("MCTS (Alpha2)"), static_cast<int>(SearchAlgo::Mcts));
    m_algo->addItem(tr("Genetic programming"), static_cast<int>(SearchAlgo::Genetic));
    m_algo->addItem(tr("Random search"), static_cast<int>(SearchAlgo::Random));
    m_algo->addItem(tr("PPO (AlphaGen)"), static_cast<int>(SearchAlgo::Ppo));
    m_poolKind->addItem(tr("Linear (AlphaGen)"), static_cast<int>(PoolKind::Linear));
    m_poolKind->addItem(tr("Mining (AlphaSAGE)"), static_cast<int>(PoolKind::Mining));
    m_encoder->addItem(tr("RGCN"), static_cast<int>(GFlowNetOptions::Encoder::Gnn));
    m_encoder->addItem(tr("LSTM"), static_cast<int>(GFlowNetOptions::Encoder::Lstm));
    const ComputeDeviceInfo device = computeDeviceInfo();
    m_device->addItem(tr("CPU"), false);
    if (device.cuda) {
        const QString gpu =
            device.gpuName.empty() ? QString::fromStdString(device.name) : QString::fromStdString(device.gpuName);
        m_device->addItem(
            tr("CUDA — %1, %2 GiB").arg(gpu).arg(double(device.gpuMemoryBytes) / double(1ull << 30), 0, 'f', 0), true);
        m_device->setCurrentIndex(1);
    } else {
        m_device->setToolTip(tr("LibTorch sees no CUDA device here; the networks run on the CPU."));
    }
    m_evals->setSpecialValueText(tr("no limit"));
    m_episodes->setSpecialValueText(tr("no limit"));
    m_seconds->setSpecialValueText(tr("no limit"));
    m_seconds->setSuffix(tr(" s"));
    m_message->setWordWrap(true);
    m_dimension->setToolTip(tr("Only build formulas whose units agree (Alpha2's dimension rules: no price plus volume, "
                               "no price compared with a ratio, …); formulas that break them are never proposed"));
    m_groups->setToolTip(
        tr("Groupings the group operators (GroupRank, GroupDemean, …) may use; none: no group operators. "
           "Learned levels h1, h2, … appear here once added from the market graph."));
    m_groups->setMaximumHeight(4 * fontMetrics().height() + 8);
    m_extraOps->setToolTip(tr("Operators added to the default vocabulary (AlphaSAGE's 36); none: the default, so that "
                              "results stay comparable with the published searches."));
    m_extraOps->setMaximumHeight(4 * fontMetrics().height() + 8);
    m_message->setObjectName(QStringLiteral("SearchFormMessage"));

    auto* what = new QFormLayout;
    what->addRow(tr("Algorithm"), m_algo);
    what->addRow(tr("Evaluations"), m_evals);
    what->addRow(tr("Episodes"), m_episodes);
    what->addRow(tr("Time"), m_seconds);
    what->addRow(tr("Pool"), m_poolKind);
    what->addRow(tr("Pool size"), m_poolSize);
    what->addRow(tr("L1 penalty"), m_l1);
    what->addRow(tr("Complexity penalty"), m_complexity);
    what->addRow(QString(), m_refuseLowerIc);
    what->addRow(tr("Max tokens"), m_maxTokens);
    what->addRow(QString(), m_dimension);
    what->addRow(tr("Groupings"), m_groups);
    what->addRow(tr("Extra operators"), m_extraOps);
    what->addRow(tr("Seed"), m_seed);
    what->addRow(tr("Device"), m_device);

    auto* knobsBox = new QGroupBox(tr("Algorithm settings"), this);
    auto* knobs = new QFormLayout(knobsBox);
    knobs->addRow(tr("w_ssl"), m_ssl);
    knobs->addRow(tr("w_nov"), m_novelty);
    knobs->addRow(QString(), m_dense);
    knobs->addRow(tr("Encoder"), m_encoder);
    knobs->addRow(tr("Episodes per update"), m_updateFrequency);
    knobs->addRow(tr("Length prior"), m_lengthPenalty);
    knobs->addRow(tr("Local search"), m_localSearch);
    knobs->addRow(tr("Genetic offspring"), m_genetic);
    knobs->addRow(tr("Simulations per move"), m_simulations);
    knobs->addRow(QString(), m_mctsNetwork);
    knobs->addRow(tr("Population"), m_population);
    m_ssl->setToolTip(tr("Initial weight of AlphaSAGE's structure-behaviour reward; decays linearly to 0"));
    m_novelty->setToolTip(tr("Initial weight of the novelty reward; decays linearly to 0"));
    m_lengthPenalty->setSuffix(tr(" nats/token"));
    m_lengthPenalty->setSpecialValueText(tr("none"));
    m_lengthPenalty->setToolTip(
        tr("Samples formulas in proportion to R^beta e^(-lambda tokens): without it the GFlowNet's "
           "formulas drift to the longest the grammar allows; about 3 gives short, readable ones; "
           "0: none (AlphaSAGE)"));
    m_localSearch->setSpecialValueText(tr("none"));
    m_localSearch->setToolTip(
        tr("Share of the episodes that complete one of the best formulas so far after removing its "
           "last tokens (local search); 0: none (AlphaSAGE)"));
    m_genetic->setSpecialValueText(tr("none"));
    m_genetic->setToolTip(tr("Share of the episodes bred from the best formulas so far by GP's crossover and mutations "
                             "instead of sampled, learned from like sampled ones; 0: none (AlphaSAGE)"));
    m_complexity->setToolTip(
        tr("Extra L1 penalty per formula token on each member's weight: of two members that "
           "explain the same, the longer gets the smaller weight and leaves a full pool first; 0: none"));
    m_refuseLowerIc->setToolTip(
        tr("Refuse a formula whose admission (after the refit, and the eviction of the smallest "
           "weight in a full pool) would lower the pool's combined train IC"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(what);
    layout->addWidget(knobsBox);
    layout->addWidget(m_message);
    layout->addStretch(1);

    setConfig(defaultSearchConfig(SearchAlgo::GFlowNet));
    connect(m_algo, &QComboBox::currentIndexChanged, this, &SearchForm::onAlgorithmChanged);
    connect(m_groups, &QListWidget::itemChanged, this, &SearchForm::revalidate);
    connect(m_extraOps, &QListWidget::itemChanged, this, &SearchForm::revalidate);
    for (QSpinBox* s : {m_evals, m_episodes, m_seconds, m_poolSize, m_updateFrequency, m_simulations, m_population,
                        m_maxTokens, m_seed})
        connect(s, &QSpinBox::valueChanged, this, &SearchForm::revalidate);
    for (QDoubleSpinBox* s : {m_l1, m_complexity, m_ssl, m_novelty, m_lengthPenalty, m_localSearch, m_genetic})
        connect(s, &QDoubleSpinBox::valueChanged, this, &SearchForm::revalidate);
    for (QCheckBox* c : {m_refuseLowerIc, m_dense, m_mctsNetwork, m_dimension})
        connect(c, &QCheckBox::toggled, this, &SearchForm::revalidate);
    for (QComboBox* c : {m_poolKind, m_encoder, m_device})
        connect(c, &QComboBox::currentIndexChanged, this, &SearchForm::revalidate);
}

void SearchForm::setSession(std::shared_ptr<const ResearchSession> session) {
    m_session = std::move(session);
    const std::vector<std::string> checked = config().grammar.groups;
    m_updating = true;
    fillGroups(checked);
    m_updating = false;
    revalidate();
}

void SearchForm::fillGroups(const std::vector<std::string>& checked) {
    const QSignalBlocker block(m_groups);
    m_groups->clear();
    std::vector<std::string> names;
    if (m_session)
        for (const Grouping& g : m_session->data->groupings) names.push_back(g.name);
    for (const std::string& c : checked)
        if (std::find(names.begin(), names.end(), c) == names.end()) names.push_back(c);
    for (const std::string& name : names) {
        auto* item = new QListWidgetItem(QString::fromStdString(name), m_groups);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(std::find(checked.begin(), checked.end(), name) != checked.end() ? Qt::Checked
                                                                                             : Qt::Unchecked);
    }
}

void SearchForm::fillExtraOperators(const std::vector<OpId>& grammarOperators) {
    const QSignalBlocker block(m_extraOps);
    m_extraOps->clear();
    const std::vector<OpId> defaults = Grammar::defaultOperators();
    for (const OperatorSpec& spec : allOperators()) {
        if (!spec.searchable() || std::find(defaults.begin(), defaults.end(), spec.id) != defaults.end()) continue;
        if (spec.hasGroup) continue; // the group operators follow the Groupings above
        auto* item = new QListWidgetItem(QString::fromUtf8(spec.name.data(), static_cast<qsizetype>(spec.name.size())),
                                         m_extraOps);
        item->setData(Qt::UserRole, static_cast<int>(spec.id));
        const QString description = QCoreApplication::translate(
            "Operators", QByteArray(spec.description.data(), static_cast<qsizetype>(spec.description.size())));
        item->setToolTip(QString::fromUtf8(spec.signature.data(), static_cast<qsizetype>(spec.signature.size())) +
                         QLatin1Char('\n') + description);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool used =
            std::find(grammarOperators.begin(), grammarOperators.end(), spec.id) != grammarOperators.end();
        item->setCheckState(used ? Qt::Checked : Qt::Unchecked);
    }
}

void SearchForm::onAlgorithmChanged() {
    if (m_updating) return;
    // A new algorithm starts from its own defaults (pool kind and size differ), keeping the
    // budgets, seed and grammar the user chose.
    SearchConfig c = config();
    SearchConfig d = defaultSearchConfig(static_cast<SearchAlgo>(m_algo->currentData().toInt()));
    d.budget = c.budget;
    d.seed = c.seed;
    d.grammar = c.grammar;
    d.preferCuda = c.preferCuda;
    setConfig(d);
}

SearchConfig SearchForm::config() const {
    SearchConfig c = m_base;
    c.algo = static_cast<SearchAlgo>(m_algo->currentData().toInt());
    c.budget.evaluations = m_evals->value();
    c.budget.episodes = m_episodes->value();
    c.budget.seconds = m_seconds->value();
    c.pool = static_cast<PoolKind>(m_poolKind->currentData().toInt());
    c.poolOptions.capacity = m_poolSize->value();
    c.poolOptions.l1 = m_l1->value();
    c.poolOptions.complexity = m_complexity->value();
    c.poolOptions.refuseLowerIc = m_refuseLowerIc->isChecked();
    c.gfn.sslWeight = m_ssl->value();
    c.gfn.noveltyWeight = m_novelty->value();
    c.gfn.denseRewards = m_dense->isChecked();
    c.gfn.encoder = static_cast<GFlowNetOptions::Encoder>(m_encoder->currentData().toInt());
    c.gfn.updateFrequency = m_updateFrequency->value();
    c.gfn.lengthPenalty = m_lengthPenalty->value();
    c.gfn.localSearchShare = m_localSearch->value();
    c.gfn.geneticShare = m_genetic->value();
    c.mcts.simulationsPerMove = m_simulations->value();
    c.mcts.useNetwork = m_mctsNetwork->isChecked();
    c.gp.population = m_population->value();
    c.grammar.dimensionCheck = m_dimension->isChecked();
    c.grammar.maxTokens = m_maxTokens->value();
    c.grammar.groups.clear();
    for (int i = 0; i < m_groups->count(); ++i)
        if (m_groups->item(i)->checkState() == Qt::Checked)
            c.grammar.groups.push_back(m_groups->item(i)->text().toStdString());
    // Extra operators: the listed ones are taken out of the grammar and the checked ones put back; a
    // grammar left to its defaults is filled in (it needs the data's fields) when one is checked.
    std::vector<OpId> extras;
    for (int i = 0; i < m_extraOps->count(); ++i) {
        const OpId op = static_cast<OpId>(m_extraOps->item(i)->data(Qt::UserRole).toInt());
        std::erase(c.grammar.operators, op);
        if (m_extraOps->item(i)->checkState() == Qt::Checked) extras.push_back(op);
    }
    if (!extras.empty() && c.grammar.operators.empty() && m_session) {
        const Grammar d = Grammar::defaults(*m_session->data);
        c.grammar.operators = d.operators;
        c.grammar.features = d.features;
        c.grammar.windows = d.windows;
        c.grammar.constants = d.constants;
        if (!c.grammar.groups.empty()) // as the defaults do when groupings are chosen
            c.grammar.operators.insert(c.grammar.operators.end(),
                                       {OpId::GroupDemean, OpId::GroupRank, OpId::GroupZScore});
    }
    if (!c.grammar.operators.empty())
        c.grammar.operators.insert(c.grammar.operators.end(), extras.begin(), extras.end());
    c.seed = static_cast<std::uint64_t>(m_seed->value());
    c.preferCuda = m_device->currentData().toBool();
    return c;
}

void SearchForm::setConfig(const SearchConfig& c) {
    m_updating = true;
    m_base = c;
    m_algo->setCurrentIndex(m_algo->findData(static_cast<int>(c.algo)));
    m_evals->setValue(static_cast<int>(std::min<long long>(c.budget.evaluations, m_evals->maximum())));
    m_episodes->setValue(static_cast<int>(std::min<long long>(c.budget.episodes, m_episodes->maximum())));
    m_seconds->setValue(static_cast<int>(c.budget.seconds));
    m_poolKind->setCurrentIndex(m_poolKind->findData(static_cast<int>(c.pool.value_or(defaultPoolKind(c.algo)))));
    m_poolSize->setValue(c.poolOptions.capacity);
    m_l1->setValue(c.poolOptions.l1);
    m_complexity->setValue(c.poolOptions.complexity);
    m_refuseLowerIc->setChecked(c.poolOptions.refuseLowerIc);
    m_ssl->setValue(c.gfn.sslWeight);
    m_novelty->setValue(c.gfn.noveltyWeight);
    m_dense->setChecked(c.gfn.denseRewards);
    m_encoder->setCurrentIndex(m_encoder->findData(static_cast<int>(c.gfn.encoder)));
    m_updateFrequency->setValue(c.gfn.updateFrequency);
    m_lengthPenalty->setValue(c.gfn.lengthPenalty);
    m_localSearch->setValue(c.gfn.localSearchShare);
    m_genetic->setValue(c.gfn.geneticShare);
    m_simulations->setValue(c.mcts.simulationsPerMove);
    m_mctsNetwork->setChecked(c.mcts.useNetwork);
    m_population->setValue(c.gp.population);
    m_dimension->setChecked(c.grammar.dimensionCheck);
    m_maxTokens->setValue(c.grammar.maxTokens);
    fillGroups(c.grammar.groups);
    fillExtraOperators(c.grammar.operators);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(c.seed, 2147483647u)));
    if (m_device->count() > 1) m_device->setCurrentIndex(c.preferCuda ? 1 : 0);
    m_updating = false;
    revalidate();
}

void SearchForm::revalidate() {
    if (m_updating) return;
    const SearchAlgo algo = static_cast<SearchAlgo>(m_algo->currentData().toInt());
    const bool gfn = algo == SearchAlgo::GFlowNet, mcts = algo == SearchAlgo::Mcts, gp = algo == SearchAlgo::Genetic;
    for (QWidget* w : std::initializer_list<QWidget*>{m_ssl, m_novelty, m_dense, m_encoder, m_updateFrequency,
                                                      m_lengthPenalty, m_localSearch, m_genetic})
        w->setEnabled(gfn);
    m_simulations->setEnabled(mcts);
    m_mctsNetwork->setEnabled(mcts);
    m_population->setEnabled(gp);
    const bool linear = static_cast<PoolKind>(m_poolKind->currentData().toInt()) == PoolKind::Linear;
    for (QWidget* w : std::initializer_list<QWidget*>{m_l1, m_complexity, m_refuseLowerIc}) w->setEnabled(linear);
    const Result<void> v = validate(config(), m_session.get());
    m_valid = v.ok();
    if (m_valid) {
        m_message->setText(m_session ? QString() : tr("Open a dataset to start a search."));
        m_message->setStyleSheet(QString());
    } else {
        m_message->setText(tr("Cannot start: %1").arg(QString::fromStdString(v.error().toString())));
        m_message->setStyleSheet(QStringLiteral("color:#b00020"));
    }
    Q_EMIT changed();
}

QString SearchForm::message() const {
    return m_message->text();
}

} // namespace alphascope::ui
