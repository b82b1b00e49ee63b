#include "core/nn/device.h"

#include <torch/torch.h>

#include <mutex>

namespace alphascope {

ComputeDevice detectComputeDevice() {
    static ComputeDevice cached;
    static std::once_flag once;
    std::call_once(once, [] {
        cached.cuda = torch::cuda::is_available();
        cached.cudaDevices = cached.cuda ? static_cast<int>(torch::cuda::device_count()) : 0;
        cached.name = cached.cuda ? "CUDA (" + std::to_string(cached.cudaDevices) + (cached.cudaDevices == 1 ? " device)" : " devices)") : "CPU";
        cached.torchVersion = TORCH_VERSION;
    });
    return cached;
}

std::string describeComputeDevice() { return detectComputeDevice().name; }

double deviceSelfTest(int n) {
    try {
        torch::NoGradGuard noGrad;
        torch::manual_seed(0);
        const auto a = torch::randn({n, n}, torch::kFloat64);
        const auto b = torch::randn({n, n}, torch::kFloat64);
        const auto cpu = torch::mm(a, b);
        const torch::Device device = detectComputeDevice().cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
        const auto dev = torch::mm(a.to(device), b.to(device)).to(torch::kCPU);
        return (dev - cpu).abs().max().item<double>();
    } catch (const std::exception&) {
        return -1.0;
    }
}

} // namespace alphascope
