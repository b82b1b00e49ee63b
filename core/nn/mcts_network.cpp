#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/nn/mcts_network.h"

#include "core/expr/op_id.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

namespace alphascope {

namespace {

constexpr int kEmbedding = 32; ///< width of each instruction-part embedding (the slot embedding is their sum)
constexpr int kParts = 6;      ///< operator, destination, operand a, operand b, window, group

/// The parts of every action (and of the padding id = vocabulary size), as embedding indices.
struct PartTable {
    std::vector<std::int64_t> rows; ///< (size + 1) x kParts
    std::int64_t sizes[kParts] = {};
};

PartTable partTable(const ProgramVocabulary& v) {
    const Grammar& g = v.grammar();
    const int regs = g.registers, feats = static_cast<int>(g.features.size());
    PartTable t;
    // Operators: OpId, then Finish, then padding. Destinations: registers, then "none". A grammar of
    // the original operators keeps the table (and so the network's initial weights per seed) it had
    // before Qlib's operators were appended; one that uses them gets rows for all.
    int operators = kOriginalOpCount;
    for (OpId op : g.operators) operators = std::max(operators, static_cast<int>(op) + 1);
    t.sizes[0] = operators + 2;
    t.sizes[1] = regs + 1;
    t.sizes[2] = t.sizes[3] = 1 + regs + feats + static_cast<std::int64_t>(g.constants.size());
    t.sizes[4] = 1 + static_cast<std::int64_t>(g.windows.size());
    t.sizes[5] = 1 + static_cast<std::int64_t>(g.groups.size());
    auto operand = [&](const ProgramOperand& o) -> std::int64_t {
        switch (o.kind) {
        case ProgramOperand::Kind::Register: return 1 + o.index;
        case ProgramOperand::Kind::Feature: return 1 + regs + o.index;
        case ProgramOperand::Kind::Constant: return 1 + regs + feats + o.index;
        case ProgramOperand::Kind::None: break;
        }
        return 0;
    };
    for (int a = 0; a <= v.size(); ++a) {
        if (a == v.size()) {
            t.rows.insert(t.rows.end(), {operators + 1, regs, 0, 0, 0, 0});
            continue;
        }
        const ProgramInstruction& ins = v.instruction(a);
        if (ins.finish) {
            t.rows.insert(t.rows.end(), {operators, regs, 0, 0, 0, 0});
            continue;
        }
        t.rows.insert(t.rows.end(), {static_cast<std::int64_t>(ins.op), ins.destination, operand(ins.a), operand(ins.b),
                                     1 + ins.windowIndex, 1 + ins.groupIndex});
    }
    return t;
}

/// Torch's default Linear initialisation, U(+-1/sqrt(fan in)) for weight and bias, from `gen`.
void initLinear(torch::nn::Linear& layer, at::Generator& gen) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer->weight.size(1)));
    layer->weight.uniform_(-bound, bound, gen);
    layer->bias.uniform_(-bound, bound, gen);
}

struct MctsNetImpl : torch::nn::Module {
    /// Every parameter is drawn from `gen` (the network's own generator), not from torch's global
    /// one, which the layers' constructors draw from and every learner of the process shares.
    MctsNetImpl(const PartTable& t, int slots, int vocabulary, int hidden, at::Generator& gen)
        : fc1(slots * kEmbedding, hidden), fc2(hidden, hidden), policy(hidden, vocabulary), value(hidden, 1) {
        for (int p = 0; p < kParts; ++p)
            parts.push_back(register_module("part" + std::to_string(p), torch::nn::Embedding(t.sizes[p], kEmbedding)));
        table = register_buffer("table", torch::tensor(t.rows, torch::kLong).view({-1, kParts}));
        register_module("fc1", fc1);
        register_module("fc2", fc2);
        register_module("policy", policy);
        register_module("value", value);
        // torch's default bounds (Embedding N(0, 1), Linear U(+-1/sqrt(fan in))), then zero heads:
        // uniform priors and value 0 until the network has learned something.
        torch::NoGradGuard noGrad;
        for (auto& part : parts) part->weight.normal_(0.0, 1.0, gen);
        initLinear(fc1, gen);
        initLinear(fc2, gen);
        for (auto* head : {&policy, &value}) {
            (*head)->weight.zero_();
            (*head)->bias.zero_();
        }
    }

    /// ids [B, slots] -> (policy logits [B, V], value [B]).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& ids) {
        const torch::Tensor rows = table.index_select(0, ids.reshape({-1})).view({ids.size(0), ids.size(1), kParts});
        torch::Tensor x = parts[0]->forward(rows.select(2, 0));
        for (int p = 1; p < kParts; ++p) x = x + parts[static_cast<std::size_t>(p)]->forward(rows.select(2, p));
        x = torch::relu(fc1->forward(x.flatten(1)));
        x = torch::relu(fc2->forward(x));
        return {policy->forward(x), value->forward(x).squeeze(1)};
    }

    std::vector<torch::nn::Embedding> parts;
    torch::Tensor table;
    torch::nn::Linear fc1, fc2, policy, value;
};
TORCH_MODULE(MctsNet);

class MctsNetwork final : public MctsGuide {
public:
    MctsNetwork(const ProgramVocabulary& v, const MctsOptions& o, std::uint64_t seed, bool cuda)
        : m_vocabulary(v.size()), m_slots(std::max(1, v.grammar().maxInstructions)),
          m_device(cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU)),
          m_generator(at::make_generator<at::CPUGeneratorImpl>(seed)),
          m_net(partTable(v), m_slots, v.size(), std::max(8, o.hidden), m_generator) {
        m_net->to(m_device);
        m_optimizer =
            std::make_unique<torch::optim::Adam>(m_net->parameters(), torch::optim::AdamOptions(o.learningRate));
    }

    Result<void> evaluate(const ProgramState& state, const std::vector<int>& legal, std::vector<float>& priors,
                          float& value) override {
        try {
            torch::NoGradGuard noGrad;
            m_net->eval();
            const torch::Tensor ids = idsTensor({state.encode()});
            auto [logits, v] = m_net->forward(ids);
            std::vector<std::int64_t> l(legal.begin(), legal.end());
            const torch::Tensor legalIdx = torch::tensor(l, torch::kLong).to(m_device);
            // Masking = keeping the legal logits only: the softmax runs over legal actions.
            const torch::Tensor p = torch::softmax(logits.squeeze(0).index_select(0, legalIdx).to(torch::kFloat64), 0)
                                        .to(torch::kCPU)
                                        .contiguous();
            priors.assign(legal.size(), 0.0f);
            const double* pd = p.data_ptr<double>();
            for (std::size_t i = 0; i < legal.size(); ++i) priors[i] = static_cast<float>(pd[i]);
            value = v.to(torch::kCPU).item<float>();
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorCode::Internal, std::string("MCTS network (torch): ") + e.what());
        }
    }

    Result<void> evaluateBatch(const std::vector<const ProgramState*>& states,
                               const std::vector<const std::vector<int>*>& legal,
                               std::vector<std::vector<float>>& priors, std::vector<float>& values) override {
        priors.assign(states.size(), {});
        values.assign(states.size(), 0.0f);
        if (states.empty()) return {};
        try {
            torch::NoGradGuard noGrad;
            m_net->eval();
            std::vector<std::vector<int>> codes;
            codes.reserve(states.size());
            for (const ProgramState* s : states) codes.push_back(s->encode());
            auto [logits, v] = m_net->forward(idsTensor(codes));
            const torch::Tensor logitsCpu = logits.to(torch::kCPU).to(torch::kFloat64).contiguous();
            const torch::Tensor valuesCpu = v.to(torch::kCPU).to(torch::kFloat32).contiguous();
            const double* rows = logitsCpu.data_ptr<double>();
            for (std::size_t r = 0; r < states.size(); ++r) {
                // The softmax over the legal actions only, as evaluate() does (on the CPU: the rows are small).
                const double* row = rows + r * static_cast<std::size_t>(m_vocabulary);
                const std::vector<int>& l = *legal[r];
                double top = -std::numeric_limits<double>::infinity();
                for (int a : l) top = std::max(top, row[a]);
                double sum = 0.0;
                std::vector<double> e(l.size());
                for (std::size_t i = 0; i < l.size(); ++i) sum += (e[i] = std::exp(row[l[i]] - top));
                priors[r].resize(l.size());
                for (std::size_t i = 0; i < l.size(); ++i) priors[r][i] = static_cast<float>(e[i] / sum);
                values[r] = valuesCpu.data_ptr<float>()[r];
            }
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorCode::Internal, std::string("MCTS network (torch): ") + e.what());
        }
    }

    Result<double> train(const std::vector<MctsSample>& batch) override {
        if (batch.empty()) return 0.0;
        try {
            m_net->train();
            const auto b = static_cast<std::int64_t>(batch.size());
            std::vector<std::vector<int>> codes;
            std::vector<float> mask(static_cast<std::size_t>(b * m_vocabulary), 0.0f);
            std::vector<float> target(mask.size(), 0.0f);
            std::vector<float> values;
            for (std::size_t r = 0; r < batch.size(); ++r) {
                const MctsSample& s = batch[r];
                if (s.legal.size() != s.policy.size())
                    return makeError(ErrorCode::InvalidArgument,
                                     "MCTS network: a sample's policy and legal sizes differ");
                codes.push_back(s.encoding);
                for (std::size_t k = 0; k < s.legal.size(); ++k) {
                    const std::size_t cell =
                        r * static_cast<std::size_t>(m_vocabulary) + static_cast<std::size_t>(s.legal[k]);
                    mask[cell] = 1.0f;
                    target[cell] = s.policy[k];
                }
                values.push_back(s.value);
            }
            const torch::Tensor maskT = torch::tensor(mask).view({b, m_vocabulary}).to(m_device).gt(0.5);
            const torch::Tensor targetT = torch::tensor(target).view({b, m_vocabulary}).to(m_device);
            const torch::Tensor valueT = torch::tensor(values).to(m_device);
            auto [logits, v] = m_net->forward(idsTensor(codes));
            // A large finite fill (not -inf) keeps 0 * log p at 0 for the illegal actions.
            const torch::Tensor logp = torch::log_softmax(logits.masked_fill(maskT.logical_not(), -1e9), 1);
            const torch::Tensor policyLoss = -(targetT * logp).sum(1).mean();
            const torch::Tensor valueLoss = torch::mse_loss(v, valueT);
            const torch::Tensor loss = policyLoss + valueLoss;
            m_optimizer->zero_grad();
            loss.backward();
            m_optimizer->step();
            return loss.item<double>();
        } catch (const std::exception& e) {
            return makeError(ErrorCode::Internal, std::string("MCTS network (torch): ") + e.what());
        }
    }

    std::string device() const override { return m_device.is_cuda() ? "CUDA" : "CPU"; }
    int vocabularySize() const override { return static_cast<int>(m_vocabulary); }

private:
    torch::Tensor idsTensor(const std::vector<std::vector<int>>& codes) const {
        std::vector<std::int64_t> flat;
        flat.reserve(codes.size() * static_cast<std::size_t>(m_slots));
        for (const auto& c : codes)
            for (int k = 0; k < m_slots; ++k) {
                const int id =
                    k < static_cast<int>(c.size()) ? c[static_cast<std::size_t>(k)] : static_cast<int>(m_vocabulary);
                flat.push_back(std::clamp<std::int64_t>(id, 0, m_vocabulary));
            }
        return torch::tensor(flat, torch::kLong).view({static_cast<std::int64_t>(codes.size()), m_slots}).to(m_device);
    }

    std::int64_t m_vocabulary;
    std::int64_t m_slots;
    torch::Device m_device;
    /// The network's own torch generator: the parameters are drawn from it, and any random torch
    /// call of this network must take it (the search's draws come from the run's mt19937_64).
    at::Generator m_generator;
    MctsNet m_net;
    std::unique_ptr<torch::optim::Adam> m_optimizer;
};

} // namespace

std::unique_ptr<MctsGuide> makeMctsNetwork(const ProgramVocabulary& vocabulary, const MctsOptions& options,
                                           std::uint64_t seed, bool preferCuda) {
    try {
        const bool cuda = preferCuda && torch::cuda::is_available();
        return std::make_unique<MctsNetwork>(vocabulary, options, seed, cuda);
    } catch (const std::exception&) {
        return nullptr; // the search then runs with uniform priors (a plain MCTS)
    }
}

} // namespace alphascope
