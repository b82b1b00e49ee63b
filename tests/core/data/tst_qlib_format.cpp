// Tests of the Qlib binary layout: a folder written by hand (raw float32 bytes) and writeQlib round trips.

#include "core/data/csv_loader.h"
#include "core/data/dataset.h"
#include "core/data/qlib_format.h"

#include <QTemporaryDir>
#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

using namespace alphascope;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

/// The bytes of a .day.bin: float32 start index, then the values (the test host is little-endian).
std::string binBytes(float start, const std::vector<float>& values) {
    static_assert(std::endian::native == std::endian::little);
    std::string out(4 * (values.size() + 1), '\0');
    std::memcpy(out.data(), &start, 4);
    if (!values.empty()) std::memcpy(out.data() + 4, values.data(), 4 * values.size());
    return out;
}

bool sameFloat(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

const LoadWarning* findWarning(const MarketData& d, const std::string& needle) {
    for (const auto& w : d.warnings)
        if (w.message.find(needle) != std::string::npos) return &w;
    return nullptr;
}

} // namespace

class TestQlibFormat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void handWritten();
    void universeSelection();
    void fieldSelection();
    void binErrors_data();
    void binErrors();
    void unknownUniverse();
    void calendarAndInstrumentErrors();
    void writeLayout();
    void randomRoundTrip();

private:
    /// Writes the hand-made folder: 6 days, three codes (one without features), universes all and csi.
    void writeHandFolder();

    std::unique_ptr<QTemporaryDir> m_tmp;
    fs::path m_dir;
};

void TestQlibFormat::init() {
    m_tmp = std::make_unique<QTemporaryDir>();
    m_dir = fs::path(m_tmp->path().toStdString()) / "qlib";
    writeHandFolder();
}

void TestQlibFormat::writeHandFolder() {
    writeFile(m_dir / "calendars" / "day.txt",
              "2020-01-02\n2020-01-03\n2020-01-06\n2020-01-07\n2020-01-08\n2020-01-09 00:00:00\n\n");
    writeFile(m_dir / "instruments" / "all.txt", "SH600000\t2020-01-03\t2020-01-07\n"
                                                 "sz000001 2020-01-01  2020-01-09\n"
                                                 "SH600000\t2020-01-09\t2020-01-31\n"
                                                 "NOFOLDER\t2020-01-02\t2020-01-09\n");
    writeFile(m_dir / "instruments" / "csi.txt", "SH600000\t2020-01-06\t2020-01-08\n");
    // Start index 1 (2020-01-03); values run to the last day.
    writeFile(m_dir / "features" / "sh600000" / "close.day.bin", binBytes(1.0f, {10, 11, 12, 13, 14}));
    writeFile(m_dir / "features" / "sh600000" / "volume.day.bin", binBytes(1.0f, {100, 200, kNaN}));
    // An upper-case folder still matches (codes are case-insensitive); no volume file here.
    writeFile(m_dir / "features" / "SZ000001" / "close.day.bin", binBytes(0.0f, {1, 2, 3, 4, 5, 6}));
}

void TestQlibFormat::handWritten() {
    Result<MarketData> r = loadQlib(m_dir.string());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    MarketData& d = *r;
    QCOMPARE(d.days(), 6);
    QCOMPARE(d.calendar[0], Date::fromYmd(2020, 1, 2));
    QCOMPARE(d.calendar[5], Date::fromYmd(2020, 1, 9));
    QCOMPARE(d.instruments, (std::vector<std::string>{"NOFOLDER", "SH600000", "sz000001"}));
    QCOMPARE(d.universe, std::string("all"));
    QCOMPARE(d.fieldNames(), (std::vector<std::string>{"close", "volume"}));
    // Membership from the inclusive intervals, worked out by hand from all.txt.
    const std::vector<std::uint8_t> member = {
        1, 0, 1, // 01-02
        1, 1, 1, // 01-03
        1, 1, 1, // 01-06
        1, 1, 1, // 01-07
        1, 0, 1, // 01-08
        1, 1, 1, // 01-09
    };
    QCOMPARE(d.membership, member);
    const Panel& close = *d.field("close");
    const float n = kNaN;
    const std::vector<float> expected = {n, n, 1, n, 10, 2, n, 11, 3, n, 12, 4, n, 13, 5, n, 14, 6};
    for (std::size_t k = 0; k < expected.size(); ++k)
        QVERIFY2(sameFloat(close.data()[k], expected[k]), std::to_string(k).c_str());
    const Panel& volume = *d.field("volume");
    QCOMPARE(volume.at(1, 1), 100.0f);
    QCOMPARE(volume.at(2, 1), 200.0f);
    QVERIFY(std::isnan(volume.at(3, 1)));
    QVERIFY(std::isnan(volume.at(4, 1)));
    QVERIFY(std::isnan(volume.at(2, 2)));
    const LoadWarning* noFolder = findWarning(d, "no feature folder");
    QVERIFY(noFolder && noFolder->message.find("NOFOLDER") != std::string::npos && noFolder->count == 1);
    const LoadWarning* missing = findWarning(d, "field files missing");
    QVERIFY(missing && missing->message.find("sz000001/volume") != std::string::npos);

    // Finalising masks the value written for a non-member day (SH600000 on 01-08).
    finalizeMarketData(d);
    QVERIFY(std::isnan(d.field("close")->at(4, 1)));
    QCOMPARE(d.field("close")->at(5, 1), 14.0f);
    QVERIFY(d.vwapDerived == false); // no high/low: vwap cannot be derived
    QVERIFY(!d.hasField("vwap"));
}

void TestQlibFormat::universeSelection() {
    QCOMPARE(qlibUniverses(m_dir.string()), (std::vector<std::string>{"all", "csi"}));
    QlibOptions options;
    options.universe = "csi";
    Result<MarketData> r = loadQlib(m_dir.string(), options);
    QVERIFY(r.ok());
    QCOMPARE(r->instruments, std::vector<std::string>{"SH600000"});
    QCOMPARE(r->universe, std::string("csi"));
    QCOMPARE(r->membership, (std::vector<std::uint8_t>{0, 0, 1, 1, 1, 0}));
    QCOMPARE(r->field("close")->at(1, 0), 10.0f);
    QVERIFY(r->warnings.empty());
}

void TestQlibFormat::fieldSelection() {
    QlibOptions options;
    options.fields = {"$close"};
    Result<MarketData> r = loadQlib(m_dir.string(), options);
    QVERIFY(r.ok());
    QCOMPARE(r->fieldNames(), std::vector<std::string>{"close"});
    options.fields = {"close", "amount"};
    Result<MarketData> bad = loadQlib(m_dir.string(), options);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::NotFound);
    QVERIFY(bad.error().message.find("'amount'") != std::string::npos);
}

// One row per line, each input beside what it should give:
// clang-format off
void TestQlibFormat::binErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");
    const std::string good = binBytes(1.0f, {10, 11});
    QTest::newRow("size not multiple of 4")
        << QByteArray::fromStdString(good + "\x01\x02") << 12 << "multiple of 4";
    // Start 4 with 3 values on a 6-day calendar: the third value (byte 4 + 2*4 = 12) is day 6, past the end.
    QTest::newRow("past the calendar")
        << QByteArray::fromStdString(binBytes(4.0f, {1, 2, 3})) << 12 << "runs past the calendar";
    QTest::newRow("too many values") << QByteArray::fromStdString(binBytes(0.0f, {1, 2, 3, 4, 5, 6, 7})) << 28
                                     << "runs past the calendar";
    QTest::newRow("fractional start")
        << QByteArray::fromStdString(binBytes(2.5f, {1})) << 0 << "bad start index";
    QTest::newRow("negative start") << QByteArray::fromStdString(binBytes(-1.0f, {1})) << 0
                                    << "bad start index";
    QTest::newRow("empty") << QByteArray() << 0 << "empty";
    QTest::newRow("three bytes") << QByteArray("\x00\x00\x80", 3) << 0 << "multiple of 4";
}
// clang-format on

void TestQlibFormat::binErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(int, offset);
    QFETCH(QString, message);
    const fs::path file = m_dir / "features" / "sh600000" / "close.day.bin";
    writeFile(file, bytes.toStdString());
    Result<MarketData> r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Format);
    QCOMPARE(QString::fromStdString(r.error().where),
             QString::fromStdString(file.string() + "@" + std::to_string(offset)));
    QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
}

void TestQlibFormat::unknownUniverse() {
    QlibOptions options;
    options.universe = "csi500";
    Result<MarketData> r = loadQlib(m_dir.string(), options);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY2(r.error().message.find("'csi500'") != std::string::npos, r.error().message.c_str());
    QVERIFY2(r.error().message.find("available: all, csi") != std::string::npos, r.error().message.c_str());
}

void TestQlibFormat::calendarAndInstrumentErrors() {
    const fs::path calendar = m_dir / "calendars" / "day.txt";
    writeFile(calendar, "2020-01-02\n2020-01-03\n2020-02-30\n");
    Result<MarketData> r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Format);
    QCOMPARE(r.error().where, calendar.string() + ":3");
    writeFile(calendar, "2020-01-03\n2020-01-02\n");
    r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().where, calendar.string() + ":2");

    writeHandFolder();
    const fs::path all = m_dir / "instruments" / "all.txt";
    writeFile(all, "A\t2020-01-02\t2020-01-09\nB\t2020-01-02\tsoon\n");
    r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Format);
    QCOMPARE(r.error().where, all.string() + ":2");
    QVERIFY(r.error().message.find("'soon'") != std::string::npos);
    writeFile(all, "\nA\t2020-01-02\n");
    r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().where, all.string() + ":2");

    fs::remove(calendar);
    r = loadQlib(m_dir.string());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QCOMPARE(r.error().where, calendar.string());
    QVERIFY(r.error().message.find("missing calendar") != std::string::npos);
}

void TestQlibFormat::writeLayout() {
    Result<MarketData> csv = loadLongCsv(std::string(ALPHASCOPE_TEST_DATA_DIR) + "/prices_small.csv");
    QVERIFY(csv.ok());
    const fs::path out = fs::path(m_tmp->path().toStdString()) / "written";
    Result<void> w = writeQlib(*csv, out.string());
    QVERIFY2(w.ok(), w.ok() ? "" : w.error().toString().c_str());
    QCOMPARE(readFile(out / "calendars" / "day.txt"), std::string("2020-01-02\n2020-01-03\n2020-01-06\n"));
    QCOMPARE(readFile(out / "instruments" / "all.txt"),
             std::string("AAPL\t2020-01-02\t2020-01-06\nIBM\t2020-01-06\t2020-01-06\nMSFT\t2020-01-02\t2020-01-06\n"));
    QCOMPARE(readFile(out / "features" / "aapl" / "close.day.bin"), binBytes(0.0f, {105.0f, 112.0f, 112.5f}));
    QCOMPARE(readFile(out / "features" / "ibm" / "open.day.bin"), binBytes(2.0f, {50.0f}));
    QVERIFY(fs::exists(out / "features" / "msft" / "turnover.day.bin"));

    Result<MarketData> back = loadQlib(out.string());
    QVERIFY(back.ok());
    QCOMPARE(back->instruments, csv->instruments);
    QCOMPARE(back->calendar.days(), csv->calendar.days());
    QCOMPARE(back->membership, csv->membership);
    QCOMPARE(back->fieldNames(), csv->fieldNames());
    for (const auto& name : csv->fieldNames())
        for (std::size_t k = 0; k < csv->field(name)->size(); ++k)
            QVERIFY(sameFloat(back->field(name)->data()[k], csv->field(name)->data()[k]));
}

// Random membership with gaps (several interval lines per code), NaNs inside; write, load, compare.
void TestQlibFormat::randomRoundTrip() {
    std::mt19937 rng(11);
    const int T = 50, N = 9;
    MarketData d;
    std::vector<Date> days;
    for (int t = 0; t < T; ++t) days.push_back(Date::fromYmd(2018, 3 + t / 25, 1 + t % 25));
    d.calendar = Calendar(days);
    for (int i = 0; i < N; ++i) d.instruments.push_back("C" + std::to_string(i));
    d.instruments.push_back("NEVER"); // never a member: Qlib has nothing to list for it
    const int NN = N + 1;
    d.membership.assign(T * NN, 0);
    for (int i = 0; i < N; ++i) {
        bool in = rng() % 2 == 0;
        for (int t = 0; t < T; ++t) {
            if (rng() % 7 == 0) in = !in;
            d.membership[t * NN + i] = in || t == 20;
        }
    }
    std::uniform_real_distribution<float> u(-100.0f, 100.0f);
    for (const char* name : {"close", "factor"}) {
        Panel p(T, NN);
        for (int t = 0; t < T; ++t)
            for (int i = 0; i < N; ++i)
                if (d.isMember(t, i) && rng() % 6 != 0) p.at(t, i) = u(rng);
        d.fields[name] = std::make_shared<const Panel>(std::move(p));
    }
    const fs::path out = fs::path(m_tmp->path().toStdString()) / "random";
    QVERIFY(writeQlib(d, out.string()).ok());
    Result<MarketData> back = loadQlib(out.string());
    QVERIFY(back.ok());
    QCOMPARE(back->instrumentCount(), N);
    QCOMPARE(back->calendar.days(), days);
    for (int i = 0; i < N; ++i) QCOMPARE(back->instruments[i], d.instruments[i]);
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < N; ++i) {
            QCOMPARE(back->isMember(t, i), d.isMember(t, i));
            for (const char* name : {"close", "factor"})
                QVERIFY(sameFloat(back->field(name)->at(t, i), d.field(name)->at(t, i)));
        }
}

QTEST_GUILESS_MAIN(TestQlibFormat)
#include "tst_qlib_format.moc"
