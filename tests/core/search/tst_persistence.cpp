// Persistence of factor performance: the rank correlation against a slow reference and hand-computed
// cases, the periods, and the whole measure on planted markets whose signal persists (the periods'
// rankings agree, the formulas picked on train keep their sign in valid and test) or flips halfway
// (the first and last blocks' rankings disagree). Deterministic per seed; canceled promptly.

#include "core/search/persistence.h"

#include "core/search/planted.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace alphascope;

namespace {

/// Spearman by definition, O(n^2): each value's average rank is the number of smaller values plus
/// half the number of other equal ones; then the Pearson correlation of the ranks.
double slowSpearman(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> a, b;
    for (std::size_t k = 0; k < x.size(); ++k)
        if (std::isfinite(x[k]) && std::isfinite(y[k])) {
            a.push_back(x[k]);
            b.push_back(y[k]);
        }
    const auto ranks = [](const std::vector<double>& v) {
        std::vector<double> r(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            double less = 0, equal = 0;
            for (std::size_t j = 0; j < v.size(); ++j) {
                less += v[j] < v[i];
                equal += (j != i && v[j] == v[i]);
            }
            r[i] = less + equal / 2;
        }
        return r;
    };
    if (a.size() < 3) return std::nan("");
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        ma += ra[i];
        mb += rb[i];
    }
    ma /= double(ra.size());
    mb /= double(rb.size());
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::nan("");
}

std::shared_ptr<const ResearchSession> plantedSession() {
    static const std::shared_ptr<const ResearchSession> session = [] {
        // A planted formula that random walks reach by many roads ($volume, Log($volume),
        // CSRank($volume), ...), so that a good share of the random formulas carry the signal.
        PlantedSpec spec;
        spec.formulas = {"CSRank($volume)"};
        spec.market.days = 320;
        spec.market.instruments = 80;
        auto s = openPlantedSession(spec);
        if (!s) qFatal("%s", s.error().toString().c_str());
        return s.value();
    }();
    return session;
}

/// The planted session with the target negated on the second half of the days: whatever predicted
/// returns before predicts them with the other sign after.
std::shared_ptr<const ResearchSession> flippedSession() {
    static const std::shared_ptr<const ResearchSession> session = [] {
        auto s = std::make_shared<ResearchSession>(*plantedSession());
        auto target = std::make_shared<Panel>(*s->targetValues);
        for (int t = target->days() / 2; t < target->days(); ++t)
            for (int i = 0; i < target->instruments(); ++i) target->at(t, i) = -target->at(t, i);
        s->targetValues = target;
        return std::shared_ptr<const ResearchSession>(s);
    }();
    return session;
}

PersistenceSpec smallSpec() {
    PersistenceSpec spec;
    spec.formulas = 300;
    spec.blocks = 4;
    spec.minDays = 20;
    spec.topK = 20;
    spec.bootstrap = 200;
    spec.seed = 3;
    return spec;
}

int periodNamed(const PersistenceReport& r, const std::string& name) {
    for (std::size_t p = 0; p < r.periods.size(); ++p)
        if (r.periods[p].name == name) return static_cast<int>(p);
    return -1;
}

} // namespace

class TstPersistence : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rankCorrelationHandCases() {
        int pairs = 0;
        QCOMPARE(pairwiseRankCorrelation({1, 2, 3, 4}, {10, 20, 30, 400}, &pairs), 1.0);
        QCOMPARE(pairs, 4);
        QCOMPARE(pairwiseRankCorrelation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        // Ties: x ranks 0, 1.5, 1.5, 3 and y ranks 0, 2, 1, 3 around 1.5: 4.5 / sqrt(4.5 * 5).
        CHECK_NEAR(pairwiseRankCorrelation({1, 2, 2, 3}, {1, 3, 2, 4}), 4.5 / std::sqrt(22.5), 1e-15);
        // Pairs with a NaN on either side are left out; fewer than three pairs or no spread: NaN.
        const double nan = std::nan("");
        CHECK_NEAR(pairwiseRankCorrelation({1, nan, 2, 3, 4}, {1, 5, 2, nan, 3}, &pairs), 1.0, 1e-15);
        QCOMPARE(pairs, 3);
        QVERIFY(std::isnan(pairwiseRankCorrelation({1, 2, nan}, {1, 2, 3})));
        QVERIFY(std::isnan(pairwiseRankCorrelation({5, 5, 5, 5}, {1, 2, 3, 4})));
    }

    void rankCorrelationMatchesTheSlowReference() {
        std::mt19937 gen(17);
        std::normal_distribution<double> z;
        std::uniform_int_distribution<int> coarse(0, 6); // many ties
        for (int trial = 0; trial < 50; ++trial) {
            const int n = 3 + trial * 7;
            std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
            for (int k = 0; k < n; ++k) {
                x[static_cast<std::size_t>(k)] = trial % 2 ? coarse(gen) : z(gen);
                y[static_cast<std::size_t>(k)] =
                    0.5 * x[static_cast<std::size_t>(k)] + (trial % 3 ? coarse(gen) : z(gen));
                if (k % 9 == 4) x[static_cast<std::size_t>(k)] = std::nan("");
                if (k % 11 == 7) y[static_cast<std::size_t>(k)] = std::numeric_limits<double>::infinity();
            }
            const double fast = pairwiseRankCorrelation(x, y), slow = slowSpearman(x, y);
            if (std::isnan(slow)) {
                QVERIFY(std::isnan(fast));
                continue;
            }
            CHECK_NEAR(fast, slow, 1e-12);
        }
    }

    void samplerByHand() {
        // Train means 0.1, -0.2, NaN, 0.05; one later split 0.02, 0.04, 0.1, -0.01. The signed
        // split values of the three formulas with a train mean: 0.02, -0.04, -0.01.
        const std::vector<double> train{0.1, -0.2, std::nan(""), 0.05};
        const std::vector<std::vector<double>> later{{0.02, 0.04, 0.1, -0.01}};
        const PersistenceSampler walks = persistenceSampler(0, train, later);
        QCOMPARE(walks.beta, 0.0);
        QVERIFY(std::fabs(walks.trainAbs - 0.35 / 3) < 1e-15);
        QVERIFY(std::fabs(walks.effectiveFormulas - 3.0) < 1e-12);
        QVERIFY(std::fabs(walks.splitMeans[0] - (0.02 - 0.04 - 0.01) / 3) < 1e-15);
        // beta 1: weights 0.1, 0.2, 0.05 (sum 0.35, squares 0.0525).
        const PersistenceSampler one = persistenceSampler(1, train, later);
        QVERIFY(std::fabs(one.trainAbs - 0.0525 / 0.35) < 1e-15);
        QVERIFY(std::fabs(one.effectiveFormulas - 0.35 * 0.35 / 0.0525) < 1e-12);
        QVERIFY(std::fabs(one.splitMeans[0] - (0.1 * 0.02 - 0.2 * 0.04 - 0.05 * 0.01) / 0.35) < 1e-15);
        // A large beta draws the largest |train| alone.
        const PersistenceSampler sharp = persistenceSampler(200, train, later);
        QVERIFY(std::fabs(sharp.trainAbs - 0.2) < 1e-12);
        QVERIFY(std::fabs(sharp.effectiveFormulas - 1.0) < 1e-9);
        QVERIFY(std::fabs(sharp.splitMeans[0] + 0.04) < 1e-12);
        // No finite pair: NaN.
        const PersistenceSampler none = persistenceSampler(1, {std::nan("")}, {{0.1}});
        QVERIFY(std::isnan(none.trainAbs) && std::isnan(none.splitMeans[0]));
    }

    void periodsAreYearsOrBlocksThenSplits() {
        const ResearchSession& s = *plantedSession();
        const auto blocks = persistencePeriods(s, 4, 20);
        QCOMPARE(blocks.size(), 4 + s.splits.size());
        // The blocks tile the labelled days in order, with sizes within one day of each other.
        for (int b = 0; b < 4; ++b) {
            QVERIFY(!blocks[static_cast<std::size_t>(b)].split);
            QVERIFY(blocks[static_cast<std::size_t>(b)].end > blocks[static_cast<std::size_t>(b)].begin);
            if (b > 0) QCOMPARE(blocks[static_cast<std::size_t>(b)].begin, blocks[static_cast<std::size_t>(b - 1)].end);
            QCOMPARE(blocks[static_cast<std::size_t>(b)].first,
                     s.data->calendar[static_cast<std::size_t>(blocks[static_cast<std::size_t>(b)].begin)]);
        }
        for (std::size_t k = 0; k < s.splits.size(); ++k) {
            const auto& p = blocks[4 + k];
            QVERIFY(p.split);
            QCOMPARE(p.name, s.splits[k].name);
            QCOMPARE(p.begin, s.splits[k].begin);
            QCOMPARE(p.end, s.splits[k].end);
        }
        // Calendar years: each period's days lie in one year, named by it; years with too few
        // labelled days are left out.
        const auto years = persistencePeriods(s, 0, 20);
        int yearsSeen = 0, windowsSeen = 0;
        const Split* valid = validationSplit(s);
        for (const auto& p : years) {
            if (p.split) continue;
            QVERIFY(p.end - p.begin >= 20);
            if (p.window) {
                // A candidate training window: from the start of a year to a horizon before valid.
                ++windowsSeen;
                QVERIFY(p.end <= valid->begin - s.horizon);
                QVERIFY(p.name.rfind("train " + std::to_string(p.first.year()), 0) == 0);
                continue;
            }
            ++yearsSeen;
            QCOMPARE(p.name, std::to_string(p.first.year()));
            QCOMPARE(p.last.year(), p.first.year());
        }
        QVERIFY(yearsSeen >= 1);
        QVERIFY(windowsSeen >= 1);
        const auto none = persistencePeriods(s, 0, 100000);
        QCOMPARE(none.size(), s.splits.size());
    }

    void aPersistentSignalIsSeen() {
        Feedback feedback;
        auto r = measurePersistence(*plantedSession(), smallSpec(), feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(r->drawn, 300LL);
        QCOMPARE(static_cast<long long>(r->formulas.size()) + r->failed, r->drawn);
        QVERIFY(r->formulas.size() > 100);
        QCOMPARE(r->correlations.size(), r->periods.size() * (r->periods.size() - 1) / 2);
        // The formulas' ranking carries over from block to block, and from train to test.
        for (int a = 0; a < 4; ++a)
            for (int b = a + 1; b < 4; ++b) {
                const PeriodCorrelation* c = r->correlation(a, b);
                QVERIFY(c);
                qInfo("blocks %d, %d: %.3f [%.3f, %.3f] over %d formulas", a + 1, b + 1, c->correlation, c->lo, c->hi,
                      c->formulas);
                QVERIFY(c->correlation > 0.3);
                QVERIFY(c->lo > 0.0 && c->lo <= c->correlation && c->correlation <= c->hi);
            }
        const int train = periodNamed(r.value(), "train"), test = periodNamed(r.value(), "test");
        QCOMPARE(r->trainPeriod, train);
        QVERIFY(r->correlation(train, test)->correlation > 0.3);
        // The formulas picked by |train Rank IC| keep their sign in the later splits.
        QCOMPARE(r->selection.size(), std::size_t(2)); // valid and test
        for (const auto& s : r->selection) {
            qInfo("%s: top %d signed mean %.4f [%.4f, %.4f], same sign %.2f; every formula %.4f",
                  r->periods[static_cast<std::size_t>(s.period)].name.c_str(), r->spec.topK, s.topMean, s.topLo,
                  s.topHi, s.topSameSign, s.allMean);
            QVERIFY(s.topLo > 0.0);
            QVERIFY(s.topSameSign >= 0.9);
            QVERIFY(s.topMean > s.allMean);
        }
        QCOMPARE(r->validPeriod, periodNamed(r.value(), "valid"));
        QCOMPARE(r->suggestedWindow, -1); // blocks: no candidate training windows
        // The samplers: beta 0 is the selection check's "every formula"; a larger beta draws
        // formulas with a larger |train| from fewer of them; the one chosen is the best in valid.
        QCOMPARE(r->samplers.size(), std::size(PersistenceReport::kSamplerExponents));
        for (std::size_t k = 0; k < r->selection.size(); ++k)
            QVERIFY(std::fabs(r->samplers.front().splitMeans[k] - r->selection[k].allMean) < 1e-12);
        for (std::size_t b = 1; b < r->samplers.size(); ++b) {
            QVERIFY(r->samplers[b].trainAbs >= r->samplers[b - 1].trainAbs);
            QVERIFY(r->samplers[b].effectiveFormulas <= r->samplers[b - 1].effectiveFormulas + 1e-9);
        }
        QVERIFY(r->suggestedSampler >= 0);
        for (const PersistenceSampler& sm : r->samplers)
            QVERIFY(sm.splitMeans[0] <= r->samplers[static_cast<std::size_t>(r->suggestedSampler)].splitMeans[0]);
        // On a persistent signal sharper sampling pays in test too.
        QVERIFY(r->samplers.back().splitMeans[1] > r->samplers.front().splitMeans[1]);
        const std::string md = persistenceMarkdown(r.value());
        QVERIFY(md.find("| block 1 |") != std::string::npos);
        QVERIFY(md.find(" (best in valid) |") != std::string::npos);
        QVERIFY(md.find("| test |") != std::string::npos);
        // The CSV: a header naming the periods, then one row per usable formula with its means.
        const std::string csv = persistenceCsv(r.value());
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(r->formulas.size() + 1));
        QVERIFY(csv.rfind("formula,block 1,block 2,block 3,block 4,", 0) == 0);
        QVERIFY(csv.find("\n\"" + r->formulas.front() + "\",") != std::string::npos);
    }

    void suggestsTheTrainingWindowMostLikeValid() {
        // Calendar years: the candidate training windows end a horizon before valid, and the one
        // suggested has the largest Spearman with valid among them.
        PersistenceSpec spec = smallSpec();
        spec.blocks = 0;
        Feedback feedback;
        auto r = measurePersistence(*plantedSession(), spec, feedback);
        QVERIFY(r.ok());
        QVERIFY(r->suggestedWindow >= 0);
        QVERIFY(r->periods[static_cast<std::size_t>(r->suggestedWindow)].window);
        int windows = 0;
        for (int p = 0; p < static_cast<int>(r->periods.size()); ++p)
            if (r->periods[static_cast<std::size_t>(p)].window) {
                ++windows;
                QVERIFY(r->correlation(p, r->validPeriod)->correlation <=
                        r->correlation(r->suggestedWindow, r->validPeriod)->correlation);
            }
        QVERIFY(windows >= 1);
        QVERIFY(r->correlation(r->suggestedWindow, r->validPeriod)->correlation > 0.3); // the signal persists
        const std::string md = persistenceMarkdown(r.value());
        QVERIFY(md.find(r->periods[static_cast<std::size_t>(r->suggestedWindow)].name + " (most like valid)") !=
                std::string::npos);
    }

    void trainingOnTheSuggestedWindowKeepsValidAndTest() {
        // The session reopened with its training split on the suggested window: train covers the
        // window's days, valid and test are unchanged; both from default splits (no ranges asked
        // for) and from ranges the spec gives.
        PersistenceSpec spec = smallSpec();
        spec.blocks = 0;
        Feedback feedback;
        const ResearchSession& s = *plantedSession();
        auto r = measurePersistence(s, spec, feedback);
        QVERIFY(r.ok());
        QVERIFY(r->suggestedWindow >= 0);
        const PersistencePeriod& w = r->periods[static_cast<std::size_t>(r->suggestedWindow)];
        const std::string md = persistenceMarkdown(r.value());
        QVERIFY2(md.find("`--train " + w.first.toString() + ":" + w.last.toString() + "`") != std::string::npos,
                 md.c_str());
        const auto check = [&](const ResearchSession& from) {
            const SessionSpec moved = withTrainingRange(from, w.first, w.last);
            QCOMPARE(moved.splits.size(), from.splits.size());
            auto reopened = makeResearchSession(from.data, moved);
            QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().toString().c_str());
            const ResearchSession& n = *reopened.value();
            QCOMPARE(trainingSplit(n).begin, w.begin);
            QCOMPARE(trainingSplit(n).end, w.end);
            for (const char* name : {"valid", "test"}) {
                const auto find = [&](const ResearchSession& x) {
                    return *std::find_if(x.splits.begin(), x.splits.end(),
                                         [&](const Split& sp) { return sp.name == name; });
                };
                QCOMPARE(find(n).begin, find(from).begin);
                QCOMPARE(find(n).end, find(from).end);
            }
        };
        QVERIFY(s.spec.splits.empty());
        check(s);
        // Ranges as a user types them (whole years), the same days as the default splits' dates.
        SessionSpec typed = s.spec;
        for (const Split& sp : s.splits) typed.splits.push_back({sp.name, sp.first, sp.last});
        auto fromRanges = makeResearchSession(s.data, typed);
        QVERIFY(fromRanges.ok());
        check(*fromRanges.value());
        // A window that overlaps valid is refused when the session is made.
        const Split* valid = validationSplit(s);
        auto overlapping = makeResearchSession(s.data, withTrainingRange(s, w.first, valid->last));
        QVERIFY(!overlapping.ok());
    }

    void aFlippedSignalIsSeen() {
        Feedback feedback;
        auto r = measurePersistence(*flippedSession(), smallSpec(), feedback);
        QVERIFY(r.ok());
        // Blocks 1-2 come before the flip, 3-4 after it: rankings agree within a side, disagree across.
        const auto corr = [&](int a, int b) { return r->correlation(a, b)->correlation; };
        qInfo("flipped: 1-2 %.3f, 3-4 %.3f, 1-4 %.3f, 2-3 %.3f", corr(0, 1), corr(2, 3), corr(0, 3), corr(1, 2));
        QVERIFY(corr(0, 1) > 0.3);
        QVERIFY(corr(2, 3) > 0.3);
        QVERIFY(corr(0, 3) < -0.3);
        QVERIFY(r->correlation(0, 3)->hi < 0.0);
        // The formulas picked on train (before the flip) lose in test (after it).
        for (const auto& s : r->selection)
            if (r->periods[static_cast<std::size_t>(s.period)].name == "test") QVERIFY(s.topHi < 0.0);
    }

    void deterministicPerSeed() {
        Feedback f1, f2, f3;
        auto a = measurePersistence(*plantedSession(), smallSpec(), f1);
        auto b = measurePersistence(*plantedSession(), smallSpec(), f2);
        PersistenceSpec other = smallSpec();
        other.seed = 4;
        auto c = measurePersistence(*plantedSession(), other, f3);
        QVERIFY(a.ok() && b.ok() && c.ok());
        QCOMPARE(a->formulas, b->formulas);
        QVERIFY(a->formulas != c->formulas);
        QCOMPARE(a->correlations.size(), b->correlations.size());
        for (std::size_t k = 0; k < a->correlations.size(); ++k) {
            QCOMPARE(a->correlations[k].correlation, b->correlations[k].correlation);
            QCOMPARE(a->correlations[k].lo, b->correlations[k].lo);
            QCOMPARE(a->correlations[k].hi, b->correlations[k].hi);
        }
        QCOMPARE(persistenceMarkdown(a.value()), persistenceMarkdown(b.value()));
    }

    void badSpecsAndCancel() {
        Feedback feedback;
        PersistenceSpec spec = smallSpec();
        spec.formulas = 2;
        auto r = measurePersistence(*plantedSession(), spec, feedback);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        spec = smallSpec();
        spec.grammar.operators = {OpId::Add};
        spec.grammar.features = {"nosuchfield"};
        spec.grammar.windows = {10};
        spec.grammar.constants = {1.0};
        r = measurePersistence(*plantedSession(), spec, feedback);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("nosuchfield") != std::string::npos);
        Feedback canceled;
        canceled.cancel();
        r = measurePersistence(*plantedSession(), smallSpec(), canceled);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Canceled);
    }
};

QTEST_GUILESS_MAIN(TstPersistence)
#include "tst_persistence.moc"
