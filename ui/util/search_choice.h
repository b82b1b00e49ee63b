#pragma once
// What the study and recovery pages share in their forms: one check box per search (those this build
// cannot run disabled, with the reason), and a search settings file read over every search's
// defaults through core's studyBaseConfig (the road of alphascope-cli study/recovery --config).

#include "core/search/study.h"

#include <QCoreApplication>
#include <QString>

#include <initializer_list>
#include <map>

class QCheckBox;
class QGridLayout;
class QWidget;

namespace alphascope::ui {

class SearchChoice {
    Q_DECLARE_TR_FUNCTIONS(alphascope::ui::SearchChoice) // the context tr() and lupdate both use
public:
    /// Every search in SearchAlgo order.
    static constexpr SearchAlgo kAlgos[] = {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Genetic,
                                            SearchAlgo::Random, SearchAlgo::Ppo};
    /// One check box per search, three to a row in `grid`, those in `checked` ticked.
    static std::map<SearchAlgo, QCheckBox*> addBoxes(QWidget* parent, QGridLayout* grid,
                                                     std::initializer_list<SearchAlgo> checked);
    /// The searches whose boxes are ticked, in SearchAlgo order.
    static std::vector<SearchAlgo> ticked(const std::map<SearchAlgo, QCheckBox*>& boxes);
    /// Each search's settings: the defaults, with `file` (a search config JSON; empty: none) read over
    /// them and checked for every one of `algos`. On an error, null with the sentence to show in `error`.
    static std::optional<StudyBase> settings(const QString& file, const std::vector<SearchAlgo>& algos, QString* error);
};

} // namespace alphascope::ui
