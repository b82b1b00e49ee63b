#include "core/eval/eval_cache.h"

namespace alphascope {

PanelPtr EvalCache::find(const Expr& e) {
    std::lock_guard lock(m_mutex);
    auto [lo, hi] = m_index.equal_range(e.hash());
    for (auto it = lo; it != hi; ++it) {
        if (it->second->key->equals(e)) {
            m_lru.splice(m_lru.begin(), m_lru, it->second);
            ++m_stats.hits;
            return it->second->value;
        }
    }
    ++m_stats.misses;
    return nullptr;
}

void EvalCache::insert(const ExprPtr& e, PanelPtr value) {
    if (!value) return;
    const std::size_t bytes = value->bytes();
    std::lock_guard lock(m_mutex);
    if (bytes > m_budget) return;
    auto [lo, hi] = m_index.equal_range(e->hash());
    for (auto it = lo; it != hi; ++it)
        if (it->second->key->equals(*e)) return; // another thread got there first
    m_lru.push_front(Entry{e, std::move(value)});
    m_index.emplace(e->hash(), m_lru.begin());
    m_bytes += bytes;
    evictLocked();
}

void EvalCache::evictLocked() {
    while (m_bytes > m_budget && !m_lru.empty()) {
        auto last = std::prev(m_lru.end());
        auto [lo, hi] = m_index.equal_range(last->key->hash());
        for (auto it = lo; it != hi; ++it)
            if (it->second == last) {
                m_index.erase(it);
                break;
            }
        m_bytes -= last->value->bytes();
        m_lru.erase(last);
        ++m_stats.evictions;
    }
}

void EvalCache::clear() {
    std::lock_guard lock(m_mutex);
    m_lru.clear();
    m_index.clear();
    m_bytes = 0;
}

void EvalCache::setBudget(std::size_t bytes) {
    std::lock_guard lock(m_mutex);
    m_budget = bytes;
    evictLocked();
}

CacheStats EvalCache::stats() const {
    std::lock_guard lock(m_mutex);
    CacheStats s = m_stats;
    s.entries = m_lru.size();
    s.bytes = m_bytes;
    s.budgetBytes = m_budget;
    return s;
}

} // namespace alphascope
