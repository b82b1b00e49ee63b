#pragma once
// FormulaHighlighter: colours the tokens of a formula (operators, fields, numbers and windows,
// grouping names) the way the parser reads them.

#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace alphascope::ui {

/// Syntax highlighting of Qlib-style formula text.
class FormulaHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    /// What a stretch of formula text is, as far as colouring goes.
    enum class Token { Operator, UnknownFunction, Field, Number, Group, Parenthesis };

    explicit FormulaHighlighter(QTextDocument* document);

    /// The grouping names of the data; other bare names are marked unknown (none given: any bare
    /// name reads as a grouping). Rehighlights.
    void setGroups(const QStringList& groups);
    /// The fields of the data (names without '$'), for bare names in WorldQuant's notation (none
    /// given: any bare name there reads as a field). Rehighlights.
    void setFields(const QStringList& fields);
    /// The format used for one kind of token (tests compare these with the block's formats).
    QTextCharFormat format(Token token) const;

protected:
    void highlightBlock(const QString& text) override;

private:
    QSet<QString> m_groups, m_fields;
    QTextCharFormat m_operator, m_unknownFunction, m_field, m_number, m_group, m_paren;
};

} // namespace alphascope::ui
