// FactorScorer against core/metrics: IC and mutual correlations, the packed training z-scores,
// the dot-product paths, prepared offers, batch scoring and weighted combinations.

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/pool/alpha_pool.h"
#include "core/pool/linear_combination.h"
#include "tests/core/pool/pool_market.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <cstring>
#include <random>

using namespace alphascope;

class TestFactorScorer : public QObject, public pool_test::PoolMarket {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpMarket(); }

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
                if (std::isfinite(x.at(t, i))) {
                    s += x.at(t, i);
                    ++n;
                }
            const double mean = s / n;
            double ss = 0;
            for (int i = 0; i < 9; ++i)
                if (std::isfinite(x.at(t, i))) ss += (x.at(t, i) - mean) * (x.at(t, i) - mean);
            const double sd = std::sqrt(ss / n);
            for (int i = 0; i < 9; ++i) {
                const float v = z[static_cast<std::size_t>((t - 2) * 9 + i)];
                if (!std::isfinite(x.at(t, i)) || t == 3)
                    QVERIFY(std::isnan(v));
                else
                    CHECK_NEAR(v, (x.at(t, i) - mean) / sd, 1e-5);
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
                QCOMPARE(f->trainZ->z[layout.dayBegin(k) + static_cast<std::size_t>(j)],
                         a[static_cast<std::size_t>(j)]);
            const double ic = pearson(a.data(), y.data(), static_cast<int>(a.size()));
            if (std::isfinite(ic)) {
                icSum += ic;
                ++icDays;
            }
            const double mu = pearson(a.data(), b.data(), static_cast<int>(a.size()));
            if (std::isfinite(mu)) {
                mutualSum += mu;
                ++mutualDays;
            }
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

    /// The mutual-correlation matrix's blocks (up to 3 rows x 4 columns of distinct vectors) give
    /// each pair's portable dot product bit for bit, for every block shape and lengths around the
    /// 16-lane blocks.
    void blockDotsGiveTheSameBits() {
        std::mt19937 rng(6);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<std::vector<float>> rows(3, std::vector<float>(600)), cols(4, std::vector<float>(600));
        for (auto* set : {&rows, &cols})
            for (auto& v : *set)
                for (float& x : v)
                    x = static_cast<float>((u(rng) < 0.5 ? -1 : 1) * std::pow(10.0, -30.0 + 60.0 * u(rng)));
        const float* a[3] = {rows[0].data(), rows[1].data(), rows[2].data()};
        const float* b[4] = {cols[0].data(), cols[1].data(), cols[2].data(), cols[3].data()};
        int compared = 0;
        for (int n : {0, 1, 15, 16, 17, 31, 33, 100, 537, 600})
            for (int r = 1; r <= 3; ++r)
                for (int c = 1; c <= 4; ++c) {
                    double portable[12], blocked[12];
                    detail::blockDotsOnEveryPath(a, r, b, c, n, portable, blocked);
                    if (std::isnan(blocked[0])) continue; // this CPU lacks the AVX2 + FMA path
                    for (int k = 0; k < r * c; ++k)
                        QVERIFY2(std::memcmp(&portable[k], &blocked[k], sizeof(double)) == 0,
                                 qPrintable(QString("n %1, %2 x %3 block, pair %4: %5 vs %6")
                                                .arg(n)
                                                .arg(r)
                                                .arg(c)
                                                .arg(k)
                                                .arg(portable[k], 0, 'g', 17)
                                                .arg(blocked[k], 0, 'g', 17)));
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
        const char* texts[] = {"Std($volume, 20)", "Mean($close, 5)",    "Corr($close, $volume, 10)",
                               "Div($high, $low)", "Delta($volume, 10)", "Sign(Delta($close, 1))"};
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
                    QCOMPARE(b.evictedFormulas, a.evictedFormulas);
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
                if (t < 5 || t >= 31)
                    QVERIFY(std::isnan(part->at(t, i)));
                else if (std::isnan(full->at(t, i)))
                    QVERIFY(std::isnan(part->at(t, i)));
                else
                    QCOMPARE(part->at(t, i), full->at(t, i));
            }
    }

    void batchScoringIsSequentialScoring() {
        const char* texts[] = {"Std($volume, 20)",      "Mean($close, 5)",           "Std($volume, 20)",
                               "$nosuch_is_not_parsed", "Sign(Add(Abs($close), 1))", "Corr($close, $volume, 10)",
                               "Mean($close, 5)"};
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
};

QTEST_GUILESS_MAIN(TestFactorScorer)
#include "tst_factor_scorer.moc"
