// Panel memory: freed large blocks are kept and handed to the next panel of the same size, up to
// the retention limit; panels built on reused memory hold exactly what they are given.

#include "core/data/panel.h"

#include <QTest>

using namespace alphascope;

class TestPanelMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { setPanelMemoryRetention(kDefaultPanelRetention); }
    void cleanupTestCase() { setPanelMemoryRetention(kDefaultPanelRetention); }

    void freedBlockIsReused() {
        const std::size_t bytes = std::size_t(3) << 20;
        void* a = allocatePanelMemory(bytes);
        QVERIFY(a);
        const PanelMemoryStats before = panelMemoryStats();
        freePanelMemory(a, bytes);
        QCOMPARE(panelMemoryStats().retainedBytes, before.retainedBytes + bytes);
        void* b = allocatePanelMemory(bytes);
        QCOMPARE(b, a);
        const PanelMemoryStats after = panelMemoryStats();
        QCOMPARE(after.reused, before.reused + 1);
        QCOMPARE(after.retainedBytes, before.retainedBytes);
        // Another size is not served by it.
        freePanelMemory(b, bytes);
        void* c = allocatePanelMemory(bytes + 4096);
        QVERIFY(c != b);
        freePanelMemory(c, bytes + 4096);
    }

    void retentionLimitReleasesOldest() {
        const std::size_t bytes = std::size_t(2) << 20;
        setPanelMemoryRetention(0);
        QCOMPARE(panelMemoryStats().retainedBytes, std::size_t(0));
        setPanelMemoryRetention(2 * bytes);
        void* blocks[3];
        for (auto& p : blocks) p = allocatePanelMemory(bytes);
        const std::size_t released = panelMemoryStats().released;
        for (auto* p : blocks) freePanelMemory(p, bytes);
        QCOMPARE(panelMemoryStats().retainedBytes, 2 * bytes);
        QCOMPARE(panelMemoryStats().retainedBlocks, std::size_t(2));
        QCOMPARE(panelMemoryStats().released, released + 1);
        // The newest block is served first; the oldest was released.
        void* x = allocatePanelMemory(bytes);
        QCOMPARE(x, blocks[2]);
        void* y = allocatePanelMemory(bytes);
        QCOMPARE(y, blocks[1]);
        freePanelMemory(x, bytes);
        freePanelMemory(y, bytes);
        setPanelMemoryRetention(0);
        QCOMPARE(panelMemoryStats().retainedBlocks, std::size_t(0));
    }

    void panelsOnReusedMemoryHoldTheirValues() {
        const int days = 1000, instruments = 700; // 2.8 MB: a large block
        {
            Panel p(days, instruments, 7.0f);
            QCOMPARE(p.at(999, 699), 7.0f);
        }
        Panel q(days, instruments); // NaN-filled on the block the first one freed
        for (std::size_t k = 0; k < q.size(); ++k)
            if (!std::isnan(q.data()[k])) QFAIL("a reused block kept an old value");
        Panel r(days, instruments, 0.0f);
        QCOMPARE(r.at(0, 0), 0.0f);
        QCOMPARE(r.at(500, 300), 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestPanelMemory)
#include "tst_panel_memory.moc"
