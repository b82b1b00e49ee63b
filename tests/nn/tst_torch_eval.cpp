// The LibTorch evaluation backend (core/nn/torch_eval) on CPU tensors, so that CI needs no GPU:
// every rolling operator against the slow references the CPU kernels are tested against (random
// panels with NaN, +-inf, constant runs, near-constant large values, ties), and every operator in
// formulas against the CPU evaluator (scalars, membership, groups, negative Ref of a target).

#include "core/nn/device.h"
#include "core/nn/torch_eval.h"

#include "core/eval/evaluator.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/search/planted.h"
#include "core/search/search.h"

#include "tests/core/eval/rolling_compare.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace alphascope;
using rolling_reference::comparePanels;
using rolling_reference::RefValue;

namespace {

constexpr int kDays = 70;
constexpr int kInstruments = 34; // two of each of the reference panel's 17 kinds of column

/// A market whose fields are the reference's awkward random panels; `members` drops some cells.
std::shared_ptr<MarketData> makeMarket(unsigned seed, bool members) {
    auto md = std::make_shared<MarketData>();
    std::vector<Date> days;
    for (int t = 0; t < kDays; ++t) days.push_back(Date::fromYmd(2021, 1 + t / 28, 1 + t % 28));
    md->calendar = Calendar(days);
    for (int i = 0; i < kInstruments; ++i) md->instruments.push_back("S" + std::to_string(i));
    if (members) {
        md->membership.assign(std::size_t(kDays) * kInstruments, 1);
        for (int t = 0; t < 9; ++t) md->membership[std::size_t(t) * kInstruments + 2] = 0;      // late listing
        for (int t = 50; t < kDays; ++t) md->membership[std::size_t(t) * kInstruments + 5] = 0; // delisted
    }
    unsigned s = seed;
    for (const char* name : {"x", "y", "close", "open", "high", "low", "volume", "vwap"}) {
        auto p = std::make_shared<Panel>(rolling_reference::randomPanel(kDays, kInstruments, s++));
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i)
                if (!md->isMember(t, i)) p->at(t, i) = kNaN;
        md->fields[name] = p;
    }
    Grouping g;
    g.name = "sector";
    g.labels = {"A", "B", "C", "D"};
    for (int i = 0; i < kInstruments; ++i) g.ids.push_back(i % 9 == 8 ? -1 : i % 4);
    md->groupings.push_back(g);
    return md;
}

/// The two engines: same NaN cells, values within 1e-5 relative plus 1e-6 absolute (they sum in
/// different orders, and the CPU's rolling moments are sliding updates, the backend's two-pass).
void compareEngines(const Panel& got, const Panel& want, const QString& what) {
    QCOMPARE(got.size(), want.size());
    for (int t = 0; t < got.days(); ++t)
        for (int i = 0; i < got.instruments(); ++i) {
            const float a = got.at(t, i), b = want.at(t, i);
            const bool ok = (std::isnan(a) || std::isnan(b)) ? std::isnan(a) == std::isnan(b)
                                                             : std::fabs(a - b) <= 1e-5 * std::fabs(b) + 1e-6;
            if (!ok)
                QFAIL(qPrintable(QStringLiteral("%1 day %2 instrument %3: torch %4, CPU %5")
                                     .arg(what)
                                     .arg(t)
                                     .arg(i)
                                     .arg(a, 0, 'g', 9)
                                     .arg(b, 0, 'g', 9)));
        }
}

PanelPtr evaluateWith(const Evaluator& ev, const std::string& formula, bool isTarget = false) {
    auto r = ev.evaluate(formula, isTarget);
    if (!r.ok()) qFatal("%s: %s", formula.c_str(), r.error().message.c_str());
    return r.value();
}

} // namespace

class TestTorchEval : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rollingOperatorsMatchTheReferences() {
        auto md = makeMarket(11, false);
        Evaluator torchEval(md, EvaluatorOptions{0});
        torchEval.setBackend(makeTorchEvalBackend(md, false));
        QVERIFY(torchEval.backend());
        const Panel& x = *md->fields.at("x");
        const Panel& y = *md->fields.at("y");
        std::vector<OpId> ops;
        for (int op = static_cast<int>(OpId::Ref); op <= static_cast<int>(OpId::ArgMin); ++op) ops.push_back(OpId(op));
        for (OpId op : {OpId::Count, OpId::Slope, OpId::Rsquare, OpId::Resi}) ops.push_back(op); // Qlib's
        for (OpId op : ops) {
            const std::string name(operatorSpec(op).name);
            for (int w : {1, 2, 3, 4, 5, 10, 20, 69, 70, 71}) {
                if (w < alphascope::minimumWindow(op)) continue; // the parser refuses those
                const std::string f = name + "($x, " + std::to_string(w) + ")";
                comparePanels(*evaluateWith(torchEval, f), rolling_reference::refRolling(op, x, w),
                              QString::fromStdString(f));
            }
        }
        for (int w : {-5, -1, 0}) { // Ref into the future (targets) and Ref 0
            const std::string f = "Ref($x, " + std::to_string(w) + ")";
            comparePanels(*evaluateWith(torchEval, f, true), rolling_reference::refRolling(OpId::Ref, x, w),
                          QString::fromStdString(f));
        }
        for (OpId op : {OpId::Cov, OpId::Corr})
            for (int w : {2, 3, 5, 20, 70, 71}) {
                const std::string f = std::string(operatorSpec(op).name) + "($x, $y, " + std::to_string(w) + ")";
                comparePanels(*evaluateWith(torchEval, f), rolling_reference::refPair(op, x, y, w),
                              QString::fromStdString(f));
            }
    }

    void everyOperatorMatchesTheCpuEvaluator() {
        auto md = makeMarket(23, true);
        Evaluator cpu(md, EvaluatorOptions{0});
        Evaluator torchEval(md, EvaluatorOptions{0});
        torchEval.setBackend(makeTorchEvalBackend(md, false));
        std::vector<std::string> formulas;
        for (int op = 0; op < kOpCount; ++op) {
            const OperatorSpec& spec = operatorSpec(OpId(op));
            switch (spec.kind) {
            case OpKind::Unary:
                formulas.push_back(std::string(spec.name) + "($x)");
                formulas.push_back(std::string(spec.name) + "(Sub($x, $y))");
                break;
            case OpKind::Binary:
                formulas.push_back(std::string(spec.name) + "($x, $y)");
                for (const char* c : {"2", "-1", "0.5", "-0.5", "0.01", "3", "-2", "0"}) {
                    formulas.push_back(std::string(spec.name) + "($x, " + c + ")");
                    formulas.push_back(std::string(spec.name) + "(" + c + ", $y)");
                }
                formulas.push_back(std::string(spec.name) + "(Sign($x), Sign($y))"); // zeros and negative integers
                break;
            case OpKind::Rolling: {
                const std::string q = spec.hasParameter ? ", 0.3" : ""; // Quantile's q
                formulas.push_back(std::string(spec.name) + "($x, 5" + q + ")");
                formulas.push_back(std::string(spec.name) + "(Div($x, $y), 20" + q + ")");
                formulas.push_back(std::string(spec.name) + "(3, 5" + q +
                                   ")"); // a constant series, then the membership
                if (spec.hasParameter)
                    for (const char* other : {", 0)", ", 1)", ", 0.5)", ", 0.8)"})
                        formulas.push_back(std::string(spec.name) + "($x, 7" + other);
                break;
            }
            case OpKind::PairRolling:
                formulas.push_back(std::string(spec.name) + "($x, $y, 10)");
                formulas.push_back(std::string(spec.name) + "($x, 2, 10)");
                break;
            case OpKind::CrossSectional:
                formulas.push_back(std::string(spec.name) + "($x)");
                formulas.push_back(std::string(spec.name) + "(Sign($y))"); // ties
                formulas.push_back(std::string(spec.name) + "(2)");
                break;
            case OpKind::Group:
                formulas.push_back(std::string(spec.name) + "($x, sector)");
                formulas.push_back(std::string(spec.name) + "(Sign($y), sector)");
                formulas.push_back(std::string(spec.name) + "(1, sector)");
                break;
            case OpKind::Select:
                formulas.push_back("If($x > $y, $x, $y)");
                formulas.push_back("If(Sign($x), -1, $y)"); // zeros pick the second branch
                formulas.push_back("If($x, 2, 3)");
                break;
            case OpKind::Instrument:
                formulas.push_back("ChangeInstrument('" + md->instruments[3] + "', Mean($x, 4))");
                formulas.push_back("ChangeInstrument('" + md->instruments[0] + "', $y) - $y");
                break;
            }
        }
        for (const char* f : {"Div(Sub($close, $open), Sub($high, $low))", "CSRank(Mul($close, $volume))",
                              "GroupZScore(Std(Log($volume), 5), sector)", "Mul(Rank($vwap, 10), Pow(2, 3))",
                              "Less(EMA(SLog1p($volume), 10), Med($x, 7))"})
            formulas.emplace_back(f);
        int compared = 0;
        for (const std::string& f : formulas) {
            auto want = cpu.evaluate(f);
            auto got = torchEval.evaluate(f);
            QCOMPARE(got.ok(), want.ok()); // e.g. a rolling window over a number is refused by both
            if (!want.ok()) continue;
            compareEngines(*got.value(), *want.value(), QString::fromStdString(f));
            ++compared;
        }
        QVERIFY2(compared > 150, qPrintable(QString::number(compared)));
        const std::string target = "Sub(Div(Ref($close, -20), $close), 1)";
        compareEngines(*evaluateWith(torchEval, target, true), *evaluateWith(cpu, target, true),
                       QString::fromStdString(target));
    }

    void handCases() {
        // Five days: Mean, Rank with ties, ArgMax's first maximum, Med of an even window, CSRank, and
        // the membership (applied after rolling operators, as the CPU evaluator does).
        auto md = std::make_shared<MarketData>();
        std::vector<Date> days;
        for (int t = 0; t < 5; ++t) days.push_back(Date::fromYmd(2022, 3, 1 + t));
        md->calendar = Calendar(days);
        md->instruments = {"A", "B"};
        md->membership = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
        auto p = std::make_shared<Panel>(5, 2);
        const float xs[] = {1, 3, 3, 2, 4};
        for (int t = 0; t < 5; ++t) {
            p->at(t, 0) = xs[t];
            p->at(t, 1) = float(10 - t); // day 4: a value, but not a member
        }
        md->fields["close"] = p;
        Evaluator ev(md, EvaluatorOptions{0});
        ev.setBackend(makeTorchEvalBackend(md, false));
        const PanelPtr mean = evaluateWith(ev, "Mean($close, 3)");
        QVERIFY(std::isnan(mean->at(1, 0)));
        QCOMPARE(mean->at(2, 0), 7.0f / 3.0f);
        QCOMPARE(mean->at(4, 0), 3.0f);
        const PanelPtr rank = evaluateWith(ev, "Rank($close, 3)");
        QCOMPARE(rank->at(2, 0), 2.5f / 3.0f); // 1, 3, 3: today ties with day 1
        QCOMPARE(rank->at(3, 0), 1.0f / 3.0f);
        QCOMPARE(evaluateWith(ev, "ArgMax($close, 3)")->at(2, 0), 2.0f); // the first of the two 3s
        QCOMPARE(evaluateWith(ev, "Med($close, 4)")->at(3, 0), 2.5f);
        QCOMPARE(evaluateWith(ev, "CSRank($close)")->at(0, 0), 0.5f);       // 1 < 10 of two
        QCOMPARE(evaluateWith(ev, "Abs($close)")->at(4, 1), 6.0f);          // elementwise: as the field
        QVERIFY(std::isnan(evaluateWith(ev, "Mean($close, 1)")->at(4, 1))); // rolling: the membership
    }

    void cacheCancelAndDevice() {
        auto md = makeMarket(5, true);
        Evaluator ev(md);
        ev.setBackend(makeTorchEvalBackend(md, false));
        QCOMPARE(ev.backend()->name(), std::string("LibTorch CPU"));
        auto expr = parseFormula("Mean($x, 5)", parseOptionsFor(*md, false));
        QVERIFY(expr.ok());
        const PanelPtr first = ev.evaluate(expr.value()).value();
        QCOMPARE(ev.evaluate(expr.value()).value().get(), first.get()); // the whole formula is cached
        std::atomic<bool> cancel{true};
        auto other = parseFormula("Std($y, 5)", parseOptionsFor(*md, false));
        const auto canceled = ev.evaluate(other.value(), &cancel);
        QVERIFY(!canceled.ok());
        QCOMPARE(canceled.error().code, ErrorCode::Canceled);
        QVERIFY(!ev.evaluate("Mean($nope, 5)").ok()); // checked before the backend
        // CUDA only where LibTorch has it (never in CI): otherwise no backend is made for a GPU.
        if (!detectComputeDevice().cuda) QVERIFY(makeTorchEvalBackend(md, true) == nullptr);
    }

    void searchTakesTheBackendWhenItPrefersCuda() {
        // No GPU in CI: a factory that answers a request for CUDA with the CPU backend stands in for
        // one, so that the road a GPU run takes (SearchRun hands whole formulas to the backend) is
        // exercised. On a planted market it makes the same decisions as on the CPU kernels: the same
        // pool, with the same weights to the precision the two engines share.
        PlantedSpec spec;
        spec.formulas = {"Div($open, $close)"};
        auto session = openPlantedSession(spec);
        QVERIFY(session.ok());
        const EvalBackendFactory registered = evalBackendFactory();
        registerEvalBackendFactory(
            [](std::shared_ptr<const MarketData> data, bool) { return makeTorchEvalBackend(data, false); });
        auto run = [&](bool preferCuda) {
            SearchConfig c = defaultSearchConfig(SearchAlgo::Genetic);
            c.seed = 2;
            c.budget.evaluations = 300;
            c.preferCuda = preferCuda;
            SearchFeedback feedback;
            return runSearch(*session, c, feedback);
        };
        const auto onBackend = run(true);
        const auto onKernels = run(false);
        registerEvalBackendFactory(registered);
        QVERIFY2(onBackend.ok(), onBackend.ok() ? "" : onBackend.error().message.c_str());
        QVERIFY(onKernels.ok());
        QCOMPARE(onBackend->device, std::string("LibTorch CPU"));
        QCOMPARE(onKernels->device, std::string("CPU"));
        QVERIFY(std::any_of(onBackend->notes.begin(), onBackend->notes.end(),
                            [](const std::string& n) { return n == "formulas evaluated by LibTorch CPU"; }));
        auto formulas = [](const SearchResult& r) {
            std::vector<std::string> f;
            for (const auto& m : r.pool) f.push_back(m.formula);
            return f;
        };
        const auto backendPool = formulas(*onBackend);
        QVERIFY(backendPool.size() >= 10);
        QCOMPARE(backendPool, formulas(*onKernels)); // the same formulas, the same decisions
        QCOMPARE(onBackend->evaluations, onKernels->evaluations);
        for (std::size_t k = 0; k < backendPool.size(); ++k)
            QVERIFY(std::fabs(onBackend->pool[k].weight - onKernels->pool[k].weight) <=
                    1e-4 * std::fabs(onKernels->pool[k].weight) + 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestTorchEval)
#include "tst_torch_eval.moc"
