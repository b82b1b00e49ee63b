#include "core/util/compute_device.h"

#include <mutex>

namespace alphascope {

namespace {
struct Probe {
    std::mutex mutex;
    std::function<ComputeDeviceInfo()> probe;
};
Probe& probe() {
    static Probe p;
    return p;
}
} // namespace

ComputeDeviceInfo computeDeviceInfo() {
    std::function<ComputeDeviceInfo()> f;
    {
        std::lock_guard lock(probe().mutex);
        f = probe().probe;
    }
    return f ? f() : ComputeDeviceInfo{};
}

void setComputeDeviceProbe(std::function<ComputeDeviceInfo()> f) {
    std::lock_guard lock(probe().mutex);
    probe().probe = std::move(f);
}

} // namespace alphascope
