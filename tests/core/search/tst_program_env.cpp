// The Alpha2 program environment: the action list on a hand-counted grammar, legality (empty
// registers, Finish reachability, dimension pruning), and a property test over random legal walks
// on the default grammar: every walk finishes, its result evaluates, and with the dimension check
// it is dimension-consistent.

#include "core/search/program_env.h"

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"

#include "tests/support/test_support.h"

#include <QTest>

#include <random>
#include <set>

using namespace alphascope;

namespace {

/// Abs, Add, Sub, Mean, Corr over $open, $close, window 10, constant 2, two registers.
Grammar smallGrammar() {
    Grammar g;
    g.operators = {OpId::Abs, OpId::Add, OpId::Sub, OpId::Mean, OpId::Corr};
    g.features = {"open", "close"};
    g.windows = {10};
    g.constants = {2.0};
    g.maxInstructions = 10;
    g.registers = 2;
    return g;
}

int actionOf(const ProgramVocabulary& v, const std::string& text) {
    const int a = v.find(text);
    if (a < 0) qWarning("no action '%s'", text.c_str());
    return a;
}

} // namespace

class TestProgramEnv : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        SyntheticSpec spec;
        spec.days = 160;
        spec.instruments = 24;
        spec.sectors = 4;
        spec.seed = 3;
        m_data = std::make_shared<MarketData>(makeSyntheticMarket(spec));
        m_evaluator = std::make_shared<Evaluator>(m_data);
    }

    void vocabularyCounts() {
        const ProgramVocabulary v(smallGrammar());
        // Per destination: Abs 4 operands; Add (commutative, canonical order, constant second only)
        // 4+3+2+1 = 10; Sub 4 x 5 - 4 identical = 16; Mean 4 x 1 window; Corr C(4,2) = 6 x 1 window.
        QCOMPARE(v.size(), 2 * (4 + 10 + 16 + 4 + 6) + 1);
        QVERIFY(v.instruction(v.finishAction()).finish);
        QCOMPARE(v.instruction(v.finishAction()).text, std::string("Finish"));
        std::set<std::string> texts;
        for (int a = 0; a < v.size(); ++a) {
            const ProgramInstruction& ins = v.instruction(a);
            texts.insert(ins.text);
            if (ins.finish) continue;
            QVERIFY(ins.a.kind == ProgramOperand::Kind::Register || ins.a.kind == ProgramOperand::Kind::Feature);
            if (operatorSpec(ins.op).kind == OpKind::PairRolling) QVERIFY(ins.b.kind != ProgramOperand::Kind::Constant);
        }
        QCOMPARE(static_cast<int>(texts.size()), v.size()); // no duplicates
        QVERIFY(v.find("r0 = Add(r1, $open)") >= 0);
        QCOMPARE(v.find("r0 = Add($open, r1)"), -1); // commutative: one order only
        QVERIFY(v.find("r1 = Sub($open, r0)") >= 0);
        QCOMPARE(v.find("r0 = Sub(2, $open)"), -1);     // constants only second
        QCOMPARE(v.find("r0 = Sub($open, $open)"), -1); // two different operands
        QVERIFY(v.find("r1 = Corr(r0, $close, 10)") >= 0);
    }

    void defaultVocabularyIsManageable() {
        const Grammar g = Grammar::defaults(*m_data);
        const ProgramVocabulary v(g);
        qInfo("default grammar: %d program actions", v.size());
        QVERIFY(v.size() > 1000);
        QVERIFY(v.size() <= 5000);
    }

    void legalityFollowsRegisters() {
        const ProgramVocabulary v(smallGrammar());
        ProgramState s(v);
        QVERIFY(!s.isLegal(v.finishAction()));            // register 0 empty
        QVERIFY(!s.isLegal(actionOf(v, "r0 = Abs(r1)"))); // reads an empty register
        QVERIFY(s.isLegal(actionOf(v, "r1 = Abs($open)")));
        for (int a : s.legalActions()) {
            const ProgramInstruction& ins = v.instruction(a);
            QVERIFY(ins.a.kind != ProgramOperand::Kind::Register && ins.b.kind != ProgramOperand::Kind::Register);
        }
        s.apply(actionOf(v, "r1 = Sub($open, $close)"));
        QVERIFY(!s.isLegal(v.finishAction()));
        QVERIFY(s.isLegal(actionOf(v, "r0 = Mean(r1, 10)")));
        s.apply(actionOf(v, "r0 = Mean(r1, 10)"));
        QVERIFY(s.isLegal(v.finishAction()));
        QCOMPARE(s.result()->toString(), std::string("Mean(Sub($open, $close), 10)"));
        QCOMPARE(s.length(), 2);
        const std::vector<int> code = s.encode();
        QCOMPARE(static_cast<int>(code.size()), 10);
        QCOMPARE(code[0], actionOf(v, "r1 = Sub($open, $close)"));
        QCOMPARE(code[2], v.size()); // padding
        s.apply(v.finishAction());
        QVERIFY(s.finished());
        QVERIFY(s.legalActions().empty());
        QCOMPARE(s.encode(), code); // Finish is not encoded
    }

    void finishStaysReachable() {
        Grammar g = smallGrammar();
        g.maxInstructions = 2;
        const ProgramVocabulary v(g);
        ProgramState s(v);
        QVERIFY(s.isLegal(actionOf(v, "r1 = Abs($open)")));
        s.apply(actionOf(v, "r1 = Abs($open)"));
        // One slot left and register 0 empty: only instructions writing register 0.
        const auto legal = s.legalActions();
        QVERIFY(!legal.empty());
        for (int a : legal) QCOMPARE(v.instruction(a).destination, 0);
        s.apply(actionOf(v, "r0 = Add(r1, $close)"));
        QCOMPARE(s.legalActions(), std::vector<int>{v.finishAction()});
    }

    void dimensionPruning() {
        Grammar g = smallGrammar();
        g.features = {"open", "close", "volume"};
        g.operators = {OpId::Add, OpId::Div, OpId::Mean};
        for (bool check : {false, true}) {
            g.dimensionCheck = check;
            const ProgramVocabulary v(g);
            ProgramState s(v);
            QCOMPARE(s.isLegal(actionOf(v, "r0 = Add($open, $volume)")), !check);
            QCOMPARE(s.isLegal(actionOf(v, "r0 = Add($open, 2)")), !check);
            QVERIFY(s.isLegal(actionOf(v, "r0 = Add($open, $close)")));
            s.apply(actionOf(v, "r0 = Div($open, $close)")); // dimensionless
            QVERIFY(s.isLegal(actionOf(v, "r1 = Add(r0, 2)")));
            QCOMPARE(s.isLegal(actionOf(v, "r1 = Add(r0, $close)")), !check);
        }
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void randomWalksFinishEvaluateAndKeepDimensions_data() {
        QTest::addColumn<bool>("dimensionCheck");
        QTest::addColumn<int>("registers");
        QTest::newRow("free, 2 registers") << false << 2;
        QTest::newRow("dimension check, 2 registers") << true << 2;
        QTest::newRow("dimension check, 3 registers") << true << 3;
    }
    // clang-format on

    void randomWalksFinishEvaluateAndKeepDimensions() {
        QFETCH(bool, dimensionCheck);
        QFETCH(int, registers);
        Grammar g = Grammar::defaults(*m_data);
        g.operators.push_back(OpId::GroupRank);
        g.groups = {"sector"};
        g.dimensionCheck = dimensionCheck;
        g.registers = registers;
        const ProgramVocabulary v(g);
        std::mt19937_64 rng(11);
        int finishedEarly = 0;
        for (int walk = 0; walk < 300; ++walk) {
            ProgramState s(v);
            int steps = 0;
            while (!s.finished()) {
                const std::vector<int> legal = s.legalActions();
                QVERIFY2(!legal.empty(), "a reachable unfinished state has no legal action");
                for (int a : legal) QVERIFY(s.isLegal(a));
                // Finish with probability 1/4 when legal, so that programs of every length occur.
                int action = legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
                if (s.isLegal(v.finishAction()) && std::uniform_int_distribution<int>(0, 3)(rng) == 0)
                    action = v.finishAction();
                s.apply(action);
                QVERIFY(++steps <= g.maxInstructions + 1);
                for (const ExprPtr& r : s.registers()) QVERIFY(!r || !r->isConstantExpression());
            }
            if (s.length() < g.maxInstructions) ++finishedEarly;
            const ExprPtr result = s.result();
            QVERIFY(result);
            QVERIFY(!result->isConstantExpression());
            if (dimensionCheck) QVERIFY2(inferDimension(*result).consistent(), result->toString().c_str());
            auto values = m_evaluator->evaluate(result);
            QVERIFY2(values.ok(), (result->toString() + ": " + (values.ok() ? "" : values.error().message)).c_str());
        }
        QVERIFY(finishedEarly > 0);
        m_evaluator->clearCache();
    }

private:
    std::shared_ptr<MarketData> m_data;
    std::shared_ptr<Evaluator> m_evaluator;
};

QTEST_GUILESS_MAIN(TestProgramEnv)
#include "tst_program_env.moc"
