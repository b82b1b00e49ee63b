#include "ui/views/combination_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace alphascope::ui {

namespace {

QString formatNumber(double v, int decimals) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
}

QTableWidgetItem* cell(const QString& text, bool number) {
    auto* item = new QTableWidgetItem(text);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

void setUpTable(QTableWidget* table, const QStringList& columns) {
    table->setColumnCount(static_cast<int>(columns.size()));
    table->setHorizontalHeaderLabels(columns);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

} // namespace

CombinationView::CombinationView(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_weights(new QTableWidget(this)), m_splits(new QTableWidget(this)),
      m_backtest(new QPushButton(tr("&Backtest combination"), this)) {
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setUpTable(m_weights, {tr("Factor"), tr("Weight"), tr("IC (fit)")});
    setUpTable(m_splits, {tr("Split"), tr("IC"), tr("Rank IC"), tr("ICIR"), tr("Rank ICIR"), tr("Turnover")});

    auto* tables = new QHBoxLayout;
    tables->addWidget(m_weights, 3);
    tables->addWidget(m_splits, 4);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_backtest);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(tables, 1);
    layout->addLayout(buttons);

    connect(m_backtest, &QPushButton::clicked, this, [this] {
        if (m_values) Q_EMIT backtestRequested(m_label, m_values);
    });
    clear();
}

void CombinationView::clear() {
    m_label.clear();
    m_values.reset();
    m_weights->setRowCount(0);
    m_splits->setRowCount(0);
    m_backtest->setEnabled(false);
    m_summary->setText(tr("Select two or more factors and press Combine."));
}

void CombinationView::setResult(const QString& label, const QStringList& names, const Combination& combination,
                                const FactorReport& report) {
    m_label = label;
    m_values = combination.values;
    m_backtest->setEnabled(m_values != nullptr);
    m_summary->setText(tr("<b>%1</b> — weights on the per-day z-scored factors, fitted on the first split.")
                           .arg(label.toHtmlEscaped()));

    m_weights->setRowCount(static_cast<int>(names.size()));
    for (int k = 0; k < names.size(); ++k) {
        const auto i = static_cast<std::size_t>(k);
        m_weights->setItem(k, 0, cell(names[k], false));
        m_weights->setItem(k, 1,
                           cell(formatNumber(i < combination.weights.size() ? combination.weights[i] : NAN, 4), true));
        m_weights->setItem(k, 2, cell(formatNumber(i < combination.ics.size() ? combination.ics[i] : NAN, 4), true));
    }
    m_splits->setRowCount(static_cast<int>(report.splits.size()));
    for (int k = 0; k < static_cast<int>(report.splits.size()); ++k) {
        const SplitMetrics& m = report.splits[static_cast<std::size_t>(k)];
        m_splits->setItem(k, 0, cell(QString::fromStdString(m.name), false));
        m_splits->setItem(k, 1, cell(formatNumber(m.ic, 4), true));
        m_splits->setItem(k, 2, cell(formatNumber(m.rankIc, 4), true));
        m_splits->setItem(k, 3, cell(formatNumber(m.icir, 3), true));
        m_splits->setItem(k, 4, cell(formatNumber(m.rankIcir, 3), true));
        m_splits->setItem(k, 5, cell(formatNumber(m.turnover, 3), true));
    }
}

} // namespace alphascope::ui
