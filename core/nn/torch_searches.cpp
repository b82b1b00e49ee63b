#include "core/nn/torch_searches.h"

#include "core/nn/device.h"
#include "core/nn/gflownet.h"
#include "core/nn/mcts_network.h"
#include "core/nn/ppo.h"
#include "core/nn/torch_eval.h"
#include "core/search/search_registry.h"
#include "core/util/compute_device.h"

#include <mutex>

namespace alphascope {

void registerTorchSearches() {
    static std::once_flag once;
    std::call_once(once, [] {
        limitBlasThreads();
        registerSearchAlgorithm(SearchAlgo::GFlowNet, runGFlowNetSearch);
        registerSearchAlgorithm(SearchAlgo::Ppo, runPpoSearch);
        registerMctsGuideFactory(makeMctsNetwork);
        registerEvalBackendFactory(makeTorchEvalBackend);
        setComputeDeviceProbe([] {
            const ComputeDevice d = detectComputeDevice();
            ComputeDeviceInfo info;
            info.torch = true;
            info.cuda = d.cuda;
            info.name = d.name;
            info.gpuName = d.gpuName;
            info.gpuMemoryBytes = d.gpuMemoryBytes;
            info.torchVersion = d.torchVersion;
            return info;
        });
    });
}

} // namespace alphascope
