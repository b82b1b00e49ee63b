#include "core/util/feedback.h"

#include <algorithm>
#include <thread>

namespace alphascope {

bool Feedback::waitWhilePaused() {
    if (!paused() || canceled()) return false;
    const auto begin = std::chrono::steady_clock::now();
    while (paused() && !canceled()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::lock_guard lock(m_mutex);
    m_pausedSeconds += seconds;
    return true;
}

double Feedback::elapsed() const {
    std::lock_guard lock(m_mutex);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count() - m_pausedSeconds;
}

void Feedback::restart() {
    std::lock_guard lock(m_mutex);
    m_start = std::chrono::steady_clock::now();
    m_pausedSeconds = 0.0;
    m_lastReport = -1e9;
    m_fraction.store(0.0, std::memory_order_relaxed);
}

void Feedback::setProgress(double fraction, std::string_view text) {
    if (fraction >= 0) fraction = std::min(fraction, 1.0);
    m_fraction.store(fraction, std::memory_order_relaxed);
    if (!onProgress) return;
    const double now = elapsed();
    {
        std::lock_guard lock(m_mutex);
        if (fraction < 1.0 && now - m_lastReport < progressInterval) return;
        m_lastReport = now;
    }
    TaskProgress p;
    p.fraction = fraction;
    p.seconds = now;
    // The estimate needs a little history: below 1 % done or 0.5 s it is noise.
    if (fraction >= 0.01 && fraction < 1.0 && now > 0.5)
        p.secondsLeft = now * (1.0 - fraction) / fraction;
    else if (fraction >= 1.0)
        p.secondsLeft = 0.0;
    p.text = std::string(text);
    onProgress(p);
}

} // namespace alphascope
