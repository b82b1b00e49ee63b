// Tests of ProgressSpan: nested shares map into the Feedback's 0..1, the outermost completion is
// exactly 1, and every span reads the Feedback's one cancel flag.

#include "core/util/progress_span.h"

#include <QtTest>

#include <vector>

using namespace alphascope;

class TestProgressSpan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nestedShares() {
        Feedback feedback;
        feedback.progressInterval = 0.0;
        std::vector<double> seen;
        feedback.onProgress = [&](const TaskProgress& p) { seen.push_back(p.fraction); };
        const ProgressSpan whole(&feedback);
        const ProgressSpan load = whole.sub(0.0, 0.8);
        const ProgressSpan parse = load.sub(0.5, 1.0); // 0.4 .. 0.8 of the whole
        parse.report(0.0, "parsing");
        parse.report(0.5, "parsing");
        parse.report(1.0, "parsing");
        whole.sub(0.8, 1.0).report(0.25, "target");
        whole.sub(0.8, 1.0).report(1.0, "target"); // the last share's end is the whole's end: exactly 1
        QCOMPARE(seen.size(), std::size_t{5});
        QCOMPARE(seen[0], 0.4);
        QVERIFY(qFuzzyCompare(seen[1], 0.6));
        QCOMPARE(seen[2], 0.8);
        QVERIFY(qFuzzyCompare(seen[3], 0.85));
        QCOMPARE(seen[4], 1.0);
        // Out-of-range fractions are clamped to the span.
        parse.report(-1.0, "before");
        QCOMPARE(feedback.fraction(), 0.4);
        parse.report(2.0, "after");
        QCOMPARE(feedback.fraction(), 0.8);
    }

    void cancelReachesEverySpan() {
        Feedback feedback;
        const ProgressSpan inner = ProgressSpan(&feedback).sub(0.2, 0.4).sub(0.5, 0.6);
        QVERIFY(!inner.stopRequested());
        QCOMPARE(inner.cancelFlag(), &feedback.cancelFlag);
        feedback.cancel();
        QVERIFY(inner.stopRequested());
    }

    void withoutFeedback() {
        const ProgressSpan none = ProgressSpan(nullptr).sub(0.1, 0.9);
        none.report(0.5, "nowhere"); // no Feedback: nothing to do, nothing to crash
        QVERIFY(!none.stopRequested());
        QVERIFY(none.cancelFlag() == nullptr);
        QVERIFY(none.feedback() == nullptr);
        QVERIFY(ProgressSpan().cancelFlag() == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestProgressSpan)
#include "tst_progress_span.moc"
