#include "ui/widgets/formula_highlighter.h"

#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/expr/worldquant.h"

#include <QRegularExpression>

namespace alphascope::ui {

namespace {
bool isIdentChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}
} // namespace

FormulaHighlighter::FormulaHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
    // Colours readable on light and mid-grey backgrounds; bold only where the structure is.
    m_operator.setForeground(QColor(0x1f, 0x4e, 0xa8));
    m_operator.setFontWeight(QFont::Bold);
    m_unknownFunction.setForeground(QColor(0xb0, 0x00, 0x20));
    m_field.setForeground(QColor(0x00, 0x7a, 0x5e));
    m_number.setForeground(QColor(0xa8, 0x55, 0x00));
    m_group.setForeground(QColor(0x80, 0x30, 0xa0));
    m_group.setFontItalic(true);
    m_paren.setForeground(QColor(0x70, 0x70, 0x70));
}

void FormulaHighlighter::setGroups(const QStringList& groups) {
    m_groups = QSet<QString>(groups.begin(), groups.end());
    rehighlight();
}

void FormulaHighlighter::setFields(const QStringList& fields) {
    m_fields = QSet<QString>(fields.begin(), fields.end());
    rehighlight();
}

QTextCharFormat FormulaHighlighter::format(Token token) const {
    switch (token) {
    case Token::Operator: return m_operator;
    case Token::UnknownFunction: return m_unknownFunction;
    case Token::Field: return m_field;
    case Token::Number: return m_number;
    case Token::Group: return m_group;
    case Token::Parenthesis: return m_paren;
    }
    return {};
}

void FormulaHighlighter::highlightBlock(const QString& text) {
    const int n = static_cast<int>(text.size());
    const bool worldQuant = detectNotation(text.toStdString()) == Notation::WorldQuant;
    int i = 0;
    // A "wq:" or "qlib:" prefix chooses the notation: grey, like the parentheses.
    static const QRegularExpression prefix(QStringLiteral("^\\s*(wq|qlib):"),
                                           QRegularExpression::CaseInsensitiveOption);
    if (const QRegularExpressionMatch m = prefix.match(text); m.hasMatch()) {
        setFormat(m.capturedStart(1), static_cast<int>(m.capturedLength(0) - m.capturedStart(1)), m_paren);
        i = static_cast<int>(m.capturedLength(0));
    }
    while (i < n) {
        const QChar c = text[i];
        if (c.isDigit() || (c == QLatin1Char('.') && i + 1 < n && text[i + 1].isDigit())) {
            // Numbers, exponents (1e-3) and AlphaGen windows (20d) read as one token.
            int j = i + 1;
            while (j < n && (text[j].isDigit() || text[j] == QLatin1Char('.') || text[j] == QLatin1Char('e') ||
                             text[j] == QLatin1Char('E') ||
                             ((text[j] == QLatin1Char('-') || text[j] == QLatin1Char('+')) &&
                              (text[j - 1] == QLatin1Char('e') || text[j - 1] == QLatin1Char('E')))))
                ++j;
            if (j < n && text[j] == QLatin1Char('d') && (j + 1 == n || !isIdentChar(text[j + 1]))) ++j;
            setFormat(i, j - i, m_number);
            i = j;
        } else if (c == QLatin1Char('$')) {
            int j = i + 1;
            while (j < n && isIdentChar(text[j])) ++j;
            setFormat(i, j - i, m_field);
            i = j;
        } else if (c.isLetter() || c == QLatin1Char('_')) {
            int j = i + 1;
            // WorldQuant's groupings are one dotted name: IndClass.sector.
            while (j < n && (isIdentChar(text[j]) ||
                             (worldQuant && text[j] == QLatin1Char('.') && j + 1 < n && text[j + 1].isLetter())))
                ++j;
            const QString word = text.mid(i, j - i);
            int k = j;
            while (k < n && text[k].isSpace()) ++k;
            const bool call = k < n && text[k] == QLatin1Char('(');
            const std::string utf8 = word.toStdString();
            if (worldQuant) {
                static const QRegularExpression adv(QStringLiteral("^adv[0-9]+$"),
                                                    QRegularExpression::CaseInsensitiveOption);
                const QString lower = word.toLower();
                if (call)
                    setFormat(i, j - i,
                              findWorldQuantFunction(utf8) || findOperatorIgnoringCase(utf8) ||
                                      lower == QLatin1String("mask")
                                  ? m_operator
                                  : m_unknownFunction);
                else if (m_groups.contains(word) || lower.startsWith(QLatin1String("indclass.")) ||
                         lower == QLatin1String("market"))
                    setFormat(i, j - i, m_group);
                else if (m_fields.isEmpty() || m_fields.contains(word) || m_fields.contains(lower) ||
                         lower == QLatin1String("returns") || adv.match(word).hasMatch())
                    setFormat(i, j - i, m_field); // bare fields, returns, adv{d}
                else
                    setFormat(i, j - i, m_unknownFunction);
            } else if (findOperator(utf8) || word == QLatin1String("Mask"))
                setFormat(i, j - i, m_operator);
            else if (call)
                setFormat(i, j - i, m_unknownFunction); // a misspelt operator stands out before parsing
            else if (m_groups.isEmpty() || m_groups.contains(word))
                setFormat(i, j - i, m_group); // a bare name can only be a grouping in this grammar
            else
                setFormat(i, j - i, m_unknownFunction);
            i = j;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) { // an instrument code
            int j = text.indexOf(c, i + 1);
            j = j < 0 ? n : j + 1;
            setFormat(i, j - i, m_group);
            i = j;
        } else {
            if (c == QLatin1Char('(') || c == QLatin1Char(')')) setFormat(i, 1, m_paren);
            ++i;
        }
    }
}

} // namespace alphascope::ui
