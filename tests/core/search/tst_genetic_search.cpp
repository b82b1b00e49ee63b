// Genetic search: the operators on hand trees (crossover, hoist, point mutation, initialisation)
// checked against brute-force references, and the whole search on a planted market (recovery,
// determinism, cancel, budget).

#include "core/search/genetic_search.h"

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/metrics/correlation.h"
#include "core/search/planted.h"
#include "core/search/search.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

using namespace alphascope;

namespace {

ExprPtr parse(const std::string& text) {
    auto r = parseFormula(text);
    if (!r.ok()) qFatal("cannot parse %s: %s", text.c_str(), r.error().toString().c_str());
    return r.value();
}

/// `root` with the subtree at pre-order position `position` replaced.
ExprPtr replaceNth(const ExprPtr& root, int& position, const ExprPtr& replacement) {
    if (position-- == 0) return replacement;
    if (!root->isOperator()) return root;
    std::vector<ExprPtr> args = root->args();
    for (auto& a : args) {
        if (position < 0) break;
        a = replaceNth(a, position, replacement);
    }
    return Expr::op(root->opId(), std::move(args), root->window(), root->name());
}

/// Every tree obtained by putting one of `donors` at one position of `parent`.
std::vector<ExprPtr> allReplacements(const ExprPtr& parent, const std::vector<ExprPtr>& donors) {
    std::vector<ExprPtr> out;
    const int positions = static_cast<int>(GeneticOperators::subtrees(parent).size());
    for (int p = 0; p < positions; ++p)
        for (const auto& d : donors) {
            int pos = p;
            out.push_back(replaceNth(parent, pos, d));
        }
    return out;
}

bool containsTree(const std::vector<ExprPtr>& trees, const Expr& e) {
    return std::any_of(trees.begin(), trees.end(), [&](const ExprPtr& t) { return t->equals(e); });
}

/// Independent reference of the operand rule: no operator node is constant-only, and only a binary
/// operator may take a bare constant operand.
bool operandsFeatured(const Expr& e) {
    if (!e.isOperator()) return true;
    if (e.isConstantExpression()) return false;
    const bool binary = operatorSpec(e.opId()).kind == OpKind::Binary;
    for (const auto& a : e.args()) {
        if (!binary && a->isConstantExpression()) return false;
        if (!operandsFeatured(*a)) return false;
    }
    return true;
}

/// Same structure: node kinds and argument counts everywhere (what point mutation keeps).
bool sameShape(const Expr& a, const Expr& b) {
    if (a.isOperator() != b.isOperator() || a.args().size() != b.args().size()) return false;
    if (a.isOperator()) {
        const auto& sa = operatorSpec(a.opId());
        const auto& sb = operatorSpec(b.opId());
        if (sa.hasWindow != sb.hasWindow || sa.hasGroup != sb.hasGroup) return false;
    }
    for (std::size_t i = 0; i < a.args().size(); ++i)
        if (!sameShape(*a.arg(i), *b.arg(i))) return false;
    return true;
}

bool windowsFromGrammar(const Expr& e, const Grammar& g) {
    if (e.isOperator() && operatorSpec(e.opId()).hasWindow) {
        if (e.window() < minimumWindow(e.opId())) return false;
        if (std::find(g.windows.begin(), g.windows.end(), e.window()) == g.windows.end()) return false;
    }
    return std::all_of(e.args().begin(), e.args().end(), [&](const ExprPtr& a) { return windowsFromGrammar(*a, g); });
}

std::shared_ptr<const MarketData> smallMarket() {
    static auto data = std::make_shared<const MarketData>(makeSyntheticMarket(
        SyntheticSpec{.days = 120, .instruments = 30, .sectors = 3, .seed = 5, .missingShare = 0.01}));
    return data;
}

double absMutualWithPlanted(SearchRun& run, const PoolMember& member, const ScoredFactor& planted) {
    return std::fabs(run.scorer().mutual(member.factor, planted));
}

SearchConfig gpConfig(std::uint64_t seed, long long evaluations) {
    SearchConfig c;
    c.algo = SearchAlgo::Genetic;
    c.seed = seed;
    c.budget.evaluations = evaluations;
    c.gp.population = 150;
    c.gp.tournament = 10;
    c.gp.offerTop = 20;
    return c;
}

} // namespace

class TestGeneticSearch : public QObject {
    Q_OBJECT

private:
    Grammar m_grammar;

private Q_SLOTS:
    void initTestCase() { m_grammar = Grammar::defaults(*smallMarket()); }

    void initialTreesAreValidAndEvaluate_data() {
        QTest::addColumn<bool>("dimensionCheck");
        QTest::newRow("free") << false;
        QTest::newRow("dimension-checked") << true;
    }
    void initialTreesAreValidAndEvaluate() {
        QFETCH(bool, dimensionCheck);
        Grammar g = m_grammar;
        g.dimensionCheck = dimensionCheck;
        std::mt19937_64 rng(11);
        GeneticOperators ops(g, rng);
        Evaluator evaluator(smallMarket());
        int deep = 0;
        for (int i = 0; i < 300; ++i) {
            ExprPtr t = ops.initialTree(2, 4);
            QVERIFY2(ops.admissible(*t), qPrintable(QString::fromStdString(t->toString())));
            QVERIFY(t->tokenCount() <= g.maxTokens);
            QVERIFY2(operandsFeatured(*t), qPrintable(QString::fromStdString(t->toString())));
            QVERIFY(windowsFromGrammar(*t, g));
            if (dimensionCheck) QVERIFY(inferDimension(*t).consistent());
            deep += t->depth() >= 3 ? 1 : 0;
            auto values = evaluator.evaluate(t);
            QVERIFY2(values.ok(), qPrintable(QString::fromStdString(t->toString())));
        }
        QVERIFY(deep > 100); // ramped depths 2..4 (Expr::depth counts the leaves too)
    }

    void crossoverSwapsOneSubtreeWithinMaxTokens() {
        Grammar g = m_grammar;
        g.maxTokens = 9;
        std::mt19937_64 rng(3);
        GeneticOperators ops(g, rng);
        const ExprPtr parent = parse("Div(Sub($close, $open), Sub($high, $low))"); // 7 tokens
        const ExprPtr donor = parse("Mul(Mean($volume, 10), Add($vwap, 2))");      // 7 tokens
        const auto expected = allReplacements(parent, GeneticOperators::subtrees(donor));
        int changed = 0;
        for (int i = 0; i < 300; ++i) {
            ExprPtr child = ops.crossover(parent, donor);
            QVERIFY(child->tokenCount() <= g.maxTokens);
            QVERIFY(ops.admissible(*child));
            if (child->equals(*parent)) continue; // over the limit: a copy of the parent
            ++changed;
            QVERIFY2(containsTree(expected, *child), qPrintable(QString::fromStdString(child->toString())));
        }
        QVERIFY(changed > 30);
    }

    void crossoverNeverLeavesAConstantOperand() {
        std::mt19937_64 rng(4);
        GeneticOperators ops(m_grammar, rng);
        const ExprPtr parent = parse("Mean(Mul($close, 2), 10)");
        const ExprPtr donor = parse("Add(Std($volume, 20), -0.5)");
        for (int i = 0; i < 300; ++i) {
            ExprPtr child = ops.crossover(parent, donor);
            QVERIFY2(operandsFeatured(*child) && !child->isConstantExpression(),
                     qPrintable(QString::fromStdString(child->toString())));
        }
    }

    void hoistGivesASubtreeOfTheReplacedSubtree() {
        std::mt19937_64 rng(5);
        GeneticOperators ops(m_grammar, rng);
        const ExprPtr parent = parse("Div(Sub(Mean($close, 10), $open), Abs(Sub($high, $low)))");
        // Reference: replace a subtree S at any position with any subtree of S.
        std::vector<ExprPtr> expected;
        const auto positions = GeneticOperators::subtrees(parent);
        for (int p = 0; p < static_cast<int>(positions.size()); ++p)
            for (const auto& inner : GeneticOperators::subtrees(positions[static_cast<std::size_t>(p)])) {
                int pos = p;
                expected.push_back(replaceNth(parent, pos, inner));
            }
        int properSubtrees = 0;
        for (int i = 0; i < 300; ++i) {
            ExprPtr child = ops.hoistMutation(parent);
            QVERIFY(child->tokenCount() <= parent->tokenCount());
            QVERIFY(ops.admissible(*child));
            QVERIFY2(containsTree(expected, *child), qPrintable(QString::fromStdString(child->toString())));
            if (!child->equals(*parent) && containsTree(positions, *child)) ++properSubtrees;
        }
        QVERIFY(properSubtrees > 10); // hoists at the root give a subtree of the parent itself
    }

    void pointMutationKeepsArity() {
        std::mt19937_64 rng(6);
        GeneticOperators ops(m_grammar, rng);
        const ExprPtr parent = parse("Div(Sub(Mean($close, 10), $open), Corr(Abs($high), $low, 20))");
        int changed = 0;
        for (int i = 0; i < 300; ++i) {
            ExprPtr child = ops.pointMutation(parent, 0.5);
            QVERIFY(sameShape(*child, *parent));
            QVERIFY(windowsFromGrammar(*child, m_grammar));
            QVERIFY(operandsFeatured(*child));
            changed += child->equals(*parent) ? 0 : 1;
        }
        QVERIFY(changed > 200);
        // With probability 0 nothing changes; with 1 every node is redrawn but the shape stays.
        QVERIFY(ops.pointMutation(parent, 0.0)->equals(*parent));
        QVERIFY(sameShape(*ops.pointMutation(parent, 1.0), *parent));
    }

    void dimensionCheckedOffspringStayConsistent() {
        Grammar g = m_grammar;
        g.dimensionCheck = true;
        std::mt19937_64 rng(8);
        GeneticOperators ops(g, rng);
        std::vector<ExprPtr> population;
        for (int i = 0; i < 40; ++i) population.push_back(ops.initialTree(2, 4));
        for (int i = 0; i < 400; ++i) {
            const ExprPtr& a = population[static_cast<std::size_t>(i % 40)];
            const ExprPtr& b = population[static_cast<std::size_t>((i * 7 + 3) % 40)];
            for (const ExprPtr& child :
                 {ops.crossover(a, b), ops.subtreeMutation(a, 2, 4), ops.hoistMutation(a), ops.pointMutation(a, 0.3)}) {
                QVERIFY2(inferDimension(*child).consistent(), qPrintable(QString::fromStdString(child->toString())));
                QVERIFY(child->tokenCount() <= g.maxTokens);
                QVERIFY(operandsFeatured(*child));
            }
        }
    }

    void groupingsBringTheGroupOperators() {
        // Groupings chosen with the default vocabulary (the search form's Groupings, a config with
        // "groups" but no "operators") add GroupDemean, GroupRank and GroupZScore over them.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        QVERIFY(session.value()->data->grouping("sector"));
        SearchConfig c = gpConfig(1, 300);
        c.grammar = Grammar{};
        c.grammar.groups = {"sector"};
        SearchFeedback feedback;
        SearchRun run(session.value(), c, feedback);
        const Grammar& g = run.config().grammar;
        QCOMPARE(g.groups, std::vector<std::string>{"sector"});
        for (OpId op : {OpId::GroupDemean, OpId::GroupRank, OpId::GroupZScore})
            QVERIFY(std::find(g.operators.begin(), g.operators.end(), op) != g.operators.end());
        QCOMPARE(g.operators.size(), Grammar::defaultOperators().size() + 3);
        auto r = runGeneticSearch(run);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        // Without groupings the defaults stay AlphaSAGE's 36.
        SearchConfig plain = gpConfig(1, 300);
        plain.grammar = Grammar{};
        SearchRun none(session.value(), plain, feedback);
        QCOMPARE(none.config().grammar.operators, Grammar::defaultOperators());
    }

    void rejectsBadOptions() {
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        SearchConfig c = gpConfig(1, 100);
        c.gp.crossover = 0.9; // with 0.1 + 0.05 + 0.1 of mutations: above 1
        SearchFeedback feedback;
        SearchRun run(session.value(), c, feedback);
        auto r = runGeneticSearch(run);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    }

    void recoversPlantedFormula() {
        // The default planted formula, Div(Sub($close, $open), Sub($high, $low)), with the default
        // 36-operator grammar and 3000 evaluations. GP does not rebuild it exactly within this
        // budget: it converges on the Div($close, $open) family (Rank / CSRank of it reach |mutual|
        // 0.90-0.93 at population 500, tournament 10). Measured with the draws of
        // core/util/random.h: 15 of seeds 1-16 pass 0.9 (seed 5: 0.886), seeds 1-8 all do at 4,500
        // evaluations. A population of 150 converged too early (3 of 4 seeds below 0.9).
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        SearchFeedback feedback;
        SearchConfig config = gpConfig(1, 3000);
        config.gp.population = 500;
        SearchRun run(session.value(), config, feedback);
        QVERIFY(runGeneticSearch(run).ok());
        auto result = run.finish();
        QVERIFY(result.ok());
        QVERIFY(result->evaluations <= 3000);
        auto planted = run.scorer().score(parse("Div(Sub($close, $open), Sub($high, $low))"));
        QVERIFY(planted.ok() && planted->usable());
        double best = 0.0;
        std::string bestFormula;
        for (const auto& m : run.pool().members()) {
            const double mutual = absMutualWithPlanted(run, m, planted.value());
            if (mutual > best) {
                best = mutual;
                bestFormula = m.factor.formula;
            }
        }
        qInfo("best |mutual| with the planted formula %.3f: %s (pool %d)", best, bestFormula.c_str(),
              run.pool().size());
        QVERIFY2(best >= 0.9, qPrintable(QString::fromStdString(bestFormula)));
    }

    void sameSeedSamePool() {
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        std::vector<std::string> formulas[2];
        std::vector<double> weights[2];
        for (int k = 0; k < 2; ++k) {
            SearchFeedback feedback;
            SearchRun run(session.value(), gpConfig(9, 600), feedback);
            QVERIFY(runGeneticSearch(run).ok());
            auto result = run.finish();
            QVERIFY(result.ok());
            for (const auto& f : result->pool) {
                formulas[k].push_back(f.formula);
                weights[k].push_back(f.weight);
            }
        }
        QVERIFY(!formulas[0].empty());
        QCOMPARE(formulas[0], formulas[1]);
        QCOMPARE(weights[0], weights[1]);
    }

    void budgetRespectedAndDuplicatesFree() {
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        SearchFeedback feedback;
        SearchConfig c = gpConfig(4, 500);
        SearchRun run(session.value(), c, feedback);
        QVERIFY(runGeneticSearch(run).ok());
        auto result = run.finish();
        QVERIFY(result.ok());
        QCOMPARE(result->evaluations, 500LL);
        // The fitness cache: no formula is scored twice.
        QCOMPARE(result->distinctFormulas, result->evaluations);
        QVERIFY(result->episodes >= result->evaluations); // cached individuals count as episodes
        QVERIFY(result->pool.size() > 0);
    }

    void stopsWhenThePopulationConverges() {
        // A grammar with three formulas ($close, Abs($close), Abs(Abs($close))): after they are
        // scored nothing new can be bred; the run must end with a note, not spin.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        SearchConfig c = gpConfig(6, 1000);
        c.gp.population = 20;
        c.grammar.operators = {OpId::Abs};
        c.grammar.features = {"close"};
        c.grammar.windows = {};
        c.grammar.constants = {};
        c.grammar.maxTokens = 3;
        SearchFeedback feedback;
        SearchRun run(session.value(), c, feedback);
        QVERIFY(runGeneticSearch(run).ok());
        auto result = run.finish();
        QVERIFY(result.ok());
        QVERIFY(result->evaluations <= 3);
        QVERIFY(std::any_of(result->notes.begin(), result->notes.end(),
                            [](const std::string& n) { return n.find("converged") != std::string::npos; }));
        QVERIFY(result->pool.size() > 0);
    }

    void cancelReturnsPromptly() {
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        SearchFeedback feedback;
        SearchConfig c = gpConfig(5, 100000);
        c.progressInterval = 0.0; // a progress call per evaluation
        long long seen = 0;
        feedback.onSearchProgress = [&](const SearchProgress& p) {
            seen = p.evaluations;
            if (p.evaluations >= 120) feedback.cancel();
        };
        SearchRun run(session.value(), c, feedback);
        QVERIFY(runGeneticSearch(run).ok());
        auto result = run.finish();
        QVERIFY(result.ok());
        QVERIFY(result->canceled);
        // Within the batch being evaluated (SearchRun::kBatch formulas at a time).
        QVERIFY2(result->evaluations < 120 + SearchRun::kBatch, qPrintable(QString::number(result->evaluations)));
        QVERIFY(result->pool.size() > 0); // the best so far was offered before returning
        QVERIFY(seen >= 120);
    }
};

QTEST_GUILESS_MAIN(TestGeneticSearch)
#include "tst_genetic_search.moc"
