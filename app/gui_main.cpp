// alphascope: the workbench GUI. With no arguments it opens the bundled sample dataset.

#include "ui/main_window.h"
#include "ui/panels/formula_lab.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AlphaScope"));
    QApplication::setOrganizationName(QStringLiteral("AlphaScope"));
    QApplication::setApplicationVersion(QStringLiteral(ALPHASCOPE_VERSION));

    // The language is read before the parser is built so that --help is translated too.
    QString lang = QLocale::system().name();
    const QStringList rawArgs = QApplication::arguments();
    for (int k = 1; k < rawArgs.size(); ++k) {
        if (rawArgs[k] == QStringLiteral("--lang") && k + 1 < rawArgs.size()) lang = rawArgs[k + 1];
        else if (rawArgs[k].startsWith(QStringLiteral("--lang="))) lang = rawArgs[k].mid(7);
    }
    QTranslator translator;
    if (lang.startsWith(QStringLiteral("zh")) && translator.load(QStringLiteral(":/i18n/alphascope_zh_CN.qm")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "AlphaScope: a research workbench for formulaic alpha factors"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataOpt(QStringLiteral("data"), QApplication::translate("main", "Long CSV (.csv/.csv.xz) or Qlib folder to open (default: the bundled sample)."), QStringLiteral("path"));
    const QCommandLineOption sectorsOpt(QStringLiteral("sectors"), QApplication::translate("main", "Sector/industry CSV."), QStringLiteral("path"));
    const QCommandLineOption universeOpt(QStringLiteral("universe"), QApplication::translate("main", "Qlib universe name."), QStringLiteral("name"), QStringLiteral("all"));
    const QCommandLineOption formulaOpt(QStringLiteral("formula"), QApplication::translate("main", "Formula to show in the lab."), QStringLiteral("text"),
                                        QStringLiteral("Div(Sub($close,$open),Sub($high,$low))"));
    const QCommandLineOption langOpt(QStringLiteral("lang"), QApplication::translate("main", "User interface language (en, zh_CN); default: the system's."), QStringLiteral("code"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"), QApplication::translate("main", "Save a PNG of the window once the formula is evaluated, then quit."), QStringLiteral("file"));
    parser.addOptions({dataOpt, sectorsOpt, universeOpt, formulaOpt, langOpt, shotOpt});
    parser.process(app);

    alphascope::ui::MainWindow window;
    window.formulaLab()->setFormula(parser.value(formulaOpt));
    window.show();

    alphascope::DatasetSpec spec;
    if (parser.isSet(dataOpt)) {
        spec.path = parser.value(dataOpt).toStdString();
        spec.groupsPath = parser.value(sectorsOpt).toStdString();
        spec.universe = parser.value(universeOpt).toStdString();
    } else {
        spec = alphascope::bundledSampleSpec();
        if (parser.isSet(sectorsOpt)) spec.groupsPath = parser.value(sectorsOpt).toStdString();
    }

    if (parser.isSet(shotOpt)) {
        const QString file = parser.value(shotOpt);
        auto save = [&window, file](int code) {
            QTimer::singleShot(200, &window, [&window, file, code] {
                const bool ok = window.grab().save(file);
                std::fprintf(stderr, "alphascope: screenshot %s %s\n", qPrintable(file), ok ? "saved" : "FAILED");
                QApplication::exit(ok ? code : 1);
            });
        };
        QObject::connect(window.formulaLab(), &alphascope::ui::FormulaLab::evaluated, &window, [save](bool ok) { save(ok ? 0 : 3); });
        QObject::connect(&window, &alphascope::ui::MainWindow::loadFailed, &window, [save] { save(2); });
        QTimer::singleShot(120000, &app, [] { QApplication::exit(4); }); // never hang a headless run
    }
    window.openDataset(spec);
    return QApplication::exec();
}
