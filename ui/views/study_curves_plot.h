#pragma once
// StudyCurvesPlot: the learning curves of a study (alphascope-cli study's curves.csv and
// reward_curves.csv, read by core/search/study.h): one panel per search, each with its seeds as
// thin lines and their mean as a thick one, against evaluations. The valid-IC, formula-|IC| and
// top-share views put every search on one scale; each search's reward has its own (rewards differ).

#include "core/search/study.h"
#include "ui/qcustomplot_include.h"

namespace alphascope::ui {

/// A readable colour per search ("gfn", "mcts", "gp", "random", "ppo"), the same in every plot.
QColor studyAlgorithmColor(const std::string& algorithm);

class StudyCurvesPlot : public QCustomPlot {
    Q_OBJECT
public:
    enum class Kind { ValidIc, Reward, FormulaIc, TopShare };

    explicit StudyCurvesPlot(QWidget* parent = nullptr);

    /// Shows `curves` (replaces what was shown).
    void setCurves(const StudyCurves& curves, Kind kind);
    /// Panels shown (one per search) and lines drawn (for tests).
    int panels() const { return m_panels; }
    int lines() const { return m_lines; }

private:
    int m_panels = 0;
    int m_lines = 0;
};

/// Reads the study folder `dir` and writes `dir`/valid_ic.png, reward.png, formula_ic.png and top_share.png
/// (width x height pixels each). Errors: those of readStudyCurves, Io when a PNG cannot be written.
Result<void> renderStudyCurves(const QString& dir, int width = 1400, int height = 900);

} // namespace alphascope::ui
