#include "core/util/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace alphascope {

void tuneAllocatorForPanels() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

} // namespace alphascope
