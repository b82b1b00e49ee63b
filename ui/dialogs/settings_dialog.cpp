#include "ui/dialogs/settings_dialog.h"

#include "ui/settings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace alphascope::ui {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent), m_language(new QComboBox(this)), m_debounce(new QSpinBox(this)), m_cache(new QSpinBox(this)) {
    setWindowTitle(tr("Settings"));
    // Language names are written in their own language so that anyone can find theirs.
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings::language.value())));

    m_debounce->setRange(settings::debounceMs.minimum, settings::debounceMs.maximum);
    m_debounce->setSuffix(tr(" ms"));
    m_debounce->setValue(settings::debounceMs.value());
    m_debounce->setToolTip(tr("How long the formula lab waits after the last keystroke before it evaluates."));
    m_cache->setRange(settings::cacheMiB.minimum, settings::cacheMiB.maximum);
    m_cache->setSuffix(tr(" MiB"));
    m_cache->setValue(settings::cacheMiB.value());
    m_cache->setToolTip(tr("Memory for cached sub-expression values; applies to datasets opened afterwards."));

    auto* form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    form->addRow(tr("&Evaluate after typing pauses for:"), m_debounce);
    form->addRow(tr("Evaluation &cache:"), m_cache);
    auto* note = new QLabel(tr("A new language takes effect the next time AlphaScope starts."), this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
}

void SettingsDialog::accept() {
    const QString language = m_language->currentData().toString();
    m_restartNeeded = language != settings::language.value();
    settings::language.setValue(language);
    settings::debounceMs.setValue(m_debounce->value());
    settings::cacheMiB.setValue(m_cache->value());
    QDialog::accept();
}

} // namespace alphascope::ui
