// AlphaGen's linear pool and AlphaSAGE's mining pool: weights against an independent closed form,
// rejection and eviction rules, the combined IC against the slow road (weightedCombination + dailyIc),
// and the scorer's IC / mutual correlation against core/metrics.

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/pool/alpha_pool.h"
#include "core/pool/linear_combination.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <cstring>
#include <random>

using namespace alphascope;

class TestAlphaPool : public QObject {
    Q_OBJECT

    std::shared_ptr<const MarketData> m_data;
    std::shared_ptr<Evaluator> m_evaluator;
    PanelPtr m_target;
    DayRange m_train{30, 230};

    ExprPtr parse(const char* text) {
        auto e = parseFormula(text, parseOptionsFor(*m_data, false));
        if (!e.ok()) qFatal("%s", e.error().toString().c_str());
        return e.value();
    }
    ScoredFactor score(FactorScorer& s, const char* text) {
        auto f = s.score(parse(text));
        if (!f.ok()) qFatal("%s", f.error().toString().c_str());
        return f.value();
    }
    FactorScorer scorer() { return FactorScorer(m_evaluator, m_target, m_train); }

private Q_SLOTS:
    void initTestCase() {
        SyntheticSpec spec;
        spec.days = 260;
        spec.instruments = 60;
        spec.missingShare = 0.0;
        spec.seed = 11;
        auto data = std::make_shared<MarketData>(makeSyntheticMarket(spec));
        // A field defined on two instruments only: its daily Pearson is +-1 on every day.
        auto sparse = std::make_shared<Panel>(*data->field("close"));
        for (int t = 0; t < sparse->days(); ++t)
            for (int i = 2; i < sparse->instruments(); ++i) sparse->at(t, i) = kNaN;
        data->fields["sparse"] = sparse;
        // Fields missing on whole days, each on other days (a third of them): members whose daily
        // correlations average over different days.
        for (int k = 0; k < 2; ++k) {
            auto gap = std::make_shared<Panel>(*data->field(k == 0 ? "volume" : "high"));
            for (int t = 0; t < gap->days(); ++t)
                if (t % 3 == k)
                    for (int i = 0; i < gap->instruments(); ++i) gap->at(t, i) = kNaN;
            data->fields[k == 0 ? "gapA" : "gapB"] = gap;
        }
        m_data = data;
        m_evaluator = std::make_shared<Evaluator>(m_data);
        auto t = m_evaluator->evaluate("Ref($close, -5) / $close - 1", true);
        QVERIFY(t.ok());
        m_target = t.value();
    }

    void scorerMatchesMetrics() {
        FactorScorer s = scorer();
        const ScoredFactor f = score(s, "Mean(Div($close, Ref($close, 1)), 10)");
        QVERIFY(f.usable());
        CHECK_NEAR(f.ic, seriesStats(dailyIc(*f.values, *m_target, m_train)).mean, 1e-5);
        const ScoredFactor g = score(s, "Std($volume, 20)");
        CHECK_NEAR(s.mutual(f, g), mutualCorrelation(*f.values, *g.values, m_train), 1e-5);
        // Repeats count against the budget; distinct formulas are counted once.
        score(s, "Std($volume, 20)");
        QCOMPARE(s.evaluations(), 3LL);
        QCOMPARE(s.distinctFormulas(), 2LL);
        // A constant factor has no IC.
        const ScoredFactor c = score(s, "Sign(Add(Abs($close), 1))");
        QVERIFY(!c.usable());
        // A factor defined on a sliver of the data is not usable, however good it looks.
        const ScoredFactor sp = score(s, "$sparse");
        QVERIFY(!sp.usable());
        QVERIFY(sp.coverage < 0.05);
        // An unknown field is an error, counted as a failure.
        auto bad = s.score(Expr::feature("nosuch"));
        QVERIFY(!bad.ok());
        QCOMPARE(s.failures(), 3LL);
    }

    void zscoreSliceAgainstReference() {
        std::mt19937_64 rng(5);
        std::normal_distribution<float> g(0.0f, 3.0f);
        Panel x(12, 9);
        for (std::size_t c = 0; c < x.size(); ++c) x.data()[c] = (rng() % 5 == 0) ? kNaN : g(rng) + 1.0f;
        for (int i = 0; i < 9; ++i) x.at(3, i) = 2.0f; // a constant day
        const auto z = zscoreSlice(x, DayRange{2, 10});
        for (int t = 2; t < 10; ++t) {
            double s = 0, n = 0;
            for (int i = 0; i < 9; ++i)
                if (std::isfinite(x.at(t, i))) { s += x.at(t, i); ++n; }
            const double mean = s / n;
            double ss = 0;
            for (int i = 0; i < 9; ++i)
                if (std::isfinite(x.at(t, i))) ss += (x.at(t, i) - mean) * (x.at(t, i) - mean);
            const double sd = std::sqrt(ss / n);
            for (int i = 0; i < 9; ++i) {
                const float v = z[static_cast<std::size_t>((t - 2) * 9 + i)];
                if (!std::isfinite(x.at(t, i)) || t == 3) QVERIFY(std::isnan(v));
                else CHECK_NEAR(v, (x.at(t, i) - mean) / sd, 1e-5);
            }
        }
    }

    void packedSliceMatchesTheReference() {
        // A target and a factor with holes (and a factor-only constant day): the packed z-scores
        // are the reference z-scores on the labelled cells, 0 where the factor misses, and the IC
        // and mutual correlations are the reference Pearson of those vectors.
        auto target = std::make_shared<Panel>(*m_target);
        auto holes = std::make_shared<Panel>(*m_data->field("close"));
        std::mt19937_64 rng(3);
        for (std::size_t c = 0; c < holes->size(); ++c) {
            if (rng() % 7 == 0) holes->data()[c] = kNaN;
            if (rng() % 11 == 0) target->data()[c] = kNaN;
        }
        for (int i = 0; i < holes->instruments(); ++i) holes->at(m_train.begin + 5, i) = 3.0f;
        auto data = std::make_shared<MarketData>(*m_data);
        data->fields["holes"] = holes;
        auto ev = std::make_shared<Evaluator>(data);
        FactorScorer s(ev, target, m_train);
        auto parse2 = [&](const char* text) { return parseFormula(text, parseOptionsFor(*data, false)).value(); };
        auto f = s.score(parse2("$holes"));
        auto g = s.score(parse2("Mean($holes, 3)"));
        QVERIFY(f.ok() && g.ok() && f->usable() && g->usable());
        const Panel::Storage tz = zscoreSlice(*target, m_train);
        auto reference = [&](const Panel& values) {
            Panel::Storage z = zscoreSlice(values, m_train, target.get());
            for (std::size_t c = 0; c < z.size(); ++c)
                if (!std::isfinite(z[c]) && std::isfinite(tz[c])) z[c] = 0.0f;
            return z;
        };
        const Panel::Storage zf = reference(*f->values), zg = reference(*g->values);
        const TrainLayout& layout = s.layout();
        const int N = target->instruments();
        double icSum = 0, mutualSum = 0;
        int icDays = 0, mutualDays = 0;
        for (int k = 0; k < layout.days(); ++k) {
            std::vector<float> a, b, y;
            for (int i = 0; i < N; ++i) {
                const std::size_t c = static_cast<std::size_t>(k) * N + i;
                if (!std::isfinite(tz[c])) continue;
                a.push_back(zf[c]);
                b.push_back(zg[c]);
                y.push_back(tz[c]);
            }
            QCOMPARE(static_cast<int>(a.size()), layout.dayCells(k));
            for (int j = 0; j < layout.dayCells(k); ++j)
                QCOMPARE(f->trainZ->z[layout.dayBegin(k) + static_cast<std::size_t>(j)], a[static_cast<std::size_t>(j)]);
            const double ic = pearson(a.data(), y.data(), static_cast<int>(a.size()));
            if (std::isfinite(ic)) { icSum += ic; ++icDays; }
            const double mu = pearson(a.data(), b.data(), static_cast<int>(a.size()));
            if (std::isfinite(mu)) { mutualSum += mu; ++mutualDays; }
        }
        QCOMPARE(f->trainZ->norm2[5], 0.0); // the constant day has no z-scores
        QCOMPARE(f->icDays, icDays);
        CHECK_NEAR(f->ic, icSum / icDays, 1e-9);
        CHECK_NEAR(s.mutual(*f, *g), mutualSum / mutualDays, 1e-9);
    }

    /// The scorer's dot products give the same bits on both code paths (portable, AVX2 with FMA), for
    /// every length around the 16-lane blocks, on values from 1e-30 to 1e30 of both signs.
    void dotPathsGiveTheSameBits() {
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<float> a(600), b(600);
        for (std::size_t k = 0; k < a.size(); ++k) {
            a[k] = static_cast<float>((u(rng) < 0.5 ? -1 : 1) * std::pow(10.0, -30.0 + 60.0 * u(rng)));
            b[k] = static_cast<float>((u(rng) < 0.5 ? -1 : 1) * std::pow(10.0, -30.0 + 60.0 * u(rng)));
        }
        int compared = 0;
        for (int n : {0, 1, 15, 16, 17, 31, 32, 33, 100, 537, 600}) {
            const auto r = detail::dotOnEveryPath(a.data(), b.data(), n);
            if (std::isnan(r[1])) continue; // this CPU lacks the AVX2 + FMA path
            QVERIFY2(std::memcmp(&r[0], &r[1], sizeof(double)) == 0,
                     qPrintable(QString("n %1: %2 vs %3").arg(n).arg(r[0], 0, 'g', 17).arg(r[1], 0, 'g', 17)));
            ++compared;
        }
        if (compared == 0) QSKIP("this CPU lacks AVX2 or FMA: only the portable path runs");
    }

    void mutualRowEqualsPairwiseMutuals() {
        // The batched row (chunked over threads, a's slice read once per chunk) gives exactly the
        // pairwise values, null slices answer NaN with 0 days; 0, 1, 3 and 37 others cover an empty
        // row, a single chunk and several blocks of 16.
        FactorScorer s = scorer();
        std::vector<ScoredFactor> fs;
        const char* texts[] = {"Std($volume, 20)", "Mean($close, 5)", "Corr($close, $volume, 10)", "Div($high, $low)",
                               "Delta($volume, 10)", "Sign(Delta($close, 1))"};
        for (const char* t : texts) fs.push_back(score(s, t));
        for (const std::size_t count : {0, 1, 3, 37}) {
            std::vector<const TrainSlice*> slices;
            std::vector<const ScoredFactor*> which;
            for (std::size_t j = 0; j < count; ++j) {
                const ScoredFactor* f = j % 7 == 3 ? nullptr : &fs[j % fs.size()];
                which.push_back(f);
                slices.push_back(f ? f->trainZ.get() : nullptr);
            }
            std::vector<double> row(count, 12345.0);
            std::vector<int> days(count, -1);
            s.mutualRow(fs[2], slices, row.data(), days.data());
            for (std::size_t j = 0; j < count; ++j) {
                if (!which[j]) {
                    QVERIFY(std::isnan(row[j]));
                    QCOMPARE(days[j], 0);
                    continue;
                }
                int counted = -1;
                const double expected = s.mutual(fs[2], *which[j], &counted);
                QCOMPARE(row[j], expected); // bit-identical: same dot, same order of days
                QCOMPARE(days[j], counted);
                QVERIFY(counted > 0);
            }
        }
    }

    void mutualMatrixEqualsPairwiseMutuals() {
        // Many against many (tiles of 8 x 16 run in parallel): exactly the pairwise values, with
        // null slices on either side answering NaN and 0 days; 1 x 1, 3 x 37 and 17 x 20 cover a
        // single tile, several column tiles and several row tiles.
        FactorScorer s = scorer();
        std::vector<ScoredFactor> fs;
        for (const char* t : {"Std($volume, 20)", "Mean($close, 5)", "Corr($close, $volume, 10)", "Div($high, $low)",
                              "Delta($volume, 10)", "Sign(Delta($close, 1))", "$gapA", "$gapB"})
            fs.push_back(score(s, t));
        for (const auto [na, no] : {std::pair<std::size_t, std::size_t>{1, 1}, {3, 37}, {17, 20}}) {
            std::vector<const ScoredFactor*> rows, cols;
            std::vector<const TrainSlice*> rowSlices, colSlices;
            for (std::size_t i = 0; i < na; ++i) {
                rows.push_back(i % 5 == 4 ? nullptr : &fs[(3 * i) % fs.size()]);
                rowSlices.push_back(rows.back() ? rows.back()->trainZ.get() : nullptr);
            }
            for (std::size_t j = 0; j < no; ++j) {
                cols.push_back(j % 7 == 3 ? nullptr : &fs[j % fs.size()]);
                colSlices.push_back(cols.back() ? cols.back()->trainZ.get() : nullptr);
            }
            std::vector<double> out(na * no, 12345.0);
            std::vector<int> days(na * no, -1);
            s.mutualMatrix(rowSlices, colSlices, out.data(), days.data());
            for (std::size_t i = 0; i < na; ++i)
                for (std::size_t j = 0; j < no; ++j) {
                    const std::size_t at = i * no + j;
                    if (!rows[i] || !cols[j]) {
                        QVERIFY(std::isnan(out[at]));
                        QCOMPARE(days[at], 0);
                        continue;
                    }
                    int counted = -1;
                    const double expected = s.mutual(*rows[i], *cols[j], &counted);
                    QCOMPARE(out[at], expected); // bit-identical
                    QCOMPARE(days[at], counted);
                }
        }
    }

    void preparedOffersAreTheOffers() {
        // A batch prepared before it is offered in order gives the pool, admissions, reasons and
        // max |mutual| of offering it unprepared: members admitted from the batch itself (not in
        // the prepared rows) are measured at the offer; repeats, unusable candidates and one that
        // is not in the prepared batch are handled as before. Both pools, several batches.
        FactorScorer s = scorer();
        std::vector<ScoredFactor> fs;
        for (const char* t : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)", "Mean(Div($close, Ref($close, 1)), 20)", "Skew($volume, 30)",
                              "Mean($volume, 5)", "Delta($low, 10)", "$sparse", "Std($volume, 20)", "$gapA", "$gapB",
                              "Delta($volume, 10)", "Sign(Delta($close, 1))", "Mean($close, 5)", "Rank($close, 10)"})
            fs.push_back(score(s, t));
        for (const PoolKind kind : {PoolKind::Linear, PoolKind::Mining}) {
            const PoolOptions options{.capacity = 4, .l1 = 0.0, .admitMutual = 0.6};
            auto plain = makeAlphaPool(kind, s, options);
            auto prepared = makeAlphaPool(kind, s, options);
            int admitted = 0;
            for (std::size_t first = 0; first < fs.size(); first += 6) {
                const std::size_t last = std::min(fs.size(), first + 6);
                std::vector<const ScoredFactor*> batch;
                for (std::size_t i = first; i < last; ++i)
                    if (i != first + 2) batch.push_back(&fs[i]); // one offered without being prepared
                prepared->prepareOffers(batch);
                for (std::size_t i = first; i < last; ++i) {
                    const AdmitResult a = plain->offer(fs[i]);
                    const AdmitResult b = prepared->offer(fs[i]);
                    QCOMPARE(b.admitted, a.admitted);
                    QCOMPARE(b.reason, a.reason);
                    QCOMPARE(b.maxAbsMutual, a.maxAbsMutual);
                    QCOMPARE(b.evictedFormula, a.evictedFormula);
                    admitted += a.admitted ? 1 : 0;
                }
                QCOMPARE(prepared->size(), plain->size());
                for (int i = 0; i < plain->size(); ++i) {
                    QCOMPARE(prepared->members()[i].factor.formula, plain->members()[i].factor.formula);
                    QCOMPARE(prepared->members()[i].weight, plain->members()[i].weight);
                }
                QVERIFY(prepared->mutualMatrix() == plain->mutualMatrix());
            }
            QVERIFY2(admitted >= 4, "the batches must admit members for the test to mean something");
        }
    }

    void weightedCombinationAgainstReference() {
        // Random factors with NaN cells, a flat day and a zero weight, against a slow per-cell
        // reference; the combination on a range of days is the full one there and NaN elsewhere.
        std::mt19937_64 rng(5);
        std::normal_distribution<float> normal;
        const int days = 40, n = 23;
        std::vector<PanelPtr> factors;
        for (int f = 0; f < 3; ++f) {
            auto p = std::make_shared<Panel>(days, n);
            for (int t = 0; t < days; ++t)
                for (int i = 0; i < n; ++i) p->at(t, i) = (rng() % 6 == 0) ? kNaN : normal(rng) * float(f + 1);
            for (int i = 0; i < n; ++i) {
                if (f == 1) p->at(7, i) = 2.5f; // factor 1 flat on day 7
                p->at(9, i) = kNaN;             // no factor on day 9
            }
            factors.push_back(p);
        }
        const std::vector<double> weights{0.7, -1.3, 0.0};
        const PanelPtr full = weightedCombination(factors, weights);
        for (int t = 0; t < days; ++t) {
            std::vector<double> ref(n, 0.0);
            std::vector<bool> any(n, false);
            for (int f = 0; f < 2; ++f) { // factor 2 has weight 0
                double sum = 0, cnt = 0;
                for (int i = 0; i < n; ++i)
                    if (std::isfinite(factors[f]->at(t, i))) sum += factors[f]->at(t, i), ++cnt;
                const double mean = cnt > 0 ? sum / cnt : 0;
                double ss = 0;
                for (int i = 0; i < n; ++i)
                    if (std::isfinite(factors[f]->at(t, i))) ss += std::pow(factors[f]->at(t, i) - mean, 2);
                const double sd = cnt > 0 ? std::sqrt(ss / cnt) : 0;
                for (int i = 0; i < n; ++i) {
                    if (!std::isfinite(factors[f]->at(t, i))) continue;
                    any[i] = true;
                    if (sd > 1e-9) ref[i] += weights[f] * (factors[f]->at(t, i) - mean) / sd;
                }
            }
            for (int i = 0; i < n; ++i) {
                if (!any[i]) {
                    QVERIFY(std::isnan(full->at(t, i)));
                    continue;
                }
                CHECK_NEAR(full->at(t, i), ref[i], 1e-5);
            }
        }
        const PanelPtr part = weightedCombination(factors, weights, DayRange{5, 31});
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i) {
                if (t < 5 || t >= 31) QVERIFY(std::isnan(part->at(t, i)));
                else if (std::isnan(full->at(t, i))) QVERIFY(std::isnan(part->at(t, i)));
                else QCOMPARE(part->at(t, i), full->at(t, i));
            }
    }

    void batchScoringIsSequentialScoring() {
        const char* texts[] = {"Std($volume, 20)", "Mean($close, 5)", "Std($volume, 20)", "$nosuch_is_not_parsed",
                               "Sign(Add(Abs($close), 1))", "Corr($close, $volume, 10)", "Mean($close, 5)"};
        std::vector<ExprPtr> exprs;
        for (const char* t : texts) {
            auto e = parseFormula(t, parseOptionsFor(*m_data, false));
            exprs.push_back(e.ok() ? e.value() : Expr::feature("nosuch"));
        }
        FactorScorer one = scorer(), many = scorer();
        std::vector<Result<ScoredFactor>> seq;
        for (const auto& e : exprs) seq.push_back(one.score(e));
        const auto batch = many.scoreBatch(exprs);
        QCOMPARE(batch.size(), seq.size());
        for (std::size_t i = 0; i < exprs.size(); ++i) {
            QCOMPARE(batch[i].ok(), seq[i].ok());
            if (!seq[i].ok()) continue;
            QCOMPARE(batch[i]->usable(), seq[i]->usable());
            if (seq[i]->usable()) QCOMPARE(batch[i]->ic, seq[i]->ic);
        }
        QCOMPARE(many.evaluations(), one.evaluations());
        QCOMPARE(many.distinctFormulas(), one.distinctFormulas());
        QCOMPARE(many.failures(), one.failures());
        QCOMPARE(many.distinctFormulas(), 5LL);
        QCOMPARE(many.failures(), 2LL); // the unknown field and the constant
    }

    void linearWeightsAreTheClosedForm() {
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        std::vector<ScoredFactor> fs{score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)"),
                                     score(s, "Corr($close, $volume, 10)"), score(s, "Div($high, $low)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        // Independent closed form: M w = rho with M from the scorer's mutual correlations.
        Eigen::MatrixXd M(4, 4);
        Eigen::VectorXd rho(4);
        for (int i = 0; i < 4; ++i) {
            rho(i) = fs[i].ic;
            for (int j = 0; j < 4; ++j) M(i, j) = i == j ? 1.0 : s.mutual(fs[i], fs[j]);
        }
        const Eigen::VectorXd w = M.fullPivLu().solve(rho);
        for (int i = 0; i < 4; ++i) CHECK_NEAR(pool.members()[i].weight, w(i), 1e-9);
        QVERIFY((pool.mutualMatrix() - M).cwiseAbs().maxCoeff() < 1e-12);
        // The objective is the train IC of the weighted combination, the slow road.
        std::vector<PanelPtr> values;
        for (const auto& f : fs) values.push_back(f.values);
        const double slow = seriesStats(dailyIc(*weightedCombination(values, pool.weights()), *m_target, m_train)).mean;
        CHECK_NEAR(pool.combinedIc(), slow, 1e-5);
        // Diversity: mean |M_ij| over pairs.
        double sum = 0;
        for (int i = 0; i < 4; ++i)
            for (int j = i + 1; j < 4; ++j) sum += std::fabs(M(i, j));
        CHECK_NEAR(pool.meanAbsMutual(), sum / 6, 1e-12);
    }

    void weightsOfASubsetAreItsClosedForm() {
        // weightsOf({0, 2, 3}): the closed form on those members' sub-matrix, the pool unchanged;
        // all members give the pool's own weights; the mining pool keeps its members' weights.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        std::vector<ScoredFactor> fs{score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)"),
                                     score(s, "Corr($close, $volume, 10)"), score(s, "Div($high, $low)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        const std::vector<double> before = pool.weights();
        const std::vector<int> keep{0, 2, 3};
        Eigen::MatrixXd M(3, 3);
        Eigen::VectorXd rho(3);
        for (int a = 0; a < 3; ++a) {
            rho(a) = fs[keep[a]].ic;
            for (int b = 0; b < 3; ++b) M(a, b) = a == b ? 1.0 : s.mutual(fs[keep[a]], fs[keep[b]]);
        }
        const Eigen::VectorXd w = M.fullPivLu().solve(rho);
        const std::vector<double> got = pool.weightsOf(keep);
        QCOMPARE(got.size(), std::size_t(3));
        for (int a = 0; a < 3; ++a) CHECK_NEAR(got[static_cast<std::size_t>(a)], w(a), 1e-9);
        QVERIFY(pool.weights() == before);
        const std::vector<double> all = pool.weightsOf({0, 1, 2, 3});
        for (int i = 0; i < 4; ++i) CHECK_NEAR(all[static_cast<std::size_t>(i)], before[static_cast<std::size_t>(i)], 1e-9);
        QVERIFY(pool.weightsOf({}).empty());
        MiningAlphaPool mining(s, PoolOptions{.capacity = 10, .admitMutual = 0.99});
        for (const auto& f : fs) mining.offer(f);
        QVERIFY(mining.size() >= 2);
        const std::vector<double> mw = mining.weightsOf({1});
        QCOMPARE(mw.size(), std::size_t(1));
        QCOMPARE(mw[0], mining.members()[1].weight);
    }

    void linearFitAveragesOverAllDays() {
        // Members defined on different days: the weights minimise the mean over all training days
        // of |sum_i w_i u_i - u_y|^2 with unit-norm daily vectors (zero on a day without a spread).
        // The slow reference builds that quadratic from the packed z-scores day by day.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        std::vector<ScoredFactor> fs{score(s, "$gapA"), score(s, "Div($gapB, $close)"), score(s, "Log($gapB)"),
                                     score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        QVERIFY(fs[0].icDays < m_train.size() && fs[1].icDays < m_train.size());
        const TrainLayout& layout = s.layout();
        const int n = static_cast<int>(fs.size()), days = layout.days();
        Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n, n);
        Eigen::VectorXd rho = Eigen::VectorXd::Zero(n);
        auto unit = [&](const TrainSlice& z, int k, int c) {
            const double norm2 = z.norm2[static_cast<std::size_t>(k)];
            return norm2 > 0 ? double(z.z[layout.dayBegin(k) + static_cast<std::size_t>(c)]) / std::sqrt(norm2) : 0.0;
        };
        for (int k = 0; k < days; ++k)
            for (int c = 0; c < layout.dayCells(k); ++c) {
                const double y = unit(s.targetSlice(), k, c);
                for (int i = 0; i < n; ++i) {
                    const double ui = unit(*fs[i].trainZ, k, c);
                    rho(i) += ui * y / days;
                    for (int j = 0; j < n; ++j) M(i, j) += ui * unit(*fs[j].trainZ, k, c) / days;
                }
            }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(M);
        QVERIFY(eig.eigenvalues().minCoeff() > -1e-9); // a mean of Gram matrices
        const Eigen::VectorXd w = solvePoolWeights(M, rho, pool.options().l1);
        for (int i = 0; i < n; ++i) CHECK_NEAR(pool.members()[static_cast<std::size_t>(i)].weight, w(i), 1e-6);
        // The same matrix from the mutual correlations and their day counts.
        for (int i = 0; i < n; ++i) {
            CHECK_NEAR(M(i, i), double(fs[i].icDays) / days, 1e-6);
            for (int j = 0; j < n; ++j) {
                if (i == j) continue;
                int counted = 0;
                const double c = s.mutual(fs[i], fs[j], &counted);
                CHECK_NEAR(M(i, j), c * counted / days, 1e-6);
            }
        }
    }

    void l1WeightsSatisfyOptimality() {
        // The default L1 penalty: check the optimality conditions of w'Mw - 2w'rho + lambda|w|_1
        // directly: 2(Mw - rho)_i = -lambda sign(w_i) where w_i != 0, |2(Mw - rho)_i| <= lambda where 0.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        QCOMPARE(pool.options().l1, 5e-3);
        for (const char* f : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)", "Mean($close, 10)", "Mean($close, 20)", "Delta($volume, 10)"})
            pool.offer(score(s, f));
        QVERIFY(pool.size() >= 5);
        Eigen::VectorXd w(pool.size()), rho(pool.size());
        for (int i = 0; i < pool.size(); ++i) {
            w(i) = pool.members()[i].weight;
            rho(i) = pool.members()[i].factor.ic;
        }
        const Eigen::VectorXd g = 2.0 * (pool.mutualMatrix() * w - rho);
        for (int i = 0; i < pool.size(); ++i) {
            if (w(i) != 0.0) CHECK_NEAR(g(i), -5e-3 * (w(i) > 0 ? 1.0 : -1.0), 1e-6);
            else QVERIFY(std::fabs(g(i)) <= 5e-3 + 1e-9);
        }
    }

    void complexityPenalisesLongerMembers() {
        // The complexity penalty: the optimality conditions hold with lambda_i = l1 + c * tokens_i,
        // and a long member's weight shrinks against the fit without the penalty.
        FactorScorer s = scorer();
        const double c = 2e-3;
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .complexity = c});
        LinearAlphaPool plain(s, PoolOptions{.capacity = 10});
        for (const char* f : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)", "Std(Div(Sub($close, $open), Sub($high, $low)), 20)", "Delta($volume, 10)"}) {
            const ScoredFactor sf = score(s, f);
            pool.offer(sf);
            plain.offer(sf);
        }
        QVERIFY(pool.size() >= 5);
        Eigen::VectorXd w(pool.size()), rho(pool.size()), lambda(pool.size());
        for (int i = 0; i < pool.size(); ++i) {
            const ScoredFactor& f = pool.members()[i].factor;
            w(i) = pool.members()[i].weight;
            rho(i) = f.ic;
            lambda(i) = 5e-3 + c * f.expr->tokenCount();
        }
        const Eigen::VectorXd g = 2.0 * (pool.mutualMatrix() * w - rho);
        for (int i = 0; i < pool.size(); ++i) {
            if (w(i) != 0.0) CHECK_NEAR(g(i), -lambda(i) * (w(i) > 0 ? 1.0 : -1.0), 1e-6);
            else QVERIFY(std::fabs(g(i)) <= lambda(i) + 1e-9);
        }
        // The sum of |w| weighted by length falls (the penalty trades fit for shorter members).
        double longPool = 0.0, longPlain = 0.0;
        for (int i = 0; i < pool.size(); ++i) longPool += pool.members()[i].factor.expr->tokenCount() * std::fabs(w(i));
        for (int i = 0; i < plain.size(); ++i)
            longPlain += plain.members()[i].factor.expr->tokenCount() * std::fabs(plain.members()[i].weight);
        QVERIFY2(longPool < longPlain, qPrintable(QStringLiteral("%1 vs %2").arg(longPool).arg(longPlain)));
    }

    void linearRejectsDuplicates() {
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        QVERIFY(pool.offer(score(s, "Std($volume, 20)")).admitted);
        const AdmitResult same = pool.offer(score(s, "Std($volume, 20)"));
        QVERIFY(!same.admitted);
        const AdmitResult scaled = pool.offer(score(s, "Mul(Std($volume, 20), 2)"));
        QVERIFY(!scaled.admitted);
        QVERIFY(scaled.maxAbsMutual > 0.99);
        // A negated copy has mutual IC -1: rejected too (AlphaGen's signed test would admit it and
        // give two offsetting, exploding weights).
        const AdmitResult neg = pool.offer(score(s, "Neg(Std($volume, 20))"));
        QVERIFY(!neg.admitted);
        CHECK_NEAR(neg.maxAbsMutual, 1.0, 1e-6);
        QVERIFY(pool.offer(score(s, "Div($high, $low)")).admitted);
        QCOMPARE(pool.size(), 2);
    }

    void linearEvictsTheSmallestWeight() {
        FactorScorer s = scorer();
        const char* formulas[] = {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)"};
        std::vector<ScoredFactor> fs;
        for (const char* f : formulas) fs.push_back(score(s, f));
        // What the three-member weights are decides who leaves a pool of capacity 2.
        LinearAlphaPool big(s, PoolOptions{.capacity = 3, .l1 = 0.0});
        for (const auto& f : fs) QVERIFY(big.offer(f).admitted);
        int weakest = 0;
        for (int i = 1; i < 3; ++i)
            if (std::fabs(big.members()[i].weight) < std::fabs(big.members()[weakest].weight)) weakest = i;
        LinearAlphaPool pool(s, PoolOptions{.capacity = 2, .l1 = 0.0});
        QVERIFY(pool.offer(fs[0]).admitted);
        QVERIFY(pool.offer(fs[1]).admitted);
        const AdmitResult r = pool.offer(fs[2]);
        QCOMPARE(pool.size(), 2);
        if (weakest == 2) {
            QVERIFY(!r.admitted);
            QCOMPARE(pool.members()[0].factor.formula, fs[0].formula);
            QCOMPARE(pool.members()[1].factor.formula, fs[1].formula);
        } else {
            QVERIFY(r.admitted && r.evictedOther);
            QCOMPARE(r.evictedFormula, fs[static_cast<std::size_t>(weakest)].formula);
            QVERIFY(!pool.contains(*fs[static_cast<std::size_t>(weakest)].expr));
        }
        // The matrix shrank consistently.
        QCOMPARE(pool.mutualMatrix().rows(), 2);
        CHECK_NEAR(pool.mutualMatrix()(0, 1), s.mutual(pool.members()[0].factor, pool.members()[1].factor), 1e-12);
    }

    void linearRefusesAdmissionsThatLowerTheCombinedIc() {
        // refuseLowerIc: the combined train IC never falls; a refused offer leaves members, weights,
        // mutual matrix and combined IC as they were; up to the first refusal the pool is AlphaGen's.
        // A small pool with a strong L1 penalty, where admissions and evictions do lower it.
        FactorScorer s = scorer();
        const char* formulas[] = {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                                  "Div($high, $low)", "Mean($close, 10)", "Delta($volume, 10)", "Div($close, $open)",
                                  "Rank($volume, 10)", "Sub($high, $close)", "Max($high, 5)", "Std(Div($close, $open), 10)",
                                  "Min($low, 20)", "Delta($close, 5)", "Mean($volume, 5)", "Corr($high, $low, 20)",
                                  "Div(Sub($close, $open), Sub($high, $low))", "Rank($close, 20)", "Log($volume)"};
        std::vector<ScoredFactor> fs;
        for (const char* f : formulas) fs.push_back(score(s, f));
        const PoolOptions plain{.capacity = 3, .l1 = 0.02};
        PoolOptions refusing = plain;
        refusing.refuseLowerIc = true;
        LinearAlphaPool alphaGen(s, plain), pool(s, refusing);
        int refusals = 0;
        bool diverged = false;
        for (const auto& f : fs) {
            const std::vector<PoolMember> members = pool.members();
            const Eigen::MatrixXd mutual = pool.mutualMatrix();
            const double before = pool.combinedIc();
            const AdmitResult r = pool.offer(f);
            const AdmitResult a = alphaGen.offer(f);
            if (!diverged) { // the same pool so far: the same answer unless this one is refused
                if (r.reason == "it would lower the combined train IC") {
                    QVERIFY(a.admitted);
                    QVERIFY(a.objective < before);
                } else {
                    QCOMPARE(r.admitted, a.admitted);
                    QCOMPARE(pool.weights(), alphaGen.weights());
                }
            }
            if (r.reason == "it would lower the combined train IC") {
                ++refusals;
                diverged = true;
                QVERIFY(!r.admitted && !r.evictedOther);
                QCOMPARE(r.objective, before);
                QCOMPARE(pool.size(), static_cast<int>(members.size()));
                for (std::size_t i = 0; i < members.size(); ++i) {
                    QCOMPARE(pool.members()[i].factor.formula, members[i].factor.formula);
                    QCOMPARE(pool.members()[i].weight, members[i].weight);
                }
                QVERIFY(pool.mutualMatrix() == mutual);
            }
            if (std::isfinite(before)) QVERIFY2(pool.combinedIc() >= before, f.formula.c_str());
        }
        QVERIFY2(refusals > 0, "no offer lowered the combined IC: the case tests nothing");
        // The combined IC kept through the refusals is the slow road's.
        std::vector<PanelPtr> values;
        for (const auto& m : pool.members()) values.push_back(m.factor.values);
        const double slow = seriesStats(dailyIc(*weightedCombination(values, pool.weights()), *m_target, m_train)).mean;
        CHECK_NEAR(pool.combinedIc(), slow, 1e-5);
    }

    void weightsOfTakeAnotherL1() {
        // weightsOf(keep, l1): the fit a pool with that penalty gives the same members.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        LinearAlphaPool other(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        for (const char* f : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)"}) {
            const ScoredFactor sf = score(s, f);
            QVERIFY(pool.offer(sf).admitted);
            QVERIFY(other.offer(sf).admitted);
        }
        const std::vector<double> w = pool.weightsOf({0, 1, 2, 3}, 0.0);
        for (int i = 0; i < 4; ++i) CHECK_NEAR(w[static_cast<std::size_t>(i)], other.members()[i].weight, 1e-9);
        QVERIFY(pool.weightsOf({0, 1, 2, 3}, 0.0) != pool.weights()); // L1 5e-3 shrinks them
        QCOMPARE(pool.weightsOf({0, 1, 2, 3}, 10.0), std::vector<double>(4, 0.0)); // every |rho| below lambda / 2
    }

    void miningAdmissionAndReplacement() {
        FactorScorer s = scorer();
        MiningAlphaPool pool(s, PoolOptions{.capacity = 2, .admitMutual = 0.3});
        const ScoredFactor a = score(s, "Mean(Div($close, Ref($close, 1)), 10)");
        const ScoredFactor a2 = score(s, "Mean(Div($close, Ref($close, 1)), 20)"); // overlaps a
        QVERIFY(std::fabs(s.mutual(a, a2)) > 0.3);
        QVERIFY(pool.offer(a).admitted);
        const AdmitResult r = pool.offer(a2);
        QVERIFY(!r.admitted);
        CHECK_NEAR(r.maxAbsMutual, std::fabs(s.mutual(a, a2)), 1e-12);
        // Fill the pool with factors uncorrelated to a, then a stronger one must replace the weakest.
        std::vector<ScoredFactor> others;
        for (const char* f : {"Std($volume, 20)", "Div($high, $low)", "Corr($close, $volume, 10)", "Skew($volume, 30)",
                              "Mean($volume, 5)", "Delta($low, 10)"}) {
            ScoredFactor g = score(s, f);
            if (g.usable() && std::fabs(s.mutual(a, g)) <= 0.3) others.push_back(g);
        }
        QVERIFY(others.size() >= 2);
        QVERIFY(pool.offer(others[0]).admitted || pool.size() == 1);
        while (pool.size() < 2) {
            others.erase(others.begin());
            QVERIFY(!others.empty());
            pool.offer(others[0]);
        }
        const auto before = pool.members();
        const int weakest = std::fabs(before[0].factor.ic) <= std::fabs(before[1].factor.ic) ? 0 : 1;
        for (std::size_t k = 1; k < others.size(); ++k) {
            const ScoredFactor& c = others[k];
            if (pool.contains(*c.expr)) continue;
            const double maxMut = pool.maxAbsMutual(c);
            const AdmitResult res = pool.offer(c);
            const bool shouldEnter = maxMut <= 0.3 && std::fabs(c.ic) > std::fabs(before[weakest].factor.ic);
            QCOMPARE(res.admitted, shouldEnter);
            if (res.admitted) {
                QVERIFY(res.evictedOther);
                QCOMPARE(res.evictedFormula, before[weakest].factor.formula);
                CHECK_NEAR(pool.members().back().weight, c.ic, 1e-15); // weights are the ICs
                break;
            }
        }
        QCOMPARE(pool.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestAlphaPool)
#include "tst_alpha_pool.moc"
