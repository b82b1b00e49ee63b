#pragma once
// SearchForm: the settings of one automated search (algorithm, budgets, pool, rewards, network and
// search knobs, seed, device). Defaults come from core (defaultSearchConfig); every change is
// checked by core's validate() and an invalid combination is shown with its reason and disables
// Start. Only the knobs of the chosen algorithm are enabled.

#include "core/search/search.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QSpinBox;

namespace alphascope::ui {

/// The search settings form.
class SearchForm : public QWidget {
    Q_OBJECT
public:
    explicit SearchForm(QWidget* parent = nullptr);

    /// The session the grammar is checked against (null: no data checks).
    void setSession(std::shared_ptr<const ResearchSession> session);
    /// The config the form shows.
    SearchConfig config() const;
    /// Shows `config` (e.g. a stored run's, to run it again).
    void setConfig(const SearchConfig& config);
    /// True when validate() accepts the config; message() says why not.
    bool isValid() const { return m_valid; }
    QString message() const;

    QComboBox* algorithmBox() const { return m_algo; }
    QSpinBox* evaluationsBox() const { return m_evals; }
    QSpinBox* seedBox() const { return m_seed; }
    QComboBox* deviceBox() const { return m_device; }
    QDoubleSpinBox* l1Box() const { return m_l1; }
    QDoubleSpinBox* complexityBox() const { return m_complexity; }
    QCheckBox* refuseLowerIcBox() const { return m_refuseLowerIc; }
    QDoubleSpinBox* lengthPenaltyBox() const { return m_lengthPenalty; }
    QDoubleSpinBox* localSearchBox() const { return m_localSearch; }
    QDoubleSpinBox* geneticBox() const { return m_genetic; }
    QCheckBox* denseBox() const { return m_dense; }
    /// The groupings the group operators may use (checkable; the session's groupings).
    QListWidget* groupsList() const { return m_groups; }
    /// Operators beyond the default vocabulary (Qlib's comparisons, regression, SignedPower, ...), unchecked by
    /// default.
    QListWidget* extraOperatorsList() const { return m_extraOps; }

Q_SIGNALS:
    /// The config or its validity changed.
    void changed();

private:
    void onAlgorithmChanged();
    void revalidate();
    /// Lists the session's groupings, checked as in `checked` (names not in the session are listed too).
    void fillGroups(const std::vector<std::string>& checked);
    void fillExtraOperators(const std::vector<OpId>& grammarOperators);

    std::shared_ptr<const ResearchSession> m_session;
    QComboBox* m_algo;
    QSpinBox* m_evals;
    QSpinBox* m_episodes;
    QSpinBox* m_seconds;
    QComboBox* m_poolKind;
    QSpinBox* m_poolSize;
    QDoubleSpinBox* m_l1;
    QDoubleSpinBox* m_complexity;
    QCheckBox* m_refuseLowerIc;
    QDoubleSpinBox* m_ssl;
    QDoubleSpinBox* m_novelty;
    QCheckBox* m_dense;
    QComboBox* m_encoder;
    QSpinBox* m_updateFrequency;
    QDoubleSpinBox* m_lengthPenalty;
    QDoubleSpinBox* m_localSearch;
    QDoubleSpinBox* m_genetic;
    QSpinBox* m_simulations;
    QCheckBox* m_mctsNetwork;
    QSpinBox* m_population;
    QCheckBox* m_dimension;
    QSpinBox* m_maxTokens;
    QListWidget* m_groups;
    QListWidget* m_extraOps;
    QSpinBox* m_seed;
    QComboBox* m_device;
    QLabel* m_message;
    SearchConfig m_base; ///< fields the form does not show keep these values
    bool m_valid = false;
    bool m_updating = false;
};

} // namespace alphascope::ui
