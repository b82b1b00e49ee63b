#include "core/data/panel.h"

#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace alphascope {

namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kRecycledMin = std::size_t(64) << 10; // glibc's own free lists serve smaller blocks

// Blocks of 64 KiB and more freed by panels and packed z-scores wait here for the next request
// of the same size. Returned to glibc, such blocks go back to the kernel (glibc serves them with
// mmap, or trims a thread's heap below them), and the next one faults its pages in again and has
// them zeroed: a sixth of a random search's CPU samples, mostly the pre-check's sample panels and
// the scorer's packed z-scores, which are made and dropped for every formula.
struct Recycler {
    std::mutex mutex;
    std::deque<std::pair<std::size_t, void*>> blocks; // oldest first
    std::size_t retained = 0;
    std::size_t limit = kDefaultPanelRetention;
    PanelMemoryStats stats;

    void trim() { // with the mutex held
        while (retained > limit && !blocks.empty()) {
            retained -= blocks.front().first;
            std::free(blocks.front().second);
            blocks.pop_front();
            ++stats.released;
        }
        stats.retainedBytes = retained;
        stats.retainedBlocks = blocks.size();
    }
};

Recycler& recycler() {
    static Recycler* r = new Recycler; // never destroyed: panels may be freed during static destruction
    return *r;
}

} // namespace

void* allocatePanelMemory(std::size_t bytes) {
    if (bytes < kRecycledMin) return ::operator new(bytes);
    Recycler& r = recycler();
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        ++r.stats.allocations;
        for (auto it = r.blocks.rbegin(); it != r.blocks.rend(); ++it) { // the most recent is warmest
            if (it->first != bytes) continue;
            void* p = it->second;
            r.retained -= bytes;
            r.blocks.erase(std::next(it).base());
            ++r.stats.reused;
            r.stats.retainedBytes = r.retained;
            r.stats.retainedBlocks = r.blocks.size();
            return p;
        }
    }
    // From 1 MiB on, whole huge pages: one fault instead of up to 512 (on this project's VM a fault
    // costs more than zeroing the page it brings).
    const bool huge = bytes >= kHugePage / 2;
    const std::size_t reserved = huge ? (bytes + kHugePage - 1) / kHugePage * kHugePage : bytes;
    void* p = nullptr;
    if (posix_memalign(&p, huge ? kHugePage : 64, reserved) != 0 || !p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (huge) madvise(p, reserved, MADV_HUGEPAGE); // advice only: failure changes nothing
#endif
    return p;
}

void freePanelMemory(void* p, std::size_t bytes) noexcept {
    if (bytes < kRecycledMin) {
        ::operator delete(p);
        return;
    }
    Recycler& r = recycler();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (bytes > r.limit) {
        std::free(p);
        ++r.stats.released;
        return;
    }
    try {
        r.blocks.emplace_back(bytes, p);
    } catch (...) {
        std::free(p);
        ++r.stats.released;
        return;
    }
    r.retained += bytes;
    r.trim();
}

void setPanelMemoryRetention(std::size_t bytes) {
    Recycler& r = recycler();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.limit = bytes;
    r.trim();
}

PanelMemoryStats panelMemoryStats() {
    Recycler& r = recycler();
    std::lock_guard<std::mutex> lock(r.mutex);
    return r.stats;
}

} // namespace alphascope
