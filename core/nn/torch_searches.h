#pragma once
// Registration of what alphascope_nn adds to core: the GFlowNet and PPO searches, the MCTS policy/value
// network and the compute-device probe. Every program that links alphascope_nn compiles
// register_torch.cpp (an INTERFACE source of the target), which calls this at static
// initialisation, so no code outside core/nn names torch.

namespace alphascope {

/// Registers the torch algorithms with core's registries. Idempotent; any thread.
void registerTorchSearches();

} // namespace alphascope
