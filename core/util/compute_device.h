#pragma once
// What the searches' networks can run on, as core sees it: CPU unless alphascope_nn (LibTorch) is
// linked and reports CUDA. alphascope_nn installs the probe; nobody else needs to know whether
// torch was built.

#include <cstdint>
#include <functional>
#include <string>

namespace alphascope {

/// The compute device of this process.
struct ComputeDeviceInfo {
    bool torch = false;       ///< LibTorch is linked (the GFlowNet and MCTS network can run)
    bool cuda = false;        ///< LibTorch sees a CUDA device
    std::string name = "CPU"; ///< "CPU" or "CUDA (1 device)"
    std::string gpuName;      ///< e.g. "NVIDIA H200" (empty without CUDA)
    std::uint64_t gpuMemoryBytes = 0;
    std::string torchVersion;
};

/// Any thread; cheap after the first call.
ComputeDeviceInfo computeDeviceInfo();
/// Installs the probe (alphascope_nn does, at static initialisation).
void setComputeDeviceProbe(std::function<ComputeDeviceInfo()> probe);

} // namespace alphascope
