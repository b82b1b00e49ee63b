// Splits: date ranges to day indices, overlap and gap checks, default 70/15/15 with label gaps.

#include "core/data/split.h"

#include <QTest>

using namespace alphascope;

namespace {
Calendar weekdays(int n) {
    std::vector<Date> d;
    for (int k = 0; k < n; ++k) d.push_back(Date::fromYmd(2015 + k / 300, 1 + (k / 25) % 12, 1 + k % 25));
    return Calendar(d);
}
} // namespace

class TestSplit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseRanges() {
        auto r = parseSplitRange("train", "2015-01-01:2017-12-31");
        QVERIFY(r.ok());
        QCOMPARE(r.value().start, Date::fromYmd(2015, 1, 1));
        QCOMPARE(r.value().end, Date::fromYmd(2017, 12, 31));
        QVERIFY(parseSplitRange("train", "20150101:20171231").ok());
        auto noColon = parseSplitRange("valid", "2018");
        QVERIFY(!noColon.ok());
        QVERIFY(QString::fromStdString(noColon.error().message).contains("START:END"));
        QVERIFY(!parseSplitRange("test", "2019-13-01:2019-12-31").ok());
        QVERIFY(!parseSplitRange("test", "2019-12-31:2019-01-01").ok());
        QVERIFY(!parseSplitRange("test", "2016-01-04 garbage:2017-01-03").ok());
        QVERIFY(parseSplitRange("test", "2016-01-04 00:00:00:2017-01-03").ok() == false); // ambiguous colon: rejected
        QVERIFY(parseDate("2016-01-04 00:00:00").has_value());
        QVERIFY(parseDate("2016-01-04T09:30").has_value());
        QVERIFY(parseDate("2016-01-04 15:00:00.000").has_value());
        QVERIFY(!parseDate("2016-01-04 oops").has_value());
        QVERIFY(!parseDate("2016-01-04 25:00").has_value());
    }

    void datesToIndices() {
        Calendar cal({Date::fromYmd(2020, 1, 2), Date::fromYmd(2020, 1, 3), Date::fromYmd(2020, 1, 6),
                      Date::fromYmd(2020, 1, 7), Date::fromYmd(2020, 1, 8), Date::fromYmd(2020, 1, 9)});
        std::vector<std::string> warnings;
        auto s = makeSplits(cal,
                            {{"train", Date::fromYmd(2020, 1, 1), Date::fromYmd(2020, 1, 4)},
                             {"test", Date::fromYmd(2020, 1, 8), Date::fromYmd(2020, 2, 1)}},
                            1, &warnings);
        QVERIFY(s.ok());
        QCOMPARE(s.value()[0].begin, 0);
        QCOMPARE(s.value()[0].end, 2); // Jan 2, Jan 3
        QCOMPARE(s.value()[1].begin, 4);
        QCOMPARE(s.value()[1].end, 6);
        QCOMPARE(s.value()[1].first, Date::fromYmd(2020, 1, 8));
        QVERIFY(warnings.empty()); // gap of 2 days >= horizon 1

        // a gap shorter than the horizon: train is cut short so its labels stay out of valid
        const Calendar long100 = weekdays(100);
        warnings.clear();
        auto purged = makeSplits(long100, {{"train", long100[0], long100[59]}, {"valid", long100[60], long100[99]}}, 5,
                                 &warnings);
        QVERIFY(purged.ok());
        QCOMPARE(purged.value()[0].end, 55); // valid starts at 60, 5 days of gap
        QCOMPARE(purged.value()[0].last, long100[54]);
        QCOMPARE(purged.value()[1].begin, 60);
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(warnings[0]).contains("5 trading days earlier"));
        // too short to keep any day
        QVERIFY(!makeSplits(cal,
                            {{"train", Date::fromYmd(2020, 1, 1), Date::fromYmd(2020, 1, 6)},
                             {"valid", Date::fromYmd(2020, 1, 7), Date::fromYmd(2020, 1, 9)}},
                            5)
                     .ok());
        // out of order
        auto backwards =
            makeSplits(long100, {{"train", long100[50], long100[99]}, {"test", long100[0], long100[20]}}, 0);
        QVERIFY(!backwards.ok());
        QVERIFY(QString::fromStdString(backwards.error().message).contains("chronological"));

        auto overlap = makeSplits(cal,
                                  {{"train", Date::fromYmd(2020, 1, 1), Date::fromYmd(2020, 1, 7)},
                                   {"valid", Date::fromYmd(2020, 1, 6), Date::fromYmd(2020, 1, 9)}},
                                  0);
        QVERIFY(!overlap.ok());
        QVERIFY(QString::fromStdString(overlap.error().message).contains("overlap"));
        auto empty = makeSplits(cal, {{"test", Date::fromYmd(2021, 1, 1), Date::fromYmd(2021, 2, 1)}}, 0);
        QVERIFY(!empty.ok());
        QVERIFY(QString::fromStdString(empty.error().message).contains("no trading day"));
    }

    void defaultsLeaveLabelGaps() {
        const Calendar cal = weekdays(1000);
        const auto s = defaultSplits(cal, 20, 60);
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s[0].begin, 60);
        // usable = 1000 - 60 - 20 (no label) - 2*20 (gaps) = 880 -> 616 / 132 / 132
        QCOMPARE(s[0].days(), 616);
        QCOMPARE(s[1].days(), 132);
        QCOMPARE(s[2].days(), 132);
        QCOMPARE(s[1].begin - s[0].end, 20);
        QCOMPARE(s[2].begin - s[1].end, 20);
        QCOMPARE(s[2].end, 1000 - 20);
        QCOMPARE(s[0].name, std::string("train"));
        QCOMPARE(s[2].name, std::string("test"));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
