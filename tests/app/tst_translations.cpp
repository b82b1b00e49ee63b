// The zh_CN translation is complete and current: every message has a translation, and running
// lupdate over today's sources finds no string that the .ts file lacks (nor one it no longer needs).

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct TsContents {
    QSet<QString> keys; // context + '\x1f' + source
    QStringList untranslated;
    int messages = 0;
    QString error;
};

TsContents readTs(const QString& path) {
    TsContents out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = QStringLiteral("cannot read ") + path;
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context, source;
    bool translated = false;
    QString type;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("message")) {
                source.clear();
                translated = false;
                type.clear();
            } else if (xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.name() == QLatin1String("translation")) {
                type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                translated = !text.trimmed().isEmpty();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            ++out.messages;
            if (type == QLatin1String("vanished") || type == QLatin1String("obsolete")) continue;
            out.keys.insert(context + QChar(0x1f) + source);
            if (!translated || type == QLatin1String("unfinished"))
                out.untranslated << context + QStringLiteral(": ") + source;
        }
    }
    if (xml.hasError()) out.error = path + QStringLiteral(": ") + xml.errorString();
    return out;
}

const QString kTs = QStringLiteral(ALPHASCOPE_SOURCE_DIR "/translations/alphascope_zh_CN.ts");

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyMessageIsTranslated() {
        const TsContents ts = readTs(kTs);
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        QVERIFY(ts.messages > 100);
        QVERIFY2(ts.untranslated.isEmpty(), qPrintable(ts.untranslated.join(QLatin1Char('\n'))));
    }

    // tr() looks its strings up under the class's qualified name (alphascope::ui::X); a context
    // without the namespace (lupdate lost it, e.g. after a `template <class T>` forward declaration)
    // is never asked for, and its strings stay English at run time. Only the translate() contexts
    // named by hand ("main" in gui_main.cpp, "Operators" in the operator registry) are bare.
    void contextsAreTheOnesLookedUpAtRunTime() {
        const TsContents ts = readTs(kTs);
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        QSet<QString> bare;
        for (const QString& key : ts.keys) {
            const QString context = key.section(QChar(0x1f), 0, 0);
            if (!context.startsWith(QStringLiteral("alphascope::")) && context != QStringLiteral("main") &&
                context != QStringLiteral("Operators"))
                bare.insert(context);
        }
        QVERIFY2(bare.isEmpty(), qPrintable(QStringList(bare.begin(), bare.end()).join(QStringLiteral(", "))));
    }

    void translationIsCurrent() {
        const QString lupdate = QStringLiteral(ALPHASCOPE_LUPDATE);
        if (lupdate.isEmpty() || !QFile::exists(lupdate)) QSKIP("Qt's lupdate is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(QStringLiteral("current.ts"));
        QVERIFY(QFile::copy(kTs, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        const QDir root(QStringLiteral(ALPHASCOPE_SOURCE_DIR));
        QProcess p;
        // -I: lupdate resolves the classes' namespaces through the headers (alphascope::ui::X, the
        // context Qt looks up at run time).
        p.start(lupdate, {root.filePath(QStringLiteral("ui")), root.filePath(QStringLiteral("app/gui_main.cpp")),
                          root.filePath(QStringLiteral("core/expr/operator_registry.cpp")), QStringLiteral("-I"),
                          root.path(), QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                          QStringLiteral("none"), QStringLiteral("-ts"), copy});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const TsContents before = readTs(kTs), after = readTs(copy);
        QStringList missing, stale;
        for (const QString& k : after.keys)
            if (!before.keys.contains(k)) missing << k;
        for (const QString& k : before.keys)
            if (!after.keys.contains(k)) stale << k;
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral(
                                "strings in the sources but not in the .ts (run the alphascope_lupdate target):\n") +
                            missing.join(QLatin1Char('\n'))));
        QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("strings in the .ts that the sources no longer have:\n") +
                                             stale.join(QLatin1Char('\n'))));
        QVERIFY2(after.untranslated.isEmpty(), qPrintable(after.untranslated.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
