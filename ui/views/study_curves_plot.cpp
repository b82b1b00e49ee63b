#include "ui/views/study_curves_plot.h"

#include <QDir>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

QColor studyAlgorithmColor(const std::string& algorithm) {
    if (algorithm == "gfn") return QColor(0x1f, 0x77, 0xb4);
    if (algorithm == "mcts") return QColor(0xd6, 0x27, 0x28);
    if (algorithm == "gp") return QColor(0x2c, 0xa0, 0x2c);
    if (algorithm == "random") return QColor(0x7f, 0x7f, 0x7f);
    if (algorithm == "ppo") return QColor(0x94, 0x67, 0xbd);
    return QColor(0xff, 0x7f, 0x0e);
}

StudyCurvesPlot::StudyCurvesPlot(QWidget* parent) : QCustomPlot(parent) {
    setMinimumSize(300, 200);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
}

void StudyCurvesPlot::setCurves(const StudyCurves& curves, Kind kind) {
    clearPlottables();
    plotLayout()->clear();
    m_panels = 0;
    m_lines = 0;
    const std::vector<StudyCurve>& lines = kind == Kind::ValidIc     ? curves.validIc
                                           : kind == Kind::Reward    ? curves.reward
                                           : kind == Kind::FormulaIc ? curves.formulaIc
                                                                     : curves.topShare;
    std::vector<std::string> algorithms;
    for (const auto& c : lines)
        if (std::find(algorithms.begin(), algorithms.end(), c.algorithm) == algorithms.end())
            algorithms.push_back(c.algorithm);
    if (algorithms.empty()) {
        replot();
        return;
    }
    const QString heading =
        kind == Kind::ValidIc     ? tr("Combined pool's valid IC (train weights): seeds thin, their mean thick")
        : kind == Kind::Reward    ? tr("Each search's own mean reward (its own scale): seeds thin, their mean thick")
        : kind == Kind::FormulaIc ? tr("Mean |train IC| of the formulas each search evaluated (0 when unusable): seeds "
                                       "thin, their mean thick")
                                  : tr("Share of evaluations finding a new formula of the run's top tenth by |IC|: "
                                       "seeds thin, their mean thick");
    auto* title = new QCPTextElement(this, heading, QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, title);
    const int columns = std::min<int>(3, static_cast<int>(algorithms.size()));
    auto* grid = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, grid);
    double lo = INFINITY, hi = -INFINITY;
    std::vector<QCPAxisRect*> rects;
    for (std::size_t a = 0; a < algorithms.size(); ++a) {
        auto* rect = new QCPAxisRect(this);
        grid->addElement(static_cast<int>(a) / columns, static_cast<int>(a) % columns, rect);
        rect->axis(QCPAxis::atBottom)->setLabel(tr("Evaluations"));
        rect->axis(QCPAxis::atLeft)
            ->setLabel(kind == Kind::ValidIc     ? tr("valid IC")
                       : kind == Kind::Reward    ? tr("mean reward")
                       : kind == Kind::FormulaIc ? tr("mean |IC|")
                                                 : tr("share"));
        auto* name = new QCPTextElement(this, QString::fromStdString(algorithms[a]),
                                        QFont(font().family(), font().pointSize(), QFont::Bold));
        rect->insetLayout()->addElement(name, Qt::AlignLeft | Qt::AlignTop);
        double rlo = INFINITY, rhi = -INFINITY, xmax = 0.0;
        for (const auto& c : lines) {
            if (c.algorithm != algorithms[a]) continue;
            const bool mean = c.seed == "mean";
            QColor color = studyAlgorithmColor(c.algorithm);
            if (!mean) color.setAlpha(90);
            QCPGraph* g = addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            g->setPen(QPen(color, mean ? 2.5 : 1.0));
            // A pool's valid IC holds until the next snapshot: steps, not slopes.
            if (kind == Kind::ValidIc) g->setLineStyle(QCPGraph::lsStepLeft);
            QVector<double> x, y;
            for (std::size_t i = 0; i < c.evaluations.size(); ++i) {
                if (!std::isfinite(c.values[i])) continue;
                x << c.evaluations[i];
                y << c.values[i];
                rlo = std::min(rlo, c.values[i]);
                rhi = std::max(rhi, c.values[i]);
                xmax = std::max(xmax, c.evaluations[i]);
            }
            g->setData(x, y, true);
            ++m_lines;
        }
        rect->axis(QCPAxis::atBottom)->setRange(0.0, std::max(1.0, xmax));
        if (std::isfinite(rlo)) {
            const double pad = std::max(1e-6, 0.05 * (rhi - rlo));
            rect->axis(QCPAxis::atLeft)->setRange(rlo - pad, rhi + pad);
            lo = std::min(lo, rlo - pad);
            hi = std::max(hi, rhi + pad);
        }
        rects.push_back(rect);
        ++m_panels;
    }
    if (kind != Kind::Reward && std::isfinite(lo)) // one scale, so the searches compare
        for (auto* rect : rects) rect->axis(QCPAxis::atLeft)->setRange(lo, hi);
    replot();
}

Result<void> renderStudyCurves(const QString& dir, int width, int height) {
    auto curves = readStudyCurves(dir.toStdString());
    if (!curves) return curves.error();
    StudyCurvesPlot plot;
    plot.resize(width, height);
    for (auto [kind, file] : {std::pair{StudyCurvesPlot::Kind::ValidIc, QStringLiteral("valid_ic.png")},
                              std::pair{StudyCurvesPlot::Kind::Reward, QStringLiteral("reward.png")},
                              std::pair{StudyCurvesPlot::Kind::FormulaIc, QStringLiteral("formula_ic.png")},
                              std::pair{StudyCurvesPlot::Kind::TopShare, QStringLiteral("top_share.png")}}) {
        plot.setCurves(*curves, kind);
        const QString path = QDir(dir).filePath(file);
        if (!plot.savePng(path, width, height))
            return makeError(ErrorCode::Io, "cannot write the plot", path.toStdString());
    }
    return {};
}

} // namespace alphascope::ui
