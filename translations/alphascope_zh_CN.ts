<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>alphascope::ui::DatasetPanel</name>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="11"/>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="11"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="30"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="31"/>
        <source>Universe</source>
        <translation>股票池</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="32"/>
        <source>Instruments</source>
        <translation>标的数</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="33"/>
        <source>Days</source>
        <translation>交易日数</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="35"/>
        <source>Date range</source>
        <translation>日期范围</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="36"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="36"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="37"/>
        <source>Load time</source>
        <translation>加载耗时</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="37"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="38"/>
        <source>Fields (coverage)</source>
        <translation>字段（覆盖率）</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="41"/>
        <source>  (derived: %1)</source>
        <translation>  （派生：%1）</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="45"/>
        <source>Groupings</source>
        <translation>分组</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/panels/dataset_panel.cpp" line="46"/>
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n 个分组</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="48"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="49"/>
        <source>Splits</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="51"/>
        <source>%1 .. %2 (%3 days)</source>
        <translation>%1 .. %2（%3 天）</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="51"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="53"/>
        <source>Loader warnings</source>
        <translation>加载警告</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="56"/>
        <source> (%1 times)</source>
        <translation>（%1 次）</translation>
    </message>
    <message>
        <location filename="../ui/panels/dataset_panel.cpp" line="64"/>
        <source>Target and split notes</source>
        <translation>目标与划分说明</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaLab</name>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="30"/>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="32"/>
        <source>Type a formula, e.g. Div(Sub($close,$open),Sub($high,$low))</source>
        <translation>输入公式，例如 Div(Sub($close,$open),Sub($high,$low))</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>First day</source>
        <translation>首日</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>Last day</source>
        <translation>末日</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>IC days</source>
        <translation>IC 天数</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="40"/>
        <source>ICIR</source>
        <translation>ICIR</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="41"/>
        <source>Rank ICIR</source>
        <translation>Rank ICIR</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="41"/>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="41"/>
        <source>Turnover</source>
        <translation>换手率</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="41"/>
        <source>Autocorr.</source>
        <translation>自相关</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="49"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="50"/>
        <location filename="../ui/panels/formula_lab.cpp" line="204"/>
        <source>Cumulative IC</source>
        <translation>累计 IC</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="59"/>
        <source>Formula:</source>
        <translation>公式：</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="97"/>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="114"/>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="149"/>
        <source>Column %1: %2</source>
        <translation>第 %1 列：%2</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="168"/>
        <source>%1 — dimension %2 — %3 ms</source>
        <translation>%1 — 量纲 %2 — %3 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="205"/>
        <source>Cumulative Rank IC</source>
        <translation>累计 Rank IC</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="33"/>
        <source>AlphaScope</source>
        <translation>AlphaScope</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="37"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="43"/>
        <location filename="../ui/main_window.cpp" line="45"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="45"/>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="47"/>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="54"/>
        <location filename="../ui/main_window.cpp" line="130"/>
        <source>No dataset</source>
        <translation>无数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="57"/>
        <source>Evaluating</source>
        <translation>评估中</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="69"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="70"/>
        <source>Open &amp;CSV dataset…</source>
        <translation>打开 CSV 数据集(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="72"/>
        <source>Open &amp;Qlib folder…</source>
        <translation>打开 Qlib 文件夹(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="73"/>
        <source>Open the &amp;sample dataset</source>
        <translation>打开示例数据集(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="75"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="78"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="81"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="82"/>
        <source>&amp;About AlphaScope</source>
        <translation>关于 AlphaScope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="83"/>
        <source>About AlphaScope</source>
        <translation>关于 AlphaScope</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="84"/>
        <source>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;A research workbench for formulaic alpha factors.&lt;/p&gt;</source>
        <translation>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;公式化 Alpha 因子研究工作台。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="89"/>
        <source>Open a long CSV dataset</source>
        <translation>打开长格式 CSV 数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="89"/>
        <source>CSV files (*.csv *.csv.xz *.xz);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.csv.xz *.xz);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="91"/>
        <source>Optional: a sector/industry CSV (cancel for none)</source>
        <translation>可选：板块/行业 CSV（取消则不使用）</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="91"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="99"/>
        <source>Open a Qlib binary folder</source>
        <translation>打开 Qlib 二进制数据文件夹</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="102"/>
        <source>Universe</source>
        <translation>股票池</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="102"/>
        <source>Universe (instruments/&lt;name&gt;.txt):</source>
        <translation>股票池（instruments/&lt;name&gt;.txt）：</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="112"/>
        <location filename="../ui/main_window.cpp" line="126"/>
        <source>Loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="131"/>
        <source>Cannot open the dataset</source>
        <translation>无法打开数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>%1 — %2 instruments × %3 days</source>
        <translation>%1 — %2 个标的 × %3 个交易日</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="32"/>
        <source>AlphaScope: a research workbench for formulaic alpha factors</source>
        <translation>AlphaScope：公式化 Alpha 因子研究工作台</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="35"/>
        <source>Long CSV (.csv/.csv.xz) or Qlib folder to open (default: the bundled sample).</source>
        <translation>要打开的长格式 CSV（.csv/.csv.xz）或 Qlib 文件夹（默认：内置示例数据集）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="36"/>
        <source>Sector/industry CSV.</source>
        <translation>板块/行业 CSV。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="37"/>
        <source>Qlib universe name.</source>
        <translation>Qlib 股票池名称。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="38"/>
        <source>Formula to show in the lab.</source>
        <translation>在公式实验室中显示的公式。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="40"/>
        <source>User interface language (en, zh_CN); default: the system&apos;s.</source>
        <translation>界面语言（en、zh_CN）；默认：跟随系统。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="41"/>
        <source>Save a PNG of the window once the formula is evaluated, then quit.</source>
        <translation>公式评估完成后将窗口保存为 PNG 截图，然后退出。</translation>
    </message>
</context>
</TS>
