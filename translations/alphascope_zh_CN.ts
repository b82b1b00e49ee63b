<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>alphascope::ui::BacktestChart</name>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="57"/>
        <source>Cumulative return (%)</source>
        <translation>累计收益率（%）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="57"/>
        <source>Excess (%)</source>
        <translation>超额收益（%）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="57"/>
        <source>Drawdown (%)</source>
        <translation>回撤（%）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="58"/>
        <source>Turnover (%)</source>
        <translation>换手率（%）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="70"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="145"/>
        <source>Portfolio</source>
        <translation>投资组合</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="146"/>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="147"/>
        <source>Excess over benchmark</source>
        <translation>相对基准的超额收益</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="148"/>
        <source>Drawdown</source>
        <translation>回撤</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_chart.cpp" line="149"/>
        <source>Daily turnover</source>
        <translation>日换手率</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::BacktestStatsModel</name>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="77"/>
        <source>The benchmark does not trade.</source>
        <translation>基准不进行交易。</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="87"/>
        <source>Portfolio</source>
        <translation>投资组合</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="88"/>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="89"/>
        <source>Excess</source>
        <translation>超额</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="94"/>
        <source>Cumulative return</source>
        <translation>累计收益率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="95"/>
        <source>Cumulative return (sum)</source>
        <translation>累计收益率（求和）</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="96"/>
        <source>Annual return</source>
        <translation>年化收益率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="97"/>
        <source>CAGR</source>
        <translation>复合年化收益率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="98"/>
        <source>Annual volatility</source>
        <translation>年化波动率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="99"/>
        <source>Sharpe</source>
        <translation>夏普比率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="100"/>
        <source>Sortino</source>
        <translation>索提诺比率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="101"/>
        <source>Calmar</source>
        <translation>卡玛比率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="102"/>
        <source>Max drawdown</source>
        <translation>最大回撤</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="103"/>
        <source>Turnover (daily)</source>
        <translation>换手率（日）</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="104"/>
        <source>Win rate</source>
        <translation>胜率</translation>
    </message>
    <message>
        <location filename="../ui/models/backtest_stats_model.cpp" line="105"/>
        <source>Days</source>
        <translation>交易日数</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::BacktestView</name>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="45"/>
        <source>&amp;Run backtest</source>
        <translation>运行回测(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="45"/>
        <source>Run automatically</source>
        <translation>自动运行</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="46"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="46"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="65"/>
        <source>Strategy:</source>
        <translation>策略：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="66"/>
        <source>Period:</source>
        <translation>区间：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="67"/>
        <source>Top k:</source>
        <translation>Top k：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="68"/>
        <source>Drop n:</source>
        <translation>Drop n：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="69"/>
        <source>Quantiles:</source>
        <translation>分位组数：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="70"/>
        <source>Min cost:</source>
        <translation>最低费用：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="71"/>
        <source>Open cost:</source>
        <translation>开仓费率：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="72"/>
        <source>Close cost:</source>
        <translation>平仓费率：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="73"/>
        <source>Capital:</source>
        <translation>初始资金：</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="129"/>
        <source>Top-k dropout</source>
        <translation>Top-k 轮换</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="130"/>
        <source>Long-short quantile</source>
        <translation>分位多空</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="131"/>
        <source>Long-only top quantile</source>
        <translation>仅做多最高分位</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="133"/>
        <source>Names held by the top-k dropout strategy</source>
        <translation>Top-k 轮换策略持有的股票数</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="135"/>
        <source>Most names replaced a day</source>
        <translation>每日最多替换的股票数</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="140"/>
        <source> bp</source>
        <translation> bp</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="142"/>
        <source>Cost of a buy (or of opening a short), in basis points of the traded value</source>
        <translation>买入（或开空）的费用，以成交金额的基点（bp）计</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="143"/>
        <source>Cost of a sell (or of covering a short), in basis points of the traded value</source>
        <translation>卖出（或平空）的费用，以成交金额的基点（bp）计</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="146"/>
        <source>Minimum cost per order, in the currency of the capital</source>
        <translation>每笔订单的最低费用，以资金的币种计</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="150"/>
        <source>Starting capital (matters only with a minimum cost)</source>
        <translation>初始资金（仅在设置了最低费用时起作用）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="176"/>
        <source>%1 (%2 .. %3)</source>
        <translation>%1（%2 .. %3）</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="181"/>
        <source>All splits</source>
        <translation>全部划分</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="245"/>
        <location filename="../ui/views/backtest_view.cpp" line="291"/>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="249"/>
        <source>Nothing to backtest yet: evaluate a formula in the lab or combine factors in the library.</source>
        <translation>暂无可回测的内容：请在公式实验室中评估公式，或在因子库中组合因子。</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="257"/>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="289"/>
        <source>No backtest yet</source>
        <translation>尚无回测</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="291"/>
        <source>Evaluate a formula to backtest it.</source>
        <translation>评估公式后即可对其回测。</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="310"/>
        <source> %1 / %2</source>
        <translation> %1 / %2</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="312"/>
        <source>, %1 quantiles</source>
        <translation>，%1 个分位组</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="314"/>
        <source>%1 — %2 — %3</source>
        <translation>%1 — %2 — %3</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="314"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="317"/>
        <source>The period holds no tradable day.</source>
        <translation>该区间内没有可交易日。</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="318"/>
        <source>%1 days, %2 .. %3</source>
        <translation>%1 天，%2 .. %3</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="350"/>
        <source>Export daily series</source>
        <translation>导出每日序列</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="350"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="352"/>
        <location filename="../ui/views/backtest_view.cpp" line="358"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="356"/>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location filename="../ui/views/backtest_view.cpp" line="356"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::CombinationView</name>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="40"/>
        <source>&amp;Backtest combination</source>
        <translation>回测组合(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="43"/>
        <source>Factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="43"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="43"/>
        <source>IC (fit)</source>
        <translation>IC（拟合）</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>ICIR</source>
        <translation>ICIR</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>Rank ICIR</source>
        <translation>Rank ICIR</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="44"/>
        <source>Turnover</source>
        <translation>换手率</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="69"/>
        <source>Select two or more factors and press Combine.</source>
        <translation>请选择两个或更多因子，然后点击“组合”。</translation>
    </message>
    <message>
        <location filename="../ui/views/combination_view.cpp" line="77"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — weights on the per-day z-scored factors, fitted on the first split.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — 每日 z-score 标准化后各因子的权重，在第一个划分上拟合。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::CorrelationHeatmap</name>
    <message>
        <location filename="../ui/views/correlation_heatmap.cpp" line="22"/>
        <source>Mutual IC</source>
        <translation>因子间 IC</translation>
    </message>
</context>
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
    <name>alphascope::ui::DeleteFactorsCommand</name>
    <message>
        <location filename="../ui/panels/delete_factors_command.cpp" line="13"/>
        <source>Delete “%1”</source>
        <translation>删除“%1”</translation>
    </message>
    <message>
        <location filename="../ui/panels/delete_factors_command.cpp" line="16"/>
        <source>Delete %1 factors</source>
        <translation>删除 %1 个因子</translation>
    </message>
    <message>
        <location filename="../ui/panels/delete_factors_command.cpp" line="28"/>
        <source>Could not delete: %1</source>
        <translation>无法删除：%1</translation>
    </message>
    <message>
        <location filename="../ui/panels/delete_factors_command.cpp" line="38"/>
        <source>Could not restore: %1</source>
        <translation>无法恢复：%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorLibraryModel</name>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="78"/>
        <source>Project: %1</source>
        <translation>项目：%1</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="200"/>
        <source>%1 on %2: IC %3, Rank IC %4, ICIR %5, Rank ICIR %6, %7 days</source>
        <translation>%1 在 %2 上：IC %3，Rank IC %4，ICIR %5，Rank ICIR %6，%7 天</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="212"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="213"/>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="214"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="215"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="219"/>
        <source>IC
%1</source>
        <translation>IC
%1</translation>
    </message>
    <message>
        <location filename="../ui/models/factor_library_model.cpp" line="219"/>
        <source>Rank IC
%1</source>
        <translation>Rank IC
%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorLibraryPanel</name>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="97"/>
        <source>&amp;Open in lab</source>
        <translation>在实验室中打开(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="97"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="98"/>
        <source>Co&amp;mpare</source>
        <translation>比较(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="99"/>
        <source>Com&amp;bine</source>
        <translation>组合(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="101"/>
        <source>Search names and formulas</source>
        <translation>搜索名称和公式</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="117"/>
        <source>Equal weight</source>
        <translation>等权</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="118"/>
        <source>Least squares</source>
        <translation>最小二乘</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="119"/>
        <source>Equal weight: sign(IC) / n. Least squares: AlphaGen pool weights fitted on the first split.</source>
        <translation>等权：sign(IC) / n。最小二乘：在第一个划分上拟合的 AlphaGen 因子池权重。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="125"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="126"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="129"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="135"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="136"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="166"/>
        <source>Correlation</source>
        <translation>相关性</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="167"/>
        <source>Combination</source>
        <translation>组合</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="221"/>
        <source>Project: %1</source>
        <translation>项目：%1</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="228"/>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="230"/>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="288"/>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="290"/>
        <source>The dataset has no splits to fit on.</source>
        <translation>数据集没有可用于拟合的划分。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="292"/>
        <source>Select at least two factors.</source>
        <translation>请至少选择两个因子。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="310"/>
        <source>Equal-weight combination of %1 factors</source>
        <translation>%1 个因子的等权组合</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="311"/>
        <source>Least-squares combination of %1 factors</source>
        <translation>%1 个因子的最小二乘组合</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="312"/>
        <source>Evaluating %1 factors…</source>
        <translation>正在评估 %1 个因子…</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="341"/>
        <source>Could not %1: %2</source>
        <translation>无法%1：%2</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="342"/>
        <source>combine</source>
        <translation>组合</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="342"/>
        <source>compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="349"/>
        <source>%1 (%2 .. %3)</source>
        <translation>%1（%2 .. %3）</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="355"/>
        <source>%1, fitted on %2.</source>
        <translation>%1，在 %2 上拟合。</translation>
    </message>
    <message>
        <location filename="../ui/panels/factor_library_panel.cpp" line="359"/>
        <source>Mutual IC of %1 factors over %2.</source>
        <translation>%1 个因子在 %2 上的因子间 IC。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorPlots</name>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="24"/>
        <source>Daily IC</source>
        <translation>每日 IC</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="24"/>
        <source>IC decay</source>
        <translation>IC 衰减</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="24"/>
        <source>Quantile returns</source>
        <translation>分位组收益</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="24"/>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="32"/>
        <location filename="../ui/views/factor_plots.cpp" line="80"/>
        <source>Daily Rank IC</source>
        <translation>每日 Rank IC</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="34"/>
        <source>Cumulative</source>
        <translation>累计</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="36"/>
        <source>Horizon (days)</source>
        <translation>预测期（天）</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="37"/>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="38"/>
        <source>Factor quantile (1 = lowest)</source>
        <translation>因子分位组（1 = 最低）</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="39"/>
        <source>Mean target</source>
        <translation>目标均值</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="40"/>
        <source>Factor value</source>
        <translation>因子值</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="41"/>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="104"/>
        <source>Cumulative IC</source>
        <translation>累计 IC</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="105"/>
        <source>Cumulative Rank IC</source>
        <translation>累计 Rank IC</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="154"/>
        <source>Mean target (%)</source>
        <translation>目标均值（%）</translation>
    </message>
    <message>
        <location filename="../ui/views/factor_plots.cpp" line="181"/>
        <source>%1 (%2 below, %3 above the 0.5–99.5 % range)</source>
        <translation>%1（%2 个低于、%3 个高于 0.5–99.5 % 区间）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaEditor</name>
    <message>
        <location filename="../ui/widgets/formula_editor.cpp" line="95"/>
        <source>Type a formula, e.g. Div(Sub($close, $open), Sub($high, $low))</source>
        <translation>输入公式，例如 Div(Sub($close, $open), Sub($high, $low))</translation>
    </message>
    <message>
        <location filename="../ui/widgets/formula_editor.cpp" line="168"/>
        <source>field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/widgets/formula_editor.cpp" line="169"/>
        <source>Field %1 of the data</source>
        <translation>数据字段 %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/formula_editor.cpp" line="176"/>
        <source>grouping</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../ui/widgets/formula_editor.cpp" line="177"/>
        <source>Grouping %1, for GroupRank, GroupDemean, GroupZScore</source>
        <translation>分组 %1，用于 GroupRank、GroupDemean、GroupZScore</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaLab</name>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="63"/>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="64"/>
        <source>&amp;Save to library…</source>
        <translation>保存到因子库(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="65"/>
        <source>Selected node</source>
        <translation>选中节点</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="72"/>
        <source>Keep this formula and its metrics in the project&apos;s factor library (Ctrl+S)</source>
        <translation>将此公式及其指标保存到项目的因子库（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="73"/>
        <source>Evaluate now (Enter)</source>
        <translation>立即评估（Enter）</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="174"/>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="180"/>
        <source>Type a formula, e.g. Div(Sub($close,$open),Sub($high,$low)); Ctrl+Space lists operators and fields.</source>
        <translation>输入公式，例如 Div(Sub($close,$open),Sub($high,$low))；按 Ctrl+Space 列出运算符和字段。</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="197"/>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="216"/>
        <source>%1 — evaluating…</source>
        <translation>%1 — 正在评估…</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="229"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — dimension %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — 量纲 %2</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="239"/>
        <source>Evaluation cancelled. Press Enter to evaluate again.</source>
        <translation>评估已取消。按 Enter 重新评估。</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="258"/>
        <source>Column %1: %2</source>
        <translation>第 %1 列：%2</translation>
    </message>
    <message>
        <location filename="../ui/panels/formula_lab.cpp" line="283"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — dimension %2 — computed in %3 ms</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — 量纲 %2 — 耗时 %3 毫秒</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaTreeView</name>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="32"/>
        <source>price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="33"/>
        <source>volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="34"/>
        <source>price × volume</source>
        <translation>价格 × 成交量</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="35"/>
        <source>dimensionless</source>
        <translation>无量纲</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="36"/>
        <source>other / unknown</source>
        <translation>其他 / 未知</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_items.cpp" line="38"/>
        <source>dimension rule broken</source>
        <translation>违反量纲规则</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_view.cpp" line="71"/>
        <source>Click a node to see its metrics and its text; wheel or Ctrl+= / Ctrl+- to zoom, Ctrl+0 to fit, drag to pan.</source>
        <translation>点击节点可查看其指标和文本；滚轮或 Ctrl+= / Ctrl+- 缩放，Ctrl+0 适应窗口，拖动可平移。</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_view.cpp" line="98"/>
        <source>No tree: column %1: %2</source>
        <translation>无法生成树：第 %1 列：%2</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_view.cpp" line="98"/>
        <source>No tree: %1</source>
        <translation>无法生成树：%1</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_view.cpp" line="208"/>
        <source>Dimension: %1</source>
        <translation>量纲：%1</translation>
    </message>
    <message>
        <location filename="../ui/views/formula_tree_view.cpp" line="403"/>
        <source>Formula tree</source>
        <translation>公式树</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="91"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="57"/>
        <location filename="../ui/main_window.cpp" line="59"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="59"/>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="61"/>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="65"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="66"/>
        <source>Stop the work in progress (Esc)</source>
        <translation>停止正在进行的任务（Esc）</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="74"/>
        <location filename="../ui/main_window.cpp" line="341"/>
        <location filename="../ui/main_window.cpp" line="391"/>
        <source>No dataset</source>
        <translation>无数据集</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="92"/>
        <source>Factor library</source>
        <translation>因子库</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="93"/>
        <source>Formula tree</source>
        <translation>公式树</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="94"/>
        <source>Backtest</source>
        <translation>回测</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="111"/>
        <source>&amp;Open dataset…</source>
        <translation>打开数据集(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>&amp;Recent datasets</source>
        <translation>最近的数据集(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;New project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Formula tree as &amp;PNG…</source>
        <translation>公式树（PNG）(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Formula tree as &amp;SVG…</source>
        <translation>公式树（SVG）(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>Lab &amp;chart (PNG/PDF)…</source>
        <translation>实验室图表（PNG/PDF）(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>PNG image (*.png);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="125"/>
        <location filename="../ui/main_window.cpp" line="129"/>
        <location filename="../ui/main_window.cpp" line="133"/>
        <location filename="../ui/main_window.cpp" line="306"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="125"/>
        <location filename="../ui/main_window.cpp" line="133"/>
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="127"/>
        <source>&amp;Backtest daily series (CSV)…</source>
        <translation>回测每日序列（CSV）(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>Export backtest</source>
        <translation>导出回测</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="129"/>
        <source>Cannot write %1 (run a backtest first).</source>
        <translation>无法写入 %1（请先运行回测）。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="131"/>
        <source>Backtest c&amp;hart (PNG)…</source>
        <translation>回测图表（PNG）(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>Export backtest chart</source>
        <translation>导出回测图表</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <location filename="../ui/main_window.cpp" line="303"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="138"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="139"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="141"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="146"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>F&amp;ormula</source>
        <translation>公式(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="151"/>
        <source>&amp;Edit formula</source>
        <translation>编辑公式(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>E&amp;valuate now</source>
        <translation>立即评估(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Save to library…</source>
        <translation>保存到因子库(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>Run &amp;backtest</source>
        <translation>运行回测(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>&amp;Formula language</source>
        <translation>公式语言(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="163"/>
        <source>Formula language</source>
        <translation>公式语言</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>&lt;p&gt;Fields start with $: $open $high $low $close $volume $vwap.&lt;/p&gt;&lt;p&gt;Operators take series first and a window (days) last: &lt;tt&gt;Mean($close, 20)&lt;/tt&gt;, &lt;tt&gt;Corr($close, $volume, 10)&lt;/tt&gt;, &lt;tt&gt;GroupRank($close, sector)&lt;/tt&gt;. + − × ÷ may be written infix.&lt;/p&gt;&lt;p&gt;In the editor, Ctrl+Space lists every operator with its signature; Enter evaluates at once.&lt;/p&gt;</source>
        <translation>&lt;p&gt;字段以 $ 开头：$open $high $low $close $volume $vwap。&lt;/p&gt;&lt;p&gt;运算符先接序列参数，窗口（天数）放在最后：&lt;tt&gt;Mean($close, 20)&lt;/tt&gt;、&lt;tt&gt;Corr($close, $volume, 10)&lt;/tt&gt;、&lt;tt&gt;GroupRank($close, sector)&lt;/tt&gt;。+ − × ÷ 可写成中缀形式。&lt;/p&gt;&lt;p&gt;在编辑器中，按 Ctrl+Space 列出所有运算符及其签名；按 Enter 立即评估。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="177"/>
        <source>Evaluating</source>
        <translation>评估中</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="178"/>
        <source>Backtesting</source>
        <translation>回测中</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="207"/>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="218"/>
        <location filename="../ui/main_window.cpp" line="223"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="219"/>
        <location filename="../ui/main_window.cpp" line="238"/>
        <source>AlphaScope projects (*.alphascope)</source>
        <translation>AlphaScope 项目 (*.alphascope)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="223"/>
        <source>Cannot replace %1.</source>
        <translation>无法替换 %1。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="230"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="231"/>
        <source>AlphaScope projects (*.alphascope);;All files (*)</source>
        <translation>AlphaScope 项目 (*.alphascope);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="237"/>
        <location filename="../ui/main_window.cpp" line="242"/>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="251"/>
        <source>Nothing to save: evaluate a formula first.</source>
        <translation>没有可保存的内容：请先评估公式。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="255"/>
        <location filename="../ui/main_window.cpp" line="265"/>
        <source>Save to library</source>
        <translation>保存到因子库</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="255"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="268"/>
        <source>Saved “%1” to the library.</source>
        <translation>已将“%1”保存到因子库。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="283"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="283"/>
        <source>The new language takes effect when AlphaScope is started again.</source>
        <translation>新语言将在 AlphaScope 重新启动后生效。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="293"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="295"/>
        <source>&amp;Clear list</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="302"/>
        <source>Export formula tree</source>
        <translation>导出公式树</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="303"/>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="306"/>
        <source>Cannot write %1 (is a formula shown?).</source>
        <translation>无法写入 %1（是否已显示公式？）。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="349"/>
        <source>%1 — %2 instruments × %3 days, %4 .. %5, %6 MB</source>
        <translation>%1 — %2 个标的 × %3 个交易日，%4 .. %5，%6 MB</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="392"/>
        <source>Loading cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="406"/>
        <source>no project</source>
        <translation>无项目</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="407"/>
        <source>AlphaScope — %1</source>
        <translation>AlphaScope — %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="110"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="112"/>
        <source>Open the &amp;sample dataset</source>
        <translation>打开示例数据集(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="136"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>&amp;About AlphaScope</source>
        <translation>关于 AlphaScope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>About AlphaScope</source>
        <translation>关于 AlphaScope</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="172"/>
        <source>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;A research workbench for formulaic alpha factors.&lt;/p&gt;</source>
        <translation>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;公式化 Alpha 因子研究工作台。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="319"/>
        <location filename="../ui/main_window.cpp" line="337"/>
        <location filename="../ui/main_window.cpp" line="390"/>
        <source>Loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="320"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="341"/>
        <source>%1 (the new dataset did not load)</source>
        <translation>%1（新数据集未能加载）</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="342"/>
        <source>Cannot open the dataset</source>
        <translation>无法打开数据集</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::OpenDatasetDialog</name>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="37"/>
        <source>&amp;Default: 70 / 15 / 15 % after 60 warm-up days</source>
        <translation>默认(&amp;D)：预热 60 天后按 70 / 15 / 15 % 划分</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="38"/>
        <source>&amp;Dates:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="39"/>
        <source>Open dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="42"/>
        <source>&amp;File…</source>
        <translation>文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="43"/>
        <source>&amp;Qlib folder…</source>
        <translation>Qlib 文件夹(&amp;Q)…</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="44"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="45"/>
        <source>A long CSV (.csv, .csv.xz) or a Qlib binary folder</source>
        <translation>长格式 CSV（.csv、.csv.xz）或 Qlib 二进制数据文件夹</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="46"/>
        <source>Optional: a CSV with instrument, sector[, industry]</source>
        <translation>可选：含 instrument、sector[, industry] 列的 CSV</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="50"/>
        <source>The forward return the factors are measured against; negative Ref reads the future.</source>
        <translation>衡量因子所用的远期收益；负的 Ref 读取未来数据。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="61"/>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="62"/>
        <source>Universe:</source>
        <translation>股票池：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="63"/>
        <source>Sectors:</source>
        <translation>行业板块：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="64"/>
        <source>Target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="66"/>
        <source>Splits</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="70"/>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="168"/>
        <source>Train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="70"/>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="168"/>
        <source>Valid</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="70"/>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="168"/>
        <source>Test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="82"/>
        <source>Between splits a gap of at least the target&apos;s horizon is kept: when the dates leave a shorter gap, the earlier split ends early so that its labels never read into the next one.</source>
        <translation>相邻划分之间至少保留与目标预测期等长的间隔：若所选日期留出的间隔更短，较早的划分会提前结束，使其标签不会读取到下一个划分的数据。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="88"/>
        <source>Recent datasets</source>
        <translation>最近的数据集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="159"/>
        <source>Choose a CSV file or a Qlib folder.</source>
        <translation>请选择 CSV 文件或 Qlib 文件夹。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="160"/>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="162"/>
        <source>The sector file %1 does not exist.</source>
        <translation>行业板块文件 %1 不存在。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="166"/>
        <source>Target, column %1: %2</source>
        <translation>目标，第 %1 列：%2</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="170"/>
        <source>%1 ends before it starts.</source>
        <translation>%1的结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="172"/>
        <source>%1 must start after %2 ends (splits are chronological and do not overlap).</source>
        <translation>%1必须在%2结束之后开始（各划分按时间顺序排列且互不重叠）。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="185"/>
        <source>Open a long CSV dataset</source>
        <translation>打开长格式 CSV 数据集</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="186"/>
        <source>CSV files (*.csv *.csv.xz *.xz);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.csv.xz *.xz);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="193"/>
        <source>Open a Qlib binary folder</source>
        <translation>打开 Qlib 二进制数据文件夹</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="200"/>
        <source>Sector / industry file</source>
        <translation>板块 / 行业文件</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/open_dataset_dialog.cpp" line="201"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SettingsDialog</name>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="16"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="18"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="24"/>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="26"/>
        <source>How long the formula lab waits after the last keystroke before it evaluates.</source>
        <translation>公式实验室在最后一次按键之后等待多长时间再开始评估。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="28"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="30"/>
        <source>Memory for cached sub-expression values; applies to datasets opened afterwards.</source>
        <translation>用于缓存子表达式值的内存；对之后打开的数据集生效。</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="33"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="34"/>
        <source>&amp;Evaluate after typing pauses for:</source>
        <translation>停止输入多久后评估(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="35"/>
        <source>Evaluation &amp;cache:</source>
        <translation>评估缓存(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../ui/dialogs/settings_dialog.cpp" line="36"/>
        <source>A new language takes effect the next time AlphaScope starts.</source>
        <translation>新语言将在下次启动 AlphaScope 时生效。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SplitMetricsModel</name>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="73"/>
        <source>Days with a defined cross-sectional correlation</source>
        <translation>截面相关系数有定义的天数</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="74"/>
        <source>Mean daily Pearson correlation with the target</source>
        <translation>与目标的每日 Pearson 相关系数的均值</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="75"/>
        <source>Mean daily Spearman correlation with the target</source>
        <translation>与目标的每日 Spearman 相关系数的均值</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="76"/>
        <source>IC mean / IC standard deviation</source>
        <translation>IC 均值 / IC 标准差</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="77"/>
        <source>Rank IC mean / Rank IC standard deviation</source>
        <translation>Rank IC 均值 / Rank IC 标准差</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="78"/>
        <source>Share of universe cells with a finite value</source>
        <translation>股票池中取值为有限数的单元格占比</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="79"/>
        <source>Daily turnover of the top quintile</source>
        <translation>最高五分位组的日换手率</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="80"/>
        <source>Lag-1 rank autocorrelation of the factor</source>
        <translation>因子的 1 阶滞后秩自相关</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="86"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="87"/>
        <source>First day</source>
        <translation>首日</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="88"/>
        <source>Last day</source>
        <translation>末日</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="89"/>
        <source>IC days</source>
        <translation>IC 天数</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="90"/>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="91"/>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="92"/>
        <source>ICIR</source>
        <translation>ICIR</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="93"/>
        <source>Rank ICIR</source>
        <translation>Rank ICIR</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="94"/>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="95"/>
        <source>Turnover</source>
        <translation>换手率</translation>
    </message>
    <message>
        <location filename="../ui/models/split_metrics_model.cpp" line="96"/>
        <source>Autocorr.</source>
        <translation>自相关</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="113"/>
        <source>AlphaScope: a research workbench for formulaic alpha factors</source>
        <translation>AlphaScope：公式化 Alpha 因子研究工作台</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="116"/>
        <source>Long CSV (.csv/.csv.xz) or Qlib folder to open (default: the bundled sample).</source>
        <translation>要打开的长格式 CSV（.csv/.csv.xz）或 Qlib 文件夹（默认：内置示例数据集）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="117"/>
        <source>Sector/industry CSV.</source>
        <translation>板块/行业 CSV。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="118"/>
        <source>Qlib universe name.</source>
        <translation>Qlib 股票池名称。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="119"/>
        <source>Formula to show in the lab.</source>
        <translation>在公式实验室中显示的公式。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="121"/>
        <source>Project file to open (default: the last one, else one in the user&apos;s data directory).</source>
        <translation>要打开的项目文件（默认：上次使用的项目，否则为用户数据目录中的项目）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="122"/>
        <source>User interface language (en, zh_CN); default: the setting, else the system&apos;s.</source>
        <translation>界面语言（en、zh_CN）；默认：使用设置中的语言，否则跟随系统。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="123"/>
        <source>Save a PNG of the window once the formula and its backtest are shown, then quit.</source>
        <translation>在公式及其回测显示后将窗口保存为 PNG 截图，然后退出。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="124"/>
        <source>With --screenshot: also save a PNG of every panel into this folder.</source>
        <translation>配合 --screenshot 使用：同时将每个面板的 PNG 截图保存到此文件夹。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="125"/>
        <source>Measure formula -&gt; metrics latency and GUI stalls on the loaded data, print them, quit.</source>
        <translation>在已加载的数据上测量公式到指标的延迟及界面卡顿，打印结果后退出。</translation>
    </message>
</context>
</TS>
