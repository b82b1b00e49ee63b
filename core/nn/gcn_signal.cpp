// The GCN signal baseline (gcn_signal.h).

#include "core/nn/gcn_signal.h"

#include "core/graph/return_correlation.h"
#include "core/nn/device.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace alphascope::nn {

std::vector<std::string> defaultGcnFeatures() {
    return {"$close/Ref($close,1)-1",
            "$close/Ref($close,5)-1",
            "$close/Ref($close,20)-1",
            "$close/Ref($close,60)-1",
            "Std($close/Ref($close,1),20)",
            "Mean($volume,5)/Mean($volume,60)",
            "Corr($close/Ref($close,1),Log($volume),20)",
            "($close-Min($low,20))/(Max($high,20)-Min($low,20))"};
}

namespace {

constexpr double kEps = 1e-9;

torch::Tensor panelTensor(const Panel& p) {
    return torch::from_blob(const_cast<float*>(p.row(0)), {p.days(), p.instruments()}, torch::kFloat32).clone();
}

/// The model's weights; the same on every day's graph.
struct Weights {
    torch::Tensor w1, b1, w2, b2, w3, b3;
    std::vector<torch::Tensor> all() const { return {w1, b1, w2, b2, w3, b3}; }
};

/// Pearson correlation of two vectors (NaN-free), as a differentiable scalar.
torch::Tensor pearson(const torch::Tensor& a, const torch::Tensor& b) {
    const torch::Tensor da = a - a.mean(), db = b - b.mean();
    return (da * db).sum() / ((da.square().sum() * db.square().sum()).sqrt() + kEps);
}

} // namespace

Result<GcnSignalResult> trainGcnSignal(const ResearchSession& s, const GcnSignalOptions& o, ProgressSpan progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto bad = [](std::string m) { return makeError(ErrorCode::InvalidArgument, std::move(m)); };
    if (o.hidden < 1 || o.epochs < 1 || o.patience < 1 || o.daysPerBatch < 1 || !(o.learningRate > 0) ||
        o.weightDecay < 0)
        return bad("the GCN needs hidden >= 1, epochs >= 1, patience >= 1, days per batch >= 1, a positive learning "
                   "rate and a weight decay >= 0");
    if (s.splits.empty()) return bad("the session has no splits");
    const Split& train = trainingSplit(s);
    const Split* valid = validationSplit(s);
    if (!valid || valid->days() <= 0)
        return bad("the GCN is early-stopped on a validation split; the session has none");
    const MarketData& data = *s.data;
    const int T = data.days(), N = data.instrumentCount();

    // Features: each formula z-scored per day.
    const std::vector<std::string> features = o.features.empty() ? defaultGcnFeatures() : o.features;
    const int F = static_cast<int>(features.size());
    torch::Tensor x = torch::zeros({T, N, F}, torch::kFloat32);
    torch::Tensor present = torch::zeros({T, N}, torch::kBool);
    for (int f = 0; f < F; ++f) {
        auto v = s.evaluator->evaluate("CSZScore(" + features[static_cast<std::size_t>(f)] + ")");
        if (!v.ok())
            return makeError(v.error().code == ErrorCode::Canceled ? ErrorCode::Canceled : ErrorCode::InvalidArgument,
                             "feature " + std::to_string(f + 1) + " '" + features[static_cast<std::size_t>(f)] +
                                 "': " + v.error().message);
        const torch::Tensor t = panelTensor(*v.value());
        const torch::Tensor finite = torch::isfinite(t);
        x.select(2, f).copy_(torch::where(finite, t, torch::zeros_like(t)));
        present = present | finite;
        if (progress.stopRequested()) return makeError(ErrorCode::Canceled, "the GCN was canceled");
    }
    if (!data.membership.empty()) {
        std::vector<std::uint8_t> member(data.membership.begin(), data.membership.end());
        present = present & torch::from_blob(member.data(), {T, N}, torch::kUInt8).to(torch::kBool);
    }
    const torch::Tensor target = panelTensor(*s.targetValues);
    const torch::Tensor targetOk = torch::isfinite(target);

    // The graph: a base adjacency per day (sector edges never change unless the grouping does; the
    // correlation graph changes at each window end), masked by the day's instruments.
    GcnSignalResult result;
    const bool corr = o.graph.rule != graph::EdgeRule::Sector;
    const bool sector = o.graph.rule == graph::EdgeRule::Sector || o.graph.rule == graph::EdgeRule::Both;
    const Grouping* groups = sector ? data.grouping(o.groupName) : nullptr;
    if (sector && !groups)
        return makeError(ErrorCode::NotFound,
                         "sector edges need the grouping '" + o.groupName + "'; the data has none");
    std::vector<int> ends;
    std::vector<std::vector<graph::Edge>> corrEdges; // per window end (dense matrices only in the cache below)
    Panel returns;
    if (corr) {
        if (!data.field("close")) return makeError(ErrorCode::NotFound, "correlation edges need close prices ($close)");
        returns = graph::logReturns(*data.field("close"));
        ends = graph::windowEnds(T, o.window + 1, o.step);
        const int minOverlap = std::max(3, 2 * o.window / 3);
        for (int e : ends) {
            const Eigen::MatrixXd rho = graph::windowCorrelation(returns, e, o.window, minOverlap);
            std::vector<char> active(static_cast<std::size_t>(N));
            std::vector<int> g;
            for (int i = 0; i < N; ++i) {
                active[static_cast<std::size_t>(i)] = std::isfinite(rho(i, i));
                if (groups) g.push_back(groups->idsOn(e)[i]);
            }
            corrEdges.push_back(graph::buildGraph(rho, o.graph, g, active).edges);
        }
        result.graph = std::string(graph::edgeRuleName(o.graph.rule)) + " edges of the " + std::to_string(o.window) +
                       "-day return correlation, refitted every " + std::to_string(o.step) + " days" +
                       (o.graph.rule == graph::EdgeRule::Knn
                            ? " (k = " + std::to_string(o.graph.k) + ")"
                            : " (|rho| > " + std::to_string(o.graph.threshold).substr(0, 4) + ")") +
                       (sector ? ", with the edges of the grouping '" + o.groupName + "'" : "");
    } else {
        result.graph = "edges within each group of '" + o.groupName + "'";
    }
    auto sectorBase = [&](int t) {
        torch::Tensor g = torch::from_blob(const_cast<int*>(groups->idsOn(t)), {N}, torch::kInt32).to(torch::kInt64);
        const torch::Tensor known = g >= 0;
        return ((g.unsqueeze(0) == g.unsqueeze(1)) & known.unsqueeze(0) & known.unsqueeze(1)).to(torch::kFloat32);
    };
    const torch::Tensor staticSector = groups && !groups->timeVarying() ? sectorBase(0) : torch::Tensor();
    const torch::Device device =
        o.cuda && detectComputeDevice().cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    result.device = device.is_cuda() ? "CUDA" : "CPU";

    // D^-1/2 (A + I) D^-1/2 of day t on the device. The base graph changes only at window ends and
    // a day's instruments rarely, so the matrices are kept per (base graph, instruments), at most 64
    // of them (building one costs several N x N passes; a day's forward pass two).
    const torch::Tensor eye = torch::eye(N);
    std::map<std::pair<int, std::vector<int>>, torch::Tensor> cache;
    auto propagation = [&](int t) {
        int baseId = -1; // -1: no edges; 0..: a correlation window; -2: the sector graph of day t
        if (corr) {
            const auto it = std::upper_bound(ends.begin(), ends.end(), t);
            if (it != ends.begin())
                baseId = static_cast<int>(it - ends.begin() - 1);
            else if (sector)
                baseId = -2;
        } else {
            baseId = -2;
        }
        // The key: the base graph, the day's instruments and, for a grouping that changes over
        // time, the day's groups.
        const torch::Tensor row = present[t];
        const auto has = row.accessor<bool, 1>();
        std::vector<int> key(static_cast<std::size_t>(N));
        for (int i = 0; i < N; ++i) key[static_cast<std::size_t>(i)] = has[i];
        if (baseId == -2 && groups && groups->timeVarying())
            key.insert(key.end(), groups->idsOn(t), groups->idsOn(t) + N);
        auto k = std::make_pair(baseId, std::move(key));
        if (auto found = cache.find(k); found != cache.end()) return found->second;
        torch::Tensor a;
        if (baseId >= 0) {
            a = torch::zeros({N, N}, torch::kFloat32);
            auto acc = a.accessor<float, 2>();
            for (const graph::Edge& e : corrEdges[static_cast<std::size_t>(baseId)])
                acc[e.a][e.b] = acc[e.b][e.a] = static_cast<float>(e.sector && !e.correlation ? 1.0 : e.weight);
        } else if (baseId == -2) {
            a = staticSector.defined() ? staticSector : sectorBase(t);
        } else {
            a = torch::zeros({N, N}, torch::kFloat32);
        }
        const torch::Tensor m = present[t].to(torch::kFloat32);
        a = a * m.unsqueeze(0) * m.unsqueeze(1) * (1 - eye) + eye;
        const torch::Tensor dinv = a.sum(1).clamp_min(kEps).pow(-0.5);
        torch::Tensor ah = (dinv.unsqueeze(1) * a * dinv.unsqueeze(0)).to(device);
        if (cache.size() >= 64) cache.clear(); // a bounded cache: at most 64 N x N matrices
        cache.emplace(std::move(k), ah);
        return ah;
    };

    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    auto glorot = [&](int64_t in, int64_t out) {
        const double bound = std::sqrt(6.0 / static_cast<double>(in + out));
        return torch::empty({in, out}, torch::kFloat32).uniform_(-bound, bound, gen).to(device).requires_grad_(true);
    };
    auto zeros = [&](int64_t n) { return torch::zeros({n}, torch::kFloat32).to(device).requires_grad_(true); };
    Weights w{glorot(F, o.hidden), zeros(o.hidden),     glorot(o.hidden, o.hidden),
              zeros(o.hidden),     glorot(o.hidden, 1), zeros(1)};
    torch::optim::Adam opt(w.all(), torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay));
    auto forward = [&](int t, const torch::Tensor& ah) {
        const torch::Tensor xt = x[t].to(device);
        const torch::Tensor h1 = torch::relu(ah.mm(xt.mm(w.w1)) + w.b1);
        const torch::Tensor h2 = torch::relu(ah.mm(h1.mm(w.w2)) + w.b2);
        return (h2.mm(w.w3) + w.b3).squeeze(1);
    };
    // Days usable for training or validation: at least 10 instruments with features and a target.
    auto usable = [&](const Split& sp) {
        std::vector<int> days;
        for (int t = sp.begin; t < sp.end; ++t)
            if ((present[t] & targetOk[t]).sum().item<int64_t>() >= 10) days.push_back(t);
        return days;
    };
    std::vector<int> trainDays = usable(train);
    const std::vector<int> validDays = usable(*valid);
    if (trainDays.empty() || validDays.empty())
        return bad("the train or the validation split has no day with 10 instruments that have features and a target");
    auto dayLoss = [&](int t, const torch::Tensor& pred) {
        const torch::Tensor mask = (present[t] & targetOk[t]).to(device);
        const torch::Tensor p = pred.masked_select(mask);
        const torch::Tensor y = target[t].to(device).masked_select(mask);
        if (o.icLoss) return -pearson(p, y);
        const torch::Tensor z = (y - y.mean()) / (y.std() + kEps);
        return (p - z).square().mean();
    };
    auto validIc = [&]() {
        torch::NoGradGuard noGrad;
        double sum = 0;
        int n = 0;
        for (int t : validDays) {
            const torch::Tensor mask = (present[t] & targetOk[t]).to(device);
            const double ic =
                pearson(forward(t, propagation(t)).masked_select(mask), target[t].to(device).masked_select(mask))
                    .item<double>();
            if (std::isfinite(ic)) {
                sum += ic;
                ++n;
            }
        }
        return n ? sum / n : std::nan("");
    };

    std::mt19937_64 rng(o.seed);
    std::vector<torch::Tensor> best;
    double bestIc = -std::numeric_limits<double>::infinity();
    int sinceBest = 0;
    const double totalSteps = static_cast<double>(o.epochs) * trainDays.size();
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        std::shuffle(trainDays.begin(), trainDays.end(), rng);
        double lossSum = 0;
        for (std::size_t b = 0; b < trainDays.size(); b += static_cast<std::size_t>(o.daysPerBatch)) {
            if (progress.stopRequested()) return makeError(ErrorCode::Canceled, "the GCN was canceled");
            const std::size_t e = std::min(trainDays.size(), b + static_cast<std::size_t>(o.daysPerBatch));
            opt.zero_grad();
            torch::Tensor loss = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
            for (std::size_t k = b; k < e; ++k)
                loss = loss + dayLoss(trainDays[k], forward(trainDays[k], propagation(trainDays[k])));
            loss = loss / static_cast<double>(e - b);
            loss.backward();
            opt.step();
            lossSum += loss.item<double>() * static_cast<double>(e - b);
            progress.report((epoch * static_cast<double>(trainDays.size()) + e) / totalSteps,
                            "GCN epoch " + std::to_string(epoch + 1) + " of " + std::to_string(o.epochs));
        }
        result.trainLoss.push_back(lossSum / trainDays.size());
        const double ic = validIc();
        result.validIc.push_back(ic);
        if (ic > bestIc) {
            bestIc = ic;
            result.bestEpoch = epoch;
            best.clear();
            for (const auto& p : w.all()) best.push_back(p.detach().clone());
            sinceBest = 0;
        } else if (++sinceBest >= o.patience) {
            break;
        }
    }
    {
        torch::NoGradGuard noGrad;
        const auto params = w.all();
        for (std::size_t k = 0; k < params.size() && k < best.size(); ++k) params[k].copy_(best[k]);
    }

    auto scores = std::make_shared<Panel>(T, N, kNaN);
    {
        torch::NoGradGuard noGrad;
        const auto has = present.accessor<bool, 2>();
        for (int t = 0; t < T; ++t) {
            int count = 0;
            for (int i = 0; i < N; ++i) count += has[t][i];
            if (count < 2) continue;
            const torch::Tensor pred = forward(t, propagation(t)).to(torch::kCPU).contiguous();
            const float* p = pred.data_ptr<float>();
            for (int i = 0; i < N; ++i)
                if (has[t][i]) scores->at(t, i) = p[i];
        }
    }
    result.scores = scores;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.report(1.0, "GCN trained");
    return result;
}

} // namespace alphascope::nn
