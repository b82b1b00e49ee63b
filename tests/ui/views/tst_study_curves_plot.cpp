// The study's learning curves: readStudyCurves against a hand-made folder (per-seed lines, the
// mean valid IC on its grid, errors with file and line), the plot's panels and lines, and the PNGs
// that `alphascope --plot-study` writes.

#include "core/search/study.h"
#include "ui/views/study_curves_plot.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace alphascope;
using alphascope::ui::StudyCurvesPlot;

namespace {

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

const StudyCurve* find(const std::vector<StudyCurve>& curves, const std::string& algorithm, const std::string& seed) {
    for (const auto& c : curves)
        if (c.algorithm == algorithm && c.seed == seed) return &c;
    return nullptr;
}

} // namespace

class TestStudyCurvesPlot : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        // gfn: seed 0 at 10 and 20 evaluations, seed 1 at 15; ppo: one seed with an empty value.
        write(m_dir.filePath(QStringLiteral("curves.csv")), "algorithm,seed,evaluations,valid_ic\ngfn,0,10,0.1\ngfn,0,"
                                                            "20,0.3\ngfn,1,15,0.2\nppo,0,5,\nppo,0,20,-0.05\n");
        write(m_dir.filePath(QStringLiteral("reward_curves.csv")),
              "algorithm,seed,curve,point,episodes,evaluations,mean\ngfn,0,reward,0,4,10,0.5\ngfn,0,reward,1,8,20,0.7\n"
              "gfn,mean,reward,0,4,10,0.5\ngfn,mean,reward,1,8,20,0.7\nppo,0,reward,0,3,20,0.02\n"
              "ppo,mean,reward,0,3,20,0.02\ngfn,0,abs_ic,0,10,10,0.01\ngfn,0,abs_ic,1,20,20,0.02\n"
              "gfn,mean,abs_ic,0,10,10,0.01\ngfn,mean,abs_ic,1,20,20,0.02\nppo,0,top_share,0,20,20,0.1\n"
              "ppo,mean,top_share,0,20,20,0.1\ngfn,0,top_share,0,10,10,0.05\ngfn,0,top_share,1,20,20,0.25\n"
              "gfn,mean,top_share,0,10,10,0.05\ngfn,mean,top_share,1,20,20,0.25\n");
    }

    void readsRunsAndMeans() {
        auto curves = readStudyCurves(m_dir.path().toStdString());
        QVERIFY2(curves.ok(), curves.ok() ? "" : curves.error().toString().c_str());
        const StudyCurve* s0 = find(curves->validIc, "gfn", "0");
        QVERIFY(s0 && s0->evaluations.size() == 2 && s0->values[1] == 0.3);
        const StudyCurve* empty = find(curves->validIc, "ppo", "0");
        QVERIFY(empty && std::isnan(empty->values[0]));
        // The mean of gfn on 50 grid points up to 20 evaluations: nothing before 10 (g < 25),
        // 0.1 from 10 (seed 1 starts at 15), 0.15 from 15, 0.25 at 20.
        const StudyCurve* mean = find(curves->validIc, "gfn", "mean");
        QVERIFY(mean);
        QCOMPARE(mean->evaluations.size(), std::size_t(26));
        QCOMPARE(mean->evaluations.front(), 10.0);
        QCOMPARE(mean->values.front(), 0.1);
        for (std::size_t i = 0; i < mean->evaluations.size(); ++i) {
            const double x = mean->evaluations[i];
            const double expected = x >= 20 ? 0.25 : x >= 15 ? 0.15 : 0.1;
            QVERIFY(std::fabs(mean->values[i] - expected) < 1e-15);
        }
        const StudyCurve* ppoMean = find(curves->validIc, "ppo", "mean");
        QVERIFY(ppoMean && ppoMean->values.back() == -0.05);
        QVERIFY(find(curves->reward, "gfn", "mean") && find(curves->reward, "ppo", "0"));
        const StudyCurve* ic = find(curves->formulaIc, "gfn", "0");
        QVERIFY(ic && ic->values.size() == 2 && ic->values[1] == 0.02);
        QVERIFY(!find(curves->formulaIc, "ppo", "0"));
        const StudyCurve* top = find(curves->topShare, "gfn", "0");
        QVERIFY(top && top->values.size() == 2 && top->values[1] == 0.25);
    }

    void badFilesNameFileAndLine() {
        write(m_dir.filePath(QStringLiteral("curves.csv")),
              "algorithm,seed,evaluations,valid_ic\ngfn,0,10,0.1\ngfn,0,ten,0.2\n");
        auto bad = readStudyCurves(m_dir.path().toStdString());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().where.find("curves.csv:3") != std::string::npos, bad.error().toString().c_str());
        write(m_dir.filePath(QStringLiteral("curves.csv")), "evaluations,valid_ic\n");
        bad = readStudyCurves(m_dir.path().toStdString());
        QVERIFY(!bad.ok() && bad.error().where.find("curves.csv:1") != std::string::npos);
        QVERIFY(!readStudyCurves(m_dir.filePath(QStringLiteral("missing")).toStdString()).ok());
    }

    void plotShowsOnePanelPerSearch() {
        auto curves = readStudyCurves(m_dir.path().toStdString());
        QVERIFY(curves.ok());
        StudyCurvesPlot plot;
        plot.setCurves(*curves, StudyCurvesPlot::Kind::ValidIc);
        QCOMPARE(plot.panels(), 2);
        QCOMPARE(plot.lines(), 5); // gfn seeds 0, 1 and mean; ppo seed 0 and mean
        QCOMPARE(plot.graphCount(), 5);
        plot.setCurves(*curves, StudyCurvesPlot::Kind::Reward);
        QCOMPARE(plot.panels(), 2);
        QCOMPARE(plot.lines(), 4);
        plot.setCurves(*curves, StudyCurvesPlot::Kind::FormulaIc);
        QCOMPARE(plot.panels(), 1);
        QCOMPARE(plot.lines(), 2);
        plot.setCurves(*curves, StudyCurvesPlot::Kind::TopShare);
        QCOMPARE(plot.panels(), 2);
        QCOMPARE(plot.lines(), 4);
        plot.setCurves(StudyCurves{}, StudyCurvesPlot::Kind::Reward);
        QCOMPARE(plot.panels(), 0);
    }

    void rendersThePngs() {
        QVERIFY(ui::renderStudyCurves(m_dir.path(), 800, 500).ok());
        for (const char* name : {"valid_ic.png", "reward.png", "formula_ic.png", "top_share.png"}) {
            const QImage image(m_dir.filePath(QString::fromLatin1(name)));
            QVERIFY2(!image.isNull(), name);
            QCOMPARE(image.width(), 800);
            // Something was drawn in the searches' colours (gfn blue), not a blank page.
            int blue = 0;
            for (int y = 0; y < image.height(); y += 2)
                for (int x = 0; x < image.width(); x += 2) {
                    const QColor c = image.pixelColor(x, y);
                    if (c.blue() > 150 && c.red() < 120 && c.green() < 160) ++blue;
                }
            QVERIFY2(blue > 20, name);
        }
        QVERIFY(!ui::renderStudyCurves(m_dir.filePath(QStringLiteral("missing"))).ok());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStudyCurvesPlot)
#include "tst_study_curves_plot.moc"
