#pragma once
// The policy/value network of the MCTS search (Alpha2, ALGORITHMS.md §6), behind the torch-free
// MctsGuide interface of core/search/mcts.h.
//
// Input: ProgramState::encode(), the instruction ids of the program so far padded to
// maxInstructions. Each instruction is embedded as the sum of embeddings of its parts (operator,
// destination register, first and second operand, window, group; padding has its own entries), so
// that instructions sharing parts share statistics; the slot embeddings are concatenated (the slot
// is the position) and go through a 2-layer MLP (width MctsOptions::hidden, ReLU). Heads: policy
// logits over the whole vocabulary (illegal actions masked before the softmax) and a scalar value.
// Both heads start at zero, so an untrained network gives uniform priors and value 0 (a plain
// MCTS), and the search is not steered by random initial logits.
// Loss (AlphaZero): cross-entropy of the masked policy against the visit distribution plus the
// squared error of the value against the return; Adam at MctsOptions::learningRate (Alpha2 uses
// SGD with momentum at the same rate; Adam makes progress within the few hundred steps a run of a
// few thousand evaluations allows). Alpha2's discretised two-hot value and n-step targets are left
// out: returns here are Perf differences in [-1, 1] and games are at most 11 moves.

#include "core/search/mcts.h"
#include "core/search/program_env.h"
#include "core/search/search.h"

#include <cstdint>
#include <memory>

namespace alphascope {

/// A policy/value network for `vocabulary` (it copies what it needs). Draws its parameters from
/// its own torch generator seeded with `seed` (torch's global seed is neither set nor relied on).
/// Runs on CUDA when `preferCuda` and LibTorch has CUDA, else on the CPU. Torch errors are
/// returned by evaluate()/train() as Internal; null when torch cannot build the network at all.
std::unique_ptr<MctsGuide> makeMctsNetwork(const ProgramVocabulary& vocabulary, const MctsOptions& options,
                                           std::uint64_t seed, bool preferCuda);

} // namespace alphascope
