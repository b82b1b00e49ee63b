// Tests of the long-CSV loader, the groups CSV loader and the xz reader.

#include "core/data/csv_loader.h"
#include "core/data/xz_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <lzma.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

using namespace alphascope;

namespace {

const std::string kFixture = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/prices_small.csv";
const std::string kGroups = std::string(ALPHASCOPE_TEST_DATA_DIR) + "/groups_small.csv";

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string xzCompress(const std::string& text) {
    std::string out(lzma_stream_buffer_bound(text.size()), '\0');
    std::size_t pos = 0;
    const lzma_ret ret =
        lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                                text.size(), reinterpret_cast<uint8_t*>(out.data()), &pos, out.size());
    if (ret != LZMA_OK) return {};
    out.resize(pos);
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

class TestCsvLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void happyPath();
    void maskZeroVolume();
    void closeJumpsAndOhlc();
    void delimiters_data();
    void delimiters();
    void errors_data();
    void errors();
    void cannotOpen();
    void randomRoundTrip();
    void xzRoundTrip();
    void xzLargeRatio();
    void xzCorrupt();
    void groups();
    void groupsErrors();
    void splitLine();

private:
    QTemporaryDir m_tmp;
};

void TestCsvLoader::happyPath() {
    Result<MarketData> r = loadLongCsv(kFixture);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const MarketData& d = *r;
    QCOMPARE(d.days(), 3);
    QCOMPARE(d.calendar[0], Date::fromYmd(2020, 1, 2));
    QCOMPARE(d.calendar[1], Date::fromYmd(2020, 1, 3));
    QCOMPARE(d.calendar[2], Date::fromYmd(2020, 1, 6));
    QCOMPARE(d.instruments, (std::vector<std::string>{"AAPL", "IBM", "MSFT"}));
    // Membership: IBM only on 2020-01-06.
    const std::vector<std::uint8_t> member = {1, 0, 1, 1, 0, 1, 1, 1, 1};
    QCOMPARE(d.membership, member);
    QCOMPARE(d.fieldNames(), (std::vector<std::string>{"close", "high", "low", "open", "turnover", "volume"}));
    const Panel& close = *d.field("close");
    QCOMPARE(close.at(0, 0), 105.0f);
    QCOMPARE(close.at(1, 0), 112.0f);
    QCOMPARE(close.at(2, 0), 112.5f);
    QVERIFY(std::isnan(close.at(0, 1)));
    QCOMPARE(close.at(2, 1), 50.5f);
    QCOMPARE(close.at(0, 2), 10.0f);
    QCOMPARE(close.at(1, 2), 11.0f);
    QCOMPARE(d.field("$open")->at(1, 2), 10.0f);
    QCOMPARE(d.field("high")->at(1, 0), 115.0f);
    QCOMPARE(d.field("low")->at(2, 2), 10.0f);
    QCOMPARE(d.field("volume")->at(1, 0), 0.0f);
    QCOMPARE(d.field("volume")->at(2, 0), 3000.0f);
    // The extra numeric column became a field; empty, NA and nan are missing.
    const Panel& turnover = *d.field("turnover");
    QCOMPARE(turnover.at(0, 0), 1.5f);
    QVERIFY(std::isnan(turnover.at(1, 0)));
    QVERIFY(std::isnan(turnover.at(2, 0)));
    QCOMPARE(turnover.at(2, 1), 0.1f);
    QCOMPARE(turnover.at(0, 2), 0.25f);
    QVERIFY(std::isnan(turnover.at(2, 2)));
    // vwap is derived by finalizeMarketData (tst_dataset), not by the loader.
    QVERIFY(!d.hasField("vwap"));
    QVERIFY(!d.vwapDerived);
    QCOMPARE(d.source, kFixture);
    // Text column ignored with a warning located at its first value; zero volume summarised.
    const LoadWarning* name = findWarning(d, "'Name' is not numeric");
    QVERIFY(name);
    QCOMPARE(QString::fromStdString(name->where), QString::fromStdString(kFixture + ":2:37"));
    const LoadWarning* zero = findWarning(d, "zero volume");
    QVERIFY(zero);
    QCOMPARE(zero->count, 1);
    QCOMPARE(QString::fromStdString(zero->where), QString::fromStdString(kFixture + ":5"));
    QVERIFY(zero->message.find("AAPL 1") != std::string::npos);
    QVERIFY(!findWarning(d, "OHLC"));
}

void TestCsvLoader::maskZeroVolume() {
    Result<MarketData> r = loadLongCsv(kFixture, CsvOptions{true});
    QVERIFY(r.ok());
    const MarketData& d = *r;
    for (const auto& name : d.fieldNames()) QVERIFY(std::isnan(d.field(name)->at(1, 0)));
    QVERIFY(d.isMember(1, 0)); // the row exists; only its values are masked
    QCOMPARE(d.field("close")->at(0, 0), 105.0f);
    const LoadWarning* zero = findWarning(d, "zero volume");
    QVERIFY(zero && zero->message.find("masked") != std::string::npos);
}

void TestCsvLoader::closeJumpsAndOhlc() {
    // A: 10 -> 31 (x3.1). B: 1 -> 0.3 across a missing day (x0.3). C: 1 -> 3, exactly x3, is not a jump.
    // Line 6 has high (0.9) below close (1): an OHLC inconsistency.
    const std::string text = "date,ticker,open,high,low,close,volume\n"
                             "2020-01-02,A,10,10,10,10,5\n"
                             "2020-01-03,A,10,10,10,10,5\n"
                             "2020-01-06,A,31,31,31,31,5\n"
                             "2020-01-07,A,31,31,31,31,5\n"
                             "2020-01-02,B,1,0.9,0.8,1,5\n"
                             "2020-01-06,B,0.3,0.3,0.3,0.3,5\n"
                             "2020-01-02,C,1,1,1,1,5\n"
                             "2020-01-03,C,3,3,3,3,5\n";
    const std::string path = m_tmp.filePath("jumps.csv").toStdString();
    writeFile(path, text);
    Result<MarketData> r = loadLongCsv(path);
    QVERIFY(r.ok());
    const LoadWarning* jumps = findWarning(*r, "suspicious close jumps");
    QVERIFY(jumps);
    QCOMPARE(jumps->count, 2);
    QVERIFY2(jumps->message.find("in 2 instruments (A 1, B 1)") != std::string::npos, jumps->message.c_str());
    QVERIFY2(jumps->message.find("first: A 2020-01-06 x3.1") != std::string::npos, jumps->message.c_str());
    const LoadWarning* ohlc = findWarning(*r, "OHLC inconsistent");
    QVERIFY(ohlc);
    QCOMPARE(ohlc->count, 1);
    QCOMPARE(ohlc->where, path + ":6");
    QVERIFY(!findWarning(*r, "zero volume"));
}

void TestCsvLoader::delimiters_data() {
    QTest::addColumn<QString>("delimiter");
    QTest::newRow("semicolon") << ";";
    QTest::newRow("tab") << "\t";
    QTest::newRow("crlf comma") << ",\r";
}

void TestCsvLoader::delimiters() {
    QFETCH(QString, delimiter);
    const char delim = delimiter.toStdString()[0];
    const bool crlf = delimiter.size() > 1;
    std::string text = "date" + std::string(1, delim) + "code" + delim + "OPEN" + delim + "high" + delim + "low" +
                       delim + "close" + delim + "volume" + delim + "Adj Close" + (crlf ? "\r\n" : "\n");
    text += "20200102" + std::string(1, delim) + "X" + delim + "1" + delim + "2.5" + delim + "0.5" + delim + "+2" +
            delim + "1e3" + delim + "1.75" + (crlf ? "\r\n" : "\n");
    const std::string path = m_tmp.filePath("delim.csv").toStdString();
    writeFile(path, text);
    Result<MarketData> r = loadLongCsv(path);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QCOMPARE(r->instruments, std::vector<std::string>{"X"});
    QCOMPARE(r->calendar[0], Date::fromYmd(2020, 1, 2));
    QCOMPARE(r->field("high")->at(0, 0), 2.5f);
    QCOMPARE(r->field("close")->at(0, 0), 2.0f);
    QCOMPARE(r->field("volume")->at(0, 0), 1000.0f);
    QCOMPARE(r->field("adj_close")->at(0, 0), 1.75f);
}

// One row per line, each input beside what it should give:
// clang-format off
void TestCsvLoader::errors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("where");   // suffix after the path
    QTest::addColumn<QString>("message"); // substring
    const QString h = "date,ticker,open,high,low,close,volume\n";
    const QString ok = "2020-01-02,AAPL,1,2,0.5,1.5,100\n";
    const int fmt = static_cast<int>(ErrorCode::Format);
    QTest::newRow("missing column")
        << "date,ticker,open,high,low,close\n" + ok << fmt << ":1"
        << "missing required column 'volume'; header: date,ticker,open,high,low,close";
    QTest::newRow("missing instrument") << "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,100\n"
                                        << fmt << ":1"
                                        << "'ticker'";
    QTest::newRow("missing date") << "when,ticker,open,high,low,close,volume\n" + ok << fmt << ":1"
                                  << "'date'";
    // "2020-01-02,AAPL,1,2,0.5," is 24 bytes, so the close cell starts in column 25.
    QTest::newRow("non-numeric") << h + ok + "2020-01-03,AAPL,1,2,0.5,abc,100\n"
                                 << fmt << ":3:25"
                                 << "non-numeric value 'abc' in column 'close'";
    QTest::newRow("bad date") << h + "2020-13-01,AAPL,1,2,0.5,1.5,100\n"
                              << fmt << ":2:1"
                              << "bad date '2020-13-01'";
    QTest::newRow("duplicate") << h + ok + "2020-01-03,AAPL,1,2,0.5,1.5,100\n" + ok << fmt << ":4"
                               << "duplicate row for (2020-01-02, AAPL): lines 2 and 4";
    QTest::newRow("ragged short") << h + ok + "2020-01-03,AAPL,1,2,0.5,1.5\n"
                                  << fmt << ":3"
                                  << "expected 7 cells as in the header, found 6";
    QTest::newRow("ragged long") << h + ok + "\n" + "2020-01-03,AAPL,1,2,0.5,1.5,100,7\n"
                                 << fmt << ":4"
                                 << "found 8";
    QTest::newRow("empty file") << "" << fmt << ""
                                << "empty file";
    QTest::newRow("blank file") << "\n  \n"
                                << fmt << ""
                                << "empty file";
    QTest::newRow("header only") << h << fmt << ""
                                 << "no data rows";
    QTest::newRow("duplicate header") << "date,ticker,open,high,low,close,volume,Close\n"
                                      << fmt << ":1"
                                      << "duplicate column 'Close'";
    QTest::newRow("empty code") << h + " 2020-01-02, ,1,2,0.5,1.5,100\n"
                                << fmt << ":2:13"
                                << "empty instrument";
}
// clang-format on

void TestCsvLoader::errors() {
    QFETCH(QString, text);
    QFETCH(int, code);
    QFETCH(QString, where);
    QFETCH(QString, message);
    const std::string path = m_tmp.filePath("bad.csv").toStdString();
    writeFile(path, text.toStdString());
    Result<MarketData> r = loadLongCsv(path);
    QVERIFY(!r.ok());
    QCOMPARE(static_cast<int>(r.error().code), code);
    QCOMPARE(QString::fromStdString(r.error().where), QString::fromStdString(path) + where);
    QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
}

void TestCsvLoader::cannotOpen() {
    const std::string path = m_tmp.filePath("nope.csv").toStdString();
    Result<MarketData> r = loadLongCsv(path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QCOMPARE(r.error().where, path);
    QVERIFY(r.error().message.find("cannot open") != std::string::npos);
    Result<MarketData> dir = loadLongCsv(m_tmp.path().toStdString());
    QVERIFY(!dir.ok());
    QCOMPARE(dir.error().code, ErrorCode::Io);
}

// Random panel -> long CSV (shuffled rows, missing rows, NaN cells) -> loader -> same panel.
void TestCsvLoader::randomRoundTrip() {
    std::mt19937 rng(7);
    const int T = 40, N = 13;
    std::vector<Date> dates;
    for (int t = 0; t < T; ++t) dates.push_back(Date::fromYmd(2019, 1 + t / 28, 1 + t % 28));
    std::vector<std::string> codes;
    for (int i = 0; i < N; ++i) codes.push_back("S" + std::to_string(100 + i * 7));
    const char* names[] = {"open", "high", "low", "close", "volume", "amount"};
    std::vector<std::vector<float>> ref(6, std::vector<float>(T * N, kNaN));
    std::vector<std::uint8_t> member(T * N, 0);
    std::vector<std::string> rows;
    std::uniform_real_distribution<float> u(0.5f, 500.0f);
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < N; ++i) {
            if (rng() % 5 == 0) continue; // no row: not a member
            member[t * N + i] = 1;
            std::string row = dates[t].toString() + "," + codes[i];
            for (int f = 0; f < 6; ++f) {
                char buf[32] = "";
                if (rng() % 9 != 0) {
                    ref[f][t * N + i] = u(rng);
                    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(ref[f][t * N + i]));
                }
                row += std::string(",") + buf;
            }
            rows.push_back(row);
        }
    std::shuffle(rows.begin(), rows.end(), rng);
    std::string text = "date,ticker,open,high,low,close,volume,amount\n";
    for (const auto& row : rows) text += row + "\n";
    const std::string path = m_tmp.filePath("random.csv").toStdString();
    writeFile(path, text);
    Result<MarketData> r = loadLongCsv(path);
    QVERIFY(r.ok());
    QCOMPARE(r->days(), T);
    QCOMPARE(r->calendar.days(), dates);
    // S100, S107, ... sort the same as numbers here (all three digits).
    QCOMPARE(r->instruments, codes);
    QCOMPARE(r->membership, member);
    for (int f = 0; f < 6; ++f)
        for (int k = 0; k < T * N; ++k) QVERIFY2(sameFloat(r->field(names[f])->data()[k], ref[f][k]), names[f]);
}

void TestCsvLoader::xzRoundTrip() {
    const std::string plain = readFile(kFixture);
    const std::string compressed = xzCompress(plain);
    QVERIFY(!compressed.empty());
    QVERIFY(hasXzMagic(compressed));
    const std::string xzPath = m_tmp.filePath("prices.csv.xz").toStdString();
    const std::string disguised = m_tmp.filePath("prices_really_xz.csv").toStdString();
    writeFile(xzPath, compressed);
    writeFile(disguised, compressed);
    Result<std::string> back = readFileMaybeXz(xzPath);
    QVERIFY(back.ok());
    QCOMPARE(*back, plain);
    Result<std::string> back2 = readFileMaybeXz(disguised); // detected by magic, not extension
    QVERIFY(back2.ok());
    QCOMPARE(*back2, plain);
    Result<std::string> same = readFileMaybeXz(kFixture);
    QVERIFY(same.ok());
    QCOMPARE(*same, plain);

    Result<MarketData> a = loadLongCsv(kFixture);
    Result<MarketData> b = loadLongCsv(xzPath);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(b->instruments, a->instruments);
    QCOMPARE(b->membership, a->membership);
    for (const auto& name : a->fieldNames())
        for (std::size_t k = 0; k < a->field(name)->size(); ++k)
            QVERIFY(sameFloat(a->field(name)->data()[k], b->field(name)->data()[k]));
}

// Highly compressible content: the decoder's output buffer has to grow many times.
void TestCsvLoader::xzLargeRatio() {
    std::string text;
    for (int k = 0; k < 200000; ++k) text += "2020-01-02,AAPL,1,2,3,4," + std::to_string(k % 10) + "\n";
    const std::string compressed = xzCompress(text);
    QVERIFY(compressed.size() * 50 < text.size());
    const std::string path = m_tmp.filePath("big.xz").toStdString();
    writeFile(path, compressed);
    Result<std::string> back = readFileMaybeXz(path);
    QVERIFY(back.ok());
    QVERIFY(*back == text);
}

void TestCsvLoader::xzCorrupt() {
    std::string text;
    std::mt19937 rng(3);
    for (int k = 0; k < 20000; ++k) text += std::to_string(rng()) + ",";
    const std::string good = xzCompress(text);
    std::string corrupt = good;
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5A);
    const std::string path = m_tmp.filePath("corrupt.csv.xz").toStdString();
    writeFile(path, corrupt);
    Result<std::string> r = readFileMaybeXz(path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Format);
    QVERIFY(r.error().where.rfind(path + "@", 0) == 0);
    const long offset = std::stol(r.error().where.substr(path.size() + 1));
    QVERIFY(offset > 0 && offset <= static_cast<long>(corrupt.size()));
    QVERIFY(r.error().message.find("at compressed byte " + std::to_string(offset)) != std::string::npos);

    const std::string cut = good.substr(0, good.size() / 3);
    writeFile(path, cut);
    Result<std::string> t = readFileMaybeXz(path);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().code, ErrorCode::Format);
    QCOMPARE(QString::fromStdString(t.error().where), QString::fromStdString(path + "@" + std::to_string(cut.size())));
}

void TestCsvLoader::groups() {
    Result<MarketData> r = loadLongCsv(kFixture);
    QVERIFY(r.ok());
    MarketData d = std::move(*r);
    Result<void> g = loadGroupsCsv(d, kGroups);
    QVERIFY2(g.ok(), g.ok() ? "" : g.error().toString().c_str());
    const Grouping* sector = d.grouping("sector");
    QVERIFY(sector);
    QCOMPARE(sector->labels, std::vector<std::string>{"Information Technology"});
    QCOMPARE(sector->ids, (std::vector<int>{0, -1, 0})); // AAPL, IBM (missing), MSFT (matched "msft")
    const Grouping* industry = d.grouping("industry");
    QVERIFY(industry);
    QCOMPARE(industry->labels, (std::vector<std::string>{"Computer Hardware", "Systems Software"}));
    QCOMPARE(industry->ids, (std::vector<int>{0, -1, 1}));
    const LoadWarning* missing = findWarning(d, "not in the groups file");
    QVERIFY(missing && missing->count == 1 && missing->message.find("IBM") != std::string::npos);
    const LoadWarning* unknown = findWarning(d, "not in the data");
    QVERIFY(unknown && unknown->count == 1 && unknown->message.find("ZZZ") != std::string::npos);
}

void TestCsvLoader::groupsErrors() {
    MarketData d = *loadLongCsv(kFixture);
    const std::string path = m_tmp.filePath("groups_bad.csv").toStdString();
    writeFile(path, "ticker,industry\nAAPL,Hardware\n");
    Result<void> r = loadGroupsCsv(d, path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Format);
    QCOMPARE(r.error().where, path + ":1");
    QVERIFY(r.error().message.find("'sector'") != std::string::npos);
    writeFile(path, "symbol;sector\nAAPL;Tech\nMSFT;Tech;extra\n");
    r = loadGroupsCsv(d, path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().where, path + ":3");
    writeFile(path, "symbol;Sector\nAAPL;Tech\n");
    r = loadGroupsCsv(d, path);
    QVERIFY(r.ok());
    QVERIFY(!d.grouping("industry"));
    QCOMPARE(d.grouping("sector")->ids, (std::vector<int>{0, -1, -1}));
}

void TestCsvLoader::splitLine() {
    std::vector<std::string_view> cells;
    splitCsvLine(R"(a,"b,c",,"d ""q""",e,)", ',', cells);
    QCOMPARE(cells.size(), std::size_t(6));
    QCOMPARE(cells[0], std::string_view("a"));
    QCOMPARE(cells[1], std::string_view("b,c"));
    QCOMPARE(cells[2], std::string_view(""));
    QCOMPARE(cells[3], std::string_view(R"(d ""q"")"));
    QCOMPARE(cells[4], std::string_view("e"));
    QCOMPARE(cells[5], std::string_view(""));
    QCOMPARE(normaliseCsvHeader(" \"Adj Close\" "), std::string("adj_close"));
}

QTEST_GUILESS_MAIN(TestCsvLoader)
#include "tst_csv_loader.moc"
