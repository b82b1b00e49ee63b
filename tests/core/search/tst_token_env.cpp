// The token environment: vocabulary, masks at known states, tokenize round trips, and a property
// test over thousands of random legal walks (every walk finishes, within the length limit, with a
// formula that parses, evaluates, is not constant and follows the dimension rules when asked).

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/search/token_env.h"

#include <QTest>

#include <map>
#include <random>
#include <set>

using namespace alphascope;

namespace {

std::shared_ptr<const MarketData> smallMarket() {
    static const auto data = std::make_shared<const MarketData>(
        makeSyntheticMarket({.days = 90, .instruments = 10, .sectors = 3, .seed = 5, .missingShare = 0.0}));
    return data;
}

Grammar defaults() {
    return Grammar::defaults(*smallMarket());
}

/// Every operator of the engine, short windows (so that the minimum windows matter) and a grouping.
Grammar everything() {
    Grammar g = defaults();
    g.operators.clear();
    for (const auto& spec : allOperators())
        if (spec.searchable())
            g.operators.push_back(spec.id); // Quantile, If, ChangeInstrument are for formulas typed by hand
    g.windows = {1, 2, 3, 5, 20};
    g.groups = {"sector"};
    return g;
}

ExprPtr parse(const std::string& text) {
    auto r = parseFormula(text, parseOptionsFor(*smallMarket(), false));
    if (!r) qFatal("%s", r.error().toString().c_str());
    return r.value();
}

/// The set of legal token texts now.
std::set<std::string> legalTexts(const TokenBuilder& b) {
    std::set<std::string> out;
    for (int a = 0; a < b.vocabulary().size(); ++a)
        if (b.isLegal(a)) out.insert(b.vocabulary().token(a).text);
    return out;
}

void applyText(TokenBuilder& b, const std::string& text) {
    for (int a = 0; a < b.vocabulary().size(); ++a)
        if (b.vocabulary().token(a).text == text) {
            QVERIFY2(b.isLegal(a), text.c_str());
            b.apply(a);
            return;
        }
    QFAIL(("no token " + text).c_str());
}

bool legal(const TokenBuilder& b, const std::string& text) {
    return legalTexts(b).count(text) > 0;
}

/// True when some sequence of actions the builder allows reaches stop within `left` more tokens.
bool canFinish(const TokenBuilder& b, int left) {
    if (b.isLegal(b.vocabulary().stopAction())) return true;
    if (left == 0) return false;
    for (int a = 0; a < b.vocabulary().stopAction(); ++a) {
        if (!b.isLegal(a)) continue;
        TokenBuilder next = b;
        next.apply(a);
        if (canFinish(next, left - 1)) return true;
    }
    return false;
}

/// Rebuilds a formula from the token list and the edges alone (checks they describe the tree).
ExprPtr fromEdges(const TokenBuilder& b, int node, const std::vector<std::vector<int>>& children) {
    const TokenVocabulary& v = b.vocabulary();
    const Token& t = v.token(b.actions()[static_cast<std::size_t>(node)]);
    switch (t.kind) {
    case TokenKind::Feature: return Expr::feature(v.grammar().features[static_cast<std::size_t>(t.index)]);
    case TokenKind::Constant: return Expr::constant(v.grammar().constants[static_cast<std::size_t>(t.index)]);
    default: break;
    }
    std::vector<ExprPtr> args;
    int window = 0;
    for (int c : children[static_cast<std::size_t>(node)]) {
        const Token& ct = v.token(b.actions()[static_cast<std::size_t>(c)]);
        if (ct.kind == TokenKind::Window)
            window = v.grammar().windows[static_cast<std::size_t>(ct.index)];
        else
            args.push_back(fromEdges(b, c, children));
    }
    const bool group = operatorSpec(t.op).hasGroup;
    return Expr::op(t.op, std::move(args), window, group ? v.grammar().groups.front() : std::string());
}

TokenRelation expectedRelation(OpId parent, TokenKind childKind, bool firstOperand) {
    const OperatorSpec& spec = operatorSpec(parent);
    if (childKind == TokenKind::Window) return TokenRelation::WindowOperand;
    switch (spec.kind) {
    case OpKind::Binary:
        if (parent == OpId::Add || parent == OpId::Mul || parent == OpId::Eq || parent == OpId::Ne ||
            parent == OpId::And || parent == OpId::Or)
            return TokenRelation::CommutativeOperand;
        return firstOperand ? TokenRelation::LeftOperand : TokenRelation::RightOperand;
    case OpKind::Rolling:
    case OpKind::PairRolling: return TokenRelation::DataOperand;
    default: return TokenRelation::UnaryOperand;
    }
}

} // namespace

class TstTokenEnv : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void vocabularyLayout();
    void handFormulaRoundTrip();
    void masksAtKnownStates();
    void minimumWindows();
    void lengthLimit();
    void dimensionMasks();
    void dimensionReachability();
    void grammarWithoutBinaries();
    void tokenizeRejects();
    void groupOperatorsOnEveryGrouping();
    void copiesAreIndependent();
    void masksMatchExhaustiveSearch_data();
    void masksMatchExhaustiveSearch();
    void randomWalkProperty_data();
    void randomWalkProperty();
};

void TstTokenEnv::vocabularyLayout() {
    const TokenVocabulary v(defaults());
    QCOMPARE(v.size(), 36 + 6 + 14 + 5 + 1); // AlphaSAGE's 63 actions less BEG
    QCOMPARE(v.token(0).kind, TokenKind::Operator);
    QCOMPARE(v.token(v.stopAction()).kind, TokenKind::Stop);
    QCOMPARE(v.token(v.stopAction()).text, std::string("SEP"));
    QCOMPARE(v.token(v.featureAction("close")).text, std::string("$close"));
    QCOMPARE(v.token(v.windowAction(20)).text, std::string("20d"));
    QCOMPARE(v.token(v.constantAction(-0.5)).text, std::string("-0.5"));
    QCOMPARE(v.token(v.operatorAction(OpId::Mean)).text, std::string("Mean"));
    QVERIFY(v.featureAction("close") > v.operatorAction(OpId::Corr));
    QVERIFY(v.constantAction(-30) > v.featureAction("vwap"));
    QVERIFY(v.windowAction(10) > v.constantAction(30));
    QCOMPARE(v.operatorAction(OpId::CSZScore), -1);
    QCOMPARE(v.featureAction("amount"), -1);
    QCOMPARE(v.windowAction(7), -1);
    QCOMPARE(v.constantAction(3.0), -1);
}

void TstTokenEnv::handFormulaRoundTrip() {
    const TokenVocabulary v(defaults());
    const ExprPtr planted = parse("Div(Sub($close,$open),Sub($high,$low))");
    auto actions = tokenize(*planted, v);
    QVERIFY2(actions.ok(), actions.ok() ? "" : actions.error().toString().c_str());
    std::vector<std::string> texts;
    for (int a : *actions) texts.push_back(v.token(a).text);
    QCOMPARE(texts, (std::vector<std::string>{"$close", "$open", "Sub", "$high", "$low", "Sub", "Div", "SEP"}));

    TokenBuilder b(v);
    for (int a : *actions) {
        QVERIFY(!b.finished());
        QVERIFY(b.isLegal(a));
        b.apply(a);
    }
    QVERIFY(b.finished());
    QCOMPARE(b.length(), 7);
    QVERIFY(b.result()->equals(*planted));
    QCOMPARE(b.result()->toString(), std::string("Div(Sub($close, $open), Sub($high, $low))"));
    QCOMPARE(b.actions(), *actions);
    for (auto m : b.legalMask()) QCOMPARE(int(m), 0);

    const auto edges = b.edges();
    QCOMPARE(int(edges.size()), 6);
    std::map<int, std::pair<int, TokenRelation>> parent;
    for (const auto& e : edges) parent[e.child] = {e.parent, e.relation};
    QCOMPARE(parent[0].first, 2);
    QCOMPARE(parent[0].second, TokenRelation::LeftOperand);
    QCOMPARE(parent[1].first, 2);
    QCOMPARE(parent[1].second, TokenRelation::RightOperand);
    QCOMPARE(parent[3].first, 5);
    QCOMPARE(parent[4].first, 5);
    QCOMPARE(parent[2].first, 6);
    QCOMPARE(parent[2].second, TokenRelation::LeftOperand);
    QCOMPARE(parent[5].first, 6);
    QCOMPARE(parent[5].second, TokenRelation::RightOperand);

    // Rolling, pair-rolling and commutative relations.
    auto rolled = tokenize(*parse("Corr(Add($close, $open), Mean($volume, 10), 20)"), v);
    QVERIFY(rolled.ok());
    TokenBuilder c(v);
    for (int a : *rolled) c.apply(a);
    QVERIFY(c.finished());
    // $close0 $open1 Add2 $volume3 10d4 Mean5 20d6 Corr7
    std::map<int, std::pair<int, TokenRelation>> p2;
    for (const auto& e : c.edges()) p2[e.child] = {e.parent, e.relation};
    QCOMPARE(p2[0], std::make_pair(2, TokenRelation::CommutativeOperand));
    QCOMPARE(p2[1], std::make_pair(2, TokenRelation::CommutativeOperand));
    QCOMPARE(p2[3], std::make_pair(5, TokenRelation::DataOperand));
    QCOMPARE(p2[4], std::make_pair(5, TokenRelation::WindowOperand));
    QCOMPARE(p2[2], std::make_pair(7, TokenRelation::DataOperand));
    QCOMPARE(p2[5], std::make_pair(7, TokenRelation::DataOperand));
    QCOMPARE(p2[6], std::make_pair(7, TokenRelation::WindowOperand));
    QCOMPARE(c.result()->toString(), std::string("Corr(Add($close, $open), Mean($volume, 10), 20)"));
}

void TstTokenEnv::masksAtKnownStates() {
    const TokenVocabulary v(defaults());
    TokenBuilder b(v);
    // Empty: fields and constants only.
    std::set<std::string> expected;
    for (const auto& f : v.grammar().features) expected.insert("$" + f);
    for (double c : v.grammar().constants) expected.insert(formatConstant(c));
    QCOMPARE(legalTexts(b), expected);
    QVERIFY(b.stackTop() == nullptr);

    // A lone constant: only a field may follow (then a binary operator).
    applyText(b, "-0.5");
    expected.clear();
    for (const auto& f : v.grammar().features) expected.insert("$" + f);
    QCOMPARE(legalTexts(b), expected);
    QVERIFY(b.stackTop() == nullptr);
    applyText(b, "$close");
    QVERIFY(legal(b, "Add") && legal(b, "Div") && legal(b, "Pow") && legal(b, "Abs"));
    QVERIFY(!legal(b, "SEP"));
    applyText(b, "Sub");
    QCOMPARE(b.stackTop()->toString(), std::string("Sub(-0.5, $close)"));
    QVERIFY(legal(b, "SEP"));

    // One field: unary, windows, fields, constants, stop; no binary or rolling operator.
    b.reset();
    QCOMPARE(b.length(), 0);
    applyText(b, "$close");
    QVERIFY(legal(b, "Abs") && legal(b, "Log") && legal(b, "CSRank"));
    QVERIFY(legal(b, "10d") && legal(b, "50d") && legal(b, "$open") && legal(b, "2") && legal(b, "SEP"));
    QVERIFY(!legal(b, "Add") && !legal(b, "Mean") && !legal(b, "Corr"));
    QCOMPARE(b.stackTop()->toString(), std::string("$close"));

    // A window on top: only rolling operators; pair-rolling needs two featured operands.
    applyText(b, "10d");
    std::set<std::string> rolling;
    for (OpId op : v.grammar().operators)
        if (operatorSpec(op).kind == OpKind::Rolling) rolling.insert(std::string(operatorSpec(op).name));
    QCOMPARE(legalTexts(b), rolling);
    QVERIFY(b.stackTop() == nullptr);
    QCOMPARE(b.stackSize(), 2);

    // Two fields then a window: pair-rolling too.
    b.reset();
    applyText(b, "$close");
    applyText(b, "$open");
    QVERIFY(legal(b, "Add") && legal(b, "Greater") && !legal(b, "SEP"));
    applyText(b, "20d");
    QVERIFY(legal(b, "Corr") && legal(b, "Cov") && legal(b, "Mean"));
    QVERIFY(!legal(b, "Add") && !legal(b, "$close") && !legal(b, "1") && !legal(b, "10d"));

    // A constant on a featured top: binary operators only on (field, constant); no window on it.
    b.reset();
    applyText(b, "$close");
    applyText(b, "2");
    QVERIFY(legal(b, "Pow") && legal(b, "Add") && legal(b, "$open"));
    QVERIFY(!legal(b, "Abs") && !legal(b, "10d") && !legal(b, "2") && !legal(b, "SEP"));
}

void TstTokenEnv::minimumWindows() {
    Grammar g = defaults();
    g.windows = {2, 3, 10};
    const TokenVocabulary v(g);
    TokenBuilder b(v);
    applyText(b, "$close");
    applyText(b, "2d");
    QVERIFY(legal(b, "Std") && legal(b, "Var") && legal(b, "Mean"));
    QVERIFY(!legal(b, "Skew") && !legal(b, "Kurt"));
    b.reset();
    applyText(b, "$close");
    applyText(b, "3d");
    QVERIFY(legal(b, "Skew") && !legal(b, "Kurt"));

    // Only Kurt as a rolling operator: a window shorter than 4 can never be consumed.
    Grammar k = defaults();
    k.operators = {OpId::Kurt, OpId::Add};
    k.windows = {2, 4};
    const TokenVocabulary kv(k);
    TokenBuilder kb(kv);
    applyText(kb, "$close");
    QVERIFY(!legal(kb, "2d"));
    QVERIFY(legal(kb, "4d"));
}

void TstTokenEnv::lengthLimit() {
    Grammar g = defaults();
    g.maxTokens = 3;
    const TokenVocabulary v(g);
    TokenBuilder b(v);
    applyText(b, "$close");
    applyText(b, "$open");
    // Two entries and one token left: only a binary merge fits.
    std::set<std::string> binaries;
    for (OpId op : g.operators)
        if (operatorSpec(op).kind == OpKind::Binary) binaries.insert(std::string(operatorSpec(op).name));
    QCOMPARE(legalTexts(b), binaries);
    applyText(b, "Div");
    QCOMPARE(legalTexts(b), std::set<std::string>{"SEP"});

    // Windows need their operator: with 2 tokens, $close then a window is still fine (3 tokens).
    b.reset();
    applyText(b, "$close");
    QVERIFY(legal(b, "10d"));
    QVERIFY(legal(b, "2")); // $close 2 Pow
    applyText(b, "Abs");
    QVERIFY(!legal(b, "10d")); // Abs($close) 10d Mean = 4 tokens
    QVERIFY(legal(b, "Log") && legal(b, "SEP"));

    // A lone constant needs a field and a binary operator: 3 tokens.
    g.maxTokens = 2;
    const TokenVocabulary v2(g);
    TokenBuilder c(v2);
    QVERIFY(!legal(c, "1") && legal(c, "$close"));
    g.maxTokens = 1;
    const TokenVocabulary v1(g);
    TokenBuilder d(v1);
    QVERIFY(!legal(d, "1") && legal(d, "$close"));
    applyText(d, "$close");
    QCOMPARE(legalTexts(d), std::set<std::string>{"SEP"});
}

void TstTokenEnv::dimensionMasks() {
    Grammar g = defaults();
    g.dimensionCheck = true;
    const TokenVocabulary v(g);
    TokenBuilder b(v);
    applyText(b, "$close");
    applyText(b, "$volume");
    QVERIFY(legal(b, "Mul") && legal(b, "Div"));
    QVERIFY(!legal(b, "Add") && !legal(b, "Sub") && !legal(b, "Greater") && !legal(b, "Less") && !legal(b, "Pow"));
    applyText(b, "20d");
    QVERIFY(legal(b, "Corr") && !legal(b, "Cov"));

    b.reset();
    applyText(b, "$close");
    applyText(b, "$open");
    QVERIFY(legal(b, "Add") && legal(b, "Sub") && legal(b, "Greater") && legal(b, "Mul"));
    b.reset();
    applyText(b, "$close");
    applyText(b, "2");
    QVERIFY(legal(b, "Pow") && legal(b, "Mul") && !legal(b, "Add"));
    b.reset();
    applyText(b, "$close");
    applyText(b, "0.5");
    QVERIFY(!legal(b, "Pow") && legal(b, "Mul"));

    // Without the check the same states allow everything the grammar rules allow.
    Grammar off = defaults();
    const TokenVocabulary vo(off);
    TokenBuilder o(vo);
    applyText(o, "$close");
    applyText(o, "$volume");
    QVERIFY(legal(o, "Add") && legal(o, "Pow"));
}

void TstTokenEnv::dimensionReachability() {
    // No operator can merge price with volume: pushing a volume field onto a price is a dead end.
    Grammar g = defaults();
    g.dimensionCheck = true;
    g.operators = {OpId::Add, OpId::Sub, OpId::Abs};
    const TokenVocabulary v(g);
    TokenBuilder b(v);
    applyText(b, "$close");
    QVERIFY(legal(b, "$open"));
    QVERIFY(!legal(b, "$volume"));
    QVERIFY(!legal(b, "1")); // a constant cannot join a price either

    // With Log, Log($close) + Log($volume) is reachable, but it costs two more tokens after $volume.
    g.operators = {OpId::Add, OpId::Log};
    g.maxTokens = 4;
    const TokenVocabulary v4(g);
    TokenBuilder c(v4);
    applyText(c, "$close");
    applyText(c, "Log");
    QVERIFY(!legal(c, "$volume")); // Log($close) $volume Log Add: 5 tokens
    QVERIFY(legal(c, "1"));        // Log($close) 1 Add: 4 tokens
    g.maxTokens = 5;
    const TokenVocabulary v5(g);
    TokenBuilder d(v5);
    applyText(d, "$close");
    applyText(d, "Log");
    applyText(d, "$volume");
    QCOMPARE(legalTexts(d), std::set<std::string>{"Log"});
    applyText(d, "Log");
    QCOMPARE(legalTexts(d), std::set<std::string>{"Add"});
    applyText(d, "Add");
    applyText(d, "SEP");
    QCOMPARE(d.result()->toString(), std::string("Add(Log($close), Log($volume))"));
    QVERIFY(inferDimension(*d.result()).consistent());
}

void TstTokenEnv::grammarWithoutBinaries() {
    Grammar g = defaults();
    g.operators = {OpId::Abs, OpId::Mean, OpId::Corr};
    const TokenVocabulary v(g);
    TokenBuilder b(v);
    // Constants can never be merged without a binary operator.
    QVERIFY(!legal(b, "1") && legal(b, "$close"));
    applyText(b, "$close");
    QVERIFY(!legal(b, "1"));
    QVERIFY(legal(b, "$open")); // merged by Corr(x, y, w)
    applyText(b, "$open");
    QVERIFY(!legal(b, "SEP"));
    QVERIFY(legal(b, "Abs")); // Corr(x, Abs($open), w) still fits
    applyText(b, "10d");
    QVERIFY(legal(b, "Corr") && legal(b, "Mean"));

    // No binary and no pair-rolling operator: a second field can never be merged.
    g.operators = {OpId::Abs, OpId::Mean};
    const TokenVocabulary v2(g);
    TokenBuilder c(v2);
    applyText(c, "$close");
    QVERIFY(!legal(c, "$open") && legal(c, "Abs") && legal(c, "SEP"));
}

void TstTokenEnv::groupOperatorsOnEveryGrouping() {
    // Two groupings: a group operator gets an action for each (GP and MCTS draw any grouping too).
    auto data = std::make_shared<MarketData>(*smallMarket());
    Grouping industry{"industry", {"a", "b"}, std::vector<int>(static_cast<std::size_t>(data->instrumentCount())), {}};
    for (int i = 0; i < data->instrumentCount(); ++i) industry.ids[static_cast<std::size_t>(i)] = i % 2;
    data->setGrouping(industry);
    Grammar g = Grammar::defaults(*data);
    g.operators = {OpId::GroupRank, OpId::CSRank};
    g.groups = {"sector", "industry"};
    const TokenVocabulary v(g);
    std::vector<std::string> operators;
    for (int a = 0; a < v.size(); ++a)
        if (v.token(a).kind == TokenKind::Operator) operators.push_back(v.token(a).text);
    QCOMPARE(operators, (std::vector<std::string>{"GroupRank", "GroupRank(industry)", "CSRank"}));
    QCOMPARE(v.operatorAction(OpId::GroupRank, 1), 1);
    QCOMPARE(v.operatorAction(OpId::GroupRank, 2), -1);
    for (const char* text : {"GroupRank(CSRank($close), industry)", "GroupRank($volume, sector)"}) {
        const ExprPtr e = parseFormula(text, parseOptionsFor(*data, false)).value();
        auto actions = tokenize(*e, v);
        QVERIFY2(actions.ok(), text);
        TokenBuilder b(v);
        for (int a : *actions) {
            QVERIFY(b.isLegal(a));
            b.apply(a);
        }
        QVERIFY(b.finished());
        QVERIFY2(b.result()->equals(*e), b.result()->toString().c_str());
    }
    TokenBuilder b(v);
    applyText(b, "$close");
    const auto legal = legalTexts(b);
    QVERIFY(legal.count("GroupRank") && legal.count("GroupRank(industry)"));
}

void TstTokenEnv::tokenizeRejects() {
    const TokenVocabulary v(defaults());
    auto code = [&](const std::string& text) {
        auto r = tokenize(*parse(text), v);
        return r.ok() ? -1 : static_cast<int>(r.error().code);
    };
    QCOMPARE(code("Mean($close, 7)"), int(ErrorCode::NotFound));  // window outside the grammar
    QCOMPARE(code("Add($close, 3)"), int(ErrorCode::NotFound));   // constant outside
    QCOMPARE(code("CSZScore($close)"), int(ErrorCode::NotFound)); // operator outside
    QCOMPARE(code("GroupRank($close, sector)"), int(ErrorCode::NotFound));
    auto codeOf = [&](const ExprPtr& e) {
        auto r = tokenize(*e, v);
        return r.ok() ? -1 : static_cast<int>(r.error().code);
    };
    // (the parser refuses constant-only formulas, so these are built by hand)
    QCOMPARE(codeOf(Expr::op(OpId::Add, {Expr::constant(1), Expr::constant(2)})), int(ErrorCode::InvalidArgument));
    QCOMPARE(codeOf(Expr::op(OpId::Mean, {Expr::constant(1)}, 10)), int(ErrorCode::InvalidArgument));
    QCOMPARE(codeOf(Expr::op(OpId::Mul, {Expr::constant(2), Expr::feature("close")})), -1);
    QCOMPARE(code("Add($close, $volume)"), -1);
    // 21 tokens: over the length limit.
    std::string longFormula = "$close";
    for (int i = 0; i < 10; ++i) longFormula = "Add(" + longFormula + ", $open)";
    QCOMPARE(code(longFormula), int(ErrorCode::InvalidArgument));

    Grammar dims = defaults();
    dims.dimensionCheck = true;
    const TokenVocabulary dv(dims);
    auto bad = tokenize(*parse("Add($close, $volume)"), dv);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
    QVERIFY(tokenize(*parse("Div(Add($close, $open), Mean($volume, 10))"), dv).ok());

    // Group operators take the grammar's first grouping as a parameter (no token of their own).
    const TokenVocabulary ev(everything());
    auto grouped = tokenize(*parse("GroupRank(Mean($close, 5), sector)"), ev);
    QVERIFY(grouped.ok());
    QCOMPARE(int(grouped->size()), 5); // $close 5d Mean GroupRank SEP
}

void TstTokenEnv::copiesAreIndependent() {
    const TokenVocabulary v(defaults());
    TokenBuilder a(v);
    applyText(a, "$close");
    TokenBuilder b = a;
    applyText(b, "$open");
    applyText(b, "Div");
    QCOMPARE(a.stackSize(), 1);
    QCOMPARE(a.stackTop()->toString(), std::string("$close"));
    QCOMPARE(b.stackTop()->toString(), std::string("Div($close, $open)"));
    applyText(a, "Log");
    QCOMPARE(b.stackTop()->toString(), std::string("Div($close, $open)"));
    QCOMPARE(a.stackTop()->toString(), std::string("Log($close)"));
}

void TstTokenEnv::masksMatchExhaustiveSearch_data() {
    QTest::addColumn<bool>("dims");
    QTest::newRow("no dimension check") << false;
    QTest::newRow("dimension check") << true;
}

void TstTokenEnv::masksMatchExhaustiveSearch() {
    // The length rule is exact: an action is legal under maxTokens exactly when a builder with a
    // generous limit can take it and still reach stop within maxTokens (found by brute force).
    QFETCH(bool, dims);
    Grammar g = defaults();
    g.operators = {OpId::Abs, OpId::Log,  OpId::Inv, OpId::Add, OpId::Sub,  OpId::Mul, OpId::Div,
                   OpId::Pow, OpId::Mean, OpId::Std, OpId::Var, OpId::Corr, OpId::Cov};
    g.features = {"close", "volume"};
    g.constants = {-1, 0.5, 2};
    g.windows = {1, 5};
    g.dimensionCheck = dims;
    g.maxTokens = 20;
    const TokenVocabulary freeVocabulary(g);
    g.maxTokens = 7;
    const TokenVocabulary v(g);
    std::mt19937_64 rng(99);
    int checked = 0;
    for (int walk = 0; walk < 100; ++walk) {
        TokenBuilder small(v), free(freeVocabulary);
        while (!small.finished()) {
            const int left = g.maxTokens - small.length() - 1;
            for (int a = 0; a < v.stopAction(); ++a) {
                bool expected = false;
                if (left >= 0 && free.isLegal(a)) {
                    TokenBuilder next = free;
                    next.apply(a);
                    expected = canFinish(next, left);
                }
                QVERIFY2(small.isLegal(a) == expected,
                         (v.token(a).text + " after " + std::to_string(small.length()) + " tokens").c_str());
                ++checked;
            }
            QCOMPARE(small.isLegal(v.stopAction()), free.isLegal(v.stopAction()));
            std::vector<int> legalActions;
            for (int a = 0; a < v.size(); ++a)
                if (small.isLegal(a)) legalActions.push_back(a);
            const int a = legalActions[std::uniform_int_distribution<std::size_t>(0, legalActions.size() - 1)(rng)];
            small.apply(a);
            free.apply(a);
        }
    }
    QVERIFY2(checked > 1000, qPrintable(QString::number(checked)));
    qInfo("%d mask entries checked", checked);
}

// One row per line, each input beside what it should give:
// clang-format off
void TstTokenEnv::randomWalkProperty_data() {
    QTest::addColumn<bool>("all");
    QTest::addColumn<bool>("dims");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<int>("walks");
    for (bool all : {false, true})
        for (bool dims : {false, true})
            for (int maxTokens : {1, 3, 5, 8, 20}) {
                const int walks = maxTokens <= 3 ? 100 : 400;
                const std::string name = std::string(all ? "all-ops" : "sage-ops") + (dims ? " dims " : " ") + std::to_string(maxTokens);
                QTest::newRow(name.c_str()) << all << dims << maxTokens << walks;
            }
}
// clang-format on

void TstTokenEnv::randomWalkProperty() {
    QFETCH(bool, all);
    QFETCH(bool, dims);
    QFETCH(int, maxTokens);
    QFETCH(int, walks);
    Grammar g = all ? everything() : defaults();
    g.dimensionCheck = dims;
    g.maxTokens = maxTokens;
    const TokenVocabulary v(g);
    Evaluator evaluator(smallMarket());
    const ParseOptions options = parseOptionsFor(*smallMarket(), false);
    std::mt19937_64 rng(1234 + maxTokens * 10 + (dims ? 1 : 0) + (all ? 2 : 0));
    TokenBuilder b(v);
    std::set<int> lengths;
    for (int w = 0; w < walks; ++w) {
        b.reset();
        std::vector<int> legalActions;
        while (!b.finished()) {
            legalActions.clear();
            for (int a = 0; a < v.size(); ++a)
                if (b.isLegal(a)) legalActions.push_back(a);
            QVERIFY2(!legalActions.empty(), "a walk got stuck");
            QVERIFY(b.length() <= maxTokens);
            b.apply(legalActions[std::uniform_int_distribution<std::size_t>(0, legalActions.size() - 1)(rng)]);
        }
        const ExprPtr expr = b.result();
        QVERIFY(expr);
        const std::string text = expr->toString();
        QVERIFY2(b.length() <= maxTokens, text.c_str());
        lengths.insert(b.length());
        QVERIFY2(!expr->isConstantExpression(), text.c_str());
        QVERIFY(b.stackTop() == expr);
        auto parsed = parseFormula(text, options);
        QVERIFY2(parsed.ok(), text.c_str());
        QVERIFY2(parsed.value()->equals(*expr), text.c_str());
        auto values = evaluator.evaluate(expr);
        QVERIFY2(values.ok(), text.c_str());
        if (dims) {
            const DimensionReport report = inferDimension(*expr);
            QVERIFY2(report.consistent(),
                     (text + ": " + (report.violations.empty() ? "" : report.violations.front())).c_str());
        }
        if (!all) QCOMPARE(expr->tokenCount(), b.length()); // (a group token is an op parameter here)

        // tokenize gives back the same actions.
        auto again = tokenize(*expr, v);
        QVERIFY2(again.ok(), text.c_str());
        QCOMPARE(*again, b.actions());

        // The edges form one tree over the tokens and rebuild the same formula.
        const auto edges = b.edges();
        QCOMPARE(int(edges.size()), b.length() - 1);
        std::vector<int> parentOf(static_cast<std::size_t>(b.length()), -1);
        std::vector<std::vector<int>> children(static_cast<std::size_t>(b.length()));
        for (const auto& e : edges) {
            QVERIFY(e.child >= 0 && e.child < e.parent && e.parent < b.length());
            QCOMPARE(parentOf[static_cast<std::size_t>(e.child)], -1);
            parentOf[static_cast<std::size_t>(e.child)] = e.parent;
            children[static_cast<std::size_t>(e.parent)].push_back(e.child);
        }
        for (const auto& e : edges) {
            const auto& siblings = children[static_cast<std::size_t>(e.parent)];
            const Token& parentToken = v.token(b.actions()[static_cast<std::size_t>(e.parent)]);
            const Token& childToken = v.token(b.actions()[static_cast<std::size_t>(e.child)]);
            QCOMPARE(parentToken.kind, TokenKind::Operator);
            QCOMPARE(e.relation, expectedRelation(parentToken.op, childToken.kind, e.child == siblings.front()));
        }
        for (int n = 0; n + 1 < b.length(); ++n) QVERIFY(parentOf[static_cast<std::size_t>(n)] >= 0);
        for (auto& c : children) std::sort(c.begin(), c.end());
        QVERIFY2(fromEdges(b, b.length() - 1, children)->equals(*expr), text.c_str());
    }
    // Walks are not all of one length (the masks leave room for short and long formulas).
    if (maxTokens >= 5) QVERIFY(lengths.size() >= 2);
    if (maxTokens >= 5) QVERIFY(lengths.count(maxTokens) == 1 || lengths.count(maxTokens - 1) == 1);
}

QTEST_GUILESS_MAIN(TstTokenEnv)
#include "tst_token_env.moc"
