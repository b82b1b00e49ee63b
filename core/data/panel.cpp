#include "core/data/panel.h"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace alphascope {

namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
}

void* allocatePanelMemory(std::size_t bytes) {
    if (bytes < kHugePage) return ::operator new(bytes);
    void* p = nullptr;
    if (posix_memalign(&p, kHugePage, bytes) != 0 || !p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes & ~(kHugePage - 1), MADV_HUGEPAGE); // advice only: failure changes nothing
#endif
    return p;
}

void freePanelMemory(void* p, std::size_t bytes) noexcept {
    if (bytes < kHugePage) ::operator delete(p);
    else std::free(p);
}

} // namespace alphascope
