#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/nn/gflownet.h"
#include "core/nn/graph_batch.h"

#include "core/util/random.h"

#include <cmath>
#include <limits>

// The torch half of the GFlowNet: encoders (RGCN / LSTM), forward and backward heads, log Z,
// the trajectory-balance loss and Adam. The search loop around it is in gflownet_search.cpp.

namespace alphascope {
namespace {

constexpr int kAllRelations = 2 * kGraphRelations; // TokenRelation types and their inverses

/// Torch's default Linear initialisation, U(+-1/sqrt(fan in)) for weight and bias, from `gen`.
void initLinear(torch::nn::Linear& layer, at::Generator& gen) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer->weight.size(1)));
    layer->weight.uniform_(-bound, bound, gen);
    layer->bias.uniform_(-bound, bound, gen);
}

/// Encoder + heads + log Z. Token ids are vocabulary actions; BEG uses the stop id (never in a state).
struct GfnNetImpl : torch::nn::Module {
    /// Every parameter is drawn from `gen` (the learner's own generator): torch's global generator,
    /// which the layers' constructors draw from, is shared by every learner of the process.
    GfnNetImpl(int vocab, const GFlowNetOptions& o, at::Generator& gen)
        : hidden(o.hidden), lstm(o.encoder == GFlowNetOptions::Encoder::Lstm) {
        embedding = register_module("embedding", torch::nn::Embedding(vocab, hidden));
        if (lstm) {
            rnn = register_module(
                "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(hidden, hidden).num_layers(o.layers).batch_first(true)));
        } else {
            for (int l = 0; l < o.layers; ++l) {
                selfLinear.push_back(register_module("self" + std::to_string(l), torch::nn::Linear(hidden, hidden)));
                relWeight.push_back(
                    register_parameter("rel" + std::to_string(l), torch::empty({kAllRelations, hidden, hidden})));
            }
        }
        forwardHead = register_module("forwardHead", torch::nn::Linear(hidden, vocab));
        backwardHead = register_module("backwardHead", torch::nn::Linear(hidden, vocab - 1));
        logZ = register_parameter("logZ", torch::full({1}, o.logZInit, torch::kFloat32));

        // The bounds of torch's defaults: Embedding N(0, 1), LSTM U(+-1/sqrt(hidden)), Linear
        // U(+-1/sqrt(fan in)); W_r like a Linear layer of fan in `hidden`.
        torch::NoGradGuard noGrad;
        embedding->weight.normal_(0.0, 1.0, gen);
        const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
        if (lstm)
            for (auto& p : rnn->parameters()) p.uniform_(-bound, bound, gen);
        for (std::size_t l = 0; l < selfLinear.size(); ++l) {
            initLinear(selfLinear[l], gen);
            relWeight[l].uniform_(-bound, bound, gen);
        }
        initLinear(forwardHead, gen);
        initLinear(backwardHead, gen);
    }

    int hidden;
    bool lstm;
    torch::nn::Embedding embedding{nullptr};
    torch::nn::LSTM rnn{nullptr};
    std::vector<torch::nn::Linear> selfLinear;
    std::vector<torch::Tensor> relWeight; // per layer: kAllRelations x hidden(in) x hidden(out)
    torch::nn::Linear forwardHead{nullptr};
    torch::nn::Linear backwardHead{nullptr};
    torch::Tensor logZ;
};
TORCH_MODULE(GfnNet);

torch::Tensor longTensor(const std::vector<std::int64_t>& v, const torch::Device& device) {
    return torch::tensor(v, torch::kInt64).to(device);
}

torch::Tensor encodeGraphs(GfnNetImpl& net, const GraphBatch& b, const torch::Device& device) {
    torch::Tensor h = net.embedding->forward(longTensor(b.tokens, device));
    // Edges grouped by relation: each message costs one hidden x hidden product per edge (a dense
    // "all relations for all nodes" product would cost 12 per node, mostly wasted).
    struct Group {
        int relation;
        torch::Tensor src, dst, norm;
    };
    std::vector<Group> groups;
    for (int r = 0; r < kAllRelations; ++r) {
        std::vector<std::int64_t> src, dst;
        std::vector<float> norm;
        for (std::size_t e = 0; e < b.src.size(); ++e) {
            if (b.rel[e] != r) continue;
            src.push_back(b.src[e]);
            dst.push_back(b.dst[e]);
            norm.push_back(b.norm[e]);
        }
        if (src.empty()) continue;
        groups.push_back({r, longTensor(src, device), longTensor(dst, device),
                          torch::tensor(norm, torch::kFloat32).to(device).unsqueeze(1)});
    }
    for (std::size_t l = 0; l < net.selfLinear.size(); ++l) {
        torch::Tensor out = net.selfLinear[l]->forward(h);
        for (const Group& g : groups) {
            const torch::Tensor msg = torch::matmul(h.index_select(0, g.src), net.relWeight[l][g.relation]) * g.norm;
            out = out.index_add(0, g.dst, msg);
        }
        h = torch::relu(out);
    }
    const torch::Tensor graphOf = longTensor(b.graphOf, device);
    const torch::Tensor sums = torch::zeros({b.graphs, net.hidden}, h.options()).index_add(0, graphOf, h);
    return sums / torch::tensor(b.nodeCount, torch::kFloat32).to(device).unsqueeze(1);
}

/// Embeddings of s_0..s_last of a trajectory (rows), with gradients when enabled.
torch::Tensor encodeTrajectory(GfnNetImpl& net, const std::vector<int>& actions,
                               const std::vector<std::vector<TokenBuilder::Edge>>& edges, int first, int last, int beg,
                               const torch::Device& device) {
    if (net.lstm) {
        // The LSTM is causal: its output at position t of [BEG, a_0, ..] is the embedding of s_t.
        std::vector<std::int64_t> seq{beg};
        for (int k = 0; k < last; ++k) seq.push_back(actions[static_cast<std::size_t>(k)]);
        const torch::Tensor x = net.embedding->forward(longTensor(seq, device)).unsqueeze(0);
        const torch::Tensor out = std::get<0>(net.rnn->forward(x)).squeeze(0);
        return out.slice(0, first, last + 1);
    }
    GraphBatch batch;
    for (int t = first; t <= last; ++t) batch.add(actions, t, edges[static_cast<std::size_t>(t)], beg);
    return encodeGraphs(net, batch, device);
}

torch::Tensor maskTensor(const std::vector<std::vector<std::uint8_t>>& masks, int rows, int cols,
                         const torch::Device& device) {
    std::vector<std::uint8_t> flat;
    flat.reserve(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (int r = 0; r < rows; ++r)
        flat.insert(flat.end(), masks[static_cast<std::size_t>(r)].begin(), masks[static_cast<std::size_t>(r)].end());
    return torch::from_blob(flat.data(), {rows, cols}, torch::kUInt8).clone().to(torch::kBool).to(device);
}

/// The TB loss of one trajectory (and its partial terminals) and its residual.
struct LossParts {
    torch::Tensor loss, delta;
};

/// What a trajectory's TB loss takes from the network, before its reward is known: each step's
/// log PF (and the log-softmax it came from, for partial terminals), each transition's log PB,
/// their sums and the entropy.
struct PolicyTerms {
    torch::Tensor logp, stepLogPF, stepLogPB, sumLogPF, sumLogPB, entropy;
};

/// forwardLogits (S x V), mask (S x V bool), actions (S, stop last), backwardLogits ((S-1) x (V-1))
/// for the states s_1..s_{S-1}: PB(s_t | s_{t+1}) with the mask "remove the last token" (one legal
/// entry: the action a_t), so log PB = 0 exactly. The entropy uses logits / temperature.
PolicyTerms policyTerms(const torch::Tensor& forwardLogits, const torch::Tensor& mask, const torch::Tensor& actions,
                        const torch::Tensor& backwardLogits, double temperature) {
    const double inf = std::numeric_limits<double>::infinity();
    const auto steps = forwardLogits.size(0);
    PolicyTerms t;
    const torch::Tensor masked = forwardLogits.masked_fill(mask.logical_not(), -inf);
    t.logp = torch::log_softmax(masked, 1);
    t.stepLogPF = t.logp.gather(1, actions.unsqueeze(1)).squeeze(1);

    const torch::Tensor parentActions = actions.slice(0, 0, steps - 1);
    t.stepLogPB = torch::zeros({steps - 1}, forwardLogits.options());
    if (steps > 1) {
        const torch::Tensor backMask =
            torch::zeros_like(backwardLogits, torch::kBool).scatter(1, parentActions.unsqueeze(1), true);
        const torch::Tensor backLogp = torch::log_softmax(backwardLogits.masked_fill(backMask.logical_not(), -inf), 1);
        t.stepLogPB = backLogp.gather(1, parentActions.unsqueeze(1)).squeeze(1);
    }
    t.sumLogPF = t.stepLogPF.sum();
    t.sumLogPB = t.stepLogPB.sum();

    // Entropy of each step's masked policy; masked entries have p = 0 and contribute 0.
    const torch::Tensor logpT = torch::log_softmax(masked / temperature, 1);
    t.entropy = -(logpT.exp() * logpT.masked_fill(mask.logical_not(), 0.0)).sum();
    return t;
}

/// The TB loss of a trajectory from its policy terms, log Z and its log R; one more squared term
/// per partial terminal (state index t, log R of the formula at s_t).
LossParts trajectoryBalance(const PolicyTerms& t, const torch::Tensor& logZ, double logReward, double entropyCoef,
                            int stopAction, const std::vector<std::pair<int, double>>& partials) {
    LossParts parts;
    parts.delta = logZ.reshape({}) + t.sumLogPF - logReward - t.sumLogPB;
    parts.loss = parts.delta * parts.delta - entropyCoef * t.entropy;

    if (!partials.empty()) {
        const torch::Tensor cumPF = torch::cumsum(t.stepLogPF, 0);
        const torch::Tensor cumPB = torch::cumsum(t.stepLogPB, 0);
        for (const auto& [step, partialLogR] : partials) {
            // Trajectory s_0..s_t then stop: PF of a_0..a_{t-1}, PF(stop | s_t), PB of t transitions.
            torch::Tensor d = logZ.reshape({}) + t.logp[step][stopAction] - partialLogR;
            if (step > 0) d = d + cumPF[step - 1] - cumPB[step - 1];
            parts.loss = parts.loss + d * d;
        }
    }
    return parts;
}

std::vector<float> toVector(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("GFlowNet (torch): ") + e.what());
    }
}

} // namespace

struct GFlowNetLearner::Impl {
    Impl(const TokenVocabulary& v, const GFlowNetOptions& o, std::uint64_t seed, bool cuda)
        : vocabulary(v), options(o), device(cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU)),
          generator(at::make_generator<at::CPUGeneratorImpl>(seed)), net(v.size(), o, generator) {
        net->to(device);
        // The mode changes nothing here (no dropout or normalisation layers); it is set once so
        // that sampling and a loss pass running on another thread (GfnSearch's overlap) never
        // write it.
        net->train();
        // Two parameter groups: the networks at learningRate, log Z at its own rate (gflownet.h).
        std::vector<torch::Tensor> networks;
        for (const auto& p : net->named_parameters())
            if (p.key() != "logZ") networks.push_back(p.value());
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(networks, std::make_unique<torch::optim::AdamOptions>(o.learningRate));
        groups.emplace_back(std::vector<torch::Tensor>{net->logZ},
                            std::make_unique<torch::optim::AdamOptions>(o.logZLearningRate));
        optimizer = std::make_unique<torch::optim::Adam>(std::move(groups), torch::optim::AdamOptions(o.learningRate));
    }

    int beg() const { return vocabulary.stopAction(); }

    /// Records the state the builder is in now.
    static void pushState(GFlowNetEpisode& ep, const TokenBuilder& b) {
        ep.edges.push_back(b.edges());
        ep.stackSizes.push_back(b.stackSize());
        ep.stackTops.push_back(b.stackTop());
    }

    /// Replays `actions` from the empty formula (stop may be missing: a partial formula, null
    /// formula); checks every action against the state's mask.
    Result<GFlowNetEpisode> replay(const std::vector<int>& actions) const {
        GFlowNetEpisode ep;
        TokenBuilder builder(vocabulary);
        pushState(ep, builder);
        const int vocab = vocabulary.size();
        for (std::size_t step = 0; !builder.finished() && step < actions.size(); ++step) {
            std::vector<std::uint8_t> mask = builder.legalMask();
            const int action = actions[step];
            if (action < 0 || action >= vocab || !mask[static_cast<std::size_t>(action)])
                return makeError(ErrorCode::InvalidArgument, "GFlowNet: illegal action " + std::to_string(action));
            ep.masks.push_back(std::move(mask));
            ep.actions.push_back(action);
            builder.apply(action);
            if (!builder.finished()) pushState(ep, builder);
        }
        ep.formula = builder.result();
        return ep;
    }

    /// Samples `count` trajectories side by side, on-policy (or with epsilon-uniform exploration):
    /// each step encodes the states of all unfinished trajectories in one forward pass (one graph
    /// batch for the RGCN, one batch row per trajectory for the LSTM), then draws each trajectory's
    /// forced stop and action from `rng`, trajectory after trajectory.
    Result<std::vector<GFlowNetEpisode>> sampleBatch(std::mt19937_64& rng, int count,
                                                     const std::vector<std::vector<int>>& prefixes) {
        torch::NoGradGuard noGrad;
        const auto forced = [&](std::size_t b, int step) -> const std::vector<int>* {
            if (prefixes.empty() || step >= static_cast<int>(prefixes[b].size())) return nullptr;
            return &prefixes[b];
        };
        std::vector<GFlowNetEpisode> eps(static_cast<std::size_t>(count));
        std::vector<TokenBuilder> builders;
        builders.reserve(eps.size());
        for (auto& ep : eps) {
            builders.emplace_back(vocabulary);
            pushState(ep, builders.back());
        }
        const int stop = vocabulary.stopAction();
        const int vocab = vocabulary.size();
        const int maxTokens = std::max(1, vocabulary.grammar().maxTokens);
        std::tuple<torch::Tensor, torch::Tensor> lstmState;
        std::vector<int> active;
        std::vector<std::vector<std::uint8_t>> masks;
        for (int step = 0;; ++step) {
            active.clear();
            for (int b = 0; b < count; ++b)
                if (!builders[static_cast<std::size_t>(b)].finished()) active.push_back(b);
            if (active.empty()) break;
            if (step > maxTokens + 1) return makeError(ErrorCode::Internal, "GFlowNet: trajectory did not finish");
            masks.assign(active.size(), {});
            for (std::size_t k = 0; k < active.size(); ++k) {
                const TokenBuilder& builder = builders[static_cast<std::size_t>(active[k])];
                std::vector<std::uint8_t>& mask = masks[k];
                mask = builder.legalMask();
                int legal = 0;
                for (auto m : mask) legal += m ? 1 : 0;
                if (legal == 0)
                    return makeError(ErrorCode::Internal, "GFlowNet: no legal action in an unfinished state");
                // A given prefix's actions take the natural mask (no forced stop, no draw).
                if (const std::vector<int>* prefix = forced(static_cast<std::size_t>(active[k]), step)) {
                    const int action = (*prefix)[static_cast<std::size_t>(step)];
                    if (action < 0 || action >= vocab || action == stop || !mask[static_cast<std::size_t>(action)])
                        return makeError(ErrorCode::InvalidArgument,
                                         "GFlowNet: illegal prefix action " + std::to_string(action));
                    continue;
                }
                // Forced stop (mask dropout): once stop is legal, sometimes it is the only choice.
                if (mask[static_cast<std::size_t>(stop)] && options.forcedStopProb > 0.0 && legal > 1) {
                    const double p = options.forcedStopProb * builder.length() / maxTokens;
                    if (uniform01(rng) < p) {
                        std::fill(mask.begin(), mask.end(), std::uint8_t{0});
                        mask[static_cast<std::size_t>(stop)] = 1;
                    }
                }
            }
            torch::Tensor emb;
            if (net->lstm) {
                // One LSTM step per token for every trajectory, carrying its state (the prefix is not
                // re-read); a finished trajectory's row is computed and not used.
                std::vector<std::int64_t> tokens(static_cast<std::size_t>(count), beg());
                if (step > 0)
                    for (int b = 0; b < count; ++b) {
                        const auto& a = eps[static_cast<std::size_t>(b)].actions;
                        if (static_cast<int>(a.size()) >= step)
                            tokens[static_cast<std::size_t>(b)] = a[static_cast<std::size_t>(step - 1)];
                    }
                const torch::Tensor x =
                    net->embedding->forward(longTensor(tokens, device)).view({count, 1, net->hidden});
                auto out = step == 0 ? net->rnn->forward(x) : net->rnn->forward(x, lstmState);
                lstmState = std::get<1>(out);
                const std::vector<std::int64_t> rows(active.begin(), active.end());
                emb = std::get<0>(out).view({count, net->hidden}).index_select(0, longTensor(rows, device));
            } else {
                GraphBatch batch;
                for (int b : active) {
                    const GFlowNetEpisode& ep = eps[static_cast<std::size_t>(b)];
                    batch.add(ep.actions, step, ep.edges[static_cast<std::size_t>(step)], beg());
                }
                emb = encodeGraphs(*net, batch, device);
            }
            const torch::Tensor logits = net->forwardHead->forward(emb).to(torch::kCPU, torch::kFloat64).contiguous();
            const torch::Tensor embCpu = emb.to(torch::kCPU, torch::kFloat32).contiguous();
            const int hidden = static_cast<int>(embCpu.size(1));
            std::vector<double> w(static_cast<std::size_t>(vocab));
            for (std::size_t k = 0; k < active.size(); ++k) {
                const auto b = static_cast<std::size_t>(active[k]);
                const std::vector<std::uint8_t>& mask = masks[k];
                int action = 0;
                if (const std::vector<int>* prefix = forced(b, step)) {
                    action = (*prefix)[static_cast<std::size_t>(step)];
                } else {
                    const double* l = logits.data_ptr<double>() + k * static_cast<std::size_t>(vocab);
                    double best = -std::numeric_limits<double>::infinity();
                    for (int a = 0; a < vocab; ++a)
                        if (mask[static_cast<std::size_t>(a)]) best = std::max(best, l[a]);
                    // Exploration draws from the stream only when it is on, so runs without it are unchanged.
                    const bool explore =
                        options.explorationEpsilon > 0.0 && uniform01(rng) < options.explorationEpsilon;
                    for (int a = 0; a < vocab; ++a)
                        w[static_cast<std::size_t>(a)] =
                            mask[static_cast<std::size_t>(a)] ? (explore ? 1.0 : std::exp(l[a] - best)) : 0.0;
                    action = static_cast<int>(discrete(rng, w));
                }
                const float* e = embCpu.data_ptr<float>() + k * static_cast<std::size_t>(hidden);
                GFlowNetEpisode& ep = eps[b];
                ep.embeddings.emplace_back(e, e + hidden);
                ep.masks.push_back(mask);
                ep.actions.push_back(action);
                builders[b].apply(action);
                if (!builders[b].finished()) pushState(ep, builders[b]);
            }
        }
        for (std::size_t b = 0; b < eps.size(); ++b) eps[b].formula = builders[b].result();
        return eps;
    }

    /// The policy terms of several episodes' TB losses: their states are encoded in one forward
    /// pass (one graph batch for the RGCN; the LSTM reads each episode's sequence), each head runs
    /// once over all rows, and each episode's terms are formed from its own rows.
    std::vector<PolicyTerms> policyTermsOf(const std::vector<const GFlowNetEpisode*>& episodes) {
        std::vector<std::int64_t> offsets{0};
        for (const GFlowNetEpisode* ep : episodes)
            offsets.push_back(offsets.back() + static_cast<std::int64_t>(ep->actions.size()));
        torch::Tensor emb;
        if (net->lstm) {
            std::vector<torch::Tensor> parts;
            for (const GFlowNetEpisode* ep : episodes) {
                const int steps = static_cast<int>(ep->actions.size());
                parts.push_back(encodeTrajectory(*net, ep->actions, ep->edges, 0, steps - 1, beg(), device));
            }
            emb = torch::cat(parts, 0);
        } else {
            GraphBatch batch;
            for (const GFlowNetEpisode* ep : episodes)
                for (int t = 0; t < static_cast<int>(ep->actions.size()); ++t)
                    batch.add(ep->actions, t, ep->edges[static_cast<std::size_t>(t)], beg());
            emb = encodeGraphs(*net, batch, device);
        }
        const torch::Tensor forwardLogits = net->forwardHead->forward(emb);
        const torch::Tensor backwardLogits = net->backwardHead->forward(emb);
        std::vector<std::vector<std::uint8_t>> maskRows;
        std::vector<std::int64_t> actions;
        for (const GFlowNetEpisode* ep : episodes) {
            maskRows.insert(maskRows.end(), ep->masks.begin(), ep->masks.end());
            actions.insert(actions.end(), ep->actions.begin(), ep->actions.end());
        }
        const torch::Tensor mask = maskTensor(maskRows, static_cast<int>(maskRows.size()), vocabulary.size(), device);
        const torch::Tensor actionTensor = longTensor(actions, device);
        std::vector<PolicyTerms> out;
        for (std::size_t e = 0; e < episodes.size(); ++e) {
            const std::int64_t a = offsets[e], b = offsets[e + 1];
            out.push_back(policyTerms(forwardLogits.slice(0, a, b), mask.slice(0, a, b), actionTensor.slice(0, a, b),
                                      backwardLogits.slice(0, a + 1, b), options.entropyTemperature));
        }
        return out;
    }

    /// The episodes' TB losses from their policy terms and rewards (with log Z as it is now).
    std::vector<LossParts> losses(const std::vector<PolicyTerms>& terms, const std::vector<double>& logRewards,
                                  const std::vector<std::vector<std::pair<int, double>>>& partials) {
        std::vector<LossParts> out;
        for (std::size_t e = 0; e < terms.size(); ++e)
            out.push_back(trajectoryBalance(terms[e], net->logZ, logRewards[e], options.entropyCoef,
                                            vocabulary.stopAction(), partials[e]));
        return out;
    }

    const TokenVocabulary& vocabulary;
    GFlowNetOptions options;
    torch::Device device;
    /// The learner's own torch generator: the parameters are drawn from it, and any random torch
    /// call of this learner must take it (sampling draws from the run's mt19937_64 instead).
    at::Generator generator;
    GfnNet net;
    std::unique_ptr<torch::optim::Adam> optimizer;
    long long steps = 0;
    bool logZWarmed = false; ///< the warm start (GFlowNetOptions::logZWarmStart) has been applied
};

GFlowNetLearner::GFlowNetLearner(const TokenVocabulary& vocabulary, const GFlowNetOptions& options, std::uint64_t seed,
                                 bool cuda)
    : m_impl(std::make_unique<Impl>(vocabulary, options, seed, cuda)) {}

GFlowNetLearner::~GFlowNetLearner() = default;

Result<GFlowNetEpisode> GFlowNetLearner::sample(std::mt19937_64& rng) {
    auto batch = sampleBatch(rng, 1);
    if (!batch) return batch.error();
    return std::move(batch->front());
}

Result<std::vector<GFlowNetEpisode>> GFlowNetLearner::sampleBatch(std::mt19937_64& rng, int count) {
    if (count < 1) return makeError(ErrorCode::InvalidArgument, "GFlowNet: a batch needs at least one trajectory");
    return guarded([&]() -> Result<std::vector<GFlowNetEpisode>> { return m_impl->sampleBatch(rng, count, {}); });
}

Result<std::vector<GFlowNetEpisode>> GFlowNetLearner::sampleFrom(std::mt19937_64& rng,
                                                                 const std::vector<std::vector<int>>& prefixes) {
    if (prefixes.empty())
        return makeError(ErrorCode::InvalidArgument, "GFlowNet: a batch needs at least one trajectory");
    return guarded([&]() -> Result<std::vector<GFlowNetEpisode>> {
        return m_impl->sampleBatch(rng, static_cast<int>(prefixes.size()), prefixes);
    });
}

Result<double> GFlowNetLearner::accumulate(const GFlowNetEpisode& episode, double logReward,
                                           const std::vector<std::pair<int, double>>& partialTerminals) {
    auto values = accumulateBatch({&episode}, {logReward}, {partialTerminals});
    if (!values) return values.error();
    return values->front();
}

/// A batch's policy terms (GFlowNetLearner::prepareBatch): every part of its TB losses but the
/// rewards, with the autograd graph back to the parameters.
struct GFlowNetPrepared {
    std::vector<const GFlowNetEpisode*> episodes;
    std::vector<PolicyTerms> terms;
};

Result<std::shared_ptr<GFlowNetPrepared>>
GFlowNetLearner::prepareBatch(const std::vector<const GFlowNetEpisode*>& episodes) {
    return guarded([&]() -> Result<std::shared_ptr<GFlowNetPrepared>> {
        for (const GFlowNetEpisode* episode : episodes)
            if (!episode || episode->actions.empty() || episode->masks.size() != episode->actions.size() ||
                episode->edges.size() != episode->actions.size())
                return makeError(ErrorCode::InvalidArgument, "GFlowNet: malformed episode");
        auto prepared = std::make_shared<GFlowNetPrepared>();
        prepared->episodes = episodes;
        if (!episodes.empty()) prepared->terms = m_impl->policyTermsOf(episodes);
        return prepared;
    });
}

Result<std::vector<double>>
GFlowNetLearner::accumulateBatch(const std::vector<const GFlowNetEpisode*>& episodes,
                                 const std::vector<double>& logRewards,
                                 const std::vector<std::vector<std::pair<int, double>>>& partialTerminals) {
    auto prepared = prepareBatch(episodes);
    if (!prepared) return prepared.error();
    return accumulatePrepared(**prepared, logRewards, partialTerminals);
}

Result<std::vector<double>>
GFlowNetLearner::accumulatePrepared(const GFlowNetPrepared& prepared, const std::vector<double>& logRewards,
                                    const std::vector<std::vector<std::pair<int, double>>>& partialTerminals) {
    return guarded([&]() -> Result<std::vector<double>> {
        const std::vector<const GFlowNetEpisode*>& episodes = prepared.episodes;
        if (episodes.size() != logRewards.size() ||
            (!partialTerminals.empty() && partialTerminals.size() != episodes.size()))
            return makeError(ErrorCode::InvalidArgument, "GFlowNet: one reward per episode");
        std::vector<std::vector<std::pair<int, double>>> partials(episodes.size());
        const auto stop = static_cast<std::size_t>(m_impl->vocabulary.stopAction());
        for (std::size_t e = 0; e < episodes.size() && !partialTerminals.empty(); ++e) {
            const GFlowNetEpisode* episode = episodes[e];
            // Only partial terminals where stop was legal form a trajectory.
            for (const auto& p : partialTerminals[e])
                if (p.first >= 0 && p.first + 1 < static_cast<int>(episode->actions.size()) &&
                    episode->masks[static_cast<std::size_t>(p.first)][stop] && std::isfinite(p.second))
                    partials[e].push_back(p);
        }
        std::vector<double> values;
        if (episodes.empty()) return values;
        std::vector<LossParts> parts = m_impl->losses(prepared.terms, logRewards, partials);
        if (m_impl->options.logZWarmStart && !m_impl->logZWarmed) {
            // Warm start: log Z -= the first batch's mean residual, then the losses again with it.
            m_impl->logZWarmed = true;
            double sum = 0.0;
            int n = 0;
            for (const LossParts& p : parts) {
                const double d = p.delta.item<double>();
                if (std::isfinite(d)) {
                    sum += d;
                    ++n;
                }
            }
            if (n > 0) {
                {
                    torch::NoGradGuard noGrad;
                    m_impl->net->logZ.sub_(sum / n);
                }
                parts = m_impl->losses(prepared.terms, logRewards, partials);
            }
        }
        std::vector<torch::Tensor> each;
        for (const LossParts& p : parts) each.push_back(p.loss.reshape({1}));
        const torch::Tensor all = torch::cat(each).detach().to(torch::kCPU, torch::kFloat64).contiguous();
        // The gradient of the sum of the finite losses is the sum of their gradients: one backward
        // pass instead of one per episode. A non-finite loss is left out (+inf, as AlphaSAGE skips it).
        torch::Tensor total;
        for (std::size_t e = 0; e < parts.size(); ++e) {
            const double v = all.data_ptr<double>()[e];
            if (!std::isfinite(v)) {
                values.push_back(std::numeric_limits<double>::infinity());
                continue;
            }
            values.push_back(v);
            total = total.defined() ? total + parts[e].loss : parts[e].loss;
        }
        if (total.defined()) total.backward();
        return values;
    });
}

Result<void> GFlowNetLearner::step() {
    return guarded([&]() -> Result<void> {
        m_impl->optimizer->step();
        m_impl->optimizer->zero_grad();
        ++m_impl->steps;
        return {};
    });
}

Result<GFlowNetEpisode> GFlowNetLearner::replay(const std::vector<int>& actions) const {
    auto ep = m_impl->replay(actions);
    if (!ep) return ep.error();
    if (!ep->formula) return makeError(ErrorCode::InvalidArgument, "GFlowNet: the actions do not end with stop");
    return ep;
}

Result<double> GFlowNetLearner::logProbability(const std::vector<int>& actions) {
    return guarded([&]() -> Result<double> {
        auto ep = m_impl->replay(actions);
        if (!ep) return ep.error();
        if (!ep->formula) return makeError(ErrorCode::InvalidArgument, "GFlowNet: the actions do not end with stop");
        torch::NoGradGuard noGrad;
        return m_impl->policyTermsOf({&*ep}).front().sumLogPF.item<double>();
    });
}

Result<std::vector<float>> GFlowNetLearner::embed(const std::vector<int>& actions) {
    return guarded([&]() -> Result<std::vector<float>> {
        if (!actions.empty() && actions.back() == m_impl->vocabulary.stopAction())
            return makeError(ErrorCode::InvalidArgument, "GFlowNet: embed takes the actions without stop");
        auto ep = m_impl->replay(actions);
        if (!ep) return ep.error();
        torch::NoGradGuard noGrad;
        const int last = static_cast<int>(ep->actions.size());
        return toVector(
            encodeTrajectory(*m_impl->net, ep->actions, ep->edges, last, last, m_impl->beg(), m_impl->device));
    });
}

double GFlowNetLearner::logZ() const {
    return m_impl->net->logZ.item<double>();
}
std::string GFlowNetLearner::device() const {
    return m_impl->device.is_cuda() ? "CUDA" : "CPU";
}
long long GFlowNetLearner::steps() const {
    return m_impl->steps;
}

Result<TrajectoryBalanceTerms> trajectoryBalanceTerms(const std::vector<std::vector<double>>& forwardLogits,
                                                      const std::vector<std::vector<std::uint8_t>>& masks,
                                                      const std::vector<int>& actions,
                                                      const std::vector<std::vector<double>>& backwardLogits,
                                                      double logZ, double logReward, double entropyCoef,
                                                      double temperature) {
    const auto steps = static_cast<std::int64_t>(forwardLogits.size());
    if (steps == 0 || masks.size() != forwardLogits.size() || actions.size() != forwardLogits.size())
        return makeError(ErrorCode::InvalidArgument, "trajectoryBalanceTerms: steps differ");
    const auto vocab = static_cast<std::int64_t>(forwardLogits.front().size());
    for (std::size_t t = 0; t < forwardLogits.size(); ++t)
        if (static_cast<std::int64_t>(forwardLogits[t].size()) != vocab ||
            static_cast<std::int64_t>(masks[t].size()) != vocab || actions[t] < 0 || actions[t] >= vocab)
            return makeError(ErrorCode::InvalidArgument, "trajectoryBalanceTerms: bad row " + std::to_string(t));
    if (!backwardLogits.empty() && static_cast<std::int64_t>(backwardLogits.size()) != steps - 1)
        return makeError(ErrorCode::InvalidArgument, "trajectoryBalanceTerms: backward rows");
    for (const auto& row : backwardLogits)
        if (static_cast<std::int64_t>(row.size()) != vocab - 1)
            return makeError(ErrorCode::InvalidArgument,
                             "trajectoryBalanceTerms: backward rows need vocabulary - 1 entries");
    return guarded([&]() -> Result<TrajectoryBalanceTerms> {
        const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
        std::vector<double> flat;
        for (const auto& row : forwardLogits) flat.insert(flat.end(), row.begin(), row.end());
        torch::Tensor f = torch::tensor(flat, opts).view({steps, vocab}).requires_grad_(true);
        std::vector<double> bflat;
        for (const auto& row : backwardLogits) bflat.insert(bflat.end(), row.begin(), row.end());
        torch::Tensor b = backwardLogits.empty() ? torch::zeros({steps - 1, vocab - 1}, opts)
                                                 : torch::tensor(bflat, opts).view({steps - 1, vocab - 1});
        torch::Tensor z = torch::full({1}, logZ, opts).requires_grad_(true);
        std::vector<std::int64_t> a(actions.begin(), actions.end());
        const torch::Tensor mask = maskTensor(masks, static_cast<int>(steps), static_cast<int>(vocab), torch::kCPU);
        const PolicyTerms policy = policyTerms(f, mask, torch::tensor(a, torch::kInt64), b, temperature);
        const LossParts parts = trajectoryBalance(policy, z, logReward, entropyCoef, static_cast<int>(vocab - 1), {});
        parts.loss.backward();
        TrajectoryBalanceTerms terms;
        terms.loss = parts.loss.item<double>();
        terms.delta = parts.delta.item<double>();
        terms.sumLogPF = policy.sumLogPF.item<double>();
        terms.sumLogPB = policy.sumLogPB.item<double>();
        terms.entropy = policy.entropy.item<double>();
        terms.dLossDLogZ = z.grad().item<double>();
        const torch::Tensor g = f.grad().contiguous();
        for (std::int64_t t = 0; t < steps; ++t)
            terms.dLossDLogits.emplace_back(g.data_ptr<double>() + t * vocab, g.data_ptr<double>() + (t + 1) * vocab);
        return terms;
    });
}

} // namespace alphascope
