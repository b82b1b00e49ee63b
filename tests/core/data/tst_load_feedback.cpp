// Tests of cancellable loading with progress: a load cancelled from a second thread at any stage
// (reading, decompressing, parsing, groups, checks, the target) returns Canceled; progress is
// monotone in 0..1, names its stages in order and ends at exactly 1; a load with a Feedback that
// is never cancelled gives the same data as one without.

#include "core/data/csv_loader.h"
#include "core/data/dataset.h"
#include "core/data/qlib_format.h"
#include "core/data/xz_reader.h"
#include "core/eval/research_session.h"
#include "core/util/feedback.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <optional>
#include <thread>

using namespace alphascope;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kFixture = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/prices_small.csv";
const std::string kFixtureGroups = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/groups_small.csv";
const std::string kUsPrices = std::string(ALPHASCOPE_SHARED_DATA) + "/prices.csv.xz";
const std::string kUsSectors = std::string(ALPHASCOPE_SHARED_DATA) + "/sectors.csv";
/// A generous bound for "promptly": the loaders poll every few tens of milliseconds; this only
/// catches a load that ignores the flag (which takes the whole load, seconds on the US file).
constexpr double kPromptSeconds = 5.0;

/// Records every report (progressInterval 0) and, the first time a report's text contains `stage`,
/// cancels the Feedback from a second thread. The worker waits in its callback until the cancel is
/// stored, so which stage sees it does not depend on thread timing; the time from the store to the
/// loader's return is what a user waits after pressing Cancel.
class StageCanceller {
public:
    StageCanceller(Feedback& feedback, std::string stage) : m_feedback(feedback), m_stage(std::move(stage)) {
        feedback.progressInterval = 0.0;
        feedback.onProgress = [this](const TaskProgress& p) { onReport(p); };
    }
    ~StageCanceller() {
        if (m_thread.joinable()) m_thread.join();
    }

    std::vector<TaskProgress> reports;
    bool fired() const { return m_fired; }
    Clock::time_point canceledAt() const { return m_canceledAt; }

private:
    void onReport(const TaskProgress& p) {
        reports.push_back(p);
        if (m_fired || m_stage.empty() || p.text.find(m_stage) == std::string::npos) return;
        m_fired = true;
        std::promise<void> stored;
        std::future<void> done = stored.get_future();
        m_thread = std::thread([this, stored = std::move(stored)]() mutable {
            m_feedback.cancel();
            m_canceledAt = Clock::now();
            stored.set_value();
        });
        done.wait();
    }

    Feedback& m_feedback;
    std::string m_stage;
    bool m_fired = false;
    Clock::time_point m_canceledAt;
    std::thread m_thread;
};

bool samePanel(const Panel& a, const Panel& b) {
    return a.days() == b.days() && a.instruments() == b.instruments() &&
           std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void compareData(const MarketData& a, const MarketData& b) {
    QCOMPARE(a.instruments, b.instruments);
    QVERIFY(a.calendar.days() == b.calendar.days());
    QCOMPARE(a.membership, b.membership);
    QCOMPARE(a.fieldNames(), b.fieldNames());
    for (const std::string& name : a.fieldNames()) QVERIFY2(samePanel(*a.field(name), *b.field(name)), name.c_str());
    QCOMPARE(a.groupings.size(), b.groupings.size());
    for (std::size_t g = 0; g < a.groupings.size(); ++g) {
        QCOMPARE(a.groupings[g].labels, b.groupings[g].labels);
        QCOMPARE(a.groupings[g].ids, b.groupings[g].ids);
    }
    QCOMPARE(a.warnings.size(), b.warnings.size());
    for (std::size_t w = 0; w < a.warnings.size(); ++w) QCOMPARE(a.warnings[w].message, b.warnings[w].message);
    QCOMPARE(a.vwapDerived, b.vwapDerived);
}

/// Which API a row loads through.
enum class Api { Session, Dataset };

struct LoadOutcome {
    std::shared_ptr<const MarketData> data;
    std::shared_ptr<const ResearchSession> session;
    std::optional<Error> error;
};

LoadOutcome load(Api api, const DatasetSpec& spec, Feedback* feedback) {
    LoadOutcome out;
    if (api == Api::Session) {
        SessionSpec s;
        s.dataset = spec;
        auto r = openResearchSession(s, nullptr, feedback);
        if (r) {
            out.session = *r;
            out.data = (*r)->data;
        } else {
            out.error = r.error();
        }
    } else {
        auto r = loadDataset(spec, feedback);
        if (r)
            out.data = *r;
        else
            out.error = r.error();
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(Api)

class TestLoadFeedback : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cancelAtStage_data();
    void cancelAtStage();
    void progress_data();
    void progress();
    void sameDataWithFeedback_data();
    void sameDataWithFeedback();
    void canceledBeforeStart();

private:
    void addRows(bool withStages);
    QTemporaryDir m_tmp;
    std::string m_qlibDir;
};

void TestLoadFeedback::initTestCase() {
    QVERIFY(m_tmp.isValid());
    QVERIFY(!bundledSampleDir().empty());
    // A Qlib folder written from the CSV fixture: the Qlib loader's own poll points.
    Result<MarketData> fixture = loadLongCsv(kFixture);
    QVERIFY(fixture.ok());
    m_qlibDir = m_tmp.filePath("qlib").toStdString();
    QVERIFY(writeQlib(*fixture, m_qlibDir).ok());
}

// One row per line, each input beside what it should give:
// clang-format off
void TestLoadFeedback::cancelAtStage_data() {
    QTest::addColumn<Api>("api");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("groups");
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("stoppedBy"); ///< in the error message: which poll point saw the cancel
    const DatasetSpec sample = bundledSampleSpec();
    const QString xz = QString::fromStdString(sample.path), sectors = QString::fromStdString(sample.groupsPath);
    const QString plain = QString::fromStdString(kFixture), plainGroups = QString::fromStdString(kFixtureGroups);
    const QString us = QString::fromStdString(kUsPrices), usSectors = QString::fromStdString(kUsSectors);
    const QString qlib = QString::fromStdString(m_qlibDir);
    QTest::newRow("sample: reading") << Api::Session << xz << sectors
        << "reading prices.csv.xz" << "while reading";
    QTest::newRow("sample: decompressing") << Api::Session << xz << sectors
        << "decompressing prices.csv.xz" << "while decompressing";
    QTest::newRow("sample: parsing") << Api::Session << xz << sectors
        << "parsing prices.csv.xz" << "while parsing";
    QTest::newRow("sample: panels") << Api::Session << xz << sectors
        << "building the panels" << "while building the panels";
    QTest::newRow("sample: groups") << Api::Session << xz << sectors
        << "reading sectors.csv" << "loading canceled";
    QTest::newRow("sample: checks") << Api::Session << xz << sectors
        << "checking the data" << "loading canceled";
    QTest::newRow("sample: target") << Api::Session << xz << sectors
        << "evaluating the target" << "evaluation canceled";
    QTest::newRow("plain: reading") << Api::Dataset << plain << plainGroups
        << "reading prices_small.csv" << "while reading";
    QTest::newRow("plain: parsing") << Api::Dataset << plain << plainGroups
        << "parsing prices_small.csv" << "after parsing";
    QTest::newRow("qlib: calendar") << Api::Dataset << qlib << QString()
        << "reading the calendar" << "while reading close";
    QTest::newRow("qlib: features") << Api::Dataset << qlib << QString()
        << "(field 2 of" << "while reading high";
    QTest::newRow("us: decompressing") << Api::Session << us << usSectors
        << "decompressing prices.csv.xz" << "while decompressing";
    QTest::newRow("us: parsing") << Api::Session << us << usSectors
        << "parsing prices.csv.xz" << "while parsing";
}
// clang-format on

void TestLoadFeedback::cancelAtStage() {
    QFETCH(Api, api);
    QFETCH(QString, path);
    QFETCH(QString, groups);
    QFETCH(QString, stage);
    QFETCH(QString, stoppedBy);
    if (!fs::exists(path.toStdString())) QSKIP("dataset not present");
    DatasetSpec spec;
    spec.path = path.toStdString();
    spec.groupsPath = groups.toStdString();
    Feedback feedback;
    StageCanceller canceller(feedback, stage.toStdString());
    const LoadOutcome out = load(api, spec, &feedback);
    const Clock::time_point returned = Clock::now();
    QVERIFY2(canceller.fired(), "the stage was never reported");
    QVERIFY2(out.error.has_value(), "a canceled load returned data");
    QVERIFY2(out.error->code == ErrorCode::Canceled, out.error->toString().c_str());
    QVERIFY2(out.error->message.find(stoppedBy.toStdString()) != std::string::npos, out.error->toString().c_str());
    const double seconds = std::chrono::duration<double>(returned - canceller.canceledAt()).count();
    qInfo("canceled at '%s' after %.1f ms: %s", qPrintable(stage), seconds * 1e3, out.error->toString().c_str());
    QVERIFY(seconds < kPromptSeconds);
    QVERIFY(canceller.reports.back().fraction < 1.0); // stopped short of the end
}

// One row per line, each input beside what it should give:
// clang-format off
void TestLoadFeedback::progress_data() {
    QTest::addColumn<Api>("api");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("groups");
    QTest::addColumn<QStringList>("stages"); ///< each must appear, first appearances in this order
    const DatasetSpec sample = bundledSampleSpec();
    QTest::newRow("sample session") << Api::Session << QString::fromStdString(sample.path)
                                    << QString::fromStdString(sample.groupsPath)
                                    << QStringList{"reading prices.csv.xz", "decompressing prices.csv.xz",
                                                   "parsing prices.csv.xz", "building the panels",
                                                   "reading sectors.csv", "checking the data",
                                                   "evaluating the target", "building the splits", "session ready"};
    QTest::newRow("plain dataset") << Api::Dataset << QString::fromStdString(kFixture)
                                   << QString::fromStdString(kFixtureGroups)
                                   << QStringList{"reading prices_small.csv", "parsing prices_small.csv",
                                                  "building the panels", "reading groups_small.csv",
                                                  "checking the data", "data loaded"};
    QTest::newRow("qlib dataset") << Api::Dataset << QString::fromStdString(m_qlibDir) << QString()
                                  << QStringList{"reading the calendar", "(field 1 of", "(field 2 of",
                                                 "checking the data", "data loaded"};
}
// clang-format on

void TestLoadFeedback::progress() {
    QFETCH(Api, api);
    QFETCH(QString, path);
    QFETCH(QString, groups);
    QFETCH(QStringList, stages);
    DatasetSpec spec;
    spec.path = path.toStdString();
    spec.groupsPath = groups.toStdString();
    Feedback feedback;
    StageCanceller recorder(feedback, {});
    const LoadOutcome out = load(api, spec, &feedback);
    QVERIFY2(!out.error, out.error ? out.error->toString().c_str() : "");
    const std::vector<TaskProgress>& reports = recorder.reports;
    QVERIFY(!reports.empty());
    double last = 0.0;
    for (const TaskProgress& p : reports) {
        QVERIFY2(p.fraction >= last && p.fraction <= 1.0,
                 qPrintable(QStringLiteral("%1 after %2 (%3)").arg(p.fraction).arg(last).arg(p.text.c_str())));
        last = p.fraction;
    }
    QCOMPARE(reports.back().fraction, 1.0);
    QCOMPARE(feedback.fraction(), 1.0);
    std::size_t from = 0;
    for (const QString& stage : stages) {
        const std::string wanted = stage.toStdString();
        const auto it = std::find_if(reports.begin() + static_cast<std::ptrdiff_t>(from), reports.end(),
                                     [&](const TaskProgress& p) { return p.text.find(wanted) != std::string::npos; });
        QVERIFY2(it != reports.end(), qPrintable("stage missing or out of order: " + stage));
        from = static_cast<std::size_t>(it - reports.begin());
    }
    if (stages.contains("decompressing prices.csv.xz")) {
        // The decoder is fed by chunks: the compressed fraction moves many times, each report a poll.
        const auto n = std::count_if(reports.begin(), reports.end(),
                                     [](const TaskProgress& p) { return p.text.starts_with("decompressing"); });
        QVERIFY2(n >= 8, qPrintable(QString::number(n)));
    }
}

// One row per line, each input beside what it should give:
// clang-format off
void TestLoadFeedback::sameDataWithFeedback_data() {
    QTest::addColumn<Api>("api");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("groups");
    const DatasetSpec sample = bundledSampleSpec();
    QTest::newRow("sample session") << Api::Session << QString::fromStdString(sample.path)
                                    << QString::fromStdString(sample.groupsPath);
    QTest::newRow("plain dataset") << Api::Dataset << QString::fromStdString(kFixture)
                                   << QString::fromStdString(kFixtureGroups);
    QTest::newRow("qlib dataset") << Api::Dataset << QString::fromStdString(m_qlibDir) << QString();
}
// clang-format on

void TestLoadFeedback::sameDataWithFeedback() {
    QFETCH(Api, api);
    QFETCH(QString, path);
    QFETCH(QString, groups);
    DatasetSpec spec;
    spec.path = path.toStdString();
    spec.groupsPath = groups.toStdString();
    const LoadOutcome plain = load(api, spec, nullptr);
    Feedback feedback;
    feedback.onProgress = [](const TaskProgress&) {};
    const LoadOutcome watched = load(api, spec, &feedback);
    QVERIFY2(!plain.error, plain.error ? plain.error->toString().c_str() : "");
    QVERIFY2(!watched.error, watched.error ? watched.error->toString().c_str() : "");
    compareData(*plain.data, *watched.data);
    if (api == Api::Session) {
        QVERIFY(samePanel(*plain.session->targetValues, *watched.session->targetValues));
        QCOMPARE(plain.session->splits.size(), watched.session->splits.size());
        for (std::size_t k = 0; k < plain.session->splits.size(); ++k) {
            QCOMPARE(plain.session->splits[k].begin, watched.session->splits[k].begin);
            QCOMPARE(plain.session->splits[k].end, watched.session->splits[k].end);
        }
    }
}

// Every entry point honours a flag that is already set, before doing the work.
void TestLoadFeedback::canceledBeforeStart() {
    Feedback feedback;
    feedback.cancel();
    const DatasetSpec sample = bundledSampleSpec();
    auto isCanceled = [](const Error& e) { return e.code == ErrorCode::Canceled; };

    Result<std::string> raw = readFileRaw(sample.path, &feedback);
    QVERIFY(!raw.ok() && isCanceled(raw.error()));
    Result<std::string> compressed = readFileRaw(sample.path);
    QVERIFY(compressed.ok());
    Result<std::string> text = decompressXz(*compressed, sample.path, &feedback);
    QVERIFY(!text.ok() && isCanceled(text.error()));
    QVERIFY(text.error().where.starts_with(sample.path + "@"));
    Result<MarketData> csv = loadLongCsv(kFixture, {}, &feedback);
    QVERIFY(!csv.ok() && isCanceled(csv.error()));
    Result<MarketData> qlib = loadQlib(m_qlibDir, {}, &feedback);
    QVERIFY(!qlib.ok() && isCanceled(qlib.error()));
    Result<std::shared_ptr<const MarketData>> dataset = loadDataset(sample, &feedback);
    QVERIFY(!dataset.ok() && isCanceled(dataset.error()));

    Result<MarketData> fixture = loadLongCsv(kFixture);
    QVERIFY(fixture.ok());
    SessionStage stage = SessionStage::Splits;
    auto session =
        makeResearchSession(std::make_shared<const MarketData>(std::move(*fixture)), SessionSpec{}, &stage, &feedback);
    QVERIFY(!session.ok() && isCanceled(session.error()));
    QVERIFY(stage == SessionStage::Target);
}

QTEST_GUILESS_MAIN(TestLoadFeedback)
#include "tst_load_feedback.moc"
