// MinCutPool and DiffPool on dense market graphs, one window after another (graph_pooling.h).

#include "core/nn/graph_pooling.h"

#include "core/nn/device.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace alphascope::nn {

bool parsePoolingMethod(std::string_view text, PoolingMethod& out) {
    if (text == "mincut")
        out = PoolingMethod::MinCut;
    else if (text == "diffpool")
        out = PoolingMethod::DiffPool;
    else
        return false;
    return true;
}

namespace {

constexpr double kEps = 1e-9;

torch::Tensor toTensor(const Eigen::MatrixXf& m) {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = m;
    return torch::from_blob(const_cast<float*>(r.data()), {r.rows(), r.cols()}, torch::kFloat32).clone();
}

Eigen::MatrixXf toEigen(const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU).to(torch::kFloat32).contiguous();
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r(c.size(0), c.size(1));
    std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), r.data());
    return r;
}

/// D^-1/2 (A + I) D^-1/2, the GCN propagation matrix (Kipf and Welling 2017).
torch::Tensor gcnPropagation(const torch::Tensor& a) {
    const torch::Tensor ah = a + torch::eye(a.size(0), a.options());
    const torch::Tensor dinv = ah.sum(1).clamp_min(kEps).pow(-0.5);
    return dinv.unsqueeze(1) * ah * dinv.unsqueeze(0);
}

struct LevelLoss {
    torch::Tensor a, b; ///< cut and orthogonality, or link and entropy
};

LevelLoss minCutLosses(const torch::Tensor& a, const torch::Tensor& s) {
    const int64_t k = s.size(1);
    const torch::Tensor sas = s.t().mm(a.mm(s));
    const torch::Tensor deg = a.sum(1);
    const torch::Tensor sds = s.t().mm(deg.unsqueeze(1) * s);
    const torch::Tensor cut = -sas.trace() / (sds.trace() + kEps);
    const torch::Tensor ss = s.t().mm(s);
    const torch::Tensor ortho =
        (ss / (ss.norm() + kEps) - torch::eye(k, s.options()) / std::sqrt(static_cast<double>(k))).norm();
    return {cut, ortho};
}

LevelLoss diffPoolLosses(const torch::Tensor& a, const torch::Tensor& s) {
    const torch::Tensor link = (a - s.mm(s.t())).norm() / (a.norm() + kEps);
    const torch::Tensor entropy = (-(s * (s + 1e-15).log()).sum(1)).mean();
    return {link, entropy};
}

/// The stacked GCN + pooling model; its parameters persist from window to window.
class Pooler {
public:
    Pooler(const PoolingOptions& o, std::vector<int> clusters, int inputDim, torch::Device device)
        : m_o(o), m_clusters(std::move(clusters)), m_device(device),
          m_gen(at::make_generator<at::CPUGeneratorImpl>(o.seed)) {
        torch::NoGradGuard noGrad;
        auto glorot = [&](int64_t in, int64_t out) {
            const double bound = std::sqrt(6.0 / static_cast<double>(in + out));
            return torch::empty({in, out}, torch::kFloat32)
                .uniform_(-bound, bound, m_gen)
                .to(m_device)
                .requires_grad_(true);
        };
        auto zeros = [&](int64_t n) { return torch::zeros({n}, torch::kFloat32).to(m_device).requires_grad_(true); };
        for (std::size_t l = 0; l < m_clusters.size(); ++l) {
            const int64_t in = l == 0 ? inputDim : o.hidden;
            m_w.push_back(glorot(in, o.hidden));
            m_b.push_back(zeros(o.hidden));
            m_p.push_back(glorot(o.hidden, m_clusters[l]));
            m_c.push_back(zeros(m_clusters[l]));
        }
        std::vector<torch::Tensor> params;
        for (auto* group : {&m_w, &m_b, &m_p, &m_c}) params.insert(params.end(), group->begin(), group->end());
        m_opt = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(o.learningRate));
    }

    /// Assignment matrices per level (level l maps level l-1's clusters to its own) and the loss.
    std::pair<std::vector<torch::Tensor>, torch::Tensor> forward(torch::Tensor a, torch::Tensor x) const {
        std::vector<torch::Tensor> assignments;
        torch::Tensor loss = torch::zeros({}, a.options());
        for (std::size_t l = 0; l < m_clusters.size(); ++l) {
            const torch::Tensor ah = gcnPropagation(a);
            const torch::Tensor h = torch::relu(ah.mm(x.mm(m_w[l])) + m_b[l]);
            const bool minCut = m_o.method == PoolingMethod::MinCut;
            const torch::Tensor logits = minCut ? h.mm(m_p[l]) + m_c[l] : ah.mm(h.mm(m_p[l])) + m_c[l];
            const torch::Tensor s = torch::softmax(logits, 1);
            const LevelLoss ll = minCut ? minCutLosses(a, s) : diffPoolLosses(a, s);
            loss = loss + ll.a + ll.b;
            // The pooled graph S'AS, degree-normalised (D^-1/2 A D^-1/2) so that its weights stay
            // near those of the level below; MinCutPool also drops its self loops. (DiffPool keeps
            // S'AS as it is: its weights grow with the clusters' sizes squared, and the next level's
            // link loss, which compares them with SS' <= 1, then merged everything into one cluster.)
            torch::Tensor next = s.t().mm(a.mm(s));
            if (minCut) next = next * (1 - torch::eye(next.size(0), next.options()));
            const torch::Tensor dinv = next.sum(1).clamp_min(kEps).pow(-0.5);
            next = dinv.unsqueeze(1) * next * dinv.unsqueeze(0);
            // The clusters' mean embeddings (the papers pool by S'H, a sum: with clusters of ~50
            // instruments the next level's logits saturate and its softmax collapses to one cluster).
            x = s.t().mm(h) / s.sum(0).clamp_min(kEps).unsqueeze(1);
            a = next;
            assignments.push_back(s);
        }
        return {assignments, loss};
    }

    bool trained() const { return m_trained; }

    void train(const torch::Tensor& a, const torch::Tensor& x, int epochs) {
        m_trained = true;
        for (int e = 0; e < epochs; ++e) {
            m_opt->zero_grad();
            torch::Tensor loss = forward(a, x).second;
            loss.backward();
            m_opt->step();
            m_lastLoss = loss.item<double>();
        }
    }

    double lastLoss() const { return m_lastLoss; }

private:
    PoolingOptions m_o;
    std::vector<int> m_clusters;
    torch::Device m_device;
    at::Generator m_gen;
    std::vector<torch::Tensor> m_w, m_b, m_p, m_c;
    std::unique_ptr<torch::optim::Adam> m_opt;
    double m_lastLoss = 0;
    bool m_trained = false;
};

/// Sum, mean and sample standard deviation of the finite values of instrument i over days (from, to].
struct Stats {
    double sum = 0, mean = 0, sd = 0;
    int n = 0;
};
Stats statsOf(const Panel& p, int i, int from, int to) {
    Stats s;
    double sq = 0;
    for (int t = std::max(0, from + 1); t <= to; ++t) {
        const float v = p.at(t, i);
        if (!std::isfinite(v)) continue;
        s.sum += v;
        sq += static_cast<double>(v) * v;
        ++s.n;
    }
    if (s.n > 0) s.mean = s.sum / s.n;
    if (s.n > 1) s.sd = std::sqrt(std::max(0.0, (sq - s.n * s.mean * s.mean) / (s.n - 1)));
    return s;
}

} // namespace

PoolingLosses poolingLosses(const Eigen::MatrixXf& adjacency, const Eigen::MatrixXf& assignment) {
    torch::NoGradGuard noGrad;
    const torch::Tensor a = toTensor(adjacency), s = toTensor(assignment);
    const LevelLoss m = minCutLosses(a, s), d = diffPoolLosses(a, s);
    return {m.a.item<double>(), m.b.item<double>(), d.a.item<double>(), d.b.item<double>()};
}

Eigen::MatrixXf nodeFeatures(const MarketData& data, const Panel& returns, int end, int window,
                             const std::vector<int>& active, const Eigen::MatrixXd& rho) {
    const int n = data.instrumentCount();
    const int na = static_cast<int>(active.size());
    constexpr int kExtra = 6;
    Eigen::MatrixXf x = Eigen::MatrixXf::Zero(na, n + kExtra);
    for (int a = 0; a < na; ++a)
        for (int b = 0; b < na; ++b)
            if (a != b && std::isfinite(rho(a, b)))
                x(a, active[static_cast<std::size_t>(b)]) = static_cast<float>(rho(a, b));
    // Each profile column centred over the window's instruments: the market's common co-movement
    // (every stock about 0.3 with every other) is the same in every row and would dominate the rows.
    for (int b = 0; b < na; ++b) {
        const int j = active[static_cast<std::size_t>(b)];
        const float mean = x.col(j).sum() / static_cast<float>(na);
        x.col(j).array() -= mean;
    }
    const Panel* volume = data.field("volume");
    Eigen::MatrixXd extra = Eigen::MatrixXd::Constant(na, kExtra, std::nan(""));
    for (int a = 0; a < na; ++a) {
        const int i = active[static_cast<std::size_t>(a)];
        extra(a, 0) = statsOf(returns, i, end - 5, end).sum;
        extra(a, 1) = statsOf(returns, i, end - 20, end).sum;
        extra(a, 2) = statsOf(returns, i, end - std::min(60, window), end).sum;
        extra(a, 3) = statsOf(returns, i, end - 20, end).sd;
        if (!volume) continue;
        const Stats v5 = statsOf(*volume, i, end - 5, end), v60 = statsOf(*volume, i, end - 60, end);
        if (v5.mean > 0 && v60.mean > 0) extra(a, 4) = std::log(v5.mean / v60.mean);
        double sr = 0, sv = 0, srr = 0, svv = 0, srv = 0, c = 0;
        for (int t = std::max(1, end - 19); t <= end; ++t) {
            const double r = returns.at(t, i), v = volume->at(t, i);
            if (!std::isfinite(r) || !(v > 0)) continue;
            const double lv = std::log(v);
            sr += r;
            sv += lv;
            srr += r * r;
            svv += lv * lv;
            srv += r * lv;
            ++c;
        }
        const double vr = srr - sr * sr / std::max(c, 1.0), vv = svv - sv * sv / std::max(c, 1.0);
        if (c >= 5 && vr > 0 && vv > 0) extra(a, 5) = (srv - sr * sv / c) / std::sqrt(vr * vv);
    }
    for (int f = 0; f < kExtra; ++f) { // z-score over the window's instruments; missing -> 0
        double s = 0, sq = 0, c = 0;
        for (int a = 0; a < na; ++a)
            if (std::isfinite(extra(a, f))) {
                s += extra(a, f);
                sq += extra(a, f) * extra(a, f);
                ++c;
            }
        const double mean = c > 0 ? s / c : 0, sd = c > 1 ? std::sqrt(std::max(0.0, sq / c - mean * mean)) : 0;
        for (int a = 0; a < na; ++a)
            x(a, n + f) = std::isfinite(extra(a, f)) && sd > 0 ? static_cast<float>((extra(a, f) - mean) / sd) : 0.0f;
    }
    return x;
}

Result<graph::HierarchyFit> fitPoolingHierarchy(const MarketData& data, const graph::HierarchyOptions& options,
                                                const PoolingOptions& pooling, ProgressSpan progress) {
    for (int k : options.levels) {
        if (k == 0)
            return makeError(ErrorCode::InvalidArgument, "graph pooling needs a fixed cluster count for every level (0 "
                                                         "chooses by silhouette, agglomerative only)");
        if (k < 2) return makeError(ErrorCode::InvalidArgument, "a level needs at least 2 clusters");
    }
    if (pooling.hidden < 1 || pooling.epochs < 1 || pooling.warmEpochs < 0 || !(pooling.learningRate > 0))
        return makeError(ErrorCode::InvalidArgument,
                         "graph pooling needs hidden >= 1, epochs >= 1, warm epochs >= 0 and a positive learning rate");
    const torch::Device device =
        pooling.cuda && detectComputeDevice().cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    const int inputDim = data.instrumentCount() + 6;
    auto pooler = std::make_shared<Pooler>(pooling, options.levels, inputDim, device);
    auto cluster = [&, pooler](const graph::WindowInput& in) -> Result<graph::WindowClusters> {
        const std::vector<int>& active = *in.active;
        const int na = static_cast<int>(active.size());
        // A window with fewer instruments than a level's clusters trains as any other: some clusters
        // stay empty.
        std::vector<int> groups;
        if (const Grouping* sector = data.grouping("sector"))
            for (int i : active) groups.push_back(sector->idsOn(in.end)[i]);
        const graph::MarketGraph g = graph::buildGraph(*in.rho, pooling.graph, groups);
        Eigen::MatrixXf a = Eigen::MatrixXf::Zero(na, na);
        for (const graph::Edge& e : g.edges) a(e.a, e.b) = a(e.b, e.a) = static_cast<float>(e.weight);
        const torch::Tensor at = toTensor(a).to(device);
        const torch::Tensor xt =
            toTensor(nodeFeatures(data, *in.returns, in.end, options.window, active, *in.rho)).to(device);
        pooler->train(at, xt, pooler->trained() ? pooling.warmEpochs : pooling.epochs); // full budget on the first fit
        torch::NoGradGuard noGrad;
        const std::vector<torch::Tensor> s = pooler->forward(at, xt).first;
        graph::WindowClusters out;
        torch::Tensor m;
        for (std::size_t l = 0; l < s.size(); ++l) {
            m = l == 0 ? s[0] : m.mm(s[l]);
            // Nested levels: an instrument's cluster at level l is its level-(l-1) cluster's argmax in
            // S_l (the product of the assignments, which may split a cluster, gives the entropy).
            const torch::Tensor hard = (l == 0 ? s[0] : s[l]).argmax(1).to(torch::kCPU).to(torch::kInt64).contiguous();
            const int64_t* top = hard.data_ptr<int64_t>();
            std::vector<int> labels(static_cast<std::size_t>(na));
            for (int i = 0; i < na; ++i)
                labels[static_cast<std::size_t>(i)] =
                    static_cast<int>(l == 0 ? top[i] : top[out.labels[l - 1][static_cast<std::size_t>(i)]]);
            out.labels.push_back(std::move(labels));
            const double k = static_cast<double>(m.size(1));
            const double h = (-(m * (m + 1e-15).log()).sum(1)).mean().item<double>() / std::log(k);
            out.entropy.push_back(h);
        }
        return out;
    };
    return graph::fitHierarchyWith(data, options, cluster, true, progress);
}

} // namespace alphascope::nn
