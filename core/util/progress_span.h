#pragma once
// ProgressSpan: a share of a Feedback's 0..1 progress, so that nested stages of one piece of work
// (decompressing, parsing, evaluating the target) each report 0..1 of their own part while the
// caller sees one monotone fraction (QGIS's QgsProcessingMultiStepFeedback, without a second cancel
// flag: every span reads the one flag of its Feedback, so a cancel reaches the innermost loop).

#include "core/util/feedback.h"

#include <atomic>
#include <string_view>

namespace alphascope {

/// A part [begin, end] of a Feedback's progress; a cheap value passed down by copy. A default span
/// (or one made from a null Feedback) reports nowhere and is never canceled. Worker thread only.
class ProgressSpan {
public:
    ProgressSpan() = default;
    /// The whole 0..1 of `feedback` (may be null). Implicit on purpose: functions that take a span
    /// take a `Feedback*` too, so callers with no nesting just pass `&feedback`.
    ProgressSpan(Feedback* feedback) : m_feedback(feedback) {} // NOLINT(google-explicit-constructor)

    /// The part [from, to] (fractions of this span, 0 <= from <= to <= 1) of this span.
    ProgressSpan sub(double from, double to) const {
        ProgressSpan s;
        s.m_feedback = m_feedback;
        s.m_begin = map(from);
        s.m_end = map(to);
        return s;
    }

    /// Reports `fraction` (0..1) of this span with a line of text saying which stage runs.
    void report(double fraction, std::string_view text) const {
        if (m_feedback) m_feedback->setProgress(map(fraction), text);
    }

    /// The poll point of a worker loop: waits while the Feedback is paused, then says whether it
    /// was canceled.
    bool stopRequested() const {
        if (!m_feedback) return false;
        m_feedback->waitWhilePaused();
        return m_feedback->canceled();
    }

    /// For APIs that poll a raw flag (Evaluator::evaluate); null without a Feedback.
    const std::atomic<bool>* cancelFlag() const { return m_feedback ? &m_feedback->cancelFlag : nullptr; }
    Feedback* feedback() const { return m_feedback; }

private:
    /// Exactly `m_end` at 1, so that the outermost span's completion reports exactly 1 (the
    /// Feedback always forwards the final report).
    double map(double fraction) const {
        if (fraction <= 0.0) return m_begin;
        if (fraction >= 1.0) return m_end;
        return m_begin + fraction * (m_end - m_begin);
    }

    Feedback* m_feedback = nullptr;
    double m_begin = 0.0;
    double m_end = 1.0;
};

} // namespace alphascope
