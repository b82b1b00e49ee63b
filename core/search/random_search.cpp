#include "core/search/random_search.h"

#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace alphascope {

ExprPtr sampleRandomFormula(TokenBuilder& builder, std::mt19937_64& rng) {
    const TokenVocabulary& vocabulary = builder.vocabulary();
    const double maxTokens = static_cast<double>(std::max(1, vocabulary.grammar().maxTokens));
    const int stop = vocabulary.stopAction();
    std::vector<int> legal;
    legal.reserve(static_cast<std::size_t>(vocabulary.size()));
    builder.reset();
    while (!builder.finished()) {
        legal.clear();
        const auto& mask = builder.legalMask();
        for (int a = 0; a < vocabulary.size(); ++a)
            if (mask[static_cast<std::size_t>(a)]) legal.push_back(a);
        if (legal.empty()) return nullptr;
        // Without the forced stop, stop is one action among ~60 and nearly every formula would
        // run to the length limit; the stop draw keeps short formulas common (as in the GFN).
        if (builder.isLegal(stop) && uniform01(rng) < kRandomSearchForcedStop * builder.length() / maxTokens) {
            builder.apply(stop);
            break;
        }
        builder.apply(legal[uniformInt(rng, legal.size())]);
    }
    return builder.result();
}

Result<void> runRandomSearch(SearchRun& run) {
    const TokenVocabulary vocabulary(run.grammar());
    TokenBuilder builder(vocabulary);
    // Sampling without replacement: short formulas come up again and again (a lone field is drawn
    // every few dozen walks), and scoring a repeat spends budget on nothing new. After
    // kMaxResamples repeats in a row (a tiny grammar that is nearly exhausted) a repeat is scored
    // anyway, so that the budget always advances.
    constexpr int kMaxResamples = 200;
    std::unordered_set<std::uint64_t> seen; // membership only: iteration order never matters
    // The formulas do not depend on the scores, so they are drawn in batches and evaluated in
    // parallel; the pool sees them in the order drawn (the same pool as one at a time).
    std::vector<ExprPtr> batch;
    while (!run.shouldStop()) {
        batch.clear();
        while (static_cast<int>(batch.size()) < SearchRun::kBatch &&
               !run.stopsAfter(static_cast<long long>(batch.size()), static_cast<long long>(batch.size()))) {
            ExprPtr expr;
            for (int attempt = 0; attempt <= kMaxResamples; ++attempt) {
                expr = sampleRandomFormula(builder, run.rng());
                if (!expr)
                    return makeError(ErrorCode::InvalidArgument,
                                     "the grammar allows no formula: " + run.grammar().describe());
                if (seen.insert(expr->hash()).second) break;
            }
            batch.push_back(std::move(expr));
        }
        auto scored = run.evaluateBatch(batch);
        run.prepareOffers(scored); // every usable one is offered next
        for (auto& s : scored) {
            if (!s && s.error().code == ErrorCode::Canceled) break; // the rest of the batch was not run
            // The monitor's reward of a random formula is its |train IC|, 0 when it cannot be used.
            double reward = 0.0;
            if (s && s->usable()) {
                reward = std::fabs(s->ic);
                run.offer(*s);
            }
            run.reportReward(reward);
            run.endEpisode();
        }
    }
    return {};
}

} // namespace alphascope
