// Factor sets: every export format read back (native and AlphaGen JSON through readFactorSet, CSV
// through an RFC 4180 reader written here), factor values against direct evaluation, atomic files
// and cancel, and files that are not factor sets, with their locations.

#include "core/expr/worldquant.h"
#include "core/io/factor_set.h"
#include "core/io/pool_json.h"

#include "tests/core/io/factor_set_fixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

#include <cmath>
#include <limits>

using namespace alphascope;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameMetrics(const std::vector<FactorSplitRecord>& a, const std::vector<FactorSplitRecord>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const auto &x = a[k], &y = b[k];
        if (x.split != y.split || x.icDays != y.icDays || !same(x.ic, y.ic) || !same(x.rankIc, y.rankIc) ||
            !same(x.icir, y.icir) || !same(x.rankIcir, y.rankIcir) || !same(x.coverage, y.coverage) ||
            !same(x.turnover, y.turnover) || !same(x.autocorrelation, y.autocorrelation))
            return false;
    }
    return true;
}

/// RFC 4180: quoted cells may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string cell;
    bool quoted = false, any = false;
    for (std::size_t k = 0; k < text.size(); ++k) {
        const char c = text[k];
        if (quoted) {
            if (c == '"' && k + 1 < text.size() && text[k + 1] == '"')
                cell += '"', ++k;
            else if (c == '"')
                quoted = false;
            else
                cell += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(cell), cell.clear();
        } else if (c == '\n') {
            rows.back().push_back(cell), cell.clear();
            rows.emplace_back();
        } else {
            cell += c;
        }
        any = true;
    }
    if (!any) return {};
    if (!rows.back().empty() || !cell.empty())
        rows.back().push_back(cell);
    else
        rows.pop_back();
    return rows;
}

double cellValue(const std::string& s) {
    return s.empty() ? kNaN : std::stod(s);
}

QJsonObject jsonOf(const std::string& text) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

} // namespace

class TestFactorSet : public QObject {
    Q_OBJECT
    std::shared_ptr<const ResearchSession> m_session;

    /// Three measured factors with awkward names, one without a weight.
    FactorSet sampleSet() const {
        FactorSet set =
            factorSetOf({test::measured(*m_session, "Div(Sub($close, $open), Sub($high, $low))", "range, \"position\""),
                         test::measured(*m_session, "CSRank(Delta($close, 5))"),
                         test::measured(*m_session, "Mean($volume, 30)", "volume level")});
        set.members[0].weight = 0.4375;
        set.members[1].weight = -1.0 / 3.0;
        set.members[0].factor.notes = "line one\nline two";
        set.dataset = datasetOf(*m_session);
        set.searchConfigJson = R"json({"algorithm": "gp", "seed": 7, "budget": {"evaluations": 500}})json";
        set.originRunId = 12;
        set.createdAt = "2026-11-21T10:00:00Z";
        return set;
    }

private Q_SLOTS:
    void initTestCase() {
        m_session = test::syntheticSession();
        QCOMPARE(m_session->splits.size(), std::size_t(3));
    }

    void formatNames() {
        for (auto f : {FactorSetFormat::Native, FactorSetFormat::AlphaGen, FactorSetFormat::Csv, FactorSetFormat::Qlib,
                       FactorSetFormat::Values, FactorSetFormat::WorldQuant})
            QCOMPARE(factorSetFormatNamed(factorSetFormatName(f)), std::optional<FactorSetFormat>(f));
        QCOMPARE(factorSetFormatNamed("parquet"), std::optional<FactorSetFormat>());
    }

    void nativeRoundTrip() {
        const FactorSet set = sampleSet();
        auto text = factorSetJson(set);
        QVERIFY2(text.ok(), text.ok() ? "" : text.error().toString().c_str());
        const QJsonObject j = jsonOf(text.value());
        QCOMPARE(j.value("format").toString(), QStringLiteral("alphascope-factor-set"));
        QCOMPARE(j.value("version").toInt(), 1);
        QVERIFY(j.value("factors").toArray().at(2).toObject().value("weight").isNull()); // no weight: null, not 0

        auto back = readFactorSet(text.value(), "set.json");
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QCOMPARE(back->members.size(), set.members.size());
        for (std::size_t k = 0; k < set.members.size(); ++k) {
            const auto &a = set.members[k], &b = back->members[k];
            QCOMPARE(b.factor.name, a.factor.name);
            QCOMPARE(b.factor.formula, a.factor.formula);
            QCOMPARE(b.factor.notes, a.factor.notes);
            QVERIFY(same(b.weight, a.weight));
            QVERIFY(sameMetrics(b.factor.metrics, a.factor.metrics));
            QVERIFY(b.line > 1 && b.column > 1);
        }
        QCOMPARE(back->dataset.source, std::string("synthetic"));
        QCOMPARE(back->dataset.target, set.dataset.target);
        QCOMPARE(back->dataset.instruments, 24);
        QCOMPARE(back->dataset.splits.size(), std::size_t(3));
        for (std::size_t k = 0; k < 3; ++k) {
            QCOMPARE(back->dataset.splits[k].name, set.dataset.splits[k].name);
            QCOMPARE(back->dataset.splits[k].first, m_session->splits[k].first.toString());
            QCOMPARE(back->dataset.splits[k].last, m_session->splits[k].last.toString());
        }
        QCOMPARE(back->originRunId, std::int64_t(12));
        QCOMPARE(back->createdAt, set.createdAt);
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(back->searchConfigJson)),
                 QJsonDocument::fromJson(QByteArray::fromStdString(set.searchConfigJson)));
    }

    void nativeRefusesBadConfigAndNewerVersions() {
        FactorSet set = sampleSet();
        set.searchConfigJson = "{not json";
        QCOMPARE(factorSetJson(set).ok(), false);
        const std::string newer =
            R"json({"format": "alphascope-factor-set", "version": 2, "factors": [{"formula": "$close"}]})json";
        auto r = readFactorSet(newer, "new.json");
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("newer") != std::string::npos);
    }

    void alphaGenRoundTripAndShape() {
        const FactorSet set = sampleSet();
        const std::string text = alphaGenPoolJson(set);
        const QJsonObject j = jsonOf(text);
        QCOMPARE(j.keys(), QStringList({"exprs", "weights"}));
        QCOMPARE(j.value("weights").toArray().at(2).toDouble(), 1.0); // no weight: the equal-weight sum
        auto back = readFactorSet(text);
        QVERIFY(back.ok());
        QCOMPARE(back->members.size(), std::size_t(3));
        for (std::size_t k = 0; k < 3; ++k) QCOMPARE(back->members[k].factor.formula, set.members[k].factor.formula);
        QCOMPARE(back->members[0].weight, 0.4375);
        QCOMPARE(back->members[1].weight, -1.0 / 3.0); // 17 digits survive
        QCOMPARE(back->members[2].weight, 1.0);
    }

    void poolFileGivesFormulasWeightsAndMetrics() {
        // The shape poolJson writes for a search (factors with metrics keyed by split, AlphaGen's lists too).
        const std::string pool = R"json({
  "format": "alphascope-pool",
  "config": {"algorithm": "random", "seed": 3},
  "data": {"source": "prices.csv", "universe": "all", "target": "Ref($close, -20) / $close - 1",
           "splits": [{"name": "train", "first": "2015-01-02", "last": "2016-12-30"},
                      {"name": "valid", "first": "2017-02-01", "last": "2017-12-29"}]},
  "exprs": ["Mean($close, 5)", "Std($volume, 10)"],
  "factors": [
    {"formula": "Mean($close, 5)", "weight": 0.75,
     "metrics": {"valid": {"ic": -0.01, "rank_ic": 0.02}, "train": {"ic": 0.03, "rank_ic": null, "turnover": 0.5}}},
    {"formula": "Std($volume, 10)", "weight": null, "metrics": {}}
  ],
  "weights": [0.75, null]
})json";
        auto set = readFactorSet(pool, "pool.json");
        QVERIFY2(set.ok(), set.ok() ? "" : set.error().toString().c_str());
        QCOMPARE(set->members.size(), std::size_t(2));
        QCOMPARE(set->members[0].factor.formula, std::string("Mean($close, 5)"));
        QCOMPARE(set->members[0].weight, 0.75);
        QVERIFY(std::isnan(set->members[1].weight));
        QCOMPARE(set->members[0].line, 9); // the "factors" entry, not the "exprs" one
        QCOMPARE(set->members[0].column, 18);
        const auto& m = set->members[0].factor.metrics;
        QCOMPARE(m.size(), std::size_t(2));
        QCOMPARE(m[0].split, std::string("train")); // in the data's split order
        QCOMPARE(m[0].ic, 0.03);
        QVERIFY(std::isnan(m[0].rankIc));
        QCOMPARE(m[0].turnover, 0.5);
        QCOMPARE(m[1].ic, -0.01);
        QCOMPARE(set->dataset.splits.size(), std::size_t(2));
        QVERIFY(set->searchConfigJson.find("random") != std::string::npos);
        // The pool file does not count the days with a defined IC: exports leave them blank, not 0.
        const auto rows = readCsv(factorSetCsv(set.value()));
        QCOMPARE(rows[0][3], std::string("train_ic_days"));
        QCOMPARE(rows[1][3], std::string());
        QCOMPARE(rows[1][4], std::string("0.03"));
        const auto nativeText = factorSetJson(set.value());
        QVERIFY(nativeText.ok());
        const QJsonObject native = jsonOf(nativeText.value());
        const QJsonObject train =
            native.value("factors").toArray().at(0).toObject().value("metrics").toArray().at(0).toObject();
        QCOMPARE(train.value("split").toString(), QStringLiteral("train"));
        QVERIFY(train.value("ic_days").isNull());
        auto again = readFactorSet(nativeText.value(), "again.json");
        QVERIFY(again.ok());
        QCOMPARE(again->members[0].factor.metrics[0].icDays, 0);
    }

    void csvHoldsEveryMetricPerSplit() {
        const FactorSet set = sampleSet();
        const auto rows = readCsv(factorSetCsv(set));
        QCOMPARE(rows.size(), set.members.size() + 1);
        const auto& header = rows[0];
        QCOMPARE(header.size(), std::size_t(3 + 3 * 8));
        QCOMPARE(header[0], std::string("name"));
        QCOMPARE(header[3], std::string("train_ic_days"));
        QCOMPARE(header[4], std::string("train_ic"));
        QCOMPARE(header[3 + 8 + 2], std::string("valid_rank_ic"));
        for (std::size_t k = 0; k < set.members.size(); ++k) {
            const auto& row = rows[k + 1];
            const FactorRecord& f = set.members[k].factor;
            QCOMPARE(row.size(), header.size());
            QCOMPARE(row[0], f.name); // commas and quotes survive the quoting
            QCOMPARE(row[1], f.formula);
            QVERIFY(same(cellValue(row[2]), set.members[k].weight));
            for (std::size_t s = 0; s < 3; ++s) {
                const FactorSplitRecord& m = f.metrics[s];
                const double expected[] = {double(m.icDays), m.ic,       m.rankIc,   m.icir,
                                           m.rankIcir,       m.coverage, m.turnover, m.autocorrelation};
                for (std::size_t c = 0; c < 8; ++c)
                    QVERIFY2(same(cellValue(row[3 + 8 * s + c]), expected[c]), header[3 + 8 * s + c].c_str());
            }
        }
    }

    void worldQuantListReadsBack() {
        FactorSet set = sampleSet();
        set.members.push_back(set.members.back());
        set.members.back().factor.formula = "EMA(Mean(Mul($close, $volume), 20), 5) - Kurt($close, 10)";
        set.members.back().factor.name = "own operators";
        auto list = worldQuantExpressionList(set);
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().toString().c_str());
        QCOMPARE(list->expressions, 4);
        // Every non-comment line reads back, in WorldQuant's notation, as the member's formula.
        std::vector<std::string> lines;
        std::istringstream in(list->text);
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line[0] != '#') lines.push_back(line);
        QCOMPARE(lines.size(), set.members.size());
        ParseOptions wq;
        wq.notation = Notation::WorldQuant;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            auto back = parseFormula(lines[k], wq);
            QVERIFY2(back.ok(), lines[k].c_str());
            QVERIFY2(back.value()->equals(*parseFormula(set.members[k].factor.formula).value()), lines[k].c_str());
        }
        QCOMPARE(lines[0], std::string("(close - open) / (high - low)"));
        QCOMPARE(lines[1], std::string("rank(delta(close, 5))"));
        QCOMPARE(lines[3], std::string("EMA(adv20, 5) - Kurt(close, 10)"));
        // The operators BRAIN lacks are named, in the file and in the notes.
        QVERIFY(list->text.find("# uses AlphaScope operators WorldQuant has no name for: EMA, Kurt\n") !=
                std::string::npos);
        QCOMPARE(list->notes.size(), std::size_t(1));
        QVERIFY(list->text.find("# volume level\n") != std::string::npos);
    }

    void valuesMatchDirectEvaluation() {
        FactorSet set = factorSetOf({test::measured(*m_session, "Mean($close, 30)", "slow, mean"),
                                     test::measured(*m_session, "Log(Sub($close, Mean($close, 5)))"),
                                     test::measured(*m_session, "GroupRank($volume, sector)")});
        Feedback feedback;
        double lastFraction = -1;
        feedback.progressInterval = 0;
        feedback.onProgress = [&](const TaskProgress& p) { lastFraction = p.fraction; };
        auto text = factorValuesCsv(set, *m_session, feedback);
        QVERIFY2(text.ok(), text.ok() ? "" : text.error().toString().c_str());
        QCOMPARE(lastFraction, 1.0);
        const auto rows = readCsv(text.value());
        QCOMPARE(rows[0],
                 (std::vector<std::string>{"date", "instrument", "slow, mean", "Log(Sub($close, Mean($close, 5)))",
                                           "GroupRank($volume, sector)"}));
        const MarketData& data = *m_session->data;
        std::vector<PanelPtr> direct;
        for (const auto& m : set.members) direct.push_back(m_session->evaluator->evaluate(m.factor.formula).value());
        std::size_t row = 1, nans = 0, members = 0;
        for (int t = 0; t < data.days(); ++t)
            for (int i = 0; i < data.instrumentCount(); ++i) {
                if (!data.isMember(t, i)) continue;
                ++members;
                QVERIFY(row < rows.size());
                const auto& r = rows[row++];
                QCOMPARE(r[0], data.calendar[t].toString());
                QCOMPARE(r[1], data.instruments[static_cast<std::size_t>(i)]);
                for (std::size_t k = 0; k < direct.size(); ++k) {
                    const double expected = direct[k]->at(t, i);
                    const double got = cellValue(r[2 + k]);
                    if (std::isnan(expected)) ++nans;
                    QVERIFY2(std::isnan(expected)
                                 ? r[2 + k].empty()
                                 : std::fabs(got - expected) <= 1e-6 * std::max(1.0, std::fabs(expected)),
                             qPrintable(QStringLiteral("%1 %2 factor %3: %4 vs %5")
                                            .arg(QString::fromStdString(data.calendar[t].toString()))
                                            .arg(i)
                                            .arg(k)
                                            .arg(QString::fromStdString(r[2 + k]))
                                            .arg(expected)));
                }
            }
        QCOMPARE(rows.size(), members + 1);
        QVERIFY(nans > 29 * 24); // the warm-up of Mean(30), missing cells and logs of negatives
    }

    void valuesLocateBadFormulas() {
        FactorSet set = factorSetOf({test::measured(*m_session, "Mean($close, 5)")});
        FactorRecord bad;
        bad.name = bad.formula = "Mean($nosuch, 5)";
        set.members.push_back(FactorSetMember{bad});
        Feedback feedback;
        auto r = factorValuesCsv(set, *m_session, feedback);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where, std::string("factor 2"));
        QVERIFY(r.error().message.find("nosuch") != std::string::npos);
    }

    void exportWritesWholeFilesOrNothing() {
        QTemporaryDir dir;
        const FactorSet set = sampleSet();
        Feedback feedback;
        for (auto f : {FactorSetFormat::Native, FactorSetFormat::AlphaGen, FactorSetFormat::Csv, FactorSetFormat::Qlib,
                       FactorSetFormat::Values, FactorSetFormat::WorldQuant}) {
            const std::string path = dir.filePath(QString::fromUtf8(factorSetFormatName(f).data())).toStdString();
            auto report = exportFactorSet(set, f, path, m_session.get(), feedback);
            QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
            QVERIFY(QFile::exists(QString::fromStdString(path)));
            QVERIFY(!QFile::exists(QString::fromStdString(path + ".part")));
        }
        // Qlib: CSRank is flagged; AlphaGen: the unweighted factor is noted.
        auto qlib = exportFactorSet(set, FactorSetFormat::Qlib, dir.filePath("q2").toStdString(), nullptr, feedback);
        QCOMPARE(qlib->written, 2);
        QCOMPARE(qlib->flagged.size(), std::size_t(1));
        auto ag = exportFactorSet(set, FactorSetFormat::AlphaGen, dir.filePath("a2").toStdString(), nullptr, feedback);
        QCOMPARE(ag->notes.size(), std::size_t(1));
        // Values without a session, and a cancelled values export, leave the old file as it was.
        const QString old = dir.filePath("old.csv");
        QFile f(old);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("before\n");
        f.close();
        QCOMPARE(exportFactorSet(set, FactorSetFormat::Values, old.toStdString(), nullptr, feedback).error().code,
                 ErrorCode::InvalidArgument);
        Feedback canceled;
        canceled.cancel();
        auto r = exportFactorSet(set, FactorSetFormat::Values, old.toStdString(), m_session.get(), canceled);
        QCOMPARE(r.error().code, ErrorCode::Canceled);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("before\n"));
        QVERIFY(!QFile::exists(old + ".part"));
        // An unwritable place is an Io error located at the path.
        auto io = exportFactorSet(set, FactorSetFormat::Csv, "/nonexistent-dir/x.csv", nullptr, feedback);
        QCOMPARE(io.error().code, ErrorCode::Io);
        QCOMPARE(io.error().where, std::string("/nonexistent-dir/x.csv"));
    }

    void poolFileGivesSelectedWeights() {
        // A search's pool file also gives each member's weight in the pool selected on valid.
        const std::string pool = R"json({"factors": [
  {"formula": "Mean($close, 5)", "weight": 0.75, "selected_weight": 1.25},
  {"formula": "Std($volume, 10)", "weight": -0.5, "selected_weight": 0},
  {"formula": "$open", "weight": 0.1, "selected_weight": null},
  {"formula": "$high", "weight": 0.2}
]})json";
        auto entries = readPoolFile(pool, "pool.json");
        QVERIFY2(entries.ok(), entries.ok() ? "" : entries.error().toString().c_str());
        QCOMPARE(entries->size(), std::size_t(4));
        QCOMPARE((*entries)[0].selectedWeight, 1.25);
        QCOMPARE((*entries)[1].selectedWeight, 0.0);
        QVERIFY(std::isnan((*entries)[2].selectedWeight));
        QVERIFY(std::isnan((*entries)[3].selectedWeight));
        QCOMPARE((*entries)[1].weight, -0.5);
        auto bad = readPoolFile(R"json({"factors": [{"formula": "$open"},
  {"formula": "$close", "selected_weight": "most"}]})json",
                                "pool.json");
        QVERIFY(!bad.ok());
        QCOMPARE(QString::fromStdString(bad.error().where), QString("pool.json:2:3"));
        QVERIFY(bad.error().message.find("selected weight of factor 2") != std::string::npos);
    }

    void poolFileGivesEachChosenPool() {
        // A search's pool file holds four pools: the combined one, the members selected on valid, the
        // weights with the L1 strength chosen on valid, and the pool early stopping kept.
        const std::string pool = R"json({
  "format": "alphascope-pool",
  "data": {"splits": [{"name": "train"}, {"name": "valid"}]},
  "factors": [
    {"formula": "Mean($close, 5)", "weight": 0.75, "selected_weight": 1.25, "tuned_weight": 0.5,
     "metrics": {"train": {"ic": 0.03}}},
    {"formula": "Std($volume, 10)", "weight": -0.5, "selected_weight": 0, "tuned_weight": 0,
     "metrics": {"train": {"ic": -0.02}}},
    {"formula": "$open", "weight": 0.1, "selected_weight": 2.5, "tuned_weight": -0.25,
     "metrics": {"train": {"ic": 0.01}}}
  ],
  "early_pool": [
    {"formula": "Abs($low)", "weight": 1.5},
    {"formula": "$open", "weight": 0.125}
  ]
})json";
        using Members = std::vector<std::pair<std::string, double>>;
        const auto membersOf = [&](PoolChoice choice) {
            Members out;
            auto entries = readPoolFile(pool, "pool.json", choice);
            if (!entries.ok()) return Members{{"error: " + entries.error().toString(), 0.0}};
            for (const PoolFileEntry& e : *entries) out.emplace_back(e.formula, e.weight);
            return out;
        };
        QCOMPARE(membersOf(PoolChoice::Combined),
                 (Members{{"Mean($close, 5)", 0.75}, {"Std($volume, 10)", -0.5}, {"$open", 0.1}}));
        QCOMPARE(membersOf(PoolChoice::Selected), (Members{{"Mean($close, 5)", 1.25}, {"$open", 2.5}})); // 0 = left out
        QCOMPARE(membersOf(PoolChoice::Tuned),
                 (Members{{"Mean($close, 5)", 0.5}, {"Std($volume, 10)", 0.0}, {"$open", -0.25}}));
        QCOMPARE(membersOf(PoolChoice::Early), (Members{{"Abs($low)", 1.5}, {"$open", 0.125}}));

        // Read as a factor set, each member keeps the metrics of its own "factors" entry; the early
        // pool's former member has none, and its formula's location is in "early_pool".
        auto early = readFactorSet(pool, "pool.json", PoolChoice::Early);
        QVERIFY2(early.ok(), early.ok() ? "" : early.error().toString().c_str());
        QCOMPARE(early->members.size(), std::size_t(2));
        QVERIFY(early->members[0].factor.metrics.empty());
        QCOMPARE(early->members[0].line, 13);
        QCOMPARE(early->members[1].factor.metrics.size(), std::size_t(1));
        QCOMPARE(early->members[1].factor.metrics[0].ic, 0.01);
        auto selected = readFactorSet(pool, "pool.json", PoolChoice::Selected);
        QVERIFY(selected.ok());
        QCOMPARE(selected->members[1].factor.formula, std::string("$open"));
        QCOMPARE(selected->members[1].factor.metrics[0].ic, 0.01);

        // A file without the chosen pool says so, located at the file.
        const auto missing = [](const std::string& text, PoolChoice choice) {
            auto r = readFactorSet(text, "f.json", choice);
            return r.ok() ? std::string("read") : r.error().where + " | " + r.error().message;
        };
        const std::string noValid = R"json({"format": "alphascope-pool", "factors": [
  {"formula": "$open", "weight": 1, "selected_weight": null, "tuned_weight": null}], "early_pool": []})json";
        for (PoolChoice c : {PoolChoice::Selected, PoolChoice::Tuned, PoolChoice::Early}) {
            const std::string m = missing(noValid, c);
            QVERIFY2(m.rfind("f.json | the file holds no " + std::string(poolChoiceName(c)) + " pool", 0) == 0,
                     m.c_str());
            QCOMPARE(readFactorSet(noValid, "f.json", c).error().code, ErrorCode::NotFound);
        }
        QVERIFY(missing(R"json({"exprs": ["$open"], "weights": [1]})json", PoolChoice::Tuned)
                    .find("only a search's pool file") != std::string::npos);
        QVERIFY(missing("$open\n$close\n", PoolChoice::Early).find("only a search's pool file") != std::string::npos);
        QCOMPARE(missing(noValid, PoolChoice::Combined), std::string("read"));
        auto bad = readPoolFile(R"json({"format": "alphascope-pool", "factors": [],
  "early_pool": [{"formula": "$open", "weight": "heavy"}]})json",
                                "f.json", PoolChoice::Early);
        QVERIFY(!bad.ok());
        QCOMPARE(QString::fromStdString(bad.error().where), QString("f.json:2:18"));
        QVERIFY(bad.error().message.find("weight of early pool member 1") != std::string::npos);

        // Each combination's figures per split, in the file's split order.
        const std::string withFigures =
            R"json({"data": {"splits": [{"name": "train"}, {"name": "valid"}, {"name": "test"}]},
  "early": {"test": {"ic": 0.02, "rank_ic": null, "days": 170}, "train": {"ic": 0.1, "rank_ic": 0.05}},
  "adaptive": {}})json";
        auto earlySplits = readPoolSplits(withFigures, "early");
        QVERIFY(earlySplits.ok());
        QCOMPARE(earlySplits->size(), std::size_t(2));
        QCOMPARE(earlySplits->at(0).name, std::string("train"));
        QCOMPARE(earlySplits->at(0).rankIc, 0.05);
        QCOMPARE(earlySplits->at(1).name, std::string("test"));
        QCOMPARE(earlySplits->at(1).ic, 0.02);
        QCOMPARE(earlySplits->at(1).days, 170);
        QVERIFY(std::isnan(earlySplits->at(1).rankIc));
        QVERIFY(readPoolSplits(withFigures, "adaptive")->empty());
        QVERIFY(readPoolSplits(withFigures, "tuned")->empty());
        QCOMPARE(readPoolSplits("[1, 2]", "early", "f.json").error().where, std::string("f.json"));

        QCOMPARE(poolChoiceName(PoolChoice::Tuned), std::string_view("tuned"));
        for (PoolChoice c : {PoolChoice::Combined, PoolChoice::Selected, PoolChoice::Tuned, PoolChoice::Early})
            QCOMPARE(poolChoiceNamed(poolChoiceName(c)), std::optional<PoolChoice>(c));
        QVERIFY(!poolChoiceNamed("best"));
    }

    void badFilesAreLocated_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("trailing comma") << "{\n  \"exprs\": [\n    \"$close\",\n  ]\n}"
                                        << "f.json:4:3"
                                        << "byte 31";
        QTest::newRow("truncated") << "{\"exprs\": [\"$close\""
                                   << "f.json:1:20"
                                   << "not valid JSON";
        QTest::newRow("no list") << "{\"formulas\": [\"$close\"]}"
                                 << "f.json"
                                 << "no \"factors\" or \"exprs\"";
        QTest::newRow("not an object") << "[\"$close\"]"
                                       << "f.json"
                                       << "not a JSON object";
        QTest::newRow("factor without formula")
            << "{\"factors\": [\n  {\"formula\": \"$close\"},\n  {\"weight\": 2}\n]}"
            << "f.json:3:3"
            << "factor 2 has no \"formula\"";
        QTest::newRow("formula not a string") << "{\"exprs\": [\"$open\",\n 5]}"
                                              << "f.json:2:2"
                                              << "expression 2 is not a string";
        QTest::newRow("weights too short") << "{\"exprs\": [\"$open\", \"$close\"], \"weights\": [1]}"
                                           << "f.json:1:43"
                                           << "as long as";
        QTest::newRow("weight not a number") << "{\"exprs\": [\"$open\"], \"weights\": [\"heavy\"]}"
                                             << "f.json:1:34"
                                             << "weight 1 is not a number";
    }
    void badFilesAreLocated() {
        QFETCH(QString, text);
        QFETCH(QString, where);
        QFETCH(QString, message);
        auto r = readFactorSet(text.toStdString(), "f.json");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Format);
        QCOMPARE(QString::fromStdString(r.error().where), where);
        QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
    }

    void readsFilesFromDisk() {
        QCOMPARE(readFactorSetFile("/nonexistent/set.json").error().code, ErrorCode::Io);
        QTemporaryDir dir;
        const QString path = dir.filePath("ag.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(alphaGenPoolJson(sampleSet()).c_str());
        f.close();
        auto set = readFactorSetFile(path.toStdString());
        QVERIFY(set.ok());
        QCOMPARE(set->members.size(), std::size_t(3));
        QCOMPARE(set->members[1].line, 4);
    }
};

QTEST_GUILESS_MAIN(TestFactorSet)
#include "tst_factor_set.moc"
