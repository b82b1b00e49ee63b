// Compiled into every target that links alphascope_nn (INTERFACE source): a static library's
// object that nothing references would be dropped by the linker, this one is part of the program.
#include "core/nn/torch_searches.h"

namespace {
[[maybe_unused]] const bool g_torchSearchesRegistered = (alphascope::registerTorchSearches(), true);
} // namespace
