// Cross-sectional (CSRank, CSZScore, CSDemean, CSScale) and group (GroupRank, GroupZScore,
// GroupDemean) kernels against a slow reference on random panels with NaNs and infs, by hand, and
// the row path against the value path bit for bit.

#include "core/eval/cross_section_kernels.h"
#include "core/expr/operator_registry.h"
#include "tests/core/eval/evaluator_market.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace alphascope;
using namespace evaluator_test;

namespace {

// Slow cross-sectional reference over a list of finite values.
std::vector<double> refCrossSection(OpId op, const std::vector<double>& v) {
    const std::size_t n = v.size();
    std::vector<double> out(n, NAN);
    if (n == 0) return out;
    double mean = 0;
    for (double x : v) mean += x;
    mean /= n;
    if (op == OpId::CSRank || op == OpId::GroupRank) {
        for (std::size_t a = 0; a < n; ++a) {
            double less = 0, equal = 0;
            for (std::size_t b = 0; b < n; ++b) {
                less += v[b] < v[a];
                equal += v[b] == v[a];
            }
            out[a] = (less + (equal + 1) / 2) / n;
        }
    } else if (op == OpId::CSDemean || op == OpId::GroupDemean) {
        for (std::size_t a = 0; a < n; ++a) out[a] = v[a] - mean;
    } else if (op == OpId::CSZScore || op == OpId::GroupZScore) {
        double ss = 0, maxAbs = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
            maxAbs = std::max(maxAbs, std::fabs(x));
        }
        const double sd = std::sqrt(ss / n);
        if (n >= 2 && sd > 1e-12 * maxAbs)
            for (std::size_t a = 0; a < n; ++a) out[a] = (v[a] - mean) / sd;
    } else if (op == OpId::CSScale) {
        double s = 0;
        for (double x : v) s += std::fabs(x);
        for (std::size_t a = 0; a < n; ++a) out[a] = s > 0 ? v[a] / s : NAN;
    }
    return out;
}

} // namespace

class TestCrossSection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void crossSectionalOps_data() {
        QTest::addColumn<int>("op");
        for (OpId op : {OpId::CSRank, OpId::CSZScore, OpId::CSDemean, OpId::CSScale})
            QTest::newRow(std::to_string(static_cast<int>(op)).c_str()) << static_cast<int>(op);
    }
    void crossSectionalOps() {
        QFETCH(int, op);
        auto md = makeMarket(3);
        Panel x = *md->fields["volume"];                          // integers: many ties
        for (int i = 0; i < kInstruments; ++i) x.at(7, i) = 4.0f; // a constant day
        x.at(8, 0) = std::numeric_limits<float>::infinity();
        Panel out(kDays, kInstruments);
        kernels::crossSectional(static_cast<OpId>(op), x, out);
        for (int t = 0; t < kDays; ++t) {
            std::vector<double> vals;
            std::vector<int> idx;
            for (int i = 0; i < kInstruments; ++i)
                if (std::isfinite(x.at(t, i))) {
                    vals.push_back(x.at(t, i));
                    idx.push_back(i);
                }
            const auto ref = refCrossSection(static_cast<OpId>(op), vals);
            std::vector<double> full(kInstruments, NAN);
            for (std::size_t k = 0; k < idx.size(); ++k) full[static_cast<std::size_t>(idx[k])] = ref[k];
            for (int i = 0; i < kInstruments; ++i) QVERIFY(same(out.at(t, i), full[static_cast<std::size_t>(i)]));
        }
    }

    void crossSectionRowsMatchTheValuePath() {
        // CSDemean, CSZScore, CSScale, GroupDemean and GroupZScore work straight on each panel row;
        // their values must be those
        // of crossSectionValues over the day's finite cells bit for bit (same sums, same order), on
        // random rows with NaN, inf, zeros, negatives and a day with one finite cell.
        std::mt19937 rng(4242u);
        std::normal_distribution<double> normal(0.0, 1.0);
        Panel x(60, 301);
        for (int t = 0; t < x.days(); ++t)
            for (int i = 0; i < x.instruments(); ++i) {
                const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
                x.at(t, i) = u < 0.05   ? kNaN
                             : u < 0.07 ? std::numeric_limits<float>::infinity()
                             : u < 0.1  ? 0.0f
                                        : static_cast<float>(1e3 * normal(rng));
            }
        for (int i = 1; i < x.instruments(); ++i) x.at(5, i) = kNaN; // one finite cell
        // The group operators group by group (-1: no group; group 5 has one member).
        std::vector<int> ids(static_cast<std::size_t>(x.instruments()));
        for (int i = 0; i < x.instruments(); ++i)
            ids[static_cast<std::size_t>(i)] = i == 7 ? 5 : i % 6 == 5 ? -1 : i % 5;
        const struct {
            OpId op, valuesOp;
        } cases[] = {{OpId::CSZScore, OpId::CSZScore},
                     {OpId::CSDemean, OpId::CSDemean},
                     {OpId::CSScale, OpId::CSScale},
                     {OpId::GroupZScore, OpId::CSZScore},
                     {OpId::GroupDemean, OpId::CSDemean}};
        for (const auto& c : cases) {
            const bool grouped = c.op != c.valuesOp;
            Panel out(x.days(), x.instruments());
            if (grouped)
                kernels::group(c.op, x, ids, out);
            else
                kernels::crossSectional(c.op, x, out);
            for (int t = 0; t < x.days(); ++t) {
                std::vector<float> want(static_cast<std::size_t>(x.instruments()), kNaN);
                for (int g = 0; g <= (grouped ? 5 : 0); ++g) {
                    std::vector<double> vals;
                    std::vector<int> idx;
                    for (int i = 0; i < x.instruments(); ++i)
                        if ((!grouped || ids[static_cast<std::size_t>(i)] == g) && std::isfinite(x.at(t, i))) {
                            vals.push_back(x.at(t, i));
                            idx.push_back(i);
                        }
                    kernels::crossSectionValues(c.valuesOp, vals);
                    for (std::size_t k = 0; k < idx.size(); ++k) {
                        const float f = static_cast<float>(vals[k]);
                        want[static_cast<std::size_t>(idx[k])] = std::isfinite(f) ? f : kNaN;
                    }
                }
                for (int i = 0; i < x.instruments(); ++i) {
                    const float got = out.at(t, i), w = want[static_cast<std::size_t>(i)];
                    QVERIFY2((std::isnan(got) && std::isnan(w)) || std::memcmp(&got, &w, sizeof got) == 0,
                             qPrintable(QStringLiteral("op %1 day %2 instrument %3: %4 vs %5")
                                            .arg(int(c.op))
                                            .arg(t)
                                            .arg(i)
                                            .arg(got, 0, 'g', 9)
                                            .arg(w, 0, 'g', 9)));
                }
            }
        }
    }

    void handComputedCrossSection() {
        std::vector<double> v = {3, 1, 3, 2};
        kernels::crossSectionValues(OpId::CSRank, v);
        QCOMPARE(v, (std::vector<double>{0.875, 0.25, 0.875, 0.5})); // ranks 3.5,1,3.5,2 over 4
        v = {1, 2, 3, 6};
        kernels::crossSectionValues(OpId::CSScale, v);
        QCOMPARE(v, (std::vector<double>{1.0 / 12, 2.0 / 12, 3.0 / 12, 6.0 / 12}));
        v = {1, 3};
        kernels::crossSectionValues(OpId::CSZScore, v);
        QCOMPARE(v, (std::vector<double>{-1.0, 1.0})); // mean 2, population std 1
    }

    void groupOps_data() {
        QTest::addColumn<int>("op");
        for (OpId op : {OpId::GroupDemean, OpId::GroupRank, OpId::GroupZScore})
            QTest::newRow(std::to_string(static_cast<int>(op)).c_str()) << static_cast<int>(op);
    }
    void groupOps() {
        QFETCH(int, op);
        auto md = makeMarket(4);
        const Panel& x = *md->fields["close"];
        const auto& ids = md->groupings[0].ids;
        Panel out(kDays, kInstruments);
        kernels::group(static_cast<OpId>(op), x, ids, out);
        for (int t = 0; t < kDays; ++t)
            for (int g = 0; g < 3; ++g) {
                std::vector<double> vals;
                std::vector<int> idx;
                for (int i = 0; i < kInstruments; ++i)
                    if (ids[static_cast<std::size_t>(i)] == g && std::isfinite(x.at(t, i))) {
                        vals.push_back(x.at(t, i));
                        idx.push_back(i);
                    }
                const auto ref = refCrossSection(static_cast<OpId>(op), vals);
                for (std::size_t k = 0; k < idx.size(); ++k) QVERIFY(same(out.at(t, idx[k]), ref[k]));
            }
        for (int t = 0; t < kDays; ++t) QVERIFY(std::isnan(out.at(t, 12))); // no group
    }
};

QTEST_GUILESS_MAIN(TestCrossSection)
#include "tst_cross_section.moc"
