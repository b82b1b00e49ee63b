<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Operators</name>
    <message>
        <source>absolute value</source>
        <translation>绝对值</translation>
    </message>
    <message>
        <source>negation, -x</source>
        <translation>取负，-x</translation>
    </message>
    <message>
        <source>sign: -1, 0 or 1</source>
        <translation>符号：-1、0 或 1</translation>
    </message>
    <message>
        <source>natural log; NaN for x &lt;= 0</source>
        <translation>自然对数；x &lt;= 0 时为 NaN</translation>
    </message>
    <message>
        <source>sign(x) * log(1 + |x|)</source>
        <translation>sign(x) * log(1 + |x|)</translation>
    </message>
    <message>
        <source>1 / x; NaN at 0</source>
        <translation>1 / x；x 为 0 时为 NaN</translation>
    </message>
    <message>
        <source>sign(x) * sqrt(|x|)</source>
        <translation>sign(x) * sqrt(|x|)</translation>
    </message>
    <message>
        <source>x + y</source>
        <translation>x + y</translation>
    </message>
    <message>
        <source>x - y</source>
        <translation>x - y</translation>
    </message>
    <message>
        <source>x * y</source>
        <translation>x * y</translation>
    </message>
    <message>
        <source>x / y; NaN when y = 0</source>
        <translation>x / y；y = 0 时为 NaN</translation>
    </message>
    <message>
        <source>x ^ y; NaN for a negative base and non-integer y</source>
        <translation>x ^ y；底数为负且 y 非整数时为 NaN</translation>
    </message>
    <message>
        <source>elementwise max(x, y)</source>
        <translation>逐元素 max(x, y)</translation>
    </message>
    <message>
        <source>elementwise min(x, y)</source>
        <translation>逐元素 min(x, y)</translation>
    </message>
    <message>
        <source>x, days ago (negative: future, target only)</source>
        <translation>x 在 days 天前的值（负数表示未来，仅用于目标）</translation>
    </message>
    <message>
        <source>x - Ref(x, days)</source>
        <translation>x - Ref(x, days)</translation>
    </message>
    <message>
        <source>rolling mean</source>
        <translation>滚动均值</translation>
    </message>
    <message>
        <source>rolling sum</source>
        <translation>滚动求和</translation>
    </message>
    <message>
        <source>rolling standard deviation (ddof 1)</source>
        <translation>滚动标准差（ddof 1）</translation>
    </message>
    <message>
        <source>rolling variance (ddof 1)</source>
        <translation>滚动方差（ddof 1）</translation>
    </message>
    <message>
        <source>rolling skewness (bias-corrected)</source>
        <translation>滚动偏度（偏差校正）</translation>
    </message>
    <message>
        <source>rolling excess kurtosis (bias-corrected)</source>
        <translation>滚动超额峰度（偏差校正）</translation>
    </message>
    <message>
        <source>rolling maximum</source>
        <translation>滚动最大值</translation>
    </message>
    <message>
        <source>rolling minimum</source>
        <translation>滚动最小值</translation>
    </message>
    <message>
        <source>rolling median</source>
        <translation>滚动中位数</translation>
    </message>
    <message>
        <source>rolling mean absolute deviation</source>
        <translation>滚动平均绝对偏差</translation>
    </message>
    <message>
        <source>percentile of today within the window (max = 1)</source>
        <translation>当日值在窗口内的分位（最大为 1）</translation>
    </message>
    <message>
        <source>linearly weighted moving average</source>
        <translation>线性加权移动平均</translation>
    </message>
    <message>
        <source>exponential moving average, alpha 2/(W+1), truncated</source>
        <translation>指数移动平均，alpha = 2/(W+1)，截断于窗口</translation>
    </message>
    <message>
        <source>rolling mean / standard deviation</source>
        <translation>滚动均值 / 标准差</translation>
    </message>
    <message>
        <source>x - rolling max</source>
        <translation>x - 滚动最大值</translation>
    </message>
    <message>
        <source>x - rolling min</source>
        <translation>x - 滚动最小值</translation>
    </message>
    <message>
        <source>rolling max - rolling min</source>
        <translation>滚动最大值 - 滚动最小值</translation>
    </message>
    <message>
        <source>x / rolling mean</source>
        <translation>x / 滚动均值</translation>
    </message>
    <message>
        <source>x / Ref(x, days) - 1</source>
        <translation>x / Ref(x, days) - 1</translation>
    </message>
    <message>
        <source>position of the max in the window (1 = oldest)</source>
        <translation>窗口内最大值的位置（1 为最早一天）</translation>
    </message>
    <message>
        <source>position of the min in the window (1 = oldest)</source>
        <translation>窗口内最小值的位置（1 为最早一天）</translation>
    </message>
    <message>
        <source>rolling covariance (ddof 1)</source>
        <translation>滚动协方差（ddof 1）</translation>
    </message>
    <message>
        <source>rolling correlation; NaN on a constant window</source>
        <translation>滚动相关系数；窗口为常数时为 NaN</translation>
    </message>
    <message>
        <source>rank across instruments each day, in (0, 1]</source>
        <translation>每日截面排名，取值 (0, 1]</translation>
    </message>
    <message>
        <source>z-score across instruments each day</source>
        <translation>每日截面 z 分数</translation>
    </message>
    <message>
        <source>x minus the day&apos;s cross-sectional mean</source>
        <translation>x 减去当日截面均值</translation>
    </message>
    <message>
        <source>x / sum |x| across instruments each day</source>
        <translation>x / 当日截面 |x| 之和</translation>
    </message>
    <message>
        <source>x minus its group&apos;s mean each day</source>
        <translation>x 减去其所在组的当日均值</translation>
    </message>
    <message>
        <source>rank within its group each day, in (0, 1]</source>
        <translation>每日组内排名，取值 (0, 1]</translation>
    </message>
    <message>
        <source>z-score within its group each day</source>
        <translation>每日组内 z 分数</translation>
    </message>
    <message>
        <source>1 where x &gt; y, else 0 (infix x &gt; y)</source>
        <translation>x &gt; y 时为 1，否则为 0（中缀写法 x &gt; y）</translation>
    </message>
    <message>
        <source>1 where x &gt;= y, else 0 (infix x &gt;= y)</source>
        <translation>x &gt;= y 时为 1，否则为 0（中缀写法 x &gt;= y）</translation>
    </message>
    <message>
        <source>1 where x &lt; y, else 0 (infix x &lt; y)</source>
        <translation>x &lt; y 时为 1，否则为 0（中缀写法 x &lt; y）</translation>
    </message>
    <message>
        <source>1 where x &lt;= y, else 0 (infix x &lt;= y)</source>
        <translation>x &lt;= y 时为 1，否则为 0（中缀写法 x &lt;= y）</translation>
    </message>
    <message>
        <source>1 where x == y, else 0 (infix x == y)</source>
        <translation>x == y 时为 1，否则为 0（中缀写法 x == y）</translation>
    </message>
    <message>
        <source>1 where x != y, else 0 (infix x != y)</source>
        <translation>x != y 时为 1，否则为 0（中缀写法 x != y）</translation>
    </message>
    <message>
        <source>1 where both are non-zero, else 0 (infix x &amp; y)</source>
        <translation>两者均非零时为 1，否则为 0（中缀写法 x &amp; y）</translation>
    </message>
    <message>
        <source>1 where either is non-zero, else 0 (infix x | y)</source>
        <translation>任一非零时为 1，否则为 0（中缀写法 x | y）</translation>
    </message>
    <message>
        <source>1 where x is 0, else 0</source>
        <translation>x 为 0 时为 1，否则为 0</translation>
    </message>
    <message>
        <source>number of days with a value in the window (Qlib&apos;s Count)</source>
        <translation>窗口内有值的天数（Qlib 的 Count）</translation>
    </message>
    <message>
        <source>least-squares slope of x on time over the window, per day</source>
        <translation>窗口内 x 对时间的最小二乘斜率（每天）</translation>
    </message>
    <message>
        <source>R-squared of the regression of x on time over the window</source>
        <translation>窗口内 x 对时间回归的 R 方</translation>
    </message>
    <message>
        <source>today&apos;s residual from the regression of x on time over the window</source>
        <translation>窗口内 x 对时间回归在当日的残差</translation>
    </message>
    <message>
        <source>the window&apos;s q-quantile, linear between the two nearest values (q in [0, 1])</source>
        <translation>窗口的 q 分位数，在相邻两值间线性插值（q 取 [0, 1]）</translation>
    </message>
    <message>
        <source>x where cond is non-zero, else y; NaN where cond is NaN (WorldQuant: cond ? x : y)</source>
        <translation>cond 非零时取 x，否则取 y；cond 为 NaN 时为 NaN（WorldQuant 写法：cond ? x : y）</translation>
    </message>
    <message>
        <source>sign(x) * |x| ^ e</source>
        <translation>sign(x) * |x| ^ e</translation>
    </message>
    <message>
        <source>rolling product</source>
        <translation>滚动乘积</translation>
    </message>
    <message>
        <source>x of the instrument code (an index, a stock), the same for every instrument (Qlib&apos;s Mask(x, &apos;code&apos;) too)</source>
        <translation>代码为 code 的标的（指数或股票）的 x，对所有标的相同（亦即 Qlib 的 Mask(x, &apos;code&apos;)）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::BacktestChart</name>
    <message>
        <source>Cumulative return (%)</source>
        <translation>累计收益率（%）</translation>
    </message>
    <message>
        <source>Excess (%)</source>
        <translation>超额收益（%）</translation>
    </message>
    <message>
        <source>Drawdown (%)</source>
        <translation>回撤（%）</translation>
    </message>
    <message>
        <source>Turnover (%)</source>
        <translation>换手率（%）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Portfolio</source>
        <translation>投资组合</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <source>Excess over benchmark</source>
        <translation>相对基准的超额收益</translation>
    </message>
    <message>
        <source>Drawdown</source>
        <translation>回撤</translation>
    </message>
    <message>
        <source>Daily turnover</source>
        <translation>日换手率</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::BacktestStatsModel</name>
    <message>
        <source>The benchmark does not trade.</source>
        <translation>基准不进行交易。</translation>
    </message>
    <message>
        <source>Portfolio</source>
        <translation>投资组合</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <source>Excess</source>
        <translation>超额</translation>
    </message>
    <message>
        <source>Cumulative return</source>
        <translation>累计收益率</translation>
    </message>
    <message>
        <source>Cumulative return (sum)</source>
        <translation>累计收益率（求和）</translation>
    </message>
    <message>
        <source>Annual return</source>
        <translation>年化收益率</translation>
    </message>
    <message>
        <source>CAGR</source>
        <translation>复合年化收益率</translation>
    </message>
    <message>
        <source>Annual volatility</source>
        <translation>年化波动率</translation>
    </message>
    <message>
        <source>Sharpe</source>
        <translation>夏普比率</translation>
    </message>
    <message>
        <source>Sortino</source>
        <translation>索提诺比率</translation>
    </message>
    <message>
        <source>Calmar</source>
        <translation>卡玛比率</translation>
    </message>
    <message>
        <source>Max drawdown</source>
        <translation>最大回撤</translation>
    </message>
    <message>
        <source>Turnover (daily)</source>
        <translation>换手率（日）</translation>
    </message>
    <message>
        <source>Win rate</source>
        <translation>胜率</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>交易日数</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::BacktestView</name>
    <message>
        <source>&amp;Run backtest</source>
        <translation>运行回测(&amp;R)</translation>
    </message>
    <message>
        <source>Run automatically</source>
        <translation>自动运行</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>策略：</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>区间：</translation>
    </message>
    <message>
        <source>Top k:</source>
        <translation>Top k：</translation>
    </message>
    <message>
        <source>Drop n:</source>
        <translation>Drop n：</translation>
    </message>
    <message>
        <source>Quantiles:</source>
        <translation>分位组数：</translation>
    </message>
    <message>
        <source>Min cost:</source>
        <translation>最低费用：</translation>
    </message>
    <message>
        <source>Open cost:</source>
        <translation>开仓费率：</translation>
    </message>
    <message>
        <source>Close cost:</source>
        <translation>平仓费率：</translation>
    </message>
    <message>
        <source>Capital:</source>
        <translation>初始资金：</translation>
    </message>
    <message>
        <source>Top-k dropout</source>
        <translation>Top-k 轮换</translation>
    </message>
    <message>
        <source>Long-short quantile</source>
        <translation>分位多空</translation>
    </message>
    <message>
        <source>Long-only top quantile</source>
        <translation>仅做多最高分位</translation>
    </message>
    <message>
        <source>Names held by the top-k dropout strategy</source>
        <translation>Top-k 轮换策略持有的股票数</translation>
    </message>
    <message>
        <source>Most names replaced a day</source>
        <translation>每日最多替换的股票数</translation>
    </message>
    <message>
        <source> bp</source>
        <translation> bp</translation>
    </message>
    <message>
        <source>Cost of a buy (or of opening a short), in basis points of the traded value</source>
        <translation>买入（或开空）的费用，以成交金额的基点（bp）计</translation>
    </message>
    <message>
        <source>Cost of a sell (or of covering a short), in basis points of the traded value</source>
        <translation>卖出（或平空）的费用，以成交金额的基点（bp）计</translation>
    </message>
    <message>
        <source>Minimum cost per order, in the currency of the capital</source>
        <translation>每笔订单的最低费用，以资金的币种计</translation>
    </message>
    <message>
        <source>Starting capital (matters only with a minimum cost)</source>
        <translation>初始资金（仅在设置了最低费用时起作用）</translation>
    </message>
    <message>
        <source>%1 (%2 .. %3)</source>
        <translation>%1（%2 .. %3）</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>全部划分</translation>
    </message>
    <message>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <source>Nothing to backtest yet: evaluate a formula in the lab or combine factors in the library.</source>
        <translation>暂无可回测的内容：请在公式实验室中评估公式，或在因子库中组合因子。</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>No backtest yet</source>
        <translation>尚无回测</translation>
    </message>
    <message>
        <source>Evaluate a formula to backtest it.</source>
        <translation>评估公式后即可对其回测。</translation>
    </message>
    <message>
        <source> %1 / %2</source>
        <translation> %1 / %2</translation>
    </message>
    <message>
        <source>, %1 quantiles</source>
        <translation>，%1 个分位组</translation>
    </message>
    <message>
        <source>%1 — %2 — %3</source>
        <translation>%1 — %2 — %3</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>The period holds no tradable day.</source>
        <translation>该区间内没有可交易日。</translation>
    </message>
    <message>
        <source>%1 days, %2 .. %3</source>
        <translation>%1 天，%2 .. %3</translation>
    </message>
    <message>
        <source>Export daily series</source>
        <translation>导出每日序列</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Backtest cancelled.</source>
        <translation>回测已取消。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::ClusterTableModel</name>
    <message>
        <source>Cluster</source>
        <translation>簇</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员数</translation>
    </message>
    <message>
        <source>Intra ρ</source>
        <translation>簇内 ρ</translation>
    </message>
    <message>
        <source>ρ to others</source>
        <translation>与其他 ρ</translation>
    </message>
    <message>
        <source>Top sector</source>
        <translation>主要行业</translation>
    </message>
    <message>
        <source>Sector share</source>
        <translation>行业占比</translation>
    </message>
    <message>
        <source>Window return</source>
        <translation>窗口收益</translation>
    </message>
    <message>
        <source>Most central members</source>
        <translation>最核心的成员</translation>
    </message>
    <message>
        <source>Share of the cluster in its top sector (%)</source>
        <translation>簇中属于主要行业的比例（%）</translation>
    </message>
    <message>
        <source>Mean log return of the members over the window (%)</source>
        <translation>成员在窗口内的平均对数收益率（%）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::ClustermapView</name>
    <message numerus="yes">
        <source>Mean correlation between clusters (%n instrument(s))</source>
        <translation>
            <numerusform>簇间平均相关系数（%n 个标的）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Return correlation (%n instrument(s))</source>
        <translation>
            <numerusform>收益率相关系数（%n 个标的）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 × %2: %3</source>
        <translation>%1 × %2：%3</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::CombinationView</name>
    <message>
        <source>&amp;Backtest combination</source>
        <translation>回测组合(&amp;B)</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>因子</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>IC (fit)</source>
        <translation>IC（拟合）</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <source>ICIR</source>
        <translation>ICIR</translation>
    </message>
    <message>
        <source>Rank ICIR</source>
        <translation>Rank ICIR</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>换手率</translation>
    </message>
    <message>
        <source>Select two or more factors and press Combine.</source>
        <translation>请选择两个或更多因子，然后点击“组合”。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — weights on the per-day z-scored factors, fitted on the first split.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — 每日 z-score 标准化后各因子的权重，在第一个划分上拟合。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::CorrelationHeatmap</name>
    <message>
        <source>Mutual IC</source>
        <translation>因子间 IC</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::DatasetPanel</name>
    <message>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Universe</source>
        <translation>股票池</translation>
    </message>
    <message>
        <source>Instruments</source>
        <translation>标的数</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>交易日数</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>日期范围</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>Load time</source>
        <translation>加载耗时</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Fields (coverage)</source>
        <translation>字段（覆盖率）</translation>
    </message>
    <message>
        <source>  (derived: %1)</source>
        <translation>  （派生：%1）</translation>
    </message>
    <message>
        <source>Groupings</source>
        <translation>分组</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n 个分组</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Splits</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>%1 .. %2 (%3 days)</source>
        <translation>%1 .. %2（%3 天）</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Loader warnings</source>
        <translation>加载警告</translation>
    </message>
    <message>
        <source> (%1 times)</source>
        <translation>（%1 次）</translation>
    </message>
    <message>
        <source>Target and split notes</source>
        <translation>目标与划分说明</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::DeleteFactorsCommand</name>
    <message>
        <source>Delete “%1”</source>
        <translation>删除“%1”</translation>
    </message>
    <message>
        <source>Delete %1 factors</source>
        <translation>删除 %1 个因子</translation>
    </message>
    <message>
        <source>Could not delete: %1</source>
        <translation>无法删除：%1</translation>
    </message>
    <message>
        <source>Could not restore: %1</source>
        <translation>无法恢复：%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::Dimension</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>dimensionless</source>
        <translation>无量纲</translation>
    </message>
    <message>
        <source>price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>price × volume</source>
        <translation>价格 × 成交量</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorLibraryModel</name>
    <message>
        <source>Project: %1</source>
        <translation>项目：%1</translation>
    </message>
    <message>
        <source>%1 on %2: IC %3, Rank IC %4, ICIR %5, Rank ICIR %6, %7 days</source>
        <translation>%1 在 %2 上：IC %3，Rank IC %4，ICIR %5，Rank ICIR %6，%7 天</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>IC
%1</source>
        <translation>IC
%1</translation>
    </message>
    <message>
        <source>Rank IC
%1</source>
        <translation>Rank IC
%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorLibraryPanel</name>
    <message>
        <source>&amp;Open in lab</source>
        <translation>在实验室中打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>比较(&amp;M)</translation>
    </message>
    <message>
        <source>Com&amp;bine</source>
        <translation>组合(&amp;B)</translation>
    </message>
    <message>
        <source>Search names and formulas</source>
        <translation>搜索名称和公式</translation>
    </message>
    <message>
        <source>Equal weight</source>
        <translation>等权</translation>
    </message>
    <message>
        <source>Least squares</source>
        <translation>最小二乘</translation>
    </message>
    <message>
        <source>Equal weight: sign(IC) / n. Least squares: AlphaGen pool weights fitted on the first split.</source>
        <translation>等权：sign(IC) / n。最小二乘：在第一个划分上拟合的 AlphaGen 因子池权重。</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Correlation</source>
        <translation>相关性</translation>
    </message>
    <message>
        <source>Combination</source>
        <translation>组合</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>项目：%1</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
    <message>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <source>The dataset has no splits to fit on.</source>
        <translation>数据集没有可用于拟合的划分。</translation>
    </message>
    <message>
        <source>Select at least two factors.</source>
        <translation>请至少选择两个因子。</translation>
    </message>
    <message>
        <source>Equal-weight combination of %1 factors</source>
        <translation>%1 个因子的等权组合</translation>
    </message>
    <message>
        <source>Least-squares combination of %1 factors</source>
        <translation>%1 个因子的最小二乘组合</translation>
    </message>
    <message>
        <source>Evaluating %1 factors…</source>
        <translation>正在评估 %1 个因子…</translation>
    </message>
    <message>
        <source>Could not %1: %2</source>
        <translation>无法%1：%2</translation>
    </message>
    <message>
        <source>combine</source>
        <translation>组合</translation>
    </message>
    <message>
        <source>compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>%1 (%2 .. %3)</source>
        <translation>%1（%2 .. %3）</translation>
    </message>
    <message>
        <source>%1, fitted on %2.</source>
        <translation>%1，在 %2 上拟合。</translation>
    </message>
    <message>
        <source>Mutual IC of %1 factors over %2.</source>
        <translation>%1 个因子在 %2 上的因子间 IC。</translation>
    </message>
    <message>
        <source>Copy as Qlib</source>
        <translation>复制为 Qlib 写法</translation>
    </message>
    <message>
        <source>Copy as WorldQuant</source>
        <translation>复制为 WorldQuant 写法</translation>
    </message>
    <message>
        <source>The selected formulas, one per line, in Qlib&apos;s notation</source>
        <translation>所选公式，每行一个，使用 Qlib 写法</translation>
    </message>
    <message>
        <source>The selected formulas, one per line, in WorldQuant&apos;s notation (BRAIN&apos;s names)</source>
        <translation>所选公式，每行一个，使用 WorldQuant 写法（BRAIN 的算子名）</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n formula(s) in %1&apos;s notation.</source>
        <translation>
            <numerusform>已按 %1 写法复制 %n 个公式。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FactorPlots</name>
    <message>
        <source>Daily IC</source>
        <translation>每日 IC</translation>
    </message>
    <message>
        <source>IC decay</source>
        <translation>IC 衰减</translation>
    </message>
    <message>
        <source>Quantile returns</source>
        <translation>分位组收益</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Daily Rank IC</source>
        <translation>每日 Rank IC</translation>
    </message>
    <message>
        <source>Cumulative</source>
        <translation>累计</translation>
    </message>
    <message>
        <source>Horizon (days)</source>
        <translation>预测期（天）</translation>
    </message>
    <message>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <source>Factor quantile (1 = lowest)</source>
        <translation>因子分位组（1 = 最低）</translation>
    </message>
    <message>
        <source>Mean target</source>
        <translation>目标均值</translation>
    </message>
    <message>
        <source>Factor value</source>
        <translation>因子值</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Cumulative IC</source>
        <translation>累计 IC</translation>
    </message>
    <message>
        <source>Cumulative Rank IC</source>
        <translation>累计 Rank IC</translation>
    </message>
    <message>
        <source>Mean target (%)</source>
        <translation>目标均值（%）</translation>
    </message>
    <message>
        <source>%1 (%2 below, %3 above the 0.5–99.5 % range)</source>
        <translation>%1（%2 个低于、%3 个高于 0.5–99.5 % 区间）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaEditor</name>
    <message>
        <source>Type a formula, e.g. Div(Sub($close, $open), Sub($high, $low))</source>
        <translation>输入公式，例如 Div(Sub($close, $open), Sub($high, $low))</translation>
    </message>
    <message>
        <source>field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Field %1 of the data</source>
        <translation>数据字段 %1</translation>
    </message>
    <message>
        <source>grouping</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Grouping %1, for GroupRank, GroupDemean, GroupZScore</source>
        <translation>分组 %1，用于 GroupRank、GroupDemean、GroupZScore</translation>
    </message>
    <message>
        <source>WorldQuant: %1</source>
        <translation>WorldQuant：%1</translation>
    </message>
    <message>
        <source>derived field</source>
        <translation>派生字段</translation>
    </message>
    <message>
        <source>returns = close / delay(close, 1) - 1</source>
        <translation>returns = close / delay(close, 1) - 1</translation>
    </message>
    <message>
        <source>adv{d} = the mean of close * volume over d days</source>
        <translation>adv{d} = close * volume 在 d 天内的均值</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaLab</name>
    <message>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Save to library…</source>
        <translation>保存到因子库(&amp;S)…</translation>
    </message>
    <message>
        <source>Selected node</source>
        <translation>选中节点</translation>
    </message>
    <message>
        <source>Keep this formula and its metrics in the project&apos;s factor library (Ctrl+S)</source>
        <translation>将此公式及其指标保存到项目的因子库（Ctrl+S）</translation>
    </message>
    <message>
        <source>Evaluate now (Enter)</source>
        <translation>立即评估（Enter）</translation>
    </message>
    <message>
        <source>No dataset is loaded.</source>
        <translation>尚未加载数据集。</translation>
    </message>
    <message>
        <source>Type a formula, e.g. Div(Sub($close,$open),Sub($high,$low)); Ctrl+Space lists operators and fields.</source>
        <translation>输入公式，例如 Div(Sub($close,$open),Sub($high,$low))；按 Ctrl+Space 列出运算符和字段。</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <source>%1 — evaluating…</source>
        <translation>%1 — 正在评估…</translation>
    </message>
    <message>
        <source>Evaluation cancelled. Press Enter to evaluate again.</source>
        <translation>评估已取消。按 Enter 重新评估。</translation>
    </message>
    <message>
        <source>Column %1: %2</source>
        <translation>第 %1 列：%2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2 — computed in %3 ms</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2 — 用时 %3 毫秒</translation>
    </message>
    <message>
        <source>WorldQuant: %1</source>
        <translation>WorldQuant：%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::FormulaTreeView</name>
    <message>
        <source>price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>price × volume</source>
        <translation>价格 × 成交量</translation>
    </message>
    <message>
        <source>dimensionless</source>
        <translation>无量纲</translation>
    </message>
    <message>
        <source>other / unknown</source>
        <translation>其他 / 未知</translation>
    </message>
    <message>
        <source>dimension rule broken</source>
        <translation>违反量纲规则</translation>
    </message>
    <message>
        <source>Click a node to see its metrics and its text; wheel or Ctrl+= / Ctrl+- to zoom, Ctrl+0 to fit, drag to pan.</source>
        <translation>点击节点可查看其指标和文本；滚轮或 Ctrl+= / Ctrl+- 缩放，Ctrl+0 适应窗口，拖动可平移。</translation>
    </message>
    <message>
        <source>No tree: column %1: %2</source>
        <translation>无法生成树：第 %1 列：%2</translation>
    </message>
    <message>
        <source>No tree: %1</source>
        <translation>无法生成树：%1</translation>
    </message>
    <message>
        <source>Dimension: %1</source>
        <translation>量纲：%1</translation>
    </message>
    <message>
        <source>Formula tree</source>
        <translation>公式树</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::GcnSignalPage</name>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Backtest the scores</source>
        <translation>回测其得分</translation>
    </message>
    <message>
        <source>Sector edges</source>
        <translation>行业连边</translation>
    </message>
    <message>
        <source>10 nearest by correlation</source>
        <translation>相关性最近的 10 个</translation>
    </message>
    <message>
        <source>Correlation above 0.5</source>
        <translation>相关系数高于 0.5</translation>
    </message>
    <message>
        <source>Sector and 10 nearest</source>
        <translation>行业与最近的 10 个</translation>
    </message>
    <message>
        <source>The graph the convolutions run over; correlation graphs are rebuilt every 20 days from the last 60 days of returns</source>
        <translation>图卷积所在的图；相关性图每 20 天用最近 60 天的收益率重建</translation>
    </message>
    <message>
        <source>IC loss</source>
        <translation>IC 损失</translation>
    </message>
    <message>
        <source>Mean squared error</source>
        <translation>均方误差</translation>
    </message>
    <message>
        <source>A two-layer graph convolutional network over the stocks&apos; graph, trained on the train split to rank the target (early stopping on valid): the learned baseline the formulas should beat.</source>
        <translation>在股票图上的两层图卷积网络，在训练集上学习对目标排序（按验证集早停）：公式应当超越的学习型基线。</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>图</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Training cancelled.</source>
        <translation>训练已取消。</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; on %2 in %3 s: %n epoch(s), the best %4 by the valid IC (by epoch: %5).</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;，在 %2 上用时 %3 秒：%n 轮，按验证集 IC 最佳为第 %4 轮（各轮：%5）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alphascope::ui::InstrumentDetailView</name>
    <message>
        <source>Click an instrument in the graph or the clustermap.</source>
        <translation>在图或聚类热图中点击一个标的。</translation>
    </message>
    <message>
        <source>Days in the window</source>
        <translation>窗口内天数</translation>
    </message>
    <message>
        <source>Cumulative log return</source>
        <translation>累计对数收益率</translation>
    </message>
    <message>
        <source>no sector</source>
        <translation>无行业</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) has too few returns in this window.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2）在此窗口内的收益率数据太少。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 cluster %2: %n member(s), intra ρ %3</source>
        <translation>
            <numerusform>%1 簇 %2：%n 个成员，簇内 ρ %3</numerusform>
        </translation>
    </message>
    <message>
        <source>Edges in this graph: %1</source>
        <translation>此图中的边数：%1</translation>
    </message>
    <message>
        <source>market</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>cluster (%1)</source>
        <translation>簇（%1）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::MainWindow</name>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the work in progress (Esc)</source>
        <translation>停止正在进行的任务（Esc）</translation>
    </message>
    <message>
        <source>No dataset</source>
        <translation>无数据集</translation>
    </message>
    <message>
        <source>Factor library</source>
        <translation>因子库</translation>
    </message>
    <message>
        <source>Formula tree</source>
        <translation>公式树</translation>
    </message>
    <message>
        <source>Backtest</source>
        <translation>回测</translation>
    </message>
    <message>
        <source>&amp;Open dataset…</source>
        <translation>打开数据集(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent datasets</source>
        <translation>最近的数据集(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Formula tree as &amp;PNG…</source>
        <translation>公式树（PNG）(&amp;P)…</translation>
    </message>
    <message>
        <source>Formula tree as &amp;SVG…</source>
        <translation>公式树（SVG）(&amp;S)…</translation>
    </message>
    <message>
        <source>Lab &amp;chart (PNG/PDF)…</source>
        <translation>实验室图表（PNG/PDF）(&amp;C)…</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Studies over seeds</source>
        <translation>多种子研究</translation>
    </message>
    <message>
        <source>Planted recovery</source>
        <translation>植入公式恢复</translation>
    </message>
    <message>
        <source>Studies</source>
        <translation>研究</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>&amp;Backtest daily series (CSV)…</source>
        <translation>回测每日序列（CSV）(&amp;B)…</translation>
    </message>
    <message>
        <source>Export backtest</source>
        <translation>导出回测</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write %1 (run a backtest first).</source>
        <translation>无法写入 %1（请先运行回测）。</translation>
    </message>
    <message>
        <source>Backtest c&amp;hart (PNG)…</source>
        <translation>回测图表（PNG）(&amp;H)…</translation>
    </message>
    <message>
        <source>Export backtest chart</source>
        <translation>导出回测图表</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>F&amp;ormula</source>
        <translation>公式(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Edit formula</source>
        <translation>编辑公式(&amp;E)</translation>
    </message>
    <message>
        <source>E&amp;valuate now</source>
        <translation>立即评估(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Save to library…</source>
        <translation>保存到因子库(&amp;S)…</translation>
    </message>
    <message>
        <source>Run &amp;backtest</source>
        <translation>运行回测(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Formula language</source>
        <translation>公式语言(&amp;F)</translation>
    </message>
    <message>
        <source>Formula language</source>
        <translation>公式语言</translation>
    </message>
    <message>
        <source>&lt;p&gt;Fields start with $: $open $high $low $close $volume $vwap.&lt;/p&gt;&lt;p&gt;Operators take series first and a window (days) last: &lt;tt&gt;Mean($close, 20)&lt;/tt&gt;, &lt;tt&gt;Corr($close, $volume, 10)&lt;/tt&gt;, &lt;tt&gt;GroupRank($close, sector)&lt;/tt&gt;. + − × ÷ may be written infix.&lt;/p&gt;&lt;p&gt;In the editor, Ctrl+Space lists every operator with its signature; Enter evaluates at once.&lt;/p&gt;</source>
        <translation>&lt;p&gt;字段以 $ 开头：$open $high $low $close $volume $vwap。&lt;/p&gt;&lt;p&gt;运算符先接序列参数，窗口（天数）放在最后：&lt;tt&gt;Mean($close, 20)&lt;/tt&gt;、&lt;tt&gt;Corr($close, $volume, 10)&lt;/tt&gt;、&lt;tt&gt;GroupRank($close, sector)&lt;/tt&gt;。+ − × ÷ 可写成中缀形式。&lt;/p&gt;&lt;p&gt;在编辑器中，按 Ctrl+Space 列出所有运算符及其签名；按 Enter 立即评估。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Evaluating</source>
        <translation>评估中</translation>
    </message>
    <message>
        <source>Backtesting</source>
        <translation>回测中</translation>
    </message>
    <message>
        <source>Running a study</source>
        <translation>正在运行研究</translation>
    </message>
    <message>
        <source>Running the recovery benchmark</source>
        <translation>正在运行恢复基准测试</translation>
    </message>
    <message>
        <source>Measuring persistence</source>
        <translation>正在测量持续性</translation>
    </message>
    <message>
        <source>Training on %1 … %2 (%3); valid and test are unchanged.</source>
        <translation>训练区间改为 %1 … %2（%3）；验证集和测试集不变。</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>AlphaScope projects (*.alphascope)</source>
        <translation>AlphaScope 项目 (*.alphascope)</translation>
    </message>
    <message>
        <source>Cannot replace %1.</source>
        <translation>无法替换 %1。</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>AlphaScope projects (*.alphascope);;All files (*)</source>
        <translation>AlphaScope 项目 (*.alphascope);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Nothing to save: evaluate a formula first.</source>
        <translation>没有可保存的内容：请先评估公式。</translation>
    </message>
    <message>
        <source>Save to library</source>
        <translation>保存到因子库</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Saved “%1” to the library.</source>
        <translation>已将“%1”保存到因子库。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>The new language takes effect when AlphaScope is started again.</source>
        <translation>新语言将在 AlphaScope 重新启动后生效。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
    <message>
        <source>Export formula tree</source>
        <translation>导出公式树</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Cannot write %1 (is a formula shown?).</source>
        <translation>无法写入 %1（是否已显示公式？）。</translation>
    </message>
    <message>
        <source>%1 — %2 instruments × %3 days, %4 .. %5, %6 MB</source>
        <translation>%1 — %2 个标的 × %3 个交易日，%4 .. %5，%6 MB</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
    <message>
        <source>no project</source>
        <translation>无项目</translation>
    </message>
    <message>
        <source>AlphaScope — %1</source>
        <translation>AlphaScope — %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open the &amp;sample dataset</source>
        <translation>打开示例数据集(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About AlphaScope</source>
        <translation>关于 AlphaScope(&amp;A)</translation>
    </message>
    <message>
        <source>About AlphaScope</source>
        <translation>关于 AlphaScope</translation>
    </message>
    <message>
        <source>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;A research workbench for formulaic alpha factors.&lt;/p&gt;</source>
        <translation>&lt;b&gt;AlphaScope %1&lt;/b&gt;&lt;p&gt;公式化 Alpha 因子研究工作台。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>%1 (the new dataset did not load)</source>
        <translation>%1（新数据集未能加载）</translation>
    </message>
    <message>
        <source>Cannot open the dataset</source>
        <translation>无法打开数据集</translation>
    </message>
    <message>
        <source>CUDA (%1)</source>
        <translation>CUDA（%1）</translation>
    </message>
    <message>
        <source>%p% — %1 s left</source>
        <translation>%p% — 剩余 %1 秒</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p%</translation>
    </message>
    <message>
        <source>Search %1% — %2:%3 left</source>
        <translation>搜索 %1% — 剩余 %2:%3</translation>
    </message>
    <message>
        <source>Search %1%</source>
        <translation>搜索 %1%</translation>
    </message>
    <message>
        <source>Open a dataset and a project first.</source>
        <translation>请先打开数据集和项目。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n factor(s) to the library.</source>
        <translation>
            <numerusform>已将 %n 个因子保存到因子库。</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving to the library</source>
        <translation>正在保存到因子库</translation>
    </message>
    <message>
        <source>Export factors</source>
        <translation>导出因子</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n factor(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 个因子导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>导出中</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Cancelling the load…</source>
        <translation>正在取消加载…</translation>
    </message>
    <message>
        <source>AlphaScope factor set (*.json)</source>
        <translation>AlphaScope 因子集 (*.json)</translation>
    </message>
    <message>
        <source>AlphaGen pool (*.json)</source>
        <translation>AlphaGen 因子池 (*.json)</translation>
    </message>
    <message>
        <source>CSV with metrics (*.csv)</source>
        <translation>CSV（含指标） (*.csv)</translation>
    </message>
    <message>
        <source>Qlib expressions (*.txt)</source>
        <translation>Qlib 表达式 (*.txt)</translation>
    </message>
    <message>
        <source>Factor values, long CSV (*.csv)</source>
        <translation>因子值，长格式 CSV (*.csv)</translation>
    </message>
    <message>
        <source>Market graph</source>
        <translation>市场图</translation>
    </message>
    <message>
        <source>Fitting the market graph</source>
        <translation>正在拟合市场图</translation>
    </message>
    <message>
        <source>The fit was not saved: %1</source>
        <translation>拟合结果未保存：%1</translation>
    </message>
    <message>
        <source>Levels %1 added to the dataset: use them as GroupDemean($close, h1) or in a search&apos;s groupings.</source>
        <translation>层级 %1 已加入数据集：可写作 GroupDemean($close, h1)，或在搜索的分组中选用。</translation>
    </message>
    <message>
        <source>The project&apos;s market graph fit could not be read: %1</source>
        <translation>无法读取项目中的市场图拟合结果：%1</translation>
    </message>
    <message>
        <source>Training the GCN</source>
        <translation>正在训练 GCN</translation>
    </message>
    <message>
        <source>WorldQuant expressions (*.txt)</source>
        <translation>WorldQuant 表达式 (*.txt)</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::MarketGraphPanel</name>
    <message>
        <source>&amp;Fit</source>
        <translation>拟合(&amp;F)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Use levels in formulas</source>
        <translation>在公式中使用层级</translation>
    </message>
    <message>
        <source>Collapse to the clusters of the level</source>
        <translation>折叠为该层级的簇</translation>
    </message>
    <message>
        <source>Ward linkage</source>
        <translation>Ward 联接</translation>
    </message>
    <message>
        <source>Average linkage</source>
        <translation>平均联接</translation>
    </message>
    <message>
        <source>Complete linkage</source>
        <translation>全联接</translation>
    </message>
    <message>
        <source>MinCutPool (learned)</source>
        <translation>MinCutPool（学习）</translation>
    </message>
    <message>
        <source>DiffPool (learned)</source>
        <translation>DiffPool（学习）</translation>
    </message>
    <message>
        <source>How the correlation of each window is clustered into levels</source>
        <translation>每个窗口的相关矩阵如何聚类为各层级</translation>
    </message>
    <message>
        <source>Clusters per level, finest first (e.g. 11,4); 0 lets the silhouette choose</source>
        <translation>每层的簇数，由细到粗（如 11,4）；0 表示由轮廓系数选择</translation>
    </message>
    <message>
        <source> d</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Days of returns in each window</source>
        <translation>每个窗口包含的收益率天数</translation>
    </message>
    <message>
        <source>Days between fits (each uses only data up to its last day)</source>
        <translation>两次拟合之间的天数（每次只用截至其最后一天的数据）</translation>
    </message>
    <message>
        <source>The window on screen: each is fitted on the returns up to its date</source>
        <translation>当前显示的窗口：每个窗口只用截至其日期的收益率拟合</translation>
    </message>
    <message>
        <source>Minimum spanning tree</source>
        <translation>最小生成树</translation>
    </message>
    <message>
        <source>Correlation above threshold</source>
        <translation>相关系数高于阈值</translation>
    </message>
    <message>
        <source>Nearest neighbours (5)</source>
        <translation>最近邻（5）</translation>
    </message>
    <message>
        <source>Same sector</source>
        <translation>同一行业</translation>
    </message>
    <message>
        <source>Threshold and sector</source>
        <translation>阈值与行业</translation>
    </message>
    <message>
        <source>Edges between instruments whose return correlation exceeds this</source>
        <translation>收益率相关系数超过此值的标的之间连边</translation>
    </message>
    <message>
        <source>Size: dollar volume</source>
        <translation>大小：成交额</translation>
    </message>
    <message>
        <source>Size: degree</source>
        <translation>大小：度数</translation>
    </message>
    <message>
        <source>Graphviz layout: sfdp (multiscale force) or neato (edge length follows the correlation distance)</source>
        <translation>Graphviz 布局：sfdp（多尺度力导向）或 neato（边长取相关距离）</translation>
    </message>
    <message>
        <source>Add the levels to the dataset as groupings h1, h2, … for GroupDemean, GroupRank, GroupZScore and the searches</source>
        <translation>将各层级作为分组 h1、h2、… 加入数据集，供 GroupDemean、GroupRank、GroupZScore 与搜索使用</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Edges</source>
        <translation>边</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>图</translation>
    </message>
    <message>
        <source>Clustermap</source>
        <translation>聚类热图</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>簇</translation>
    </message>
    <message>
        <source>Regimes</source>
        <translation>市场状态</translation>
    </message>
    <message>
        <source>Persistence</source>
        <translation>持续性</translation>
    </message>
    <message>
        <source>Open a dataset, then fit the market hierarchy.</source>
        <translation>请先打开数据集，再拟合市场层级结构。</translation>
    </message>
    <message>
        <source>No fit yet.</source>
        <translation>尚未拟合。</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1（第 %2 / %3 个）</translation>
    </message>
    <message>
        <source>Press Fit to cluster the market&apos;s return correlation window by window.</source>
        <translation>点击“拟合”，逐窗口对市场收益率相关性聚类。</translation>
    </message>
    <message>
        <source>Not fitted</source>
        <translation>未拟合</translation>
    </message>
    <message>
        <source>Levels: %1</source>
        <translation>层级：%1</translation>
    </message>
    <message>
        <source>Fitting…</source>
        <translation>正在拟合…</translation>
    </message>
    <message>
        <source>Fit cancelled</source>
        <translation>拟合已取消</translation>
    </message>
    <message>
        <source>Fit failed: %1</source>
        <translation>拟合失败：%1</translation>
    </message>
    <message>
        <source>%1: ARI with sectors %2, stability %3</source>
        <translation>%1：与行业的 ARI %2，稳定性 %3</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n window(s) in %2 s — %3</source>
        <translation>
            <numerusform>%1，%n 个窗口，用时 %2 秒 — %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n cluster(s))</source>
        <translation>
            <numerusform>%1（%n 个簇）</numerusform>
        </translation>
    </message>
    <message>
        <source>ρ &gt; %1</source>
        <translation>ρ &gt; %1</translation>
    </message>
    <message>
        <source>The dataset has no sectors: choose correlation edges.</source>
        <translation>数据集没有行业信息：请选择相关性连边。</translation>
    </message>
    <message>
        <source>Cannot draw this window: %1</source>
        <translation>无法绘制此窗口：%1</translation>
    </message>
    <message>
        <source>%1 — %2 — cluster %3</source>
        <translation>%1 — %2 — 簇 %3</translation>
    </message>
    <message>
        <source>no sector</source>
        <translation>无行业</translation>
    </message>
    <message>
        <source>sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>SVG (*.svg);;PNG image (*.png)</source>
        <translation>SVG (*.svg);;PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Export the view</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>GCN signal</source>
        <translation>GCN 信号</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::MarketGraphView</name>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::OpenDatasetDialog</name>
    <message>
        <source>&amp;Default: 70 / 15 / 15 % after 60 warm-up days</source>
        <translation>默认(&amp;D)：预热 60 天后按 70 / 15 / 15 % 划分</translation>
    </message>
    <message>
        <source>&amp;Dates:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
    <message>
        <source>Open dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <source>&amp;File…</source>
        <translation>文件(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Qlib folder…</source>
        <translation>Qlib 文件夹(&amp;Q)…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>A long CSV (.csv, .csv.xz) or a Qlib binary folder</source>
        <translation>长格式 CSV（.csv、.csv.xz）或 Qlib 二进制数据文件夹</translation>
    </message>
    <message>
        <source>Optional: a CSV with instrument, sector[, industry]</source>
        <translation>可选：含 instrument、sector[, industry] 列的 CSV</translation>
    </message>
    <message>
        <source>The forward return the factors are measured against; negative Ref reads the future.</source>
        <translation>衡量因子所用的远期收益；负的 Ref 读取未来数据。</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <source>Universe:</source>
        <translation>股票池：</translation>
    </message>
    <message>
        <source>Sectors:</source>
        <translation>行业板块：</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Splits</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Between splits a gap of at least the target&apos;s horizon is kept: when the dates leave a shorter gap, the earlier split ends early so that its labels never read into the next one.</source>
        <translation>相邻划分之间至少保留与目标预测期等长的间隔：若所选日期留出的间隔更短，较早的划分会提前结束，使其标签不会读取到下一个划分的数据。</translation>
    </message>
    <message>
        <source>Recent datasets</source>
        <translation>最近的数据集</translation>
    </message>
    <message>
        <source>Choose a CSV file or a Qlib folder.</source>
        <translation>请选择 CSV 文件或 Qlib 文件夹。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>The sector file %1 does not exist.</source>
        <translation>行业板块文件 %1 不存在。</translation>
    </message>
    <message>
        <source>Target, column %1: %2</source>
        <translation>目标，第 %1 列：%2</translation>
    </message>
    <message>
        <source>%1 ends before it starts.</source>
        <translation>%1的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>%1 must start after %2 ends (splits are chronological and do not overlap).</source>
        <translation>%1必须在%2结束之后开始（各划分按时间顺序排列且互不重叠）。</translation>
    </message>
    <message>
        <source>Open a long CSV dataset</source>
        <translation>打开长格式 CSV 数据集</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.csv.xz *.xz);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.csv.xz *.xz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a Qlib binary folder</source>
        <translation>打开 Qlib 二进制数据文件夹</translation>
    </message>
    <message>
        <source>Sector / industry file</source>
        <translation>板块 / 行业文件</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::PersistencePage</name>
    <message>
        <source>&amp;Measure</source>
        <translation>测量(&amp;M)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Distinct random formulas of the search grammar to draw and evaluate (about 25 s for 2,000 on 500 stocks x 5 years on 2 cores)</source>
        <translation>按搜索语法抽取并计算的互不相同的随机公式数（在 2 核上，500 只股票 x 5 年，2,000 个约需 25 秒）</translation>
    </message>
    <message>
        <source>Formulas kept by their |train Rank IC| for the selection check, as a search that ranks by train would</source>
        <translation>按 |训练集 Rank IC| 保留用于选择检验的公式数，如同按训练集排序的搜索所做</translation>
    </message>
    <message>
        <source>Calendar years</source>
        <translation>自然年</translation>
    </message>
    <message>
        <source> equal blocks</source>
        <translation> 个等长时段</translation>
    </message>
    <message>
        <source>Periods: the calendar years, or this many equal blocks of the labelled days</source>
        <translation>时段：自然年，或把有标签的交易日等分成这么多段</translation>
    </message>
    <message>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <source>IC (Pearson)</source>
        <translation>IC（Pearson）</translation>
    </message>
    <message>
        <source>Reopen the session with this training split; valid and test stay as they are</source>
        <translation>以此训练区间重新打开会话；验证集和测试集保持不变</translation>
    </message>
    <message>
        <source>Does a formula&apos;s Rank IC in the training split say anything about the test split? A search that maximises train IC can only gain out of sample where the answer is yes. Random formulas of the search grammar are measured per year and per split; the map shows how the periods rank them alike (Spearman across formulas).</source>
        <translation>公式在训练集上的 Rank IC 能否说明它在测试集上的表现？只有答案为“能”时，最大化训练集 IC 的搜索才可能在样本外获益。这里按年份和划分测量搜索语法的随机公式；热图显示各时段对这些公式的排序有多一致（跨公式的 Spearman 相关）。</translation>
    </message>
    <message>
        <source>Spearman across formulas</source>
        <translation>跨公式 Spearman 相关</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Formulas</source>
        <translation>公式数</translation>
    </message>
    <message>
        <source>Top K: signed mean</source>
        <translation>前 K 个：带号均值</translation>
    </message>
    <message>
        <source>95 % interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>Same sign</source>
        <translation>同号比例</translation>
    </message>
    <message>
        <source>Every formula: signed mean</source>
        <translation>全部公式：带号均值</translation>
    </message>
    <message>
        <source>The measured formulas drawn in proportion to |train mean|^β, each signed by its train sign: what a sampler trained with reward exponent β (a GFlowNet on these random walks) would draw. β 0 is the random walks themselves; the bold row is the β best in valid.</source>
        <translation>按 |训练集均值|^β 的比例抽取已测公式，每个公式按其训练集符号取向：这是以奖励指数 β 训练的采样器（在这些随机游走上的 GFlowNet）会抽到的。β 0 即随机游走本身；粗体行是验证集上最好的 β。</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>前 K 个</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message numerus="yes">
        <source>Measuring %n formula(s)…</source>
        <translation>
            <numerusform>正在测量 %n 个公式…</numerusform>
        </translation>
    </message>
    <message>
        <source>Measurement cancelled.</source>
        <translation>测量已取消。</translation>
    </message>
    <message>
        <source>Measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <source>Sampler β</source>
        <translation>采样器 β</translation>
    </message>
    <message>
        <source>|train %1|</source>
        <translation>|训练集 %1|</translation>
    </message>
    <message>
        <source>Effective formulas</source>
        <translation>有效公式数</translation>
    </message>
    <message>
        <source>%1: signed mean</source>
        <translation>%1：带号均值</translation>
    </message>
    <message>
        <source>The β best in valid</source>
        <translation>验证集上最好的 β</translation>
    </message>
    <message>
        <source>%1 usable formulas of %2 drawn.</source>
        <translation>抽取 %2 个公式，其中 %1 个可用。</translation>
    </message>
    <message>
        <source>%1 → %2: Spearman %3 [%4, %5] over %6 formulas.</source>
        <translation>%1 → %2：Spearman %3 [%4, %5]，共 %6 个公式。</translation>
    </message>
    <message>
        <source>The test period ranks the formulas against the training period: a search that maximises train %1 should not be expected to gain out of sample on this split.</source>
        <translation>测试期对公式的排序与训练期相反：在这种划分下，不应指望最大化训练集 %1 的搜索能在样本外获益。</translation>
    </message>
    <message>
        <source>The ranking carries over: searching harder on train can pay off out of sample on this split.</source>
        <translation>排序得以延续：在这种划分下，在训练集上更用力地搜索可能在样本外带来回报。</translation>
    </message>
    <message>
        <source>The ranking carries over only weakly: expect small out-of-sample differences between searches on this split.</source>
        <translation>排序只在很弱的程度上得以延续：在这种划分下，各搜索在样本外的差异预计很小。</translation>
    </message>
    <message>
        <source>No measurable carry-over: differences between searches out of sample will be mostly noise on this split.</source>
        <translation>没有可测的延续：在这种划分下，各搜索在样本外的差异大多是噪声。</translation>
    </message>
    <message>
        <source>No training and later split to compare: see the years in the map.</source>
        <translation>没有训练集及其后的划分可供比较：请看热图中的各年份。</translation>
    </message>
    <message>
        <source>Drawing these formulas in proportion to |train %1|^β (β %2, the best in valid) gives %3 in %4, against %5 for the random walks (β 0).</source>
        <translation>按 |训练 %1|^β 的比例抽取这些公式（β %2，验证集上最佳）在 %4 得到 %3，随机游走（β 0）为 %5。</translation>
    </message>
    <message>
        <source>Of the training windows that end before valid, %1 ranks the formulas most like valid (Spearman %2 [%3, %4]).</source>
        <translation>在验证集之前结束的各训练窗口中，%1 对公式的排序与验证集最一致（Spearman %2 [%3, %4]）。</translation>
    </message>
    <message>
        <source>Train on %1 … %2</source>
        <translation>以 %1 … %2 训练</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::PoolModel</name>
    <message>
        <source>does not parse</source>
        <translation>无法解析</translation>
    </message>
    <message>
        <source>rule broken</source>
        <translation>违反量纲规则</translation>
    </message>
    <message>
        <source>Close to a factor already in the library</source>
        <translation>与因子库中已有的因子相近</translation>
    </message>
    <message>
        <source>Largest |correlation| with another member of the pool (train)</source>
        <translation>与因子池中其他成员的最大 |相关系数|（训练集）</translation>
    </message>
    <message>
        <source>Largest |correlation| with a factor saved in the library (train): is this find new?</source>
        <translation>与因子库中已保存因子的最大 |相关系数|（训练集）：这个发现是否为新因子？</translation>
    </message>
    <message>
        <source>Linear pool: fitted weight; mining pool: train IC</source>
        <translation>线性池：拟合权重；挖掘池：训练集 IC</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>IC train</source>
        <translation>训练集 IC</translation>
    </message>
    <message>
        <source>Rank IC train</source>
        <translation>训练集 Rank IC</translation>
    </message>
    <message>
        <source>IC valid</source>
        <translation>验证集 IC</translation>
    </message>
    <message>
        <source>Rank IC valid</source>
        <translation>验证集 Rank IC</translation>
    </message>
    <message>
        <source>Max |corr| pool</source>
        <translation>最大 |相关系数|（因子池）</translation>
    </message>
    <message>
        <source>Max |corr| library</source>
        <translation>最大 |相关系数|（因子库）</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>量纲</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::RecoveryPage</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>&amp;Run benchmark</source>
        <translation>运行基准测试(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Seeds per search; the market is the same for all, the seeds drive each search&apos;s own draws</source>
        <translation>每种搜索的随机种子数；市场对所有搜索相同，种子只驱动各搜索自身的随机抽样</translation>
    </message>
    <message>
        <source>Formula evaluations per run; the curves are read at ten even checkpoints</source>
        <translation>每次运行的公式评估次数；曲线在十个等距检查点上读取</translation>
    </message>
    <message>
        <source>One planted formula per line: the next-day return is their sum (z-scored) plus noise. The default has one formula of each depth 1 to 4; without Log($volume) the market has no lasting drift</source>
        <translation>每行一个植入公式：次日收益为它们（z 分数化后）之和加噪声。默认包含深度 1 到 4 的各一个公式；去掉 Log($volume) 后市场没有持久的漂移</translation>
    </message>
    <message>
        <source>Signal-to-noise of the next-day return</source>
        <translation>次日收益的信噪比</translation>
    </message>
    <message>
        <source>A planted formula counts as found when a pool member correlates with it at least this much on train</source>
        <translation>当因子池中某个成员在训练集上与植入公式的相关性至少达到此值时，视为已找到该公式</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>默认设置</translation>
    </message>
    <message>
        <source>A search config JSON file, as alphascope-cli recovery --config: its keys are applied to every search&apos;s defaults. Empty: every search&apos;s defaults</source>
        <translation>搜索配置 JSON 文件，同 alphascope-cli recovery --config：其中的键应用到每种搜索的默认设置上。留空：各搜索使用默认设置</translation>
    </message>
    <message>
        <source>Can a search find formulas planted in a market, and how fast? Each search runs with several seeds on a synthetic market whose returns are made of the planted formulas plus noise; the curves give the share of them its pool holds (|corr| at the threshold) and how close it came, against the evaluations spent.</source>
        <translation>搜索能否找到植入市场中的公式？需要多快？每种搜索以多个随机种子在合成市场上运行，该市场的收益由植入公式加噪声构成；曲线给出其因子池所含植入公式的占比（|相关| 达到阈值）以及接近程度，随评估次数变化。</translation>
    </message>
    <message>
        <source>Share of the planted formulas found</source>
        <translation>已找到的植入公式占比</translation>
    </message>
    <message>
        <source>Closeness (largest |corr| with each, averaged)</source>
        <translation>接近程度（与每个植入公式的最大 |相关| 的平均）</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>Seeds whose pool ever held the formula (from the earliest evaluation count), and the largest |corr| any pool of a run reached with it: mean [lowest, highest] over the seeds</source>
        <translation>因子池曾经包含该公式的种子数（自最早的评估次数起），以及各次运行的因子池与其达到的最大 |相关|：各种子的均值 [最低, 最高]</translation>
    </message>
    <message>
        <source>First minus second, Welch 95 % interval over seeds and two-sided p (the runs are not paired: the seeds drive each search&apos;s own draws on one market). Bold: the interval excludes 0.</source>
        <translation>前者减后者，基于种子的 Welch 95% 区间和双侧 p 值（运行不配对：种子只驱动各搜索在同一市场上的抽样）。粗体：区间不含 0。</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Planted formulas</source>
        <translation>植入公式</translation>
    </message>
    <message>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Searches</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>随机种子数</translation>
    </message>
    <message>
        <source>Evaluations per run</source>
        <translation>每次运行的评估次数</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>信号强度</translation>
    </message>
    <message>
        <source>Found at |corr| ≥</source>
        <translation>找到阈值 |相关| ≥</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>交易日数</translation>
    </message>
    <message>
        <source>Instruments</source>
        <translation>标的数</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Search settings</source>
        <translation>搜索设置</translation>
    </message>
    <message>
        <source>Search config (*.json);;All files (*)</source>
        <translation>搜索配置 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose at least one search</source>
        <translation>请至少选择一种搜索</translation>
    </message>
    <message>
        <source>Plant at least one formula</source>
        <translation>请至少植入一个公式</translation>
    </message>
    <message numerus="yes">
        <source>Running %n search(es) on the planted market…</source>
        <translation>
            <numerusform>正在植入市场上运行 %n 次搜索…</numerusform>
        </translation>
    </message>
    <message>
        <source>Benchmark cancelled.</source>
        <translation>基准测试已取消。</translation>
    </message>
    <message>
        <source>The benchmark failed: %1</source>
        <translation>基准测试失败：%1</translation>
    </message>
    <message>
        <source>Planted formula</source>
        <translation>植入公式</translation>
    </message>
    <message>
        <source>Realised IC</source>
        <translation>实现 IC</translation>
    </message>
    <message>
        <source>%1 of %2 (from %3)</source>
        <translation>%2 个中的 %1 个（自 %3 起）</translation>
    </message>
    <message>
        <source>0 of %1</source>
        <translation>%1 个中的 0 个</translation>
    </message>
    <message>
        <source>First − second</source>
        <translation>前者 − 后者</translation>
    </message>
    <message>
        <source>Share at %1</source>
        <translation>%1 次时的占比</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>Area under the curve</source>
        <translation>曲线下面积</translation>
    </message>
    <message>
        <source>Closeness at %1</source>
        <translation>%1 次时的接近程度</translation>
    </message>
    <message>
        <source>%1 − %2</source>
        <translation>%1 − %2</translation>
    </message>
    <message>
        <source>%1 %2 [%3, %4] (area %5)</source>
        <translation>%1 %2 [%3, %4]（面积 %5）</translation>
    </message>
    <message numerus="yes">
        <source>%n planted formula(s), %1 seeds, %2 evaluations per run. Share found at the budget: %3.</source>
        <translation>
            <numerusform>%n 个植入公式，%1 个种子，每次运行 %2 次评估。预算用尽时的找到占比：%3。</numerusform>
        </translation>
    </message>
    <message>
        <source>closeness</source>
        <translation>接近程度</translation>
    </message>
    <message>
        <source>share found</source>
        <translation>找到占比</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::RegimeTimeline</name>
    <message>
        <source>Mean correlation</source>
        <translation>平均相关系数</translation>
    </message>
    <message>
        <source>Market drawdown (%)</source>
        <translation>市场回撤（%）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Equal-weight market drawdown</source>
        <translation>等权市场回撤</translation>
    </message>
    <message>
        <source>Assignment entropy (%1)</source>
        <translation>归属熵（%1）</translation>
    </message>
    <message>
        <source>Entropy (%1)</source>
        <translation>熵（%1）</translation>
    </message>
    <message numerus="yes">
        <source>Regimes: %n drawdown spell(s) deeper than %1 % shaded</source>
        <translation>
            <numerusform>市场状态：阴影标出 %n 段深于 %1% 的回撤</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alphascope::ui::RunListModel</name>
    <message>
        <source>GFlowNet</source>
        <translation>GFlowNet</translation>
    </message>
    <message>
        <source>MCTS</source>
        <translation>MCTS</translation>
    </message>
    <message>
        <source>GP</source>
        <translation>GP</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>PPO</source>
        <translation>PPO</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>%1 evals</source>
        <translation>%1 次评估</translation>
    </message>
    <message>
        <source>%1 episodes</source>
        <translation>%1 个回合</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>算法</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>Best valid IC</source>
        <translation>最佳验证集 IC</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>因子池</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation>开始时间（UTC）</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::RunsPanel</name>
    <message>
        <source>&amp;Reopen</source>
        <translation>重新打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Show the run&apos;s curves and final pool in the search panel</source>
        <translation>在搜索面板中显示该运行的曲线和最终因子池</translation>
    </message>
    <message>
        <source>Overlay the curves of the selected runs and put their pools side by side</source>
        <translation>叠加显示所选运行的曲线，并将它们的因子池并排对比</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Pools</source>
        <translation>因子池</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) were interrupted (the program that ran them ended without finishing them); their last snapshots are kept.</source>
        <translation>
            <numerusform>%n 个运行已中断（运行它们的程序在其完成前就已退出）；已保留它们最后的快照。</numerusform>
        </translation>
    </message>
    <message>
        <source>run %1 (%2, seed %3)</source>
        <translation>运行 %1（%2，随机种子 %3）</translation>
    </message>
    <message>
        <source>Cannot read run %1.</source>
        <translation>无法读取运行 %1。</translation>
    </message>
    <message>
        <source>Select at least two runs to compare.</source>
        <translation>请至少选择两个运行进行比较。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>算法</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>Evaluations/s</source>
        <translation>每秒评估次数</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>因子池</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>%1 IC</source>
        <translation>%1 IC</translation>
    </message>
    <message>
        <source>%1 Rank IC</source>
        <translation>%1 Rank IC</translation>
    </message>
    <message numerus="yes">
        <source>Comparing %n run(s); %1 formula(s) appear in more than one pool (bold).</source>
        <translation>
            <numerusform>正在比较 %n 个运行；有 %1 个公式出现在多个因子池中（以粗体显示）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) with their snapshots? Factors saved from them stay in the library.</source>
        <translation>
            <numerusform>删除 %n 个运行及其快照？从这些运行中保存的因子仍会保留在因子库中。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n run(s).</source>
        <translation>
            <numerusform>已删除 %n 个运行。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchChoice</name>
    <message>
        <source>GFlowNet</source>
        <translation>GFlowNet</translation>
    </message>
    <message>
        <source>MCTS</source>
        <translation>MCTS</translation>
    </message>
    <message>
        <source>GP</source>
        <translation>GP</translation>
    </message>
    <message>
        <source>Random search</source>
        <translation>随机搜索</translation>
    </message>
    <message>
        <source>PPO</source>
        <translation>PPO</translation>
    </message>
    <message>
        <source>This build has no LibTorch</source>
        <translation>此版本未包含 LibTorch</translation>
    </message>
    <message>
        <source>Cannot read the settings file %1: %2</source>
        <translation>无法读取设置文件 %1：%2</translation>
    </message>
    <message>
        <source>The settings are not valid: %1</source>
        <translation>设置无效：%1</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchController</name>
    <message>
        <source>A search is already running: stop it first.</source>
        <translation>已有搜索正在运行：请先将其停止。</translation>
    </message>
    <message>
        <source>Open a dataset first.</source>
        <translation>请先打开数据集。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchForm</name>
    <message>
        <source>Dense rewards</source>
        <translation>密集奖励</translation>
    </message>
    <message>
        <source>Policy/value network</source>
        <translation>策略/价值网络</translation>
    </message>
    <message>
        <source>Dimension check</source>
        <translation>量纲检查</translation>
    </message>
    <message>
        <source>GFlowNet (AlphaSAGE)</source>
        <translation>GFlowNet（AlphaSAGE）</translation>
    </message>
    <message>
        <source>MCTS (Alpha2)</source>
        <translation>MCTS（Alpha2）</translation>
    </message>
    <message>
        <source>Genetic programming</source>
        <translation>遗传规划</translation>
    </message>
    <message>
        <source>Random search</source>
        <translation>随机搜索</translation>
    </message>
    <message>
        <source>PPO (AlphaGen)</source>
        <translation>PPO（AlphaGen）</translation>
    </message>
    <message>
        <source>Linear (AlphaGen)</source>
        <translation>线性池（AlphaGen）</translation>
    </message>
    <message>
        <source>Mining (AlphaSAGE)</source>
        <translation>挖掘池（AlphaSAGE）</translation>
    </message>
    <message>
        <source>RGCN</source>
        <translation>RGCN</translation>
    </message>
    <message>
        <source>LSTM</source>
        <translation>LSTM</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA — %1, %2 GiB</source>
        <translation>CUDA — %1，%2 GiB</translation>
    </message>
    <message>
        <source>LibTorch sees no CUDA device here; the networks run on the CPU.</source>
        <translation>LibTorch 在此未检测到 CUDA 设备；神经网络将在 CPU 上运行。</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Only build formulas whose units agree (Alpha2&apos;s dimension rules: no price plus volume, no price compared with a ratio, …); formulas that break them are never proposed</source>
        <translation>只构建单位一致的公式（Alpha2 的量纲规则：价格不能与成交量相加，价格不能与比率比较，…）；违反规则的公式不会被提出</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>算法</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>Episodes</source>
        <translation>回合数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>因子池</translation>
    </message>
    <message>
        <source>Pool size</source>
        <translation>因子池大小</translation>
    </message>
    <message>
        <source>L1 penalty</source>
        <translation>L1 惩罚</translation>
    </message>
    <message>
        <source>Complexity penalty</source>
        <translation>复杂度惩罚</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Algorithm settings</source>
        <translation>算法设置</translation>
    </message>
    <message>
        <source>w_ssl</source>
        <translation>w_ssl</translation>
    </message>
    <message>
        <source>w_nov</source>
        <translation>w_nov</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>Episodes per update</source>
        <translation>每次更新的回合数</translation>
    </message>
    <message>
        <source>Length prior</source>
        <translation>长度先验</translation>
    </message>
    <message>
        <source>Local search</source>
        <translation>局部搜索</translation>
    </message>
    <message>
        <source>Genetic offspring</source>
        <translation>遗传子代</translation>
    </message>
    <message>
        <source>Simulations per move</source>
        <translation>每步模拟次数</translation>
    </message>
    <message>
        <source>Population</source>
        <translation>种群规模</translation>
    </message>
    <message>
        <source>Initial weight of AlphaSAGE&apos;s structure-behaviour reward; decays linearly to 0</source>
        <translation>AlphaSAGE 结构-行为奖励的初始权重；线性衰减至 0</translation>
    </message>
    <message>
        <source>Initial weight of the novelty reward; decays linearly to 0</source>
        <translation>新颖性奖励的初始权重；线性衰减至 0</translation>
    </message>
    <message>
        <source> nats/token</source>
        <translation> 奈特/token</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Samples formulas in proportion to R^beta e^(-lambda tokens): without it the GFlowNet&apos;s formulas drift to the longest the grammar allows; about 3 gives short, readable ones; 0: none (AlphaSAGE)</source>
        <translation>按 R^beta e^(-lambda token 数) 的比例采样公式：不设时 GFlowNet 的公式会漂向语法允许的最大长度；约 3 时得到简短易读的公式；0：不使用（AlphaSAGE）</translation>
    </message>
    <message>
        <source>Share of the episodes that complete one of the best formulas so far after removing its last tokens (local search); 0: none (AlphaSAGE)</source>
        <translation>从目前最好的公式之一去掉末尾若干 token 后再补全的回合所占比例（局部搜索）；0：不使用（AlphaSAGE）</translation>
    </message>
    <message>
        <source>Share of the episodes bred from the best formulas so far by GP&apos;s crossover and mutations instead of sampled, learned from like sampled ones; 0: none (AlphaSAGE)</source>
        <translation>由目前最好的公式经 GP 的交叉与变异繁殖（而非采样）得到的回合所占比例，与采样的回合一样用于学习；0：不使用（AlphaSAGE）</translation>
    </message>
    <message>
        <source>Extra L1 penalty per formula token on each member&apos;s weight: of two members that explain the same, the longer gets the smaller weight and leaves a full pool first; 0: none</source>
        <translation>按公式长度（每个记号）对各成员权重追加的 L1 惩罚：两个解释力相同的成员中，较长者权重更小，因子池满时先被移出；0：不惩罚</translation>
    </message>
    <message>
        <source>Refuse a formula whose admission (after the refit, and the eviction of the smallest weight in a full pool) would lower the pool&apos;s combined train IC</source>
        <translation>若接纳某公式（重新拟合权重、因子池满时移出权重最小者之后）会降低因子池的组合训练 IC，则拒绝该公式</translation>
    </message>
    <message>
        <source>Open a dataset to start a search.</source>
        <translation>请打开数据集以开始搜索。</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>Groupings the group operators (GroupRank, GroupDemean, …) may use; none: no group operators. Learned levels h1, h2, … appear here once added from the market graph.</source>
        <translation>分组算子（GroupRank、GroupDemean、…）可使用的分组；不选则不使用分组算子。从市场图加入的学习层级 h1、h2、… 会出现在这里。</translation>
    </message>
    <message>
        <source>Never lower pool IC</source>
        <translation>不降低因子池 IC</translation>
    </message>
    <message>
        <source>Groupings</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Operators added to the default vocabulary (AlphaSAGE&apos;s 36); none: the default, so that results stay comparable with the published searches.</source>
        <translation>加入默认词表（AlphaSAGE 的 36 个算子）的算子；不选即为默认，使结果可与已发表的搜索相比。</translation>
    </message>
    <message>
        <source>Extra operators</source>
        <translation>额外算子</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchMonitor</name>
    <message>
        <source>mean reward</source>
        <translation>平均奖励</translation>
    </message>
    <message>
        <source>best reward</source>
        <translation>最佳奖励</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>pool IC train</source>
        <translation>因子池 IC（训练集）</translation>
    </message>
    <message>
        <source>pool IC valid</source>
        <translation>因子池 IC（验证集）</translation>
    </message>
    <message>
        <source>best single |IC|</source>
        <translation>最佳单因子 |IC|</translation>
    </message>
    <message>
        <source>pool size</source>
        <translation>因子池大小</translation>
    </message>
    <message>
        <source>mean |mutual corr| (right)</source>
        <translation>因子间平均 |相关系数|（右轴）</translation>
    </message>
    <message>
        <source>evaluations/s</source>
        <translation>每秒评估次数</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <source>Pool size</source>
        <translation>因子池大小</translation>
    </message>
    <message>
        <source>Evaluations/s</source>
        <translation>每秒评估次数</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>|mutual corr|</source>
        <translation>因子间 |相关系数|</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchPanel</name>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Open in lab</source>
        <translation>在实验室中打开</translation>
    </message>
    <message>
        <source>Save to library</source>
        <translation>保存到因子库</translation>
    </message>
    <message>
        <source>Correlation</source>
        <translation>相关性</translation>
    </message>
    <message>
        <source>Combine &amp;&amp; backtest</source>
        <translation>组合并回测</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Run the search on a background thread; one search runs at a time</source>
        <translation>在后台线程中运行搜索；同一时间只能运行一个搜索</translation>
    </message>
    <message>
        <source>Pause or resume the running search</source>
        <translation>暂停或继续正在运行的搜索</translation>
    </message>
    <message>
        <source>Stop the search; the pool found so far is kept and recorded</source>
        <translation>停止搜索；目前已找到的因子池会被保留并记录</translation>
    </message>
    <message>
        <source>against evaluations</source>
        <translation>按评估次数</translation>
    </message>
    <message>
        <source>against wall time</source>
        <translation>按实际耗时</translation>
    </message>
    <message>
        <source>Combined (fitted on train)</source>
        <translation>组合池（训练集拟合）</translation>
    </message>
    <message>
        <source>Selected on valid</source>
        <translation>验证集筛选</translation>
    </message>
    <message>
        <source>L1 chosen on valid</source>
        <translation>验证集选定 L1</translation>
    </message>
    <message>
        <source>Early stopping on valid</source>
        <translation>验证集早停</translation>
    </message>
    <message>
        <source>Every member, with the weights fitted on the training split</source>
        <translation>全部成员，权重在训练集上拟合</translation>
    </message>
    <message>
        <source>The members whose validation IC has the sign of their train IC, refitted on train; valid chose them, so their valid figures are not out of sample</source>
        <translation>验证集 IC 与训练集 IC 同号的成员，在训练集上重新拟合；它们由验证集选出，因此其验证集指标并非样本外</translation>
    </message>
    <message>
        <source>Every member, refitted on train with the L1 strength whose combined validation IC was highest; its valid figures are not out of sample</source>
        <translation>全部成员，以组合验证集 IC 最高的 L1 强度在训练集上重新拟合；其验证集指标并非样本外</translation>
    </message>
    <message>
        <source>The pool as it was at the tenth of the budget with the highest combined validation IC; members no longer in the final pool show no per-member figures</source>
        <translation>组合验证集 IC 最高的那个预算十分点处的因子池；已不在最终池中的成员不显示单个成员的指标</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>因子池</translation>
    </message>
    <message>
        <source>Running on %1 — run %2 is recorded in the project.</source>
        <translation>正在 %1 上运行 — 运行 %2 已记录到项目中。</translation>
    </message>
    <message>
        <source>Running on %1 (not recorded: no project).</source>
        <translation>正在 %1 上运行（未记录：无项目）。</translation>
    </message>
    <message>
        <source>Not started: %1</source>
        <translation>未开始：%1</translation>
    </message>
    <message>
        <source>this run</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Search starting</source>
        <translation>搜索开始中</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>已继续。</translation>
    </message>
    <message>
        <source>Paused: the search waits; Resume continues it, Stop ends it with the pool found so far.</source>
        <translation>已暂停：搜索处于等待状态；点击“继续”可继续搜索，点击“停止”将以目前已找到的因子池结束搜索。</translation>
    </message>
    <message>
        <source>Stopping… the pool found so far is measured and kept.</source>
        <translation>正在停止… 目前已找到的因子池将被评估并保留。</translation>
    </message>
    <message>
        <source>%1% — %2 left</source>
        <translation>%1% — 剩余 %2</translation>
    </message>
    <message>
        <source>%1 evaluations, %2/s, pool %3, pool IC %4</source>
        <translation>%1 次评估，%2 次/秒，因子池 %3，因子池 IC %4</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Finished (%1): %2 evaluations in %3, %4 evaluations/s on %5; pool of %6.</source>
        <translation>已结束（%1）：用时 %3 完成 %2 次评估，在 %5 上每秒 %4 次评估；因子池含 %6 个因子。</translation>
    </message>
    <message>
        <source>
Pool %1: IC %2, Rank IC %3</source>
        <translation>
因子池（%1）：IC %2，Rank IC %3</translation>
    </message>
    <message>
        <source>
Adaptive combination %1: IC %2, Rank IC %3</source>
        <translation>
自适应组合（%1）：IC %2，Rank IC %3</translation>
    </message>
    <message>
        <source>
Recorded as run %1.</source>
        <translation>
已记录为运行 %1。</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>A search is running: stop it before reopening another run.</source>
        <translation>有搜索正在运行：请先将其停止，再重新打开其他运行。</translation>
    </message>
    <message>
        <source>Showing %1. Start runs the same config again.</source>
        <translation>正在显示 %1。点击“开始”将以相同配置再次运行。</translation>
    </message>
    <message>
        <source>%1 IC %2, Rank IC %3</source>
        <translation>%1 IC %2，Rank IC %3</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n 个成员</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SearchWorker</name>
    <message>
        <source>The run could not be recorded in the project: %1</source>
        <translation>无法将该运行记录到项目中：%1</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>How long the formula lab waits after the last keystroke before it evaluates.</source>
        <translation>公式实验室在最后一次按键之后等待多长时间再开始评估。</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Memory for cached sub-expression values; applies to datasets opened afterwards.</source>
        <translation>用于缓存子表达式值的内存；对之后打开的数据集生效。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Evaluate after typing pauses for:</source>
        <translation>停止输入多久后评估(&amp;E)：</translation>
    </message>
    <message>
        <source>Evaluation &amp;cache:</source>
        <translation>评估缓存(&amp;C)：</translation>
    </message>
    <message>
        <source>A new language takes effect the next time AlphaScope starts.</source>
        <translation>新语言将在下次启动 AlphaScope 时生效。</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::SplitMetricsModel</name>
    <message>
        <source>Days with a defined cross-sectional correlation</source>
        <translation>截面相关系数有定义的天数</translation>
    </message>
    <message>
        <source>Mean daily Pearson correlation with the target</source>
        <translation>与目标的每日 Pearson 相关系数的均值</translation>
    </message>
    <message>
        <source>Mean daily Spearman correlation with the target</source>
        <translation>与目标的每日 Spearman 相关系数的均值</translation>
    </message>
    <message>
        <source>IC mean / IC standard deviation</source>
        <translation>IC 均值 / IC 标准差</translation>
    </message>
    <message>
        <source>Rank IC mean / Rank IC standard deviation</source>
        <translation>Rank IC 均值 / Rank IC 标准差</translation>
    </message>
    <message>
        <source>Share of universe cells with a finite value</source>
        <translation>股票池中取值为有限数的单元格占比</translation>
    </message>
    <message>
        <source>Daily turnover of the top quintile</source>
        <translation>最高五分位组的日换手率</translation>
    </message>
    <message>
        <source>Lag-1 rank autocorrelation of the factor</source>
        <translation>因子的 1 阶滞后秩自相关</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>首日</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>末日</translation>
    </message>
    <message>
        <source>IC days</source>
        <translation>IC 天数</translation>
    </message>
    <message>
        <source>IC</source>
        <translation>IC</translation>
    </message>
    <message>
        <source>Rank IC</source>
        <translation>Rank IC</translation>
    </message>
    <message>
        <source>ICIR</source>
        <translation>ICIR</translation>
    </message>
    <message>
        <source>Rank ICIR</source>
        <translation>Rank ICIR</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>换手率</translation>
    </message>
    <message>
        <source>Autocorr.</source>
        <translation>自相关</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::StudyCurvesPlot</name>
    <message>
        <source>Combined pool&apos;s valid IC (train weights): seeds thin, their mean thick</source>
        <translation>组合因子池的验证集 IC（训练集权重）：细线为各随机种子，粗线为其均值</translation>
    </message>
    <message>
        <source>Each search&apos;s own mean reward (its own scale): seeds thin, their mean thick</source>
        <translation>各搜索自身的平均奖励（各自的量纲）：细线为各随机种子，粗线为其均值</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估次数</translation>
    </message>
    <message>
        <source>valid IC</source>
        <translation>验证集 IC</translation>
    </message>
    <message>
        <source>mean reward</source>
        <translation>平均奖励</translation>
    </message>
    <message>
        <source>Mean |train IC| of the formulas each search evaluated (0 when unusable): seeds thin, their mean thick</source>
        <translation>各搜索所评估公式的训练集 |IC| 均值（不可用时记为 0）：细线为各随机种子，粗线为其均值</translation>
    </message>
    <message>
        <source>mean |IC|</source>
        <translation>|IC| 均值</translation>
    </message>
    <message>
        <source>Share of evaluations finding a new formula of the run&apos;s top tenth by |IC|: seeds thin, their mean thick</source>
        <translation>发现本次运行中按 |IC| 排名前十分之一的新公式的评估占比：细线为各随机种子，粗线为其均值</translation>
    </message>
    <message>
        <source>share</source>
        <translation>占比</translation>
    </message>
</context>
<context>
    <name>alphascope::ui::StudyPanel</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>&amp;Run study</source>
        <translation>运行研究(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Open study…</source>
        <translation>打开研究(&amp;O)…</translation>
    </message>
    <message>
        <source>Seeds per search: the intervals are over seeds, so two seeds are the least and five a usual study</source>
        <translation>每种搜索的随机种子数：区间按种子计算，因此至少需要两个种子，通常的研究用五个</translation>
    </message>
    <message>
        <source>Formula evaluations per run, equal for every search. On 500 stocks x 5 years and 2 cores a run of 20,000 takes about 1.5 (GP) to 10 (GFlowNet) minutes</source>
        <translation>每次运行的公式评估次数，各搜索相同。在 2 核上，500 只股票 x 5 年，20,000 次评估的一次运行约需 1.5 分钟（GP）到 10 分钟（GFlowNet）</translation>
    </message>
    <message>
        <source>Searches run at once, each on its own thread; every search is deterministic per seed, so the results do not depend on it</source>
        <translation>同时运行的搜索数，每个搜索使用自己的线程；每个搜索在给定种子下是确定的，因此结果与此无关</translation>
    </message>
    <message>
        <source>Not measured</source>
        <translation>不测量</translation>
    </message>
    <message>
        <source>After the runs, this many random formulas measure whether train ranks formulas as test does (the Persistence tab): how much out-of-sample difference between searches to expect</source>
        <translation>运行结束后，用这么多随机公式测量训练集对公式的排序是否与测试集一致（见“持续性”页）：即可以预期各搜索在样本外相差多少</translation>
    </message>
    <message>
        <source>Study folder</source>
        <translation>研究文件夹</translation>
    </message>
    <message>
        <source>Each run&apos;s pool file and the summary go here; a finished run in it is read back, not run again</source>
        <translation>每次运行的因子池文件和汇总都存放在这里；其中已完成的运行会被读回，不会再次运行</translation>
    </message>
    <message>
        <source>Choose the study folder</source>
        <translation>选择研究文件夹</translation>
    </message>
    <message>
        <source>A new, empty study folder beside the project</source>
        <translation>在项目旁新建一个空的研究文件夹</translation>
    </message>
    <message>
        <source>Show a study folder (made here or by alphascope-cli study) without running anything</source>
        <translation>显示一个研究文件夹（在此处或由 alphascope-cli study 生成），不运行任何搜索</translation>
    </message>
    <message>
        <source>Does a search find anything beyond seed noise? A study runs each search with several seeds at one budget and compares them out of sample, with 95 % intervals over the seeds and paired tests.</source>
        <translation>搜索找到的东西是否超出了随机种子带来的噪声？研究以相同预算、多个随机种子运行每种搜索，并在样本外比较它们，给出基于种子的 95% 区间和配对检验。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>与基线比较…</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>默认设置</translation>
    </message>
    <message>
        <source>A search config JSON file, as alphascope-cli study --config: its keys are applied to every search&apos;s defaults, e.g. {&quot;mcts&quot;: {&quot;network&quot;: false}}. Empty: every search&apos;s defaults</source>
        <translation>搜索配置 JSON 文件，同 alphascope-cli study --config：其中的键应用到每种搜索的默认设置上，例如 {&quot;mcts&quot;: {&quot;network&quot;: false}}。留空：各搜索使用默认设置</translation>
    </message>
    <message>
        <source>Choose a search config JSON file</source>
        <translation>选择搜索配置 JSON 文件</translation>
    </message>
    <message>
        <source>Set this study against a baseline study folder on the same data, seed by seed (as alphascope-cli study-compare); nothing is run</source>
        <translation>将本研究与同一数据上的基线研究文件夹逐种子对比（同 alphascope-cli study-compare）；不运行任何搜索</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行数</translation>
    </message>
    <message>
        <source>Valid Rank IC</source>
        <translation>验证集 Rank IC</translation>
    </message>
    <message>
        <source>Test IC</source>
        <translation>测试集 IC</translation>
    </message>
    <message>
        <source>Test Rank IC</source>
        <translation>测试集 Rank IC</translation>
    </message>
    <message>
        <source>95 % interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>Adaptive: test Rank IC</source>
        <translation>自适应组合：测试集 Rank IC</translation>
    </message>
    <message>
        <source>Selected on valid: test Rank IC</source>
        <translation>按验证集筛选：测试集 Rank IC</translation>
    </message>
    <message>
        <source>Best member: test IC</source>
        <translation>最佳成员：测试集 IC</translation>
    </message>
    <message>
        <source>Mean |mutual corr|</source>
        <translation>平均 |相互相关|</translation>
    </message>
    <message>
        <source>Unusable evaluations</source>
        <translation>不可用评估占比</translation>
    </message>
    <message>
        <source>Evaluations/s</source>
        <translation>评估次数/秒</translation>
    </message>
    <message>
        <source>A − B</source>
        <translation>A − B</translation>
    </message>
    <message>
        <source>Test Rank IC: A − B</source>
        <translation>测试集 Rank IC：A − B</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>随机种子数</translation>
    </message>
    <message>
        <source>Newey-West t</source>
        <translation>Newey-West t</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>Selected on valid: A − B</source>
        <translation>按验证集筛选：A − B</translation>
    </message>
    <message>
        <source>p (selected)</source>
        <translation>p（筛选后）</translation>
    </message>
    <message>
        <source>Seed by seed difference of the combined pools&apos; test Rank IC with its 95 % interval, and a Newey-West test on the day-by-day difference of the two searches&apos; seed-averaged test Rank IC. Bold: the interval excludes 0.</source>
        <translation>组合因子池测试集 Rank IC 的逐种子差值及其 95% 区间，以及对两种搜索按种子平均的测试集 Rank IC 逐日差值所做的 Newey-West 检验。粗体：区间不含 0。</translation>
    </message>
    <message>
        <source>Valid Rank IC: this / baseline</source>
        <translation>验证 Rank IC：本研究 / 基线</translation>
    </message>
    <message>
        <source>Valid Rank IC: this − baseline</source>
        <translation>验证 Rank IC：本研究 − 基线</translation>
    </message>
    <message>
        <source>Test Rank IC: this / baseline</source>
        <translation>测试 Rank IC：本研究 / 基线</translation>
    </message>
    <message>
        <source>Test Rank IC: this − baseline</source>
        <translation>测试 Rank IC：本研究 − 基线</translation>
    </message>
    <message>
        <source>Higher</source>
        <translation>更高</translation>
    </message>
    <message>
        <source>Selected on valid: this − baseline</source>
        <translation>验证集筛选：本研究 − 基线</translation>
    </message>
    <message>
        <source>Adaptive: this − baseline</source>
        <translation>自适应：本研究 − 基线</translation>
    </message>
    <message>
        <source>This study against a baseline study on the same data, run by run on the seeds both have: the means of each, the difference with its 95 % interval and the runs where this study is higher, and a Newey-West test on the day-by-day difference of the combined pools&apos; test Rank IC. Bold: the interval excludes 0.</source>
        <translation>本研究与同一数据上的基线研究在两者共有的种子上逐次运行对比：各自的均值、差值及其 95 % 区间、本研究更高的运行次数，以及对组合因子池测试 Rank IC 逐日差值的 Newey-West 检验。粗体：区间不含 0。</translation>
    </message>
    <message>
        <source>Combined valid IC</source>
        <translation>组合验证集 IC</translation>
    </message>
    <message>
        <source>Each search&apos;s own reward</source>
        <translation>各搜索自身的奖励</translation>
    </message>
    <message>
        <source>Evaluated formulas&apos; mean |IC|</source>
        <translation>所评估公式的 |IC| 均值</translation>
    </message>
    <message>
        <source>Share of new top-tenth formulas</source>
        <translation>前十分之一新公式占比</translation>
    </message>
    <message>
        <source>Searches</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>配对比较</translation>
    </message>
    <message>
        <source>Against a baseline</source>
        <translation>与基线对比</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>学习曲线</translation>
    </message>
    <message>
        <source>First seed</source>
        <translation>起始种子</translation>
    </message>
    <message>
        <source>Evaluations per run</source>
        <translation>每次运行的评估次数</translation>
    </message>
    <message>
        <source>At once</source>
        <translation>同时运行</translation>
    </message>
    <message>
        <source>Persistence formulas</source>
        <translation>持续性测量公式数</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Search settings</source>
        <translation>搜索设置</translation>
    </message>
    <message>
        <source>Search config (*.json);;All files (*)</source>
        <translation>搜索配置 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open study</source>
        <translation>打开研究</translation>
    </message>
    <message>
        <source>Baseline study</source>
        <translation>基线研究</translation>
    </message>
    <message>
        <source>Open a dataset first</source>
        <translation>请先打开数据集</translation>
    </message>
    <message>
        <source>Choose at least one search</source>
        <translation>请至少选择一种搜索</translation>
    </message>
    <message>
        <source>Choose a study folder</source>
        <translation>请选择研究文件夹</translation>
    </message>
    <message>
        <source>Run every (search, seed) pair whose pool file is not in the folder yet</source>
        <translation>运行文件夹中尚无因子池文件的每个（搜索，种子）组合</translation>
    </message>
    <message numerus="yes">
        <source>Running %n (search, seed) pair(s) in %1…</source>
        <translation>
            <numerusform>正在 %1 中运行 %n 个（搜索，种子）组合…</numerusform>
        </translation>
    </message>
    <message>
        <source>with the settings of the folder&apos;s runs</source>
        <translation>使用该文件夹中各运行的设置</translation>
    </message>
    <message>
        <source>Reading the study in %1…</source>
        <translation>正在读取 %1 中的研究…</translation>
    </message>
    <message>
        <source>Reading the baseline study in %1…</source>
        <translation>正在读取 %1 中的基线研究…</translation>
    </message>
    <message>
        <source>Comparison cancelled.</source>
        <translation>比较已取消。</translation>
    </message>
    <message>
        <source>The baseline could not be compared: %1</source>
        <translation>无法与基线比较：%1</translation>
    </message>
    <message>
        <source>Study cancelled; the runs that finished are kept in the folder and are not run again.</source>
        <translation>研究已取消；已完成的运行保留在文件夹中，不会再次运行。</translation>
    </message>
    <message>
        <source>The study failed: %1</source>
        <translation>研究失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 ± %2 [%3, %4] over %n seed(s)</source>
        <translation>
            <numerusform>%1 ± %2 [%3, %4]，共 %n 个种子</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 − %2</source>
        <translation>%1 − %2</translation>
    </message>
    <message>
        <source>%1: %2 run(s) of %3 evaluations (%4 run now, %5 read back).</source>
        <translation>%1：%2 次运行，每次 %3 次评估（本次运行 %4 次，读回 %5 次）。</translation>
    </message>
    <message numerus="yes">
        <source>%n (search, seed) pair(s) without a finished run are left out (the first: %1).</source>
        <translation>
            <numerusform>%n 个（搜索，种子）组合没有已完成的运行，未计入（第一个：%1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Highest mean test Rank IC: %1, %2 %3.</source>
        <translation>测试集平均 Rank IC 最高：%1，%2 %3。</translation>
    </message>
    <message>
        <source>No two searches differ beyond seed noise: every seed-by-seed interval of their test Rank IC difference holds 0.</source>
        <translation>没有两种搜索的差异超出随机种子噪声：它们测试集 Rank IC 差值的逐种子区间都包含 0。</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) of searches differ beyond seed noise (bold under Pairs).</source>
        <translation>
            <numerusform>%n 对搜索的差异超出随机种子噪声（见“配对比较”中的粗体行）。</numerusform>
        </translation>
    </message>
    <message>
        <source>test ranks the formulas against train: no search should be expected to gain out of sample here.</source>
        <translation>测试集对公式的排序与训练集相反：在这里不应指望任何搜索在样本外获益。</translation>
    </message>
    <message>
        <source>the ranking carries over: searching harder on train can pay off here.</source>
        <translation>排序得以延续：在这里更努力地在训练集上搜索可能有回报。</translation>
    </message>
    <message>
        <source>the ranking carries over only weakly: expect small differences out of sample.</source>
        <translation>排序只微弱地延续：预计样本外差异很小。</translation>
    </message>
    <message>
        <source>no measurable carry-over: out-of-sample differences will be mostly noise here.</source>
        <translation>没有可测的延续：这里样本外的差异大多是噪声。</translation>
    </message>
    <message>
        <source>The split&apos;s persistence (%1 usable random formulas): train → test Spearman %2 [%3, %4]; %5</source>
        <translation>该划分的持续性（%1 个可用随机公式）：训练集 → 测试集 Spearman %2 [%3, %4]；%5</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 次中 %1 次</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>全部运行</translation>
    </message>
    <message numerus="yes">
        <source>Against the baseline %1: %n paired run(s), test Rank IC this − baseline %2 %3, higher in %4 of them.</source>
        <translation>
            <numerusform>与基线 %1 对比：%n 次配对运行，测试 Rank IC 本研究 − 基线 %2 %3，其中 %4 次更高。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) without a partner in the other study are left out.</source>
        <translation>
            <numerusform>%n 次运行在另一研究中没有对应运行，已略去。</numerusform>
        </translation>
    </message>
    <message>
        <source>No learning curves: %1</source>
        <translation>没有学习曲线：%1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>AlphaScope: a research workbench for formulaic alpha factors</source>
        <translation>AlphaScope：公式化 Alpha 因子研究工作台</translation>
    </message>
    <message>
        <source>Long CSV (.csv/.csv.xz) or Qlib folder to open (default: the bundled sample).</source>
        <translation>要打开的长格式 CSV（.csv/.csv.xz）或 Qlib 文件夹（默认：内置示例数据集）。</translation>
    </message>
    <message>
        <source>Sector/industry CSV.</source>
        <translation>板块/行业 CSV。</translation>
    </message>
    <message>
        <source>Qlib universe name.</source>
        <translation>Qlib 股票池名称。</translation>
    </message>
    <message>
        <source>Formula to show in the lab.</source>
        <translation>在公式实验室中显示的公式。</translation>
    </message>
    <message>
        <source>Project file to open (default: the last one, else one in the user&apos;s data directory).</source>
        <translation>要打开的项目文件（默认：上次使用的项目，否则为用户数据目录中的项目）。</translation>
    </message>
    <message>
        <source>User interface language (en, zh_CN); default: the setting, else the system&apos;s.</source>
        <translation>界面语言（en、zh_CN）；默认：使用设置中的语言，否则跟随系统。</translation>
    </message>
    <message>
        <source>Save a PNG of the window once the formula and its backtest are shown, then quit.</source>
        <translation>在公式及其回测显示后将窗口保存为 PNG 截图，然后退出。</translation>
    </message>
    <message>
        <source>With --screenshot: also save a PNG of every panel into this folder.</source>
        <translation>配合 --screenshot 使用：同时将每个面板的 PNG 截图保存到此文件夹。</translation>
    </message>
    <message>
        <source>Measure formula -&gt; metrics latency and GUI stalls on the loaded data, print them, quit.</source>
        <translation>在已加载的数据上测量公式到指标的延迟及界面卡顿，打印结果后退出。</translation>
    </message>
    <message>
        <source>Start a search (gfn, mcts, gp, random, ppo) as soon as the data is loaded.</source>
        <translation>数据加载完成后立即开始搜索（gfn、mcts、gp、random、ppo）。</translation>
    </message>
    <message>
        <source>Draw the learning curves of an alphascope-cli study folder into valid_ic.png, reward.png, formula_ic.png and top_share.png there, then quit.</source>
        <translation>将 alphascope-cli study 文件夹中的学习曲线绘制为该文件夹中的 valid_ic.png、reward.png、formula_ic.png 和 top_share.png，然后退出。</translation>
    </message>
    <message>
        <source>With --search: the evaluation budget.</source>
        <translation>配合 --search 使用：评估预算。</translation>
    </message>
    <message>
        <source>Show the runs browser comparing the project&apos;s two newest runs.</source>
        <translation>显示运行浏览器，比较项目中最新的两个运行。</translation>
    </message>
    <message>
        <source>With --search: print the search&apos;s evaluations per second when it ends, then quit.</source>
        <translation>与 --search 同用：搜索结束时输出每秒评估次数，然后退出。</translation>
    </message>
    <message>
        <source>Training split START:END (dates inclusive), as alphascope-cli&apos;s --train; with --valid and --test, else the default splits.</source>
        <translation>训练集区间 START:END（含首尾日期），同 alphascope-cli 的 --train；与 --valid 和 --test 一起使用，否则使用默认划分。</translation>
    </message>
    <message>
        <source>Validation split START:END.</source>
        <translation>验证集区间 START:END。</translation>
    </message>
    <message>
        <source>Test split START:END.</source>
        <translation>测试集区间 START:END。</translation>
    </message>
    <message>
        <source>Show a study folder (alphascope-cli study&apos;s or the Studies panel&apos;s) in the Studies panel once the data is loaded; nothing is run.</source>
        <translation>数据加载完成后在“研究”面板中显示一个研究文件夹（alphascope-cli study 或“研究”面板生成的）；不运行任何搜索。</translation>
    </message>
    <message>
        <source>Fit the market graph once the data is loaded, e.g. ward:11,4 or mincut:11,4 (method:levels), and show it.</source>
        <translation>数据加载后拟合并显示市场图，例如 ward:11,4 或 mincut:11,4（方法:层级）。</translation>
    </message>
</context>
</TS>
