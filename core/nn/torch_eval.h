#pragma once
// The operators (ALGORITHMS.md §2) in LibTorch, on the GPU when there is one: an EvalBackend that
// evaluates a whole formula on the device, the fields uploaded once, and copies only the result
// back. Same semantics as the CPU kernels (tests/nn/tst_torch_eval compares them on CPU tensors).
// No torch types in this header.

#include "core/eval/eval_backend.h"

#include <memory>

namespace alphascope {

/// A LibTorch backend on `data`: on CUDA when `cuda` and LibTorch has it (nullptr otherwise), else
/// on the CPU (for tests and comparisons; the CPU kernels are faster there).
std::unique_ptr<EvalBackend> makeTorchEvalBackend(std::shared_ptr<const MarketData> data, bool cuda);

} // namespace alphascope
