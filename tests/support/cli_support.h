#pragma once
// Running alphascope-cli from a test: exit code, stdout, stderr.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace alphascope::test {

struct CliRun {
    int code = -1; ///< -1: did not finish in time; -2: crashed
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

inline CliRun cli(const QStringList& args, int timeoutMs = 240000) {
    QProcess p;
    p.start(QStringLiteral(ALPHASCOPE_CLI), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace alphascope::test
