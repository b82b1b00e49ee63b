#pragma once
// OpenDatasetDialog: what to load (long CSV or Qlib folder, universe, sectors), the target formula
// and the date splits; recent datasets fill the form with one click.

#include "core/eval/research_session.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QRadioButton;

namespace alphascope::ui {

/// The dataset-opening dialog.
class OpenDatasetDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenDatasetDialog(QWidget* parent = nullptr);

    /// Fills the form from a spec (e.g. the dataset open now).
    void setSpec(const SessionSpec& spec);
    /// The spec the form describes (valid after accept()).
    SessionSpec spec() const;
    /// Checks the form; on failure returns the message shown to the user.
    QString validate() const;

    QLineEdit* pathEdit() const { return m_path; }
    QComboBox* universeBox() const { return m_universe; }
    QLineEdit* targetEdit() const { return m_target; }
    QRadioButton* customSplitsButton() const { return m_customSplits; }
    QDateEdit* splitEdit(int split, bool end) const { return m_dates[split][end ? 1 : 0]; }
    QListWidget* recentList() const { return m_recent; }
    QLabel* messageLabel() const { return m_message; }

public Q_SLOTS:
    void accept() override;

private:
    void browseFile();
    void browseFolder();
    void browseSectors();
    void refreshUniverses();
    void updateSplitState();

    QLineEdit* m_path;
    QComboBox* m_universe;
    QLineEdit* m_sectors;
    QLineEdit* m_target;
    QRadioButton* m_defaultSplits;
    QRadioButton* m_customSplits;
    QDateEdit* m_dates[3][2];
    QListWidget* m_recent;
    QLabel* m_message;
};

} // namespace alphascope::ui
