#pragma once
// Panel: one T x N float32 array, day-major ([t][instrument]), the unit of all computation.

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

namespace alphascope {

inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// A days x instruments float32 array stored day-major; missing values are NaN.
class Panel {
public:
    Panel() = default;
    Panel(int days, int instruments, float fill = kNaN)
        : m_days(days), m_instruments(instruments),
          m_data(static_cast<std::size_t>(days) * static_cast<std::size_t>(instruments), fill) {}

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

    std::vector<float>& storage() { return m_data; }
    const std::vector<float>& storage() const { return m_data; }

private:
    int m_days = 0;
    int m_instruments = 0;
    std::vector<float> m_data;
};

using PanelPtr = std::shared_ptr<const Panel>;

} // namespace alphascope
