#pragma once
// Includes <qcustomplot.h> under QT_NO_KEYWORDS: the header still uses the `signals` and `foreach`
// keywords, which that define removes, so map them to the Q_ macros for the include only.

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals
#else
#include <qcustomplot.h>
#endif
