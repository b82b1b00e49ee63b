// Fused elementwise chains (kernels::chain, used by the Evaluator for every elementwise node): the
// values must be those of the unfused kernels applied node by node, bit for bit, on panels with NaN,
// infinities, zeros, negatives and overflowing values, for random formulas of every elementwise
// operator (numbers on either side, If with numbers, rolling nodes as inputs), across tiles, tasks
// and worker counts; and a sub-expression the cache holds is read, not recomputed.

#include "core/data/market_data.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/evaluator.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"

#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <tbb/task_arena.h>
#include <vector>

using namespace alphascope;

namespace {

// 301 x 149 = 44,849 cells: two tasks of 32,768, eleven tiles of 4,096 and a scalar tail of one cell.
constexpr int kDays = 301;
constexpr int kInstruments = 149;

std::shared_ptr<MarketData> makeMarket(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    auto md = std::make_shared<MarketData>();
    std::vector<Date> days;
    for (int t = 0; t < kDays; ++t) days.push_back(Date::fromYmd(2000 + t / 300, 1 + (t / 28) % 12, 1 + t % 28));
    md->calendar = Calendar(days);
    for (int i = 0; i < kInstruments; ++i) md->instruments.push_back("I" + std::to_string(i));
    md->membership.assign(static_cast<std::size_t>(kDays) * kInstruments, 1);
    for (int t = 0; t < 40; ++t) md->membership[static_cast<std::size_t>(t) * kInstruments + 7] = 0;
    for (const char* name : {"open", "high", "low", "close", "volume"}) {
        auto p = std::make_shared<Panel>(kDays, kInstruments);
        for (std::size_t k = 0; k < p->size(); ++k) {
            const double r = u(rng);
            double v = 10.0 * (u(rng) - 0.3);
            if (r < 0.03)
                v = NAN;
            else if (r < 0.04)
                v = r < 0.035 ? INFINITY : -INFINITY;
            else if (r < 0.06)
                v = 0.0;
            else if (r < 0.07)
                v = 1e30 * (u(rng) - 0.5); // products and powers overflow
            else if (r < 0.08)
                v = 1e-30 * u(rng);
            if (!md->membership[k]) v = NAN;
            p->data()[k] = static_cast<float>(v);
        }
        md->fields[name] = p;
    }
    return md;
}

/// A random formula of elementwise operators over fields, numbers and a few rolling nodes.
std::string randomFormula(std::mt19937& rng, int depth) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    static const char* fields[] = {"$open", "$high", "$low", "$close", "$volume"};
    static const char* numbers[] = {"2", "0.01", "-1.5", "0", "1", "3", "0.5", "-7.25", "100000"};
    if (depth == 0 || u(rng) < 0.2) {
        const double r = u(rng);
        if (r < 0.15) return numbers[static_cast<std::size_t>(u(rng) * std::size(numbers))];
        if (r < 0.25) return std::string("Mean(") + fields[static_cast<std::size_t>(u(rng) * 5)] + ", 3)";
        return fields[static_cast<std::size_t>(u(rng) * 5)];
    }
    std::vector<const OperatorSpec*> ops;
    for (const auto& s : allOperators())
        if (s.kind == OpKind::Unary || s.kind == OpKind::Binary || s.kind == OpKind::Select) ops.push_back(&s);
    const OperatorSpec& s = *ops[static_cast<std::size_t>(u(rng) * ops.size())];
    std::string f = std::string(s.name) + "(";
    for (int a = 0; a < s.seriesArity; ++a) f += (a ? ", " : "") + randomFormula(rng, depth - 1);
    return f + ")";
}

/// A panel or a number, as the unfused road computes them node by node.
struct Ref {
    PanelPtr panel;
    double number = 0.0;
};

/// The formula node by node with the unfused kernels; nodes that are not elementwise come from the
/// evaluator (they are inputs of a chain, not part of it).
Ref unfused(const Evaluator& ev, const ExprPtr& e) {
    const auto& data = ev.data();
    if (e->isConstant()) return {nullptr, e->value()};
    if (e->isFeature()) return {data.fields.at(e->name()), 0.0};
    const OperatorSpec& spec = operatorSpec(e->opId());
    if (spec.kind != OpKind::Unary && spec.kind != OpKind::Binary && spec.kind != OpKind::Select)
        return {ev.evaluate(e).value(), 0.0};
    std::vector<Ref> a;
    for (const auto& arg : e->args()) a.push_back(unfused(ev, arg));
    bool numbers = true;
    for (const auto& r : a) numbers = numbers && !r.panel;
    if (numbers)
        return {nullptr, spec.kind == OpKind::Unary    ? kernels::unaryValue(e->opId(), a[0].number)
                         : spec.kind == OpKind::Binary ? kernels::binaryValue(e->opId(), a[0].number, a[1].number)
                                                       : kernels::selectValue(a[0].number, a[1].number, a[2].number)};
    auto out = std::make_shared<Panel>(data.days(), data.instrumentCount());
    const auto asPanel = [&](const Ref& r) {
        return r.panel
                   ? r.panel
                   : std::make_shared<const Panel>(data.days(), data.instrumentCount(), static_cast<float>(r.number));
    };
    if (spec.kind == OpKind::Unary)
        kernels::unary(e->opId(), *a[0].panel, *out);
    else if (spec.kind == OpKind::Select)
        kernels::select(*asPanel(a[0]), *asPanel(a[1]), *asPanel(a[2]), *out);
    else if (!a[0].panel)
        kernels::binaryScalar(e->opId(), *a[1].panel, a[0].number, false, *out);
    else if (!a[1].panel)
        kernels::binaryScalar(e->opId(), *a[0].panel, a[1].number, true, *out);
    else
        kernels::binary(e->opId(), *a[0].panel, *a[1].panel, *out);
    return {out, 0.0};
}

bool sameBits(const Panel& a, const Panel& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

class TestElementwiseChain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chainsGiveTheUnfusedBits();
    void cachedSubexpressionsAreRead();
};

void TestElementwiseChain::chainsGiveTheUnfusedBits() {
    const auto md = makeMarket(3u);
    EvaluatorOptions noCache;
    noCache.cacheBytes = 0;
    const Evaluator ev(md, noCache);
    std::mt19937 rng(17u);
    int chains = 0, longest = 0;
    for (int k = 0; k < 300; ++k) {
        std::string f;
        while (f.find('$') == std::string::npos) f = randomFormula(rng, 1 + k % 5); // a formula reads a field
        auto parsed = parseFormula(f, parseOptionsFor(*md, false));
        QVERIFY2(parsed.ok(), qPrintable(QString::fromStdString(f)));
        const ExprPtr e = parsed.value();
        const Ref expected = unfused(ev, e);
        if (!expected.panel) continue; // a number: folded, nothing to run
        ++chains;
        longest = std::max(longest, static_cast<int>(f.size()));
        for (int workers : {1, 2, 3}) {
            PanelPtr got;
            tbb::task_arena(workers).execute([&] { got = ev.evaluate(e).value(); });
            QVERIFY2(sameBits(*got, *expected.panel),
                     qPrintable(QString("%1 on %2 workers").arg(QString::fromStdString(f)).arg(workers)));
        }
    }
    QVERIFY(chains > 200);
    QVERIFY(longest > 100);
}

void TestElementwiseChain::cachedSubexpressionsAreRead() {
    const auto md = makeMarket(4u);
    const Evaluator ev(md);
    EvaluatorOptions noCache;
    noCache.cacheBytes = 0;
    const Evaluator fresh(md, noCache);
    const auto inner = ev.evaluate("Sub($close, $open)").value();
    const auto before = ev.cacheStats().hits;
    const auto outer = ev.evaluate("Div(Sub($close, $open), Abs($high))").value();
    QCOMPARE(ev.cacheStats().hits, before + 1); // the chain read Sub(...) from the cache
    QVERIFY(sameBits(*outer, *fresh.evaluate("Div(Sub($close, $open), Abs($high))").value()));
    QVERIFY(sameBits(*inner, *fresh.evaluate("Sub($close, $open)").value()));
}

QTEST_GUILESS_MAIN(TestElementwiseChain)
#include "tst_elementwise_chain.moc"
