// Importing factor sets into a project: formulas re-measured on the session, AlphaGen's own files,
// located errors (line and column of each bad formula) with nothing written, and all-or-nothing
// inserts even when the store fails half way.

#include "core/io/factor_import.h"

#include "tests/core/io/factor_set_fixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace alphascope;

namespace {

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

std::unique_ptr<ProjectStore> openStore(const QTemporaryDir& dir) {
    auto s = ProjectStore::open(dir.filePath("project.alphascope").toStdString());
    if (!s.ok()) qFatal("%s", s.error().toString().c_str());
    return std::move(s.value());
}

std::vector<std::string> formulasIn(const ProjectStore& store) {
    std::vector<std::string> out;
    for (const auto& f : store.factors().value()) out.push_back(f.formula);
    return out;
}

// What AlphaGen's LinearAlphaPool.to_json_dict() writes: str(expr) with "20d" windows and bare
// constants, numpy weights.
const char* kAlphaGenPool =
    R"json({"exprs": ["Mul(Log(Div($high,$low)),-0.01)", "Corr($close,$volume,20d)", "Sub(0.0,Mean($vwap,10d))", "EMA(Greater($open,$close),50d)"], "weights": [0.031205, -0.054101, 0.010733, 0.024218]})json";

} // namespace

class TestFactorImport : public QObject {
    Q_OBJECT
    std::shared_ptr<const ResearchSession> m_session;

private Q_SLOTS:
    void initTestCase() { m_session = test::syntheticSession(); }

    void nativeImportMeasuresOnTheSession() {
        FactorSet set = factorSetOf({test::measured(*m_session, "Div(Sub($close, $open), $open)", "intraday"),
                                     test::measured(*m_session, "GroupRank(Delta($close, 5), sector)")});
        set.members[0].weight = 0.5;
        set.dataset = datasetOf(*m_session);
        // Metrics in the file are someone else's: the import measures again.
        set.members[0].factor.metrics[0].ic = 0.99;
        const std::string text = factorSetJson(set).value();

        QTemporaryDir dir;
        auto store = openStore(dir);
        Feedback feedback;
        auto r = importFactorSet(text, "set.json", *m_session, *store, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QVERIFY(r->errors.empty());
        QCOMPARE(r->ids.size(), std::size_t(2));
        const auto saved = store->factors().value();
        QCOMPARE(saved.size(), std::size_t(2));
        for (std::size_t k = 0; k < 2; ++k) {
            const FactorRecord direct = test::measured(*m_session, set.members[k].factor.formula);
            QCOMPARE(saved[k].id, r->ids[k]);
            QCOMPARE(saved[k].name, set.members[k].factor.name);
            QCOMPARE(saved[k].formula, direct.formula);
            QCOMPARE(saved[k].metrics.size(), direct.metrics.size());
            for (std::size_t s = 0; s < direct.metrics.size(); ++s) {
                QCOMPARE(saved[k].metrics[s].split, direct.metrics[s].split);
                QVERIFY(same(saved[k].metrics[s].ic, direct.metrics[s].ic));
                QVERIFY(same(saved[k].metrics[s].rankIcir, direct.metrics[s].rankIcir));
                QVERIFY(same(saved[k].metrics[s].turnover, direct.metrics[s].turnover));
            }
        }
        QVERIFY(saved[0].metrics[0].ic != 0.99);
        QCOMPARE(saved[0].notes, std::string("imported from set.json (weight 0.5)"));
    }

    void alphaGenOwnFile() {
        Feedback feedback;
        auto r = prepareFactorImport(kAlphaGenPool, "pool.json", *m_session, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QVERIFY(r->errors.empty());
        QCOMPARE(r->records.size(), std::size_t(4));
        QCOMPARE(r->records[0].formula, std::string("Mul(Log(Div($high, $low)), -0.01)"));
        QCOMPARE(r->records[1].formula, std::string("Corr($close, $volume, 20)"));
        QCOMPARE(r->records[2].formula, std::string("Sub(0, Mean($vwap, 10))"));
        QCOMPARE(r->records[3].formula, std::string("EMA(Greater($open, $close), 50)"));
        QCOMPARE(r->records[1].name,
                 r->records[1].formula); // no names in AlphaGen's file: the printed formula
        QCOMPARE(r->set.members[1].weight, -0.054101);
        QCOMPARE(r->records[2].metrics.size(), m_session->splits.size());
        QVERIFY(std::isfinite(r->records[2].metrics[0].ic));
    }

    void badFormulasAreLocatedAndNothingIsWritten() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store->addFactor(test::measured(*m_session, "Mean($close, 5)")).ok());
        const std::string text = "{\n"
                                 "  \"exprs\": [\n"
                                 "    \"Std($close, 10)\",\n"
                                 "    \"Foo($close)\",\n"
                                 "    \"Mean($close, 0)\",\n"
                                 "      \"Add($nosuch, 1)\",\n"
                                 "    \"GroupRank($close, industry)\"\n"
                                 "  ]\n"
                                 "}\n";
        Feedback feedback;
        auto r = importFactorSet(text, "in.json", *m_session, *store, feedback);
        QVERIFY(r.ok()); // the file was read; its formulas were not all good
        QVERIFY(r->ids.empty());
        QVERIFY(r->records.empty());
        QCOMPARE(r->errors.size(), std::size_t(4));
        QCOMPARE(r->errors[0].where, std::string("in.json:4:6"));
        QCOMPARE(r->errors[0].code, ErrorCode::Parse);
        QCOMPARE(r->errors[1].where, std::string("in.json:5:19")); // the window's column
        QCOMPARE(r->errors[1].column, 14);
        QCOMPARE(r->errors[2].where, std::string("in.json:6:12"));
        QCOMPARE(r->errors[2].code, ErrorCode::Semantic);
        QVERIFY(r->errors[3].where.rfind("in.json:7:", 0) == 0);
        QVERIFY(r->errors[3].message.find("industry") != std::string::npos);
        QVERIFY(r->errors[0].message.find("factor 2 \"Foo($close)\"") != std::string::npos);
        QCOMPARE(formulasIn(*store), std::vector<std::string>{"Mean($close, 5)"});
    }

    void unreadableFilesLeaveTheProjectAlone_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("where");
        QTest::newRow("invalid json") << "{\"exprs\": [\"$close\",]}"
                                      << "in.json:1:21";
        QTest::newRow("missing list") << "{\"alphas\": []}"
                                      << "in.json";
        QTest::newRow("missing formula") << "{\"factors\": [{\"name\": \"x\"}]}"
                                         << "in.json:1:14";
    }
    void unreadableFilesLeaveTheProjectAlone() {
        QFETCH(QString, text);
        QFETCH(QString, where);
        QTemporaryDir dir;
        auto store = openStore(dir);
        QVERIFY(store->addFactor(test::measured(*m_session, "Mean($close, 5)")).ok());
        Feedback feedback;
        auto r = importFactorSet(text.toStdString(), "in.json", *m_session, *store, feedback);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Format);
        QCOMPARE(QString::fromStdString(r.error().where), where);
        QCOMPARE(formulasIn(*store), std::vector<std::string>{"Mean($close, 5)"});
    }

    void aStoreFailureRollsEverythingBack() {
        // Every formula is good, but the records name a dataset the project does not have: the
        // insert of the first succeeds inside the transaction, the failure undoes it.
        QTemporaryDir dir;
        auto store = openStore(dir);
        Feedback feedback;
        auto r = importFactorSet(kAlphaGenPool, "pool.json", *m_session, *store, feedback, /*datasetId*/ 999);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        QVERIFY(formulasIn(*store).empty());
    }

    void cancelWritesNothing() {
        QTemporaryDir dir;
        auto store = openStore(dir);
        Feedback feedback;
        feedback.cancel();
        auto r = importFactorSet(kAlphaGenPool, "pool.json", *m_session, *store, feedback);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Canceled);
        QVERIFY(formulasIn(*store).empty());
    }
};

QTEST_GUILESS_MAIN(TestFactorImport)
#include "tst_factor_import.moc"
