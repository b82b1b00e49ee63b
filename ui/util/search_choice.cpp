#include "ui/util/search_choice.h"

#include "core/search/search_registry.h"

#include <QCheckBox>
#include <QFile>
#include <QGridLayout>

#include <algorithm>

namespace alphascope::ui {

std::map<SearchAlgo, QCheckBox*> SearchChoice::addBoxes(QWidget* parent, QGridLayout* grid,
                                                        std::initializer_list<SearchAlgo> checked) {
    const QString names[] = {tr("GFlowNet"), tr("MCTS"), tr("GP"), tr("Random search"), tr("PPO")};
    std::map<SearchAlgo, QCheckBox*> boxes;
    for (int k = 0; k < 5; ++k) {
        auto* box = new QCheckBox(names[k], parent);
        box->setChecked(std::find(checked.begin(), checked.end(), kAlgos[k]) != checked.end());
        if (!searchAlgorithmAvailable(kAlgos[k])) {
            box->setChecked(false);
            box->setEnabled(false);
            box->setToolTip(tr("This build has no LibTorch"));
        }
        boxes[kAlgos[k]] = box;
        grid->addWidget(box, k / 3, k % 3);
    }
    return boxes;
}

std::vector<SearchAlgo> SearchChoice::ticked(const std::map<SearchAlgo, QCheckBox*>& boxes) {
    std::vector<SearchAlgo> out;
    for (SearchAlgo algo : kAlgos)
        if (boxes.at(algo)->isChecked()) out.push_back(algo);
    return out;
}

std::optional<StudyBase> SearchChoice::settings(const QString& file, const std::vector<SearchAlgo>& algos,
                                                QString* error) {
    std::string config;
    if (!file.isEmpty()) {
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly)) {
            *error = tr("Cannot read the settings file %1: %2").arg(file, in.errorString());
            return std::nullopt;
        }
        config = in.readAll().toStdString();
    }
    auto base = studyBaseConfig(config, file.toStdString(), algos);
    if (!base.ok()) {
        *error = tr("The settings are not valid: %1").arg(QString::fromStdString(base.error().toString()));
        return std::nullopt;
    }
    return std::move(base.value());
}

} // namespace alphascope::ui
