#include "ui/dialogs/open_dataset_dialog.h"

#include "core/data/qlib_format.h"
#include "core/expr/parser.h"
#include "ui/settings.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace alphascope::ui {

namespace {
QDate toQDate(const Date& d) {
    return QDate(d.year(), d.month(), d.day());
}
Date fromQDate(const QDate& d) {
    return Date::fromYmd(d.year(), d.month(), d.day());
}
// The conventional split of the shared US data (train 2015-2017, valid 2018, test 2019), as a
// starting point for custom dates.
const QDate kDefaultDates[3][2] = {{QDate(2015, 1, 1), QDate(2017, 12, 31)},
                                   {QDate(2018, 1, 1), QDate(2018, 12, 31)},
                                   {QDate(2019, 1, 1), QDate(2019, 12, 31)}};
} // namespace

OpenDatasetDialog::OpenDatasetDialog(QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(this)), m_universe(new QComboBox(this)), m_sectors(new QLineEdit(this)),
      m_target(new QLineEdit(this)),
      m_defaultSplits(new QRadioButton(tr("&Default: 70 / 15 / 15 % after 60 warm-up days"), this)),
      m_customSplits(new QRadioButton(tr("&Dates:"), this)), m_recent(new QListWidget(this)),
      m_message(new QLabel(this)) {
    setWindowTitle(tr("Open dataset"));
    setObjectName(QStringLiteral("OpenDatasetDialog"));

    auto* fileButton = new QPushButton(tr("&File…"), this);
    auto* folderButton = new QPushButton(tr("&Qlib folder…"), this);
    auto* sectorsButton = new QPushButton(tr("Browse…"), this);
    m_path->setPlaceholderText(tr("A long CSV (.csv, .csv.xz) or a Qlib binary folder"));
    m_sectors->setPlaceholderText(tr("Optional: a CSV with instrument, sector[, industry]"));
    m_universe->setEditable(true);
    m_universe->addItem(QStringLiteral("all"));
    m_target->setText(QString::fromLatin1(kDefaultTarget));
    m_target->setToolTip(tr("The forward return the factors are measured against; negative Ref reads the future."));

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(fileButton);
    pathRow->addWidget(folderButton);
    auto* sectorsRow = new QHBoxLayout;
    sectorsRow->addWidget(m_sectors, 1);
    sectorsRow->addWidget(sectorsButton);

    auto* form = new QFormLayout;
    form->addRow(tr("Data:"), pathRow);
    form->addRow(tr("Universe:"), m_universe);
    form->addRow(tr("Sectors:"), sectorsRow);
    form->addRow(tr("Target:"), m_target);

    auto* splitsBox = new QGroupBox(tr("Splits"), this);
    auto* grid = new QGridLayout(splitsBox);
    grid->addWidget(m_defaultSplits, 0, 0, 1, 4);
    grid->addWidget(m_customSplits, 1, 0, 1, 4);
    const QString names[3] = {tr("Train"), tr("Valid"), tr("Test")};
    for (int k = 0; k < 3; ++k) {
        grid->addWidget(new QLabel(names[k], this), k + 2, 0);
        for (int e = 0; e < 2; ++e) {
            m_dates[k][e] = new QDateEdit(kDefaultDates[k][e], this);
            m_dates[k][e]->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
            m_dates[k][e]->setCalendarPopup(true);
        }
        grid->addWidget(m_dates[k][0], k + 2, 1);
        grid->addWidget(new QLabel(QStringLiteral("–"), this), k + 2, 2);
        grid->addWidget(m_dates[k][1], k + 2, 3);
    }
    auto* gapNote = new QLabel(
        tr("Between splits a gap of at least the target's horizon is kept: when the dates leave a shorter gap, "
           "the earlier split ends early so that its labels never read into the next one."),
        this);
    gapNote->setWordWrap(true);
    grid->addWidget(gapNote, 5, 0, 1, 4);
    m_defaultSplits->setChecked(true);

    auto* recentBox = new QGroupBox(tr("Recent datasets"), this);
    auto* recentLayout = new QVBoxLayout(recentBox);
    recentLayout->addWidget(m_recent);
    m_recent->setMaximumHeight(110);
    for (const SessionSpec& s : RecentDatasets::load()) {
        auto* item = new QListWidgetItem(RecentDatasets::label(s), m_recent);
        item->setToolTip(QString::fromStdString(s.dataset.path));
        item->setData(Qt::UserRole, RecentDatasets::toJson(s));
    }
    if (m_recent->count() == 0) recentBox->setVisible(false);

    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color:#b00020"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(splitsBox);
    layout->addWidget(recentBox);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());

    connect(fileButton, &QPushButton::clicked, this, &OpenDatasetDialog::browseFile);
    connect(folderButton, &QPushButton::clicked, this, &OpenDatasetDialog::browseFolder);
    connect(sectorsButton, &QPushButton::clicked, this, &OpenDatasetDialog::browseSectors);
    connect(m_path, &QLineEdit::textChanged, this, &OpenDatasetDialog::refreshUniverses);
    connect(m_defaultSplits, &QRadioButton::toggled, this, &OpenDatasetDialog::updateSplitState);
    connect(m_recent, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        SessionSpec s;
        if (RecentDatasets::fromJson(item->data(Qt::UserRole).toString(), &s)) setSpec(s);
    });
    connect(m_recent, &QListWidget::itemDoubleClicked, this, [this] { accept(); });
    connect(buttons, &QDialogButtonBox::accepted, this, &OpenDatasetDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OpenDatasetDialog::reject);
    updateSplitState();
    refreshUniverses();
}

void OpenDatasetDialog::setSpec(const SessionSpec& spec) {
    m_path->setText(QString::fromStdString(spec.dataset.path));
    refreshUniverses();
    m_universe->setCurrentText(QString::fromStdString(spec.dataset.universe));
    m_sectors->setText(QString::fromStdString(spec.dataset.groupsPath));
    m_target->setText(QString::fromStdString(spec.target));
    const bool custom = spec.splits.size() == 3;
    (custom ? m_customSplits : m_defaultSplits)->setChecked(true);
    if (custom) {
        for (int k = 0; k < 3; ++k) {
            m_dates[k][0]->setDate(toQDate(spec.splits[static_cast<std::size_t>(k)].start));
            m_dates[k][1]->setDate(toQDate(spec.splits[static_cast<std::size_t>(k)].end));
        }
    }
    updateSplitState();
}

SessionSpec OpenDatasetDialog::spec() const {
    SessionSpec s;
    s.dataset.path = m_path->text().trimmed().toStdString();
    s.dataset.groupsPath = m_sectors->text().trimmed().toStdString();
    s.dataset.universe = m_universe->currentText().trimmed().isEmpty()
                             ? std::string("all")
                             : m_universe->currentText().trimmed().toStdString();
    s.target = m_target->text().trimmed().toStdString();
    if (m_customSplits->isChecked()) {
        const char* names[3] = {"train", "valid", "test"};
        for (int k = 0; k < 3; ++k)
            s.splits.push_back(
                SplitRange{names[k], fromQDate(m_dates[k][0]->date()), fromQDate(m_dates[k][1]->date())});
    }
    return s;
}

QString OpenDatasetDialog::validate() const {
    const QString path = m_path->text().trimmed();
    if (path.isEmpty()) return tr("Choose a CSV file or a Qlib folder.");
    if (!QFileInfo::exists(path)) return tr("%1 does not exist.").arg(path);
    const QString sectors = m_sectors->text().trimmed();
    if (!sectors.isEmpty() && !QFileInfo(sectors).isFile())
        return tr("The sector file %1 does not exist.").arg(sectors);
    ParseOptions options;
    options.allowFuture = true;
    auto target = parseFormula(m_target->text().trimmed().toStdString(), options);
    if (!target.ok())
        return tr("Target, column %1: %2")
            .arg(target.error().column)
            .arg(QString::fromStdString(target.error().message));
    if (m_customSplits->isChecked()) {
        const QString names[3] = {tr("Train"), tr("Valid"), tr("Test")};
        for (int k = 0; k < 3; ++k) {
            if (m_dates[k][0]->date() > m_dates[k][1]->date()) return tr("%1 ends before it starts.").arg(names[k]);
            if (k > 0 && m_dates[k][0]->date() <= m_dates[k - 1][1]->date())
                return tr("%1 must start after %2 ends (splits are chronological and do not overlap).")
                    .arg(names[k], names[k - 1]);
        }
    }
    return QString();
}

void OpenDatasetDialog::accept() {
    const QString problem = validate();
    m_message->setText(problem);
    if (problem.isEmpty()) QDialog::accept();
}

void OpenDatasetDialog::browseFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a long CSV dataset"), QFileInfo(m_path->text()).absolutePath(),
                                     tr("CSV files (*.csv *.csv.xz *.xz);;All files (*)"));
    if (path.isEmpty()) return;
    m_path->setText(path);
    refreshUniverses();
}

void OpenDatasetDialog::browseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Qlib binary folder"), m_path->text());
    if (dir.isEmpty()) return;
    m_path->setText(dir);
    refreshUniverses();
}

void OpenDatasetDialog::browseSectors() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Sector / industry file"), QFileInfo(m_path->text()).absolutePath(),
                                     tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty()) m_sectors->setText(path);
}

void OpenDatasetDialog::refreshUniverses() {
    const QString current = m_universe->currentText();
    m_universe->clear();
    const QString path = m_path->text().trimmed();
    const bool qlib = QFileInfo(path).isDir();
    if (qlib) {
        for (const std::string& u : qlibUniverses(path.toStdString())) m_universe->addItem(QString::fromStdString(u));
    }
    if (m_universe->count() == 0) m_universe->addItem(QStringLiteral("all"));
    const int k = m_universe->findText(current);
    m_universe->setCurrentIndex(k >= 0 ? k : std::max(0, m_universe->findText(QStringLiteral("all"))));
    m_universe->setEnabled(qlib);
}

void OpenDatasetDialog::updateSplitState() {
    for (auto& row : m_dates)
        for (QDateEdit* e : row) e->setEnabled(m_customSplits->isChecked());
}

} // namespace alphascope::ui
