#include "core/nn/device.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>
#if __has_include(<ATen/cuda/CUDAContext.h>) && __has_include(<cuda_runtime_api.h>)
#include <ATen/cuda/CUDAContext.h> // CUDA builds of LibTorch (the GPU machines); Debian's is CPU-only
#define ALPHASCOPE_TORCH_CUDA_HEADERS 1
#endif

#include <dlfcn.h>

#include <mutex>

namespace alphascope {

ComputeDevice detectComputeDevice() {
    static ComputeDevice cached;
    static std::once_flag once;
    std::call_once(once, [] {
        cached.cuda = torch::cuda::is_available();
        cached.cudaDevices = cached.cuda ? static_cast<int>(torch::cuda::device_count()) : 0;
        cached.name = cached.cuda ? "CUDA (" + std::to_string(cached.cudaDevices) +
                                        (cached.cudaDevices == 1 ? " device)" : " devices)")
                                  : "CPU";
        cached.torchVersion = TORCH_VERSION;
#ifdef ALPHASCOPE_TORCH_CUDA_HEADERS
        if (cached.cuda) {
            const cudaDeviceProp* p = at::cuda::getDeviceProperties(0);
            if (p) {
                cached.gpuName = p->name;
                cached.gpuMemoryBytes = static_cast<std::uint64_t>(p->totalGlobalMem);
            }
        }
#endif
    });
    return cached;
}

bool limitBlasThreads() {
    // OpenBLAS (Debian's libblas under LibTorch) starts a worker thread per core that spins on
    // sched_yield between products. The networks' products are small, so on a 2-core machine the
    // spinning worker took a fifth of the CPU from the evaluation kernels of a GFlowNet search
    // (measured with perf). Looked up at run time: other BLAS builds do not have the function.
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(1);
        return true;
    }
    return false;
}

std::string describeComputeDevice() {
    return detectComputeDevice().name;
}

double deviceSelfTest(int n) {
    try {
        torch::NoGradGuard noGrad;
        // Its own generator: seeding torch's global one would reset the stream of every learner
        // running in the process.
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(0);
        const auto a = torch::randn({n, n}, gen, torch::kFloat64);
        const auto b = torch::randn({n, n}, gen, torch::kFloat64);
        const auto cpu = torch::mm(a, b);
        const torch::Device device =
            detectComputeDevice().cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
        const auto dev = torch::mm(a.to(device), b.to(device)).to(torch::kCPU);
        return (dev - cpu).abs().max().item<double>();
    } catch (const std::exception&) {
        return -1.0;
    }
}

} // namespace alphascope
