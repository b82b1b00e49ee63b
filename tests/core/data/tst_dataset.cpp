// Tests of loadDataset / finalizeMarketData, the bundled sample and (when present) the shared US dataset.

#include "core/data/csv_loader.h"
#include "core/data/dataset.h"
#include "core/data/qlib_format.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

using namespace alphascope;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/prices_small.csv";
const std::string kGroups = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/groups_small.csv";

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

const LoadWarning* findWarning(const MarketData& d, std::string_view prefix) {
    for (const auto& w : d.warnings)
        if (std::string_view(w.message).starts_with(prefix)) return &w;
    return nullptr;
}

int countWarnings(const MarketData& d, std::string_view prefix) {
    int n = 0;
    for (const auto& w : d.warnings) n += std::string_view(w.message).starts_with(prefix) ? 1 : 0;
    return n;
}

PanelPtr panelOf(int T, int N, const std::vector<float>& values) {
    Panel p(T, N);
    p.storage().assign(values.begin(), values.end());
    return std::make_shared<const Panel>(std::move(p));
}

} // namespace

class TestDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void csvDataset();
    void qlibDataset();
    void maskZeroVolume();
    void errors();
    void vwapFromAmount();
    void membershipMaskAndJumps();
    void bundledSample();
    void sharedDataset();

private:
    QTemporaryDir m_tmp;
};

void TestDataset::csvDataset() {
    DatasetSpec spec;
    spec.path = kFixture;
    spec.groupsPath = kGroups;
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const MarketData& d = **r;
    QCOMPARE(d.instrumentCount(), 3);
    QVERIFY(d.grouping("sector") && d.grouping("industry"));
    // vwap = (high + low + close) / 3, worked out from the fixture: AAPL 2020-01-02 is (110+95+105)/3.
    QVERIFY(d.vwapDerived);
    QCOMPARE(d.vwapFormula, std::string("(high+low+close)/3"));
    const Panel& vwap = *d.field("vwap");
    QCOMPARE(vwap.at(0, 0), static_cast<float>(310.0 / 3.0));
    QCOMPARE(vwap.at(2, 1), static_cast<float>(150.5 / 3.0)); // IBM 2020-01-06 (51+49+50.5)/3
    QCOMPARE(vwap.at(2, 2), static_cast<float>(35.0 / 3.0));  // MSFT 2020-01-06 (13+10+12)/3
    QVERIFY(std::isnan(vwap.at(0, 1)));                       // IBM not a member on 2020-01-02
    QVERIFY(findWarning(d, kVwapDerivedWarning));
    const LoadWarning* zero = findWarning(d, kZeroVolumeWarning);
    QVERIFY(zero && zero->count == 1);
    QCOMPARE(countWarnings(d, kZeroVolumeWarning), 1); // the loader's report is not repeated
}

void TestDataset::qlibDataset() {
    Result<MarketData> csv = loadLongCsv(kFixture);
    QVERIFY(csv.ok());
    const std::string dir = m_tmp.filePath("qlib").toStdString();
    QVERIFY(writeQlib(*csv, dir).ok());
    writeFile(dir + "/instruments/two.txt", "AAPL\t2020-01-03\t2020-01-06\nMSFT\t2020-01-01\t2020-01-02\n");
    DatasetSpec spec;
    spec.path = dir;
    spec.universe = "two";
    spec.groupsPath = kGroups;
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const MarketData& d = **r;
    QCOMPARE(d.instruments, (std::vector<std::string>{"AAPL", "MSFT"}));
    QCOMPARE(d.membership, (std::vector<std::uint8_t>{0, 1, 1, 0, 1, 0}));
    // Values outside the universe's intervals are masked by finalisation.
    QVERIFY(std::isnan(d.field("close")->at(0, 0)));
    QCOMPARE(d.field("close")->at(1, 0), 112.0f);
    QCOMPARE(d.field("close")->at(0, 1), 10.0f);
    QVERIFY(std::isnan(d.field("close")->at(2, 1)));
    QCOMPARE(d.grouping("sector")->ids, (std::vector<int>{0, 0}));
    // AAPL's zero volume on 2020-01-03 is found by finalisation (the Qlib loader has no rows).
    const LoadWarning* zero = findWarning(d, kZeroVolumeWarning);
    QVERIFY(zero && zero->count == 1 && zero->message.find("AAPL") != std::string::npos);

    spec.maskZeroVolume = true;
    r = loadDataset(spec);
    QVERIFY(r.ok());
    QVERIFY(std::isnan((*r)->field("close")->at(1, 0)));
    QVERIFY(std::isnan((*r)->field("volume")->at(1, 0)));
    QCOMPARE((*r)->field("close")->at(2, 0), 112.5f);
}

void TestDataset::maskZeroVolume() {
    DatasetSpec spec;
    spec.path = kFixture;
    spec.maskZeroVolume = true;
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    QVERIFY(r.ok());
    QVERIFY(std::isnan((*r)->field("vwap")->at(1, 0)));
    QVERIFY(std::isnan((*r)->field("close")->at(1, 0)));
    QCOMPARE(countWarnings(**r, kZeroVolumeWarning), 1);
}

void TestDataset::errors() {
    DatasetSpec spec;
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    spec.path = m_tmp.filePath("missing.csv").toStdString();
    r = loadDataset(spec);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QCOMPARE(r.error().where, spec.path);
    spec.path = kFixture;
    spec.universe = "csi300";
    r = loadDataset(spec);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    spec.universe = "all";
    spec.groupsPath = m_tmp.filePath("nogroups.csv").toStdString();
    r = loadDataset(spec);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QCOMPARE(r.error().where, spec.groupsPath);
}

void TestDataset::vwapFromAmount() {
    // 2 days x 2 instruments; amount known except one cell, volume 0 in another.
    MarketData d;
    d.calendar = Calendar({Date::fromYmd(2020, 1, 2), Date::fromYmd(2020, 1, 3)});
    d.instruments = {"A", "B"};
    d.fields["high"] = panelOf(2, 2, {12, 22, 13, 23});
    d.fields["low"] = panelOf(2, 2, {8, 18, 9, 19});
    d.fields["close"] = panelOf(2, 2, {10, 20, 11, 21});
    d.fields["volume"] = panelOf(2, 2, {100, 50, 0, 40});
    d.fields["amount"] = panelOf(2, 2, {1050, 990, 0, kNaN});
    finalizeMarketData(d);
    QVERIFY(d.vwapDerived);
    QVERIFY(d.vwapFormula.find("amount/volume") != std::string::npos);
    const Panel& v = *d.field("vwap");
    QCOMPARE(v.at(0, 0), 10.5f); // 1050 / 100
    QCOMPARE(v.at(0, 1), 19.8f); // 990 / 50
    QCOMPARE(v.at(1, 0), 11.0f); // volume 0: (13 + 9 + 11) / 3
    QCOMPARE(v.at(1, 1), 21.0f); // amount missing: (23 + 19 + 21) / 3
    const LoadWarning* zero = findWarning(d, kZeroVolumeWarning);
    QVERIFY(zero && zero->count == 1);
    // Idempotent: a second call changes nothing and repeats no warning.
    const std::size_t warnings = d.warnings.size();
    finalizeMarketData(d);
    QCOMPARE(d.warnings.size(), warnings);
    QCOMPARE(d.field("vwap")->at(0, 0), 10.5f);
}

void TestDataset::membershipMaskAndJumps() {
    // One instrument, 6 days: close 10, 10.5, 40 (x3.81), 41, NaN, 12 (x0.293 against 41), member except
    // day 3.
    MarketData d;
    std::vector<Date> days;
    for (int t = 0; t < 6; ++t) days.push_back(Date::fromYmd(2020, 2, 3 + t));
    d.calendar = Calendar(days);
    d.instruments = {"J"};
    d.membership = {1, 1, 1, 0, 1, 1};
    d.fields["close"] = panelOf(6, 1, {10, 10.5f, 40, 41, kNaN, 12});
    d.fields["high"] = panelOf(6, 1, {11, 11, 41, 42, kNaN, 13});
    d.fields["low"] = panelOf(6, 1, {9, 10, 39, 40, kNaN, 11});
    const PanelPtr before = d.fields["close"];
    finalizeMarketData(d);
    QVERIFY(std::isnan(d.field("close")->at(3, 0))); // outside the membership
    QVERIFY(std::isnan(d.field("high")->at(3, 0)));
    QVERIFY(std::isnan(d.field("vwap")->at(3, 0)));
    QCOMPARE(before->at(3, 0), 41.0f); // the shared panel itself was not modified
    // Jumps after masking: 10.5 -> 40 (x3.81) and 40 -> 12 (x0.3, across the masked and NaN days).
    const LoadWarning* jumps = findWarning(d, kCloseJumpWarning);
    QVERIFY(jumps);
    QCOMPARE(jumps->count, 2);
    QVERIFY2(jumps->message.find("J 2020-02-05") != std::string::npos, jumps->message.c_str());
    finalizeMarketData(d);
    QCOMPARE(countWarnings(d, kCloseJumpWarning), 1);
}

void TestDataset::bundledSample() {
    QVERIFY(!bundledSampleDir().empty());
    const DatasetSpec spec = bundledSampleSpec();
    QVERIFY(spec.path.ends_with("prices.csv.xz"));
    QVERIFY(spec.groupsPath.ends_with("sectors.csv"));
    QElapsedTimer timer;
    timer.start();
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    qInfo("bundled sample loaded in %lld ms", static_cast<long long>(timer.elapsed()));
    const MarketData& d = **r;
    QCOMPARE(d.instrumentCount(), 150);
    QCOMPARE(d.days(), 1259);
    QCOMPARE(d.calendar[0], Date::fromYmd(2015, 1, 12));
    QCOMPARE(d.calendar[1258], Date::fromYmd(2020, 1, 10));
    QCOMPARE(std::accumulate(d.membership.begin(), d.membership.end(), 0), 150 * 1259);
    const Grouping* sector = d.grouping("sector");
    QVERIFY(sector);
    QCOMPARE(sector->groupCount(), 11);
    QVERIFY(std::none_of(sector->ids.begin(), sector->ids.end(), [](int id) { return id < 0; }));
    QVERIFY(d.grouping("industry"));
    QVERIFY(d.vwapDerived);
    QCOMPARE(d.fieldNames(), (std::vector<std::string>{"adj_close", "close", "high", "low", "open", "volume", "vwap"}));
    // First data row of the file: 2015-01-12,AAL,51.06,51.45,49.2,49.58,47.150826,18261300.
    const int aal = d.instrumentIndex("AAL");
    QVERIFY(aal >= 0);
    QCOMPARE(d.field("close")->at(0, aal), 49.58f);
    QCOMPARE(d.field("volume")->at(0, aal), 18261300.0f);
    QCOMPARE(d.field("vwap")->at(0, aal), static_cast<float>((51.45 + 49.2 + 49.58) / 3.0));
    QVERIFY(!findWarning(d, kZeroVolumeWarning)); // the sample was selected without zero-volume rows
}

void TestDataset::sharedDataset() {
    const std::string dir = ALPHASCOPE_SHARED_DATA;
    if (!fs::exists(dir + "/prices.csv.xz")) QSKIP("shared dataset not present");
    QElapsedTimer timer;
    timer.start();
    Result<MarketData> csv = loadLongCsv(dir + "/prices.csv.xz");
    const qint64 csvMs = timer.elapsed();
    QVERIFY2(csv.ok(), csv.ok() ? "" : csv.error().toString().c_str());
    timer.restart();
    DatasetSpec spec;
    spec.path = dir + "/prices.csv.xz";
    spec.groupsPath = dir + "/sectors.csv";
    Result<std::shared_ptr<const MarketData>> r = loadDataset(spec);
    const qint64 datasetMs = timer.elapsed();
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    qInfo("shared dataset: loadLongCsv %lld ms, loadDataset (with groups and finalisation) %lld ms",
          static_cast<long long>(csvMs), static_cast<long long>(datasetMs));
    const MarketData& d = **r;
    // Counts from the dataset's SOURCE.txt.
    QCOMPARE(d.instrumentCount(), 537);
    QCOMPARE(d.days(), 1259);
    QCOMPARE(std::accumulate(d.membership.begin(), d.membership.end(), 0), 657934);
    QCOMPARE(d.grouping("sector")->groupCount(), 11);
    const LoadWarning* zero = findWarning(d, kZeroVolumeWarning);
    QVERIFY(zero);
    QCOMPARE(zero->count, 1329);
    const LoadWarning* ohlc = findWarning(d, "OHLC inconsistent");
    QVERIFY(ohlc);
    QCOMPARE(ohlc->count, 3);
    // SOURCE.txt names BHF (ticker reuse) among the suspicious jumps.
    const LoadWarning* jumps = findWarning(d, kCloseJumpWarning);
    QVERIFY(jumps && jumps->message.find("BHF") != std::string::npos);
    for (const auto& w : d.warnings) qInfo("warning: %s: %s", w.where.c_str(), w.message.c_str());
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
