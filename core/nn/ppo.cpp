#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/nn/ppo.h"

#include "core/nn/device.h"
#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

// The torch half of AlphaGen's PPO baseline (the LSTM actor-critic, the clipped loss, Adam) and
// the search loop around it. Design notes in ppo.h.

namespace alphascope {
namespace {

constexpr double kMaskedLogit = -1e8; // sb3-contrib MaskableCategorical's value for illegal actions
constexpr int kHeadWidth = 64;        // SB3 MlpPolicy's default net_arch: two layers of 64

template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("PPO (torch): ") + e.what());
    }
}

/// Orthogonal initialisation (Saxe et al. 2014, as torch.nn.init.orthogonal_) drawn from `gen`:
/// the Q of a Gaussian matrix's QR with R's diagonal signs folded in, times `gain`; bias 0.
void orthogonalInit(torch::nn::Linear& layer, double gain, at::Generator& gen) {
    torch::NoGradGuard noGrad;
    const auto rows = layer->weight.size(0), cols = layer->weight.size(1);
    torch::Tensor flat = torch::empty({rows, cols}, torch::kFloat64).normal_(0.0, 1.0, gen);
    if (rows < cols) flat = flat.t();
    auto [q, r] = torch::linalg::qr(flat, "reduced");
    q = q * torch::sign(torch::diagonal(r, 0)).unsqueeze(0);
    if (rows < cols) q = q.t();
    layer->weight.copy_((q * gain).to(torch::kFloat32));
    layer->bias.zero_();
}

/// Sinusoidal position encoding (Vaswani et al.): row p, column 2i sin(p w_i), 2i+1 cos(p w_i),
/// w_i = 10000^(-2i/d).
torch::Tensor positionEncoding(int positions, int d) {
    torch::Tensor pe = torch::zeros({positions, d}, torch::kFloat32);
    auto a = pe.accessor<float, 2>();
    for (int p = 0; p < positions; ++p)
        for (int i = 0; 2 * i < d; ++i) {
            const double w = std::exp(-std::log(10000.0) * (2.0 * i) / d);
            a[p][2 * i] = static_cast<float>(std::sin(p * w));
            if (2 * i + 1 < d) a[p][2 * i + 1] = static_cast<float>(std::cos(p * w));
        }
    return pe;
}

/// Embedding (vocabulary + BEG) + position encoding -> LSTM layers -> mean over positions; policy
/// and value heads of SB3's MlpPolicy.
struct PpoNetImpl : torch::nn::Module {
    PpoNetImpl(int vocab, int positions, const PpoOptions& o, at::Generator& gen)
        : hidden(o.hidden), dropout(o.dropout), beg(vocab) {
        embedding = register_module("embedding", torch::nn::Embedding(vocab + 1, hidden));
        for (int l = 0; l < o.layers; ++l)
            lstm.push_back(register_module("lstm" + std::to_string(l),
                                           torch::nn::LSTM(torch::nn::LSTMOptions(hidden, hidden).batch_first(true))));
        pi1 = register_module("pi1", torch::nn::Linear(hidden, kHeadWidth));
        pi2 = register_module("pi2", torch::nn::Linear(kHeadWidth, kHeadWidth));
        actionHead = register_module("action", torch::nn::Linear(kHeadWidth, vocab));
        vf1 = register_module("vf1", torch::nn::Linear(hidden, kHeadWidth));
        vf2 = register_module("vf2", torch::nn::Linear(kHeadWidth, kHeadWidth));
        valueHead = register_module("value", torch::nn::Linear(kHeadWidth, 1));
        pe = register_buffer("pe", positionEncoding(positions, hidden));

        // torch's defaults for the embedding (N(0, 1)) and the LSTM (U(+-1/sqrt(hidden))), SB3's
        // orthogonal initialisation for the heads.
        torch::NoGradGuard noGrad;
        embedding->weight.normal_(0.0, 1.0, gen);
        const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
        for (auto& layer : lstm)
            for (auto& p : layer->parameters()) p.uniform_(-bound, bound, gen);
        const double root2 = std::sqrt(2.0);
        for (auto* layer : {&pi1, &pi2, &vf1, &vf2}) orthogonalInit(*layer, root2, gen);
        orthogonalInit(actionHead, 0.01, gen);
        orthogonalInit(valueHead, 1.0, gen);
    }

    /// Action logits and values of feature rows.
    std::pair<torch::Tensor, torch::Tensor> heads(const torch::Tensor& features) {
        const torch::Tensor logits =
            actionHead->forward(torch::tanh(pi2->forward(torch::tanh(pi1->forward(features)))));
        const torch::Tensor values =
            valueHead->forward(torch::tanh(vf2->forward(torch::tanh(vf1->forward(features))))).squeeze(1);
        return {logits, values};
    }

    int hidden;
    double dropout;
    int beg;
    torch::nn::Embedding embedding{nullptr};
    std::vector<torch::nn::LSTM> lstm;
    torch::nn::Linear pi1{nullptr}, pi2{nullptr}, actionHead{nullptr}, vf1{nullptr}, vf2{nullptr}, valueHead{nullptr};
    torch::Tensor pe;
};
TORCH_MODULE(PpoNet);

torch::Tensor maskTensor(const std::vector<const std::vector<std::uint8_t>*>& rows, int cols) {
    std::vector<std::uint8_t> flat;
    flat.reserve(rows.size() * static_cast<std::size_t>(cols));
    for (const auto* r : rows) flat.insert(flat.end(), r->begin(), r->end());
    return torch::from_blob(flat.data(), {static_cast<std::int64_t>(rows.size()), cols}, torch::kUInt8)
        .clone()
        .to(torch::kBool);
}

/// The parts of the PPO loss of one minibatch.
struct LossParts {
    torch::Tensor loss, policyLoss, valueLoss, entropy, approxKl, clipFraction;
};

/// SB3's PPO.train() loss for one minibatch: masked log-probabilities, advantages normalised over
/// the minibatch, the clipped surrogate, MSE value loss and the entropy bonus.
LossParts ppoLoss(const torch::Tensor& logits, const torch::Tensor& mask, const torch::Tensor& actions,
                  const torch::Tensor& oldLogProbs, torch::Tensor advantages, const torch::Tensor& returns,
                  const torch::Tensor& values, const PpoOptions& o) {
    const torch::Tensor logp = torch::log_softmax(logits.masked_fill(mask.logical_not(), kMaskedLogit), 1);
    const torch::Tensor actionLogp = logp.gather(1, actions.unsqueeze(1)).squeeze(1);
    const torch::Tensor plogp = torch::where(mask, logp.exp() * logp, torch::zeros_like(logp));
    const torch::Tensor entropy = -plogp.sum(1);
    if (advantages.size(0) > 1) advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
    const torch::Tensor logRatio = actionLogp - oldLogProbs;
    const torch::Tensor ratio = torch::exp(logRatio);
    const torch::Tensor surrogate1 = advantages * ratio;
    const torch::Tensor surrogate2 = advantages * torch::clamp(ratio, 1.0 - o.clipRange, 1.0 + o.clipRange);
    LossParts p;
    p.policyLoss = -torch::min(surrogate1, surrogate2).mean();
    p.valueLoss = (returns - values).pow(2).mean();
    p.entropy = entropy.mean();
    p.loss = p.policyLoss - o.entropyCoef * p.entropy + o.valueCoef * p.valueLoss;
    {
        torch::NoGradGuard noGrad;
        p.approxKl = ((ratio - 1.0) - logRatio).mean();
        p.clipFraction = ((ratio - 1.0).abs() > o.clipRange).to(logits.scalar_type()).mean();
    }
    return p;
}

} // namespace

void episodeAdvantages(const std::vector<double>& values, double reward, double gamma, double lambda,
                       std::vector<double>& advantages, std::vector<double>& returns) {
    const std::size_t n = values.size();
    advantages.assign(n, 0.0);
    returns.assign(n, 0.0);
    double next = 0.0; // GAE of the following step; 0 after the terminal action
    for (std::size_t k = n; k-- > 0;) {
        const bool last = k + 1 == n;
        const double r = last ? reward : 0.0;
        const double nextValue = last ? 0.0 : values[k + 1];
        const double delta = r + gamma * nextValue - values[k];
        next = delta + gamma * lambda * (last ? 0.0 : next);
        advantages[k] = next;
        returns[k] = next + values[k];
    }
}

struct PpoLearner::Impl {
    Impl(const TokenVocabulary& v, const PpoOptions& o, std::uint64_t seed, bool cuda)
        : vocabulary(v), options(o), device(cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU)),
          generator(at::make_generator<at::CPUGeneratorImpl>(seed)),
          net(v.size(), std::max(1, v.grammar().maxTokens) + 2, o, generator) {
        net->to(device);
        net->eval();
        optimizer = std::make_unique<torch::optim::Adam>(net->parameters(),
                                                         torch::optim::AdamOptions(o.learningRate).eps(1e-5));
    }

    /// Feature rows of every state of each sequence: `sequences[e]` is [BEG, a_0, .., a_{n-1}]
    /// (the states s_0..s_n of an episode; stop is never an input) and its row t is the mean of
    /// the LSTM's outputs at positions 0..t. Rows come out episode after episode. With `training`,
    /// the outputs between LSTM layers are dropped out with masks drawn from the learner's
    /// generator (on the CPU, so that a CUDA run draws the same masks).
    torch::Tensor encode(const std::vector<std::vector<std::int64_t>>& sequences, bool training) {
        const auto count = static_cast<std::int64_t>(sequences.size());
        std::int64_t longest = 0;
        for (const auto& s : sequences) longest = std::max<std::int64_t>(longest, static_cast<std::int64_t>(s.size()));
        std::vector<std::int64_t> flat(static_cast<std::size_t>(count * longest), net->beg);
        std::vector<std::int64_t> rows; // (e, t) -> e * longest + t, for the real positions
        std::vector<float> divisors(static_cast<std::size_t>(longest));
        for (std::int64_t e = 0; e < count; ++e) {
            const auto& s = sequences[static_cast<std::size_t>(e)];
            std::copy(s.begin(), s.end(), flat.begin() + e * longest);
            for (std::int64_t t = 0; t < static_cast<std::int64_t>(s.size()); ++t) rows.push_back(e * longest + t);
        }
        for (std::int64_t t = 0; t < longest; ++t) divisors[static_cast<std::size_t>(t)] = static_cast<float>(t + 1);
        const torch::Tensor tokens = torch::tensor(flat, torch::kInt64).view({count, longest}).to(device);
        torch::Tensor x = net->embedding->forward(tokens) + net->pe.slice(0, 0, longest).unsqueeze(0);
        for (std::size_t l = 0; l < net->lstm.size(); ++l) {
            x = std::get<0>(net->lstm[l]->forward(x));
            if (training && net->dropout > 0.0 && l + 1 < net->lstm.size()) {
                const double keep = 1.0 - net->dropout;
                const torch::Tensor m = torch::empty(x.sizes(), torch::kFloat32).bernoulli_(keep, generator).to(device);
                x = x * m / keep;
            }
        }
        const torch::Tensor means =
            x.cumsum(1) / torch::tensor(divisors, torch::kFloat32).to(device).view({1, longest, 1});
        return means.reshape({count * longest, net->hidden})
            .index_select(0, torch::tensor(rows, torch::kInt64).to(device));
    }

    std::vector<std::int64_t> sequenceOf(const std::vector<int>& actions, std::size_t states) const {
        std::vector<std::int64_t> s{net->beg};
        for (std::size_t k = 0; k + 1 < states; ++k) s.push_back(actions[k]);
        return s;
    }

    Result<std::vector<PpoEpisode>> sampleBatch(std::mt19937_64& rng, int count) {
        torch::NoGradGuard noGrad;
        std::vector<PpoEpisode> eps(static_cast<std::size_t>(count));
        std::vector<TokenBuilder> builders;
        builders.reserve(eps.size());
        for (int b = 0; b < count; ++b) builders.emplace_back(vocabulary);
        const int vocab = vocabulary.size();
        const int maxTokens = std::max(1, vocabulary.grammar().maxTokens);
        std::vector<std::tuple<torch::Tensor, torch::Tensor>> state(net->lstm.size());
        torch::Tensor sum;
        std::vector<double> w(static_cast<std::size_t>(vocab));
        for (int step = 0;; ++step) {
            std::vector<int> active;
            for (int b = 0; b < count; ++b)
                if (!builders[static_cast<std::size_t>(b)].finished()) active.push_back(b);
            if (active.empty()) break;
            if (step > maxTokens + 1) return makeError(ErrorCode::Internal, "PPO: an episode did not finish");
            // One LSTM step for every episode, carrying its state (a finished episode's row is
            // computed and not used); the features are the running mean of the outputs.
            std::vector<std::int64_t> tokens(static_cast<std::size_t>(count), net->beg);
            if (step > 0)
                for (int b = 0; b < count; ++b) {
                    const auto& a = eps[static_cast<std::size_t>(b)].actions;
                    if (static_cast<int>(a.size()) >= step)
                        tokens[static_cast<std::size_t>(b)] = a[static_cast<std::size_t>(step - 1)];
                }
            torch::Tensor x =
                net->embedding->forward(torch::tensor(tokens, torch::kInt64).to(device)).view({count, 1, net->hidden}) +
                net->pe.slice(0, step, step + 1).unsqueeze(0);
            for (std::size_t l = 0; l < net->lstm.size(); ++l) {
                auto out = step == 0 ? net->lstm[l]->forward(x) : net->lstm[l]->forward(x, state[l]);
                state[l] = std::get<1>(out);
                x = std::get<0>(out);
            }
            const torch::Tensor o = x.view({count, net->hidden});
            sum = step == 0 ? o : sum + o;
            const torch::Tensor features = sum / static_cast<float>(step + 1);
            auto [logitsT, valuesT] = net->heads(features);
            const torch::Tensor logits = logitsT.to(torch::kCPU, torch::kFloat64).contiguous();
            const torch::Tensor values = valuesT.to(torch::kCPU, torch::kFloat64).contiguous();
            for (int b : active) {
                const auto bi = static_cast<std::size_t>(b);
                const std::vector<std::uint8_t>& mask = builders[bi].legalMask();
                const double* l =
                    logits.data_ptr<double>() + static_cast<std::size_t>(b) * static_cast<std::size_t>(vocab);
                double best = -std::numeric_limits<double>::infinity();
                for (int a = 0; a < vocab; ++a)
                    if (mask[static_cast<std::size_t>(a)]) best = std::max(best, l[a]);
                if (!std::isfinite(best))
                    return makeError(ErrorCode::Internal, "PPO: no legal action in an unfinished state");
                double z = 0.0;
                for (int a = 0; a < vocab; ++a) {
                    w[static_cast<std::size_t>(a)] = mask[static_cast<std::size_t>(a)] ? std::exp(l[a] - best) : 0.0;
                    z += w[static_cast<std::size_t>(a)];
                }
                const int action = static_cast<int>(discrete(rng, w));
                PpoEpisode& ep = eps[bi];
                ep.masks.push_back(mask);
                ep.actions.push_back(action);
                ep.logProbs.push_back(l[action] - best - std::log(z));
                ep.values.push_back(values.data_ptr<double>()[b]);
                builders[bi].apply(action);
            }
        }
        for (std::size_t b = 0; b < eps.size(); ++b) eps[b].formula = builders[b].result();
        return eps;
    }

    Result<PpoUpdateStats> update(const std::vector<PpoEpisode>& episodes, const std::vector<double>& rewards,
                                  std::mt19937_64& rng) {
        if (episodes.size() != rewards.size())
            return makeError(ErrorCode::InvalidArgument, "PPO: one reward per episode");
        const int vocab = vocabulary.size();
        std::vector<std::vector<double>> advantages(episodes.size()), returns(episodes.size());
        double sumR = 0.0, sumR2 = 0.0, sumE = 0.0, sumE2 = 0.0;
        long long states = 0;
        for (std::size_t e = 0; e < episodes.size(); ++e) {
            const PpoEpisode& ep = episodes[e];
            const std::size_t n = ep.actions.size();
            if (n == 0 || ep.masks.size() != n || ep.logProbs.size() != n || ep.values.size() != n)
                return makeError(ErrorCode::InvalidArgument, "PPO: malformed episode");
            for (std::size_t t = 0; t < n; ++t)
                if (ep.actions[t] < 0 || ep.actions[t] >= vocab ||
                    ep.masks[t].size() != static_cast<std::size_t>(vocab) ||
                    !ep.masks[t][static_cast<std::size_t>(ep.actions[t])])
                    return makeError(ErrorCode::InvalidArgument, "PPO: an action outside its mask");
            if (!std::isfinite(rewards[e])) return makeError(ErrorCode::InvalidArgument, "PPO: a reward is not finite");
            episodeAdvantages(ep.values, rewards[e], options.gamma, options.gaeLambda, advantages[e], returns[e]);
            for (std::size_t t = 0; t < n; ++t) {
                const double r = returns[e][t], err = r - ep.values[t];
                sumR += r;
                sumR2 += r * r;
                sumE += err;
                sumE2 += err * err;
            }
            states += static_cast<long long>(n);
        }
        PpoUpdateStats stats;
        if (states == 0) return stats;
        const double varR = sumR2 / states - (sumR / states) * (sumR / states);
        const double varE = sumE2 / states - (sumE / states) * (sumE / states);
        stats.explainedVariance = varR > 0.0 ? 1.0 - varE / varR : kNaNd;

        net->train();
        std::vector<std::size_t> order(episodes.size());
        for (int epoch = 0; epoch < options.epochs; ++epoch) {
            std::iota(order.begin(), order.end(), std::size_t{0});
            for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[uniformInt(rng, k)]);
            // Minibatches of whole episodes, filled to at least batchSize states: one LSTM read
            // gives every state of an episode (see ppo.h).
            for (std::size_t begin = 0; begin < order.size();) {
                std::size_t end = begin;
                long long held = 0;
                while (end < order.size() && held < options.batchSize)
                    held += static_cast<long long>(episodes[order[end++]].actions.size());
                std::vector<std::vector<std::int64_t>> sequences;
                std::vector<const std::vector<std::uint8_t>*> masks;
                std::vector<std::int64_t> actions;
                std::vector<float> oldLogp, adv, ret, oldValues;
                for (std::size_t k = begin; k < end; ++k) {
                    const std::size_t e = order[k];
                    const PpoEpisode& ep = episodes[e];
                    sequences.push_back(sequenceOf(ep.actions, ep.actions.size()));
                    for (std::size_t t = 0; t < ep.actions.size(); ++t) {
                        masks.push_back(&ep.masks[t]);
                        actions.push_back(ep.actions[t]);
                        oldLogp.push_back(static_cast<float>(ep.logProbs[t]));
                        adv.push_back(static_cast<float>(advantages[e][t]));
                        ret.push_back(static_cast<float>(returns[e][t]));
                    }
                }
                begin = end;
                const torch::Tensor features = encode(sequences, true);
                auto [logits, values] = net->heads(features);
                const LossParts parts =
                    ppoLoss(logits, maskTensor(masks, vocab).to(device),
                            torch::tensor(actions, torch::kInt64).to(device), torch::tensor(oldLogp).to(device),
                            torch::tensor(adv).to(device), torch::tensor(ret).to(device), values, options);
                optimizer->zero_grad();
                parts.loss.backward();
                torch::nn::utils::clip_grad_norm_(net->parameters(), options.maxGradNorm);
                optimizer->step();
                ++gradientSteps;
                stats.loss += parts.loss.item<double>();
                stats.policyLoss += parts.policyLoss.item<double>();
                stats.valueLoss += parts.valueLoss.item<double>();
                stats.entropy += parts.entropy.item<double>();
                stats.approxKl += parts.approxKl.item<double>();
                stats.clipFraction += parts.clipFraction.item<double>();
                ++stats.minibatches;
            }
        }
        net->eval();
        if (stats.minibatches > 0)
            for (double* v : {&stats.loss, &stats.policyLoss, &stats.valueLoss, &stats.entropy, &stats.approxKl,
                              &stats.clipFraction})
                *v /= stats.minibatches;
        ++updates;
        return stats;
    }

    /// Masks of the states along `actions` (replayed; every action checked against its mask).
    Result<std::vector<std::vector<std::uint8_t>>> replay(const std::vector<int>& actions) const {
        TokenBuilder builder(vocabulary);
        std::vector<std::vector<std::uint8_t>> masks;
        for (int a : actions) {
            if (builder.finished() || !builder.isLegal(a))
                return makeError(ErrorCode::InvalidArgument, "PPO: illegal action " + std::to_string(a));
            masks.push_back(builder.legalMask());
            builder.apply(a);
        }
        return masks;
    }

    const TokenVocabulary& vocabulary;
    PpoOptions options;
    torch::Device device;
    /// The learner's own torch generator: parameters and dropout masks are drawn from it (sampling
    /// and minibatch order draw from the caller's mt19937_64).
    at::Generator generator;
    PpoNet net;
    std::unique_ptr<torch::optim::Adam> optimizer;
    long long updates = 0;
    long long gradientSteps = 0;
};

PpoLearner::PpoLearner(const TokenVocabulary& vocabulary, const PpoOptions& options, std::uint64_t seed, bool cuda)
    : m_impl(std::make_unique<Impl>(vocabulary, options, seed, cuda)) {}

PpoLearner::~PpoLearner() = default;

Result<std::vector<PpoEpisode>> PpoLearner::sampleBatch(std::mt19937_64& rng, int count) {
    if (count < 1) return makeError(ErrorCode::InvalidArgument, "PPO: a batch needs at least one episode");
    return guarded([&]() -> Result<std::vector<PpoEpisode>> { return m_impl->sampleBatch(rng, count); });
}

Result<PpoUpdateStats> PpoLearner::update(const std::vector<PpoEpisode>& episodes, const std::vector<double>& rewards,
                                          std::mt19937_64& rng) {
    return guarded([&]() -> Result<PpoUpdateStats> { return m_impl->update(episodes, rewards, rng); });
}

Result<double> PpoLearner::logProbability(const std::vector<int>& actions) {
    return guarded([&]() -> Result<double> {
        auto masks = m_impl->replay(actions);
        if (!masks) return masks.error();
        if (actions.empty()) return 0.0;
        torch::NoGradGuard noGrad;
        const torch::Tensor features = m_impl->encode({m_impl->sequenceOf(actions, actions.size())}, false);
        const torch::Tensor logits = m_impl->net->heads(features).first;
        std::vector<const std::vector<std::uint8_t>*> rows;
        for (const auto& m : *masks) rows.push_back(&m);
        const torch::Tensor mask = maskTensor(rows, m_impl->vocabulary.size()).to(logits.device());
        const torch::Tensor logp = torch::log_softmax(logits.masked_fill(mask.logical_not(), kMaskedLogit), 1);
        std::vector<std::int64_t> a(actions.begin(), actions.end());
        return logp.gather(1, torch::tensor(a, torch::kInt64).to(logits.device()).unsqueeze(1)).sum().item<double>();
    });
}

Result<double> PpoLearner::value(const std::vector<int>& actions) {
    return guarded([&]() -> Result<double> {
        if (auto masks = m_impl->replay(actions); !masks) return masks.error();
        torch::NoGradGuard noGrad;
        const torch::Tensor features = m_impl->encode({m_impl->sequenceOf(actions, actions.size() + 1)}, false);
        return m_impl->net->heads(features).second[static_cast<std::int64_t>(actions.size())].item<double>();
    });
}

std::string PpoLearner::device() const {
    return m_impl->device.is_cuda() ? describeComputeDevice() : "CPU";
}
long long PpoLearner::updates() const {
    return m_impl->updates;
}
long long PpoLearner::gradientSteps() const {
    return m_impl->gradientSteps;
}

Result<PpoLossTerms> ppoLossTerms(const std::vector<std::vector<double>>& logits,
                                  const std::vector<std::vector<std::uint8_t>>& masks, const std::vector<int>& actions,
                                  const std::vector<double>& oldLogProbs, const std::vector<double>& advantages,
                                  const std::vector<double>& returns, const std::vector<double>& values,
                                  const PpoOptions& options) {
    const std::size_t m = logits.size();
    if (m == 0 || masks.size() != m || actions.size() != m || oldLogProbs.size() != m || advantages.size() != m ||
        returns.size() != m || values.size() != m)
        return makeError(ErrorCode::InvalidArgument, "ppoLossTerms: one entry per state");
    const auto vocab = static_cast<std::int64_t>(logits.front().size());
    for (std::size_t t = 0; t < m; ++t)
        if (static_cast<std::int64_t>(logits[t].size()) != vocab ||
            static_cast<std::int64_t>(masks[t].size()) != vocab || actions[t] < 0 || actions[t] >= vocab)
            return makeError(ErrorCode::InvalidArgument, "ppoLossTerms: bad row " + std::to_string(t));
    return guarded([&]() -> Result<PpoLossTerms> {
        const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
        std::vector<double> flat;
        for (const auto& row : logits) flat.insert(flat.end(), row.begin(), row.end());
        const auto rows = static_cast<std::int64_t>(m);
        torch::Tensor l = torch::tensor(flat, opts).view({rows, vocab}).requires_grad_(true);
        torch::Tensor v = torch::tensor(values, opts).requires_grad_(true);
        std::vector<const std::vector<std::uint8_t>*> maskRows;
        for (const auto& r : masks) maskRows.push_back(&r);
        std::vector<std::int64_t> a(actions.begin(), actions.end());
        const LossParts p = ppoLoss(l, maskTensor(maskRows, static_cast<int>(vocab)), torch::tensor(a, torch::kInt64),
                                    torch::tensor(oldLogProbs, opts), torch::tensor(advantages, opts),
                                    torch::tensor(returns, opts), v, options);
        p.loss.backward();
        PpoLossTerms terms;
        terms.loss = p.loss.item<double>();
        terms.policyLoss = p.policyLoss.item<double>();
        terms.valueLoss = p.valueLoss.item<double>();
        terms.entropy = p.entropy.item<double>();
        terms.approxKl = p.approxKl.item<double>();
        terms.clipFraction = p.clipFraction.item<double>();
        const torch::Tensor g = l.grad().contiguous();
        for (std::int64_t t = 0; t < rows; ++t)
            terms.dLossDLogits.emplace_back(g.data_ptr<double>() + t * vocab, g.data_ptr<double>() + (t + 1) * vocab);
        const torch::Tensor gv = v.grad().contiguous();
        terms.dLossDValues.assign(gv.data_ptr<double>(), gv.data_ptr<double>() + rows);
        return terms;
    });
}

// ---- The search loop ------------------------------------------------------------------------------

namespace {

Result<void> ppoLoop(SearchRun& run, PpoLearner& learner) {
    const PpoOptions& o = run.config().ppo;
    std::vector<PpoEpisode> rollout;
    std::vector<double> rewards;
    long long held = 0; // actions in the rollout
    std::vector<ExprPtr> formulas;
    PpoUpdateStats last;
    bool updated = false;
    while (!run.shouldStop()) {
        auto sampled = learner.sampleBatch(run.rng(), SearchRun::kBatch);
        if (!sampled) return sampled.error();
        // The episodes the budget leaves no room for are dropped (the run ends with them).
        std::vector<PpoEpisode> batch;
        formulas.clear();
        for (PpoEpisode& ep : *sampled) {
            if (run.stopsAfter(static_cast<long long>(formulas.size()), static_cast<long long>(batch.size()))) break;
            if (!ep.formula) return makeError(ErrorCode::Internal, "PPO: an episode ended without a formula");
            formulas.push_back(ep.formula);
            batch.push_back(std::move(ep));
        }
        if (batch.empty()) break;
        auto scored = run.evaluateBatch(formulas);
        run.prepareOffers(scored); // every usable one is offered below, in order
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const auto& s = scored[k];
            if (!s && s.error().code == ErrorCode::Canceled) return {}; // the rest was not run
            // AlphaGen's reward: the pool's combined train IC after the offer (a level); 0 for a
            // formula that cannot be used or that the screening refuses (too correlated, already
            // in the pool).
            double reward = 0.0;
            if (s && s->usable()) {
                const AdmitResult admit = run.offer(*s);
                if (admit.screened && std::isfinite(admit.objective)) reward = admit.objective;
            }
            run.reportReward(reward);
            run.endEpisode();
            held += static_cast<long long>(batch[k].actions.size());
            rollout.push_back(std::move(batch[k]));
            rewards.push_back(reward);
        }
        if (held >= o.rolloutSteps) {
            auto stats = learner.update(rollout, rewards, run.rng());
            if (!stats) return stats.error();
            last = *stats;
            updated = true;
            run.reportLoss(stats->loss);
            rollout.clear();
            rewards.clear();
            held = 0;
        }
    }
    char note[256];
    if (updated)
        std::snprintf(
            note, sizeof note,
            "PPO: %lld updates (%lld gradient steps); last update: entropy %.3f, approx KL %.4f, clip fraction "
            "%.3f, explained variance %.3f",
            learner.updates(), learner.gradientSteps(), last.entropy, last.approxKl, last.clipFraction,
            last.explainedVariance);
    else
        std::snprintf(note, sizeof note, "PPO: no update (the budget ended before a rollout of %d actions)",
                      o.rolloutSteps);
    run.addNote(note);
    return {};
}

} // namespace

Result<void> runPpoSearch(SearchRun& run) {
    const bool cuda = run.config().preferCuda && detectComputeDevice().cuda;
    run.setDevice(cuda ? describeComputeDevice() : "CPU");
    const TokenVocabulary vocabulary(run.grammar());
    if (vocabulary.size() < 2) return makeError(ErrorCode::InvalidArgument, "PPO: the grammar has no tokens");
    try {
        PpoLearner learner(vocabulary, run.config().ppo, run.config().seed, cuda);
        return ppoLoop(run, learner);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("PPO: ") + e.what());
    }
}

} // namespace alphascope
