#pragma once
// FormulaEditor: a compact one-formula editor with syntax highlighting, completion of operators
// (with their signatures), fields and groupings, parse errors marked where they are, and a
// highlighted range (the sub-formula picked in the tree view).

#include <QPlainTextEdit>
#include <QTextCursor>

class QCompleter;
class QStandardItemModel;

namespace alphascope::ui {

class FormulaHighlighter;

/// The formula text box of the lab.
class FormulaEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    /// Roles of the completion model's items.
    enum Role {
        CompletionRole = Qt::UserRole + 1, ///< the text matched and inserted: "Mean", "$close", "sector"
        KindRole,                          ///< an ItemKind
        DescriptionRole,                   ///< one line shown next to the item in the popup
    };
    enum class ItemKind { Operator, Field, Group };

    explicit FormulaEditor(QWidget* parent = nullptr);

    /// The text as typed (newlines never get in).
    QString formula() const;
    /// Replaces the text without emitting textEdited(); clears the error and the highlighted range.
    void setFormula(const QString& text);
    /// The fields (names without '$') and groupings offered by completion and known to the highlighter.
    void setVocabulary(const QStringList& fields, const QStringList& groups);

    /// Marks a parse error: wavy red underline from `column` (1-based, in characters) to the end of
    /// the token there; hovering it shows `message`.
    void setError(int column, const QString& message);
    void clearError();
    /// The marked error's column, 0 when none.
    int errorColumn() const { return m_errorColumn; }
    QString errorMessage() const { return m_errorMessage; }
    /// Gives characters [begin, end) a yellow background; (-1, -1) clears.
    void highlightRange(int begin, int end);

    QCompleter* completer() const { return m_completer; }
    FormulaHighlighter* highlighter() const { return m_highlighter; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The user changed the text (typing, paste, completion, undo); not emitted by setFormula().
    void textEdited();
    /// Enter was pressed (outside the completion popup).
    void submitted();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    void rebuildCompletionModel();
    /// The identifier (or "$field") that ends at the cursor, and where it starts.
    QString wordBeforeCursor(int* start = nullptr) const;
    void updateCompletionPopup();
    void insertCompletion(const QModelIndex& index);
    void updateExtraSelections();
    void onTextChanged();
    int heightForLines(int lines) const;

    FormulaHighlighter* m_highlighter;
    QCompleter* m_completer;
    QStandardItemModel* m_completionModel;
    QStringList m_fields, m_groups;
    bool m_worldQuant = false; ///< the completion model offers WorldQuant's names (the text has no $ field)
    QString m_lastText;        ///< to tell real edits from re-highlighting
    bool m_settingText = false;
    int m_errorColumn = 0;
    QString m_errorMessage;
    QTextCursor m_errorCursor;     ///< selection under the wavy line; follows edits
    QTextCursor m_highlightCursor; ///< selection with the yellow background
};

} // namespace alphascope::ui
