#pragma once
// The 158 expressions of Qlib's Alpha158 feature set (qlib/contrib/data/loader.py,
// Alpha158DL.get_feature_config() with its default config: kbar, price with window 0 for OPEN HIGH
// LOW VWAP, and every rolling family over windows 5 10 20 30 60), in Qlib's own text, with names.

#include <string>
#include <utility>
#include <vector>

namespace alphascope::test {

inline std::vector<std::pair<std::string, std::string>> alpha158() {
    std::vector<std::pair<std::string, std::string>> out = {
        {"KMID", "($close-$open)/$open"},
        {"KLEN", "($high-$low)/$open"},
        {"KMID2", "($close-$open)/($high-$low+1e-12)"},
        {"KUP", "($high-Greater($open, $close))/$open"},
        {"KUP2", "($high-Greater($open, $close))/($high-$low+1e-12)"},
        {"KLOW", "(Less($open, $close)-$low)/$open"},
        {"KLOW2", "(Less($open, $close)-$low)/($high-$low+1e-12)"},
        {"KSFT", "(2*$close-$high-$low)/$open"},
        {"KSFT2", "(2*$close-$high-$low)/($high-$low+1e-12)"},
        {"OPEN0", "$open/$close"},
        {"HIGH0", "$high/$close"},
        {"LOW0", "$low/$close"},
        {"VWAP0", "$vwap/$close"},
    };
    struct Family {
        const char* name;
        std::string (*text)(const std::string& d);
    };
    static const Family families[] = {
        {"ROC", [](const std::string& d) { return "Ref($close, " + d + ")/$close"; }},
        {"MA", [](const std::string& d) { return "Mean($close, " + d + ")/$close"; }},
        {"STD", [](const std::string& d) { return "Std($close, " + d + ")/$close"; }},
        {"BETA", [](const std::string& d) { return "Slope($close, " + d + ")/$close"; }},
        {"RSQR", [](const std::string& d) { return "Rsquare($close, " + d + ")"; }},
        {"RESI", [](const std::string& d) { return "Resi($close, " + d + ")/$close"; }},
        {"MAX", [](const std::string& d) { return "Max($high, " + d + ")/$close"; }},
        {"MIN", [](const std::string& d) { return "Min($low, " + d + ")/$close"; }},
        {"QTLU", [](const std::string& d) { return "Quantile($close, " + d + ", 0.8)/$close"; }},
        {"QTLD", [](const std::string& d) { return "Quantile($close, " + d + ", 0.2)/$close"; }},
        {"RANK", [](const std::string& d) { return "Rank($close, " + d + ")"; }},
        {"RSV",
         [](const std::string& d) {
             return "($close-Min($low, " + d + "))/(Max($high, " + d + ")-Min($low, " + d + ")+1e-12)";
         }},
        {"IMAX", [](const std::string& d) { return "IdxMax($high, " + d + ")/" + d; }},
        {"IMIN", [](const std::string& d) { return "IdxMin($low, " + d + ")/" + d; }},
        {"IMXD", [](const std::string& d) { return "(IdxMax($high, " + d + ")-IdxMin($low, " + d + "))/" + d; }},
        {"CORR", [](const std::string& d) { return "Corr($close, Log($volume+1), " + d + ")"; }},
        {"CORD",
         [](const std::string& d) { return "Corr($close/Ref($close,1), Log($volume/Ref($volume, 1)+1), " + d + ")"; }},
        {"CNTP", [](const std::string& d) { return "Mean($close>Ref($close, 1), " + d + ")"; }},
        {"CNTN", [](const std::string& d) { return "Mean($close<Ref($close, 1), " + d + ")"; }},
        {"CNTD",
         [](const std::string& d) {
             return "Mean($close>Ref($close, 1), " + d + ")-Mean($close<Ref($close, 1), " + d + ")";
         }},
        {"SUMP",
         [](const std::string& d) {
             return "Sum(Greater($close-Ref($close, 1), 0), " + d + ")/(Sum(Abs($close-Ref($close, 1)), " + d +
                    ")+1e-12)";
         }},
        {"SUMN",
         [](const std::string& d) {
             return "Sum(Greater(Ref($close, 1)-$close, 0), " + d + ")/(Sum(Abs($close-Ref($close, 1)), " + d +
                    ")+1e-12)";
         }},
        {"SUMD",
         [](const std::string& d) {
             return "(Sum(Greater($close-Ref($close, 1), 0), " + d + ")-Sum(Greater(Ref($close, 1)-$close, 0), " + d +
                    "))/(Sum(Abs($close-Ref($close, 1)), " + d + ")+1e-12)";
         }},
        {"VMA", [](const std::string& d) { return "Mean($volume, " + d + ")/($volume+1e-12)"; }},
        {"VSTD", [](const std::string& d) { return "Std($volume, " + d + ")/($volume+1e-12)"; }},
        {"WVMA",
         [](const std::string& d) {
             return "Std(Abs($close/Ref($close, 1)-1)*$volume, " + d +
                    ")/(Mean(Abs($close/Ref($close, 1)-1)*$volume, " + d + ")+1e-12)";
         }},
        {"VSUMP",
         [](const std::string& d) {
             return "Sum(Greater($volume-Ref($volume, 1), 0), " + d + ")/(Sum(Abs($volume-Ref($volume, 1)), " + d +
                    ")+1e-12)";
         }},
        {"VSUMN",
         [](const std::string& d) {
             return "Sum(Greater(Ref($volume, 1)-$volume, 0), " + d + ")/(Sum(Abs($volume-Ref($volume, 1)), " + d +
                    ")+1e-12)";
         }},
        {"VSUMD",
         [](const std::string& d) {
             return "(Sum(Greater($volume-Ref($volume, 1), 0), " + d + ")-Sum(Greater(Ref($volume, 1)-$volume, 0), " +
                    d + "))/(Sum(Abs($volume-Ref($volume, 1)), " + d + ")+1e-12)";
         }},
    };
    for (const Family& f : families)
        for (int d : {5, 10, 20, 30, 60}) out.emplace_back(f.name + std::to_string(d), f.text(std::to_string(d)));
    return out;
}

} // namespace alphascope::test
