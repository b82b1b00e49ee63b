#include "core/eval/eval_backend.h"

#include <mutex>

namespace alphascope {

namespace {
std::mutex& factoryMutex() {
    static std::mutex m;
    return m;
}
EvalBackendFactory& factorySlot() {
    static EvalBackendFactory f;
    return f;
}
} // namespace

void registerEvalBackendFactory(EvalBackendFactory factory) {
    std::lock_guard lock(factoryMutex());
    factorySlot() = std::move(factory);
}

EvalBackendFactory evalBackendFactory() {
    std::lock_guard lock(factoryMutex());
    return factorySlot();
}

} // namespace alphascope
