#pragma once
// EvalCache: sub-expression results keyed by structural hash, least-recently-used out under a
// memory budget. Thread-safe.

#include "core/data/panel.h"
#include "core/expr/expr.h"

#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

namespace alphascope {

/// Counters of an EvalCache.
struct CacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
    std::size_t budgetBytes = 0;
};

/// An LRU map Expr -> Panel with a byte budget. May be used from any thread.
class EvalCache {
public:
    explicit EvalCache(std::size_t budgetBytes) : m_budget(budgetBytes) {}

    /// The cached result of an expression equal to `e`, or nullptr.
    PanelPtr find(const Expr& e);
    /// Stores a result (ignored when larger than the whole budget); evicts the least recently used.
    void insert(const ExprPtr& e, PanelPtr value);
    void clear();
    void setBudget(std::size_t bytes);
    CacheStats stats() const;

private:
    struct Entry {
        ExprPtr key;
        PanelPtr value;
    };
    using List = std::list<Entry>;
    void evictLocked();

    mutable std::mutex m_mutex;
    std::size_t m_budget;
    std::size_t m_bytes = 0;
    List m_lru; // front = most recent
    std::unordered_multimap<std::uint64_t, List::iterator> m_index;
    CacheStats m_stats;
};

} // namespace alphascope
