#pragma once
// Another engine for the operators (ALGORITHMS.md §2), e.g. LibTorch on a GPU (core/nn). Core sees
// only this interface; a backend registers a factory at start-up, and a search asks for it when
// CUDA is present (SearchConfig::preferCuda).

#include "core/data/market_data.h"
#include "core/expr/expr.h"
#include "core/util/result.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace alphascope {

/// Evaluates whole formulas with the semantics of the CPU kernels (the tests compare them).
class EvalBackend {
public:
    virtual ~EvalBackend() = default;
    /// For reports: e.g. "LibTorch CUDA (NVIDIA H200)".
    virtual std::string name() const = 0;
    /// Values of a formula the Evaluator has checked against the data, universe membership applied,
    /// copied to a host panel. Re-entrant. `cancel` is polled between operator nodes.
    virtual Result<PanelPtr> evaluate(const Expr& expr, const std::atomic<bool>* cancel) const = 0;
};

/// Builds a backend on one dataset; `cuda` asks for the GPU (nullptr when it has none).
using EvalBackendFactory =
    std::function<std::unique_ptr<EvalBackend>(std::shared_ptr<const MarketData> data, bool cuda)>;

void registerEvalBackendFactory(EvalBackendFactory factory);
/// The registered factory; empty in builds without one.
EvalBackendFactory evalBackendFactory();

} // namespace alphascope
