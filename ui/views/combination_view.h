#pragma once
// CombinationView: a fitted factor combination — its weights, each factor's IC over the fit range,
// and the combination's own metrics per split — with a button to backtest it.

#include "core/metrics/factor_report.h"
#include "core/pool/linear_combination.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace alphascope::ui {

/// Shows one Combination and its FactorReport; emits backtestRequested() on demand.
class CombinationView : public QWidget {
    Q_OBJECT
public:
    explicit CombinationView(QWidget* parent = nullptr);

    /// Shows the combination of the factors `names` (in the order of its weights).
    void setResult(const QString& label, const QStringList& names, const Combination& combination,
                   const FactorReport& report);
    void clear();

    QString label() const { return m_label; }
    PanelPtr values() const { return m_values; }
    QTableWidget* weightsTable() const { return m_weights; }
    QTableWidget* splitTable() const { return m_splits; }
    QPushButton* backtestButton() const { return m_backtest; }

Q_SIGNALS:
    void backtestRequested(const QString& label, alphascope::PanelPtr score);

private:
    QLabel* m_summary;
    QTableWidget* m_weights;
    QTableWidget* m_splits;
    QPushButton* m_backtest;
    QString m_label;
    PanelPtr m_values;
};

} // namespace alphascope::ui
