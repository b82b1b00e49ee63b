#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/nn/gflownet.h"

#include "core/util/random.h"

#include <array>
#include <cmath>
#include <limits>
#include <map>

// The torch half of the GFlowNet: encoders (RGCN / LSTM), forward and backward heads, log Z,
// the trajectory-balance loss and Adam. The search loop around it is in gflownet_search.cpp.

namespace alphascope {
namespace {

constexpr int kRelations = 6;                 // TokenRelation types (child -> parent)
constexpr int kAllRelations = 2 * kRelations; // plus their inverses (parent -> child)

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
                "lstm", torch::nn::LSTM(
                            torch::nn::LSTMOptions(hidden, hidden).num_layers(o.layers).batch_first(true)));
        } else {
            for (int l = 0; l < o.layers; ++l) {
                selfLinear.push_back(
                    register_module("self" + std::to_string(l), torch::nn::Linear(hidden, hidden)));
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

/// A disjoint union of state graphs, ready for the RGCN.
struct GraphBatch {
    std::vector<std::int64_t> tokens, graphOf, src, dst, rel;
    std::vector<float> norm; // 1 / |N_r(dst)|: the mean over each relation's neighbours
    std::vector<float> nodeCount;
    int graphs = 0;

    /// Adds state s_t of a trajectory: BEG + actions[0..t-1], with its forest.
    void add(const std::vector<int>& actions, int t, const std::vector<TokenBuilder::Edge>& edges, int beg) {
        const auto base = static_cast<std::int64_t>(tokens.size());
        tokens.push_back(beg);
        for (int k = 0; k < t; ++k) tokens.push_back(actions[static_cast<std::size_t>(k)]);
        for (int k = 0; k <= t; ++k) graphOf.push_back(graphs);
        nodeCount.push_back(static_cast<float>(t + 1));
        // Count each (node, relation) in-degree first, so that messages are means.
        std::map<std::pair<std::int64_t, int>, int> degree;
        std::vector<std::array<std::int64_t, 3>> local;
        for (const auto& e : edges) {
            const std::int64_t c = base + 1 + e.child, p = base + 1 + e.parent;
            const int r = static_cast<int>(e.relation);
            local.push_back({c, p, r});
            local.push_back({p, c, r + kRelations});
        }
        for (const auto& l : local) ++degree[{l[1], static_cast<int>(l[2])}];
        for (const auto& l : local) {
            src.push_back(l[0]);
            dst.push_back(l[1]);
            rel.push_back(l[2]);
            norm.push_back(1.0f / static_cast<float>(degree[{l[1], static_cast<int>(l[2])}]));
        }
        ++graphs;
    }
};

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
            const torch::Tensor msg =
                torch::matmul(h.index_select(0, g.src), net.relWeight[l][g.relation]) * g.norm;
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
                               const std::vector<std::vector<TokenBuilder::Edge>>& edges, int first, int last,
                               int beg, const torch::Device& device) {
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
        flat.insert(flat.end(), masks[static_cast<std::size_t>(r)].begin(),
                    masks[static_cast<std::size_t>(r)].end());
    return torch::from_blob(flat.data(), {rows, cols}, torch::kUInt8).clone().to(torch::kBool).to(device);
}

/// The parts of the TB loss of one trajectory (and its partial terminals).
struct LossParts {
    torch::Tensor loss, delta, sumLogPF, sumLogPB, entropy;
};

/// forwardLogits (S x V), mask (S x V bool), actions (S, stop last), backwardLogits ((S-1) x (V-1))
/// for the states s_1..s_{S-1}: PB(s_t | s_{t+1}) with the mask "remove the last token" (one legal
/// entry: the action a_t), so log PB = 0 exactly. The entropy uses logits / temperature.
LossParts trajectoryBalance(const torch::Tensor& logZ, const torch::Tensor& forwardLogits,
                            const torch::Tensor& mask, const torch::Tensor& actions,
                            const torch::Tensor& backwardLogits, double logReward, double entropyCoef,
                            double temperature, int stopAction,
                            const std::vector<std::pair<int, double>>& partials) {
    const double inf = std::numeric_limits<double>::infinity();
    const auto steps = forwardLogits.size(0);
    const torch::Tensor masked = forwardLogits.masked_fill(mask.logical_not(), -inf);
    const torch::Tensor logp = torch::log_softmax(masked, 1);
    const torch::Tensor stepLogPF = logp.gather(1, actions.unsqueeze(1)).squeeze(1);

    const torch::Tensor parentActions = actions.slice(0, 0, steps - 1);
    torch::Tensor stepLogPB = torch::zeros({steps - 1}, forwardLogits.options());
    if (steps > 1) {
        const torch::Tensor backMask =
            torch::zeros_like(backwardLogits, torch::kBool).scatter(1, parentActions.unsqueeze(1), true);
        const torch::Tensor backLogp =
            torch::log_softmax(backwardLogits.masked_fill(backMask.logical_not(), -inf), 1);
        stepLogPB = backLogp.gather(1, parentActions.unsqueeze(1)).squeeze(1);
    }

    LossParts parts;
    parts.sumLogPF = stepLogPF.sum();
    parts.sumLogPB = stepLogPB.sum();
    parts.delta = logZ.reshape({}) + parts.sumLogPF - logReward - parts.sumLogPB;

    // Entropy of each step's masked policy; masked entries have p = 0 and contribute 0.
    const torch::Tensor logpT = torch::log_softmax(masked / temperature, 1);
    parts.entropy = -(logpT.exp() * logpT.masked_fill(mask.logical_not(), 0.0)).sum();
    parts.loss = parts.delta * parts.delta - entropyCoef * parts.entropy;

    if (!partials.empty()) {
        const torch::Tensor cumPF = torch::cumsum(stepLogPF, 0);
        const torch::Tensor cumPB = torch::cumsum(stepLogPB, 0);
        for (const auto& [t, partialLogR] : partials) {
            // Trajectory s_0..s_t then stop: PF of a_0..a_{t-1}, PF(stop | s_t), PB of t transitions.
            torch::Tensor d = logZ.reshape({}) + logp[t][stopAction] - partialLogR;
            if (t > 0) d = d + cumPF[t - 1] - cumPB[t - 1];
            parts.loss = parts.loss + d * d;
        }
    }
    return parts;
}

std::vector<float> toVector(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

template <class F> auto guarded(F&& f) -> decltype(f()) {
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
        optimizer = std::make_unique<torch::optim::Adam>(net->parameters(),
                                                         torch::optim::AdamOptions(o.learningRate));
    }

    int beg() const { return vocabulary.stopAction(); }

    /// Records the state the builder is in now.
    static void pushState(GFlowNetEpisode& ep, const TokenBuilder& b) {
        ep.edges.push_back(b.edges());
        ep.stackSizes.push_back(b.stackSize());
        ep.stackTops.push_back(b.stackTop());
    }

    /// Plays `actions` (or samples when `rng` is set) from the empty formula; replaying may stop
    /// early (a partial formula: no stop, null formula).
    Result<GFlowNetEpisode> play(std::mt19937_64* rng, const std::vector<int>* actions) {
        torch::NoGradGuard noGrad;
        net->eval();
        GFlowNetEpisode ep;
        TokenBuilder builder(vocabulary);
        pushState(ep, builder);
        const int stop = vocabulary.stopAction();
        const int vocab = vocabulary.size();
        const int maxTokens = std::max(1, vocabulary.grammar().maxTokens);
        std::tuple<torch::Tensor, torch::Tensor> lstmState;
        for (int step = 0; !builder.finished(); ++step) {
            if (step > maxTokens + 1)
                return makeError(ErrorCode::Internal, "GFlowNet: trajectory did not finish");
            std::vector<std::uint8_t> mask = builder.legalMask();
            int legal = 0;
            for (auto m : mask) legal += m ? 1 : 0;
            if (legal == 0)
                return makeError(ErrorCode::Internal, "GFlowNet: no legal action in an unfinished state");
            int action = -1;
            if (rng) {
                // Forced stop (mask dropout): once stop is legal, sometimes it is the only choice.
                if (mask[static_cast<std::size_t>(stop)] && options.forcedStopProb > 0.0 && legal > 1) {
                    const double p = options.forcedStopProb * builder.length() / maxTokens;
                    if (uniform01(*rng) < p) {
                        std::fill(mask.begin(), mask.end(), std::uint8_t{0});
                        mask[static_cast<std::size_t>(stop)] = 1;
                        legal = 1;
                    }
                }
                torch::Tensor emb;
                if (net->lstm) {
                    // One LSTM step per token, carrying its state (the prefix is not re-read).
                    const std::int64_t token =
                        step == 0 ? beg() : ep.actions[static_cast<std::size_t>(step - 1)];
                    const torch::Tensor x =
                        net->embedding->forward(longTensor({token}, device)).view({1, 1, net->hidden});
                    auto out = step == 0 ? net->rnn->forward(x) : net->rnn->forward(x, lstmState);
                    lstmState = std::get<1>(out);
                    emb = std::get<0>(out).view({1, net->hidden});
                } else {
                    emb = encodeTrajectory(*net, ep.actions, ep.edges, step, step, beg(), device);
                }
                const torch::Tensor logits =
                    net->forwardHead->forward(emb).squeeze(0).to(torch::kCPU, torch::kFloat64).contiguous();
                const double* l = logits.data_ptr<double>();
                double best = -std::numeric_limits<double>::infinity();
                for (int a = 0; a < vocab; ++a)
                    if (mask[static_cast<std::size_t>(a)]) best = std::max(best, l[a]);
                std::vector<double> w(static_cast<std::size_t>(vocab), 0.0);
                for (int a = 0; a < vocab; ++a)
                    if (mask[static_cast<std::size_t>(a)]) w[static_cast<std::size_t>(a)] = std::exp(l[a] - best);
                action = static_cast<int>(discrete(*rng, w));
                ep.embeddings.push_back(toVector(emb));
            } else {
                if (static_cast<std::size_t>(step) >= actions->size()) break; // a partial formula
                action = (*actions)[static_cast<std::size_t>(step)];
                if (action < 0 || action >= vocab || !mask[static_cast<std::size_t>(action)])
                    return makeError(ErrorCode::InvalidArgument,
                                     "GFlowNet: illegal action " + std::to_string(action));
            }
            ep.masks.push_back(std::move(mask));
            ep.actions.push_back(action);
            builder.apply(action);
            if (!builder.finished()) pushState(ep, builder);
        }
        ep.formula = builder.result();
        return ep;
    }

    /// Loss parts of an episode, with gradients.
    LossParts loss(const GFlowNetEpisode& ep, double logReward,
                   const std::vector<std::pair<int, double>>& partials) {
        net->train();
        const int steps = static_cast<int>(ep.actions.size());
        const torch::Tensor emb = encodeTrajectory(*net, ep.actions, ep.edges, 0, steps - 1, beg(), device);
        const torch::Tensor forwardLogits = net->forwardHead->forward(emb);
        const torch::Tensor backwardLogits = net->backwardHead->forward(emb.slice(0, 1, steps));
        const torch::Tensor mask = maskTensor(ep.masks, steps, vocabulary.size(), device);
        std::vector<std::int64_t> a(ep.actions.begin(), ep.actions.end());
        return trajectoryBalance(net->logZ, forwardLogits, mask, longTensor(a, device), backwardLogits,
                                 logReward, options.entropyCoef, options.entropyTemperature,
                                 vocabulary.stopAction(), partials);
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
};

GFlowNetLearner::GFlowNetLearner(const TokenVocabulary& vocabulary, const GFlowNetOptions& options,
                                 std::uint64_t seed, bool cuda)
    : m_impl(std::make_unique<Impl>(vocabulary, options, seed, cuda)) {}

GFlowNetLearner::~GFlowNetLearner() = default;

Result<GFlowNetEpisode> GFlowNetLearner::sample(std::mt19937_64& rng) {
    return guarded([&]() -> Result<GFlowNetEpisode> { return m_impl->play(&rng, nullptr); });
}

Result<double> GFlowNetLearner::accumulate(const GFlowNetEpisode& episode, double logReward,
                                           const std::vector<std::pair<int, double>>& partialTerminals) {
    return guarded([&]() -> Result<double> {
        if (episode.actions.empty() || episode.masks.size() != episode.actions.size() ||
            episode.edges.size() != episode.actions.size())
            return makeError(ErrorCode::InvalidArgument, "GFlowNet: malformed episode");
        // Only partial terminals where stop was legal form a trajectory.
        std::vector<std::pair<int, double>> partials;
        const auto stop = static_cast<std::size_t>(m_impl->vocabulary.stopAction());
        for (const auto& p : partialTerminals)
            if (p.first >= 0 && p.first + 1 < static_cast<int>(episode.actions.size()) &&
                episode.masks[static_cast<std::size_t>(p.first)][stop] && std::isfinite(p.second))
                partials.push_back(p);
        const LossParts parts = m_impl->loss(episode, logReward, partials);
        const double value = parts.loss.item<double>();
        if (!std::isfinite(value)) return std::numeric_limits<double>::infinity();
        parts.loss.backward();
        return value;
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

Result<double> GFlowNetLearner::logProbability(const std::vector<int>& actions) {
    return guarded([&]() -> Result<double> {
        auto ep = m_impl->play(nullptr, &actions);
        if (!ep) return ep.error();
        if (!ep->formula)
            return makeError(ErrorCode::InvalidArgument, "GFlowNet: the actions do not end with stop");
        torch::NoGradGuard noGrad;
        const LossParts parts = m_impl->loss(*ep, 0.0, {});
        return parts.sumLogPF.item<double>();
    });
}

Result<std::vector<float>> GFlowNetLearner::embed(const std::vector<int>& actions) {
    return guarded([&]() -> Result<std::vector<float>> {
        if (!actions.empty() && actions.back() == m_impl->vocabulary.stopAction())
            return makeError(ErrorCode::InvalidArgument, "GFlowNet: embed takes the actions without stop");
        auto ep = m_impl->play(nullptr, &actions);
        if (!ep) return ep.error();
        torch::NoGradGuard noGrad;
        const int last = static_cast<int>(ep->actions.size());
        return toVector(encodeTrajectory(*m_impl->net, ep->actions, ep->edges, last, last, m_impl->beg(),
                                         m_impl->device));
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
            return makeError(ErrorCode::InvalidArgument,
                             "trajectoryBalanceTerms: bad row " + std::to_string(t));
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
        const torch::Tensor mask =
            maskTensor(masks, static_cast<int>(steps), static_cast<int>(vocab), torch::kCPU);
        const LossParts parts = trajectoryBalance(z, f, mask, torch::tensor(a, torch::kInt64), b, logReward,
                                                  entropyCoef, temperature, static_cast<int>(vocab - 1), {});
        parts.loss.backward();
        TrajectoryBalanceTerms terms;
        terms.loss = parts.loss.item<double>();
        terms.delta = parts.delta.item<double>();
        terms.sumLogPF = parts.sumLogPF.item<double>();
        terms.sumLogPB = parts.sumLogPB.item<double>();
        terms.entropy = parts.entropy.item<double>();
        terms.dLossDLogZ = z.grad().item<double>();
        const torch::Tensor g = f.grad().contiguous();
        for (std::int64_t t = 0; t < steps; ++t)
            terms.dLossDLogits.emplace_back(g.data_ptr<double>() + t * vocab,
                                            g.data_ptr<double>() + (t + 1) * vocab);
        return terms;
    });
}

} // namespace alphascope
