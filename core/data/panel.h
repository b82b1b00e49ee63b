#pragma once
// Panel: one T x N float32 array, day-major ([t][instrument]), the unit of all computation.

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace alphascope {

inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Memory for panel storage: blocks of 2 MiB and more are aligned to 2 MiB and offered to the
/// kernel as transparent huge pages (madvise), so that a fresh 2.7 MB panel costs one page fault
/// instead of ~500 (page faults were a fifth of an MCTS search's time on a virtual machine).
/// Freed blocks of 64 KiB and more are kept (up to the retention limit, oldest released first) and
/// handed to the next request of the same size, so that a search that makes and drops panels for
/// every formula does not fault and zero fresh pages for each.
void* allocatePanelMemory(std::size_t bytes);
void freePanelMemory(void* p, std::size_t bytes) noexcept;

inline constexpr std::size_t kDefaultPanelRetention = std::size_t(128) << 20;

/// The most bytes of freed panel memory kept for reuse (0 returns every block at once).
void setPanelMemoryRetention(std::size_t bytes);

struct PanelMemoryStats {
    std::size_t allocations = 0;   ///< requests of 64 KiB and more
    std::size_t reused = 0;        ///< of them, served by a kept block
    std::size_t released = 0;      ///< kept blocks given back to the system
    std::size_t retainedBytes = 0; ///< kept now
    std::size_t retainedBlocks = 0;
};
PanelMemoryStats panelMemoryStats();

/// An allocator that leaves new elements uninitialised (value-initialisation becomes default-
/// initialisation): a kernel's output panel is written in full, so filling it first would only
/// cost a pass over memory. Blocks come from allocatePanelMemory().
template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    using value_type = T;
    T* allocate(std::size_t n) { return static_cast<T*>(allocatePanelMemory(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { freePanelMemory(p, n * sizeof(T)); }
    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };
    DefaultInitAllocator() = default;
    template <class U>
    DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// Tag for Panel's constructor that leaves the values unset.
struct Uninitialized {};

/// A days x instruments float32 array stored day-major; missing values are NaN.
class Panel {
public:
    using Storage = std::vector<float, DefaultInitAllocator<float>>;

    Panel() = default;
    Panel(int days, int instruments, float fill = kNaN)
        : m_days(days), m_instruments(instruments),
          m_data(static_cast<std::size_t>(days) * static_cast<std::size_t>(instruments), fill) {}
    /// A panel whose values are unset: for outputs that are written in full.
    Panel(int days, int instruments, Uninitialized)
        : m_days(days), m_instruments(instruments),
          m_data(static_cast<std::size_t>(days) * static_cast<std::size_t>(instruments)) {}

    int days() const { return m_days; }
    int instruments() const { return m_instruments; }
    std::size_t size() const { return m_data.size(); }
    std::size_t bytes() const { return m_data.size() * sizeof(float); }

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float* row(int t) { return m_data.data() + static_cast<std::size_t>(t) * m_instruments; }
    const float* row(int t) const { return m_data.data() + static_cast<std::size_t>(t) * m_instruments; }
    float& at(int t, int i) { return m_data[static_cast<std::size_t>(t) * m_instruments + i]; }
    float at(int t, int i) const { return m_data[static_cast<std::size_t>(t) * m_instruments + i]; }

    Storage& storage() { return m_data; }
    const Storage& storage() const { return m_data; }

private:
    int m_days = 0;
    int m_instruments = 0;
    Storage m_data;
};

using PanelPtr = std::shared_ptr<const Panel>;

} // namespace alphascope
