#pragma once
// The compute device (CUDA when LibTorch has it, else CPU). No torch types in this header.

#include <cstdint>
#include <string>

namespace alphascope {

/// What LibTorch can run on here.
struct ComputeDevice {
    bool cuda = false; ///< true when torch::cuda::is_available()
    int cudaDevices = 0;
    std::string name;                 ///< "CPU" or "CUDA (N devices)"
    std::string gpuName;              ///< the first CUDA device's name (empty without CUDA or CUDA headers)
    std::uint64_t gpuMemoryBytes = 0; ///< its total memory
    std::string torchVersion;
};

/// Detects the device once (cheap after the first call). Any thread.
ComputeDevice detectComputeDevice();
/// Makes OpenBLAS (when it is the BLAS LibTorch uses) compute on the calling threads only, without
/// spinning workers of its own. True when it was found and set. Called once when the torch
/// searches register.
bool limitBlasThreads();

/// "CPU" or "CUDA (1 device)", for status bars and reports.
std::string describeComputeDevice();

/// Runs a small matrix product on the device and checks it against the CPU result; returns the
/// largest absolute difference (a smoke test that the device really computes), or -1 on failure.
double deviceSelfTest(int n = 256);

} // namespace alphascope
