#pragma once
// Process-wide allocator settings for panel work: called once at the start of a program.

namespace alphascope {

/// With glibc: serve blocks up to 64 MiB from the heap rather than from fresh mappings, and keep up
/// to 64 MiB of freed heap (per allocator arena) instead of returning it to the system at once. A formula evaluation
/// allocates and frees a few 2.7 MB panels per node; with the defaults each of them came back as
/// new zeroed pages (page faults were about a tenth of a search's time). Elsewhere a no-op.
void tuneAllocatorForPanels();

} // namespace alphascope
