#pragma once
// SettingsDialog: language, evaluation delay and cache budget (typed settings, ui/settings.h).

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace alphascope::ui {

/// The preferences dialog; writes the settings on accept.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    QComboBox* languageBox() const { return m_language; }
    QSpinBox* debounceBox() const { return m_debounce; }
    QSpinBox* cacheBox() const { return m_cache; }
    /// True when the accepted change needs a restart (the language).
    bool restartNeeded() const { return m_restartNeeded; }

public Q_SLOTS:
    void accept() override;

private:
    QComboBox* m_language;
    QSpinBox* m_debounce;
    QSpinBox* m_cache;
    bool m_restartNeeded = false;
};

} // namespace alphascope::ui
