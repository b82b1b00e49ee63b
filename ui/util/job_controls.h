#pragma once
// The controls of a page that runs one LatestJob: a run button, a cancel button and a progress bar
// (0..1000). One place for what the GCN page, the persistence page and the market graph's fit show
// while their job runs.

#include "core/util/feedback.h"

#include <QProgressBar>
#include <QPushButton>
#include <QString>

namespace alphascope::ui {

/// While busy: run disabled, cancel enabled, the bar shown from 0; after: run enabled when
/// `canRun`, cancel disabled, the bar hidden.
inline void showJobBusy(bool busy, bool canRun, QPushButton* run, QPushButton* cancel, QProgressBar* bar) {
    run->setEnabled(!busy && canRun);
    cancel->setEnabled(busy);
    bar->setVisible(busy);
    if (busy) bar->setValue(0);
}

/// The job's fraction in the bar (an unknown one, negative, leaves it) and its text in the bar
/// (hidden when empty).
inline void showJobProgress(const TaskProgress& p, QProgressBar* bar) {
    if (p.fraction >= 0) bar->setValue(static_cast<int>(1000 * p.fraction));
    bar->setFormat(QString::fromStdString(p.text));
    bar->setTextVisible(!p.text.empty());
}

} // namespace alphascope::ui
