"""附件2 绩效指标 rows: targets and actuals (R17, D01–D03), row scores (R02, R03, D07), explanations
(R04, R05) and weights (R06)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from assistant.figures.indicators import IndicatorResult
from assistant.figures.numbers import INDICATOR_UNITS, decimals_of, format_number, quantize
from assistant.figures.rules_common import (
    Context, Issue, count, indicator_location, is_blank, points, quoted, row_fact, row_issues, row_name,
    rows_text, weight_points,
)

# 年度指标值 that name a unit or a measure instead of giving a value (the seed's "百分比").
UNIT_WORDS = (INDICATOR_UNITS - {""}) | {"百分比", "百分率", "比例", "比率", "％"}


def _key(number: int, part: str) -> str:
    return f"indicator.{number}.{part}"


def _text(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def is_unit_word(text: str | None) -> bool:
    return _text(text) in UNIT_WORDS


def _texts(ctx: Context, numbers: Sequence[int], field: str) -> str:
    """The distinct texts of one column over some rows, quoted: “收入增长”“满意度”."""
    return quoted(_text(getattr(ctx.indicators[n - 1], field)) for n in numbers)


def _band_name(ctx: Context, result: IndicatorResult) -> str | None:
    row = result.indicator
    return row.band or (row.actual if row.actual in ctx.policy.qualitative_bands else None)


def _rows(ctx: Context, numbers: Sequence[int]) -> str:
    """"第3行（时效指标）“…”" for one row, "绩效指标第1–4行" for several."""
    return row_name(ctx, numbers[0]) if len(numbers) == 1 else f"绩效指标{rows_text(numbers)}"


# -- targets and actuals -------------------------------------------------------------------------

def duplicated_indicators(ctx: Context) -> Iterable[Issue]:
    """D01: the same 三级指标 text on several rows (copied rows, not designed indicators)."""
    seen: dict[str, list[int]] = {}
    for number, row in enumerate(ctx.indicators, start=1):
        seen.setdefault(_text(row.name).rstrip("。．.；;，,"), []).append(number)
    for numbers in seen.values():
        if len(numbers) < 2:
            continue
        name = ctx.indicators[numbers[0] - 1].name
        where = "与".join(f"第{count(n)}行（{ctx.indicators[n - 1].level2}）" for n in numbers)
        location, path = indicator_location(ctx, numbers, "name")
        yield Issue(location, path,
                    f"{where}的三级指标相同：“{name}”；每个三级指标应考核不同的内容，请按二级指标分别设置。",
                    tuple(row_fact(ctx, n, "name") for n in numbers))


def unit_word_targets(ctx: Context) -> Iterable[Issue]:
    """D02: 年度指标值 is a unit word ("百分比"), not a value."""
    numbers = [n for n, row in enumerate(ctx.indicators, start=1) if is_unit_word(row.target)]
    yield from row_issues(
        ctx, numbers, "target",
        lambda group: f"{_rows(ctx, group)}的年度指标值填的是{_texts(ctx, group, 'target')}，是计量单位而不是指标值，无法计分；"
                      "应填写具体数值及符号（≥、≤、=），或写明定性目标。"
    )


def blank_targets(ctx: Context) -> Iterable[Issue]:
    """D03: 年度指标值 left blank."""
    numbers = [n for n, row in enumerate(ctx.indicators, start=1) if is_blank(row.target)]
    yield from row_issues(
        ctx, numbers, "target",
        lambda group: f"{_rows(ctx, group)}未填写年度指标值，无法判断完成程度；应填写预算批复时设定的指标值。",
    )


def blank_actuals(ctx: Context) -> Iterable[Issue]:
    """D03: 实际完成值 left blank."""
    numbers = [n for n, row in enumerate(ctx.indicators, start=1) if is_blank(row.actual)]
    yield from row_issues(
        ctx, numbers, "actual",
        lambda group: f"{_rows(ctx, group)}未填写实际完成值，无法计分；应填写全年实际完成的数值或完成档次。",
    )


def quantitative_inputs(ctx: Context) -> Iterable[Issue]:
    """R17: on a quantitative row T and A must be numbers, T ≠ 0 on a proportional row, A ≥ 0."""
    quantitative = [r for r in ctx.results if r.direction != "qualitative"]
    bad_target = [r.index for r in quantitative if r.target is None and not is_blank(r.indicator.target)
                  and not is_unit_word(r.indicator.target)]
    bad_actual = [r.index for r in quantitative if r.actual is None and not is_blank(r.indicator.actual)]
    zero_target = [r.index for r in quantitative if r.target is not None and r.target.number == 0
                   and r.direction in {"positive", "reverse"}]
    negative = [r.index for r in quantitative if r.actual is not None and r.actual.number < 0]

    yield from row_issues(
        ctx, bad_target, "target",
        lambda g: f"{_rows(ctx, g)}是定量指标，但年度指标值{_texts(ctx, g, 'target')}不是数值，无法按公式计分；"
                  "应填写数值及符号，或改为定性指标并注明完成档次。")
    yield from row_issues(
        ctx, bad_actual, "actual",
        lambda g: f"{_rows(ctx, g)}是定量指标，但实际完成值{_texts(ctx, g, 'actual')}不是数值，无法按公式计分；"
                  "应填写与年度指标值同单位的实际数值。")
    yield from row_issues(
        ctx, zero_target, "target",
        lambda g: f"{_rows(ctx, g)}的年度指标值为零，无法按完成比例计分；应核实指标值，"
                  "或将指标性质改为“=”。")
    yield from row_issues(
        ctx, negative, "actual",
        lambda g: f"{_rows(ctx, g)}的实际完成值为负数（{_texts(ctx, g, 'actual')}），按零计分；请核实填报是否有误。", severity="warning")


def qualitative_without_band(ctx: Context) -> Iterable[Issue]:
    """R17: a qualitative row must name its band (达成/部分达成/未达成) or carry a score."""
    numbers = [r.index for r in ctx.results
               if r.direction == "qualitative" and _band_name(ctx, r) is None and r.indicator.score is None
               and not is_blank(r.indicator.actual) and not is_unit_word(r.indicator.target)]
    bands = "、".join(f"“{name}”" for name in ctx.policy.qualitative_bands)
    yield from row_issues(
        ctx, numbers, "actual",
        lambda g: f"{_rows(ctx, g)}是定性指标，实际完成值{_texts(ctx, g, 'actual')}未说明完成档次，也未填写自评得分；"
                  f"应注明{bands}之一，并在该档次的分数区间内打分。")


# -- scores --------------------------------------------------------------------------------------

def quantitative_scores(ctx: Context) -> Iterable[Issue]:
    """R02: a stated score on a quantitative row must equal the rule's score."""
    for r in ctx.results:
        row, n = r.indicator, r.index
        if r.direction == "qualitative" or row.score is None:
            continue
        stated = quantize(row.score, 2)
        if r.computed is not None and stated != r.computed:
            yield _score_issue(ctx, n, f"{row_name(ctx, n)}自评得分填报为{points(row.score)}，按年度指标值“{row.target}”、"
                               f"实际完成值“{row.actual}”、分值{ctx.ledger[_key(n, 'weight')].display}计算"
                               f"（{r.formula}）应为{ctx.ledger[_key(n, 'score')].display}。")
        elif r.computed is None and row.weight is not None and stated > row.weight:
            yield _score_issue(ctx, n, f"{row_name(ctx, n)}自评得分{points(row.score)}超过分值"
                               f"{ctx.ledger[_key(n, 'weight')].display}。")


def _score_issue(ctx: Context, number: int, message: str) -> Issue:
    location, path = indicator_location(ctx, [number], "score")
    return Issue(location, path, message, (_key(number, "score"), _key(number, "weight")))


def qualitative_scores(ctx: Context) -> Iterable[Issue]:
    """R03: a qualitative score must lie in its band: 达成 [0.8W, W], 部分达成 [0.6W, 0.8W), 未达成 [0, 0.6W)."""
    for r in ctx.results:
        row, n = r.indicator, r.index
        if r.direction != "qualitative" or row.score is None or row.weight is None:
            continue
        score = quantize(row.score, 2)
        weight = ctx.ledger[_key(n, "weight")].display
        band = _band_name(ctx, r)
        if band is None or r.band is None:
            if score > row.weight:
                yield _score_issue(ctx, n, f"{row_name(ctx, n)}自评得分{points(row.score)}超过分值{weight}。")
            continue
        low, high = r.band
        top = ctx.policy.qualitative_bands[band][1] >= 1
        inside = low <= score and (score <= high if top else score < high)
        if not inside:
            upper = f"{points(high)}" if top else f"{points(high)}（不含）"
            yield _score_issue(ctx, n, f"{row_name(ctx, n)}为定性指标，完成档次“{band}”，按分值{weight}得分应在"
                               f"{points(low)}至{upper}之间，填报为{points(row.score)}。")


def missing_scores(ctx: Context) -> Iterable[Issue]:
    """D07: a weighted row whose band is known but whose score only the preparer can give."""
    numbers = [r.index for r in ctx.results if r.score is None and r.indicator.weight is not None
               and r.direction == "qualitative" and _band_name(ctx, r) is not None]
    yield from row_issues(
        ctx, numbers, "score",
        lambda g: f"{_rows(ctx, g)}未填写自评得分；该档次没有建议分，需由填报人在档次区间内打分。")


def _explanation_issue(ctx: Context, number: int, message: str) -> Issue:
    location, path = indicator_location(ctx, [number], "deviation_reason")
    return Issue(location, path, message, (_key(number, "score"), _key(number, "weight")))


def deviation_unexplained(ctx: Context) -> Iterable[Issue]:
    """R04: score below the weight with 偏差原因分析及改进措施 empty."""
    for r in ctx.results:
        row = r.indicator
        if r.score is None or row.weight is None or not is_blank(row.deviation_reason):
            continue
        if quantize(r.score, 2) < row.weight:
            yield _explanation_issue(
                ctx, r.index, f"{row_name(ctx, r.index)}得分{points(r.score)}低于分值"
                f"{ctx.ledger[_key(r.index, 'weight')].display}，未填写偏差原因分析及改进措施；需说明未完成的原因和改进措施。")


def over_achievement_unexplained(ctx: Context) -> Iterable[Issue]:
    """R05: A ≥ 1.2 T (policy) at full marks without a word on why: the target was probably too low."""
    for r in ctx.results:
        row = r.indicator
        if not r.over_achieved or r.score is None or row.weight is None or not is_blank(row.deviation_reason):
            continue
        if quantize(r.score, 2) < row.weight or r.target is None or r.actual is None:
            continue
        ratio = r.actual.number / r.target.number
        limit = ctx.policy.over_achievement_ratio
        yield _explanation_issue(
            ctx, r.index, f"{row_name(ctx, r.index)}实际完成值“{row.actual}”是年度指标值“{row.target}”的"
            f"{format_number(ratio, 2)}倍（达到{format_number(limit, max(1, decimals_of(limit)))}倍以上），按满分计分但未说明超额原因；"
            "年度指标值可能设定偏低，需在偏差原因分析中说明。")


# -- weights -------------------------------------------------------------------------------------

def _level_weights_text(ctx: Context) -> str:
    return "、".join(f"{level}{weight_points(w)}" for level, w in ctx.policy.level1_weights.items())


def missing_weights(ctx: Context) -> Iterable[Issue]:
    """R06: rows without 分值 (one finding for the table when many)."""
    numbers = [n for n, row in enumerate(ctx.indicators, start=1) if row.weight is None]
    yield from row_issues(
        ctx, numbers, "weight",
        lambda g: f"{_rows(ctx, g)}未填写分值，无法计分，也无法核对{_level_weights_text(ctx)}、"
                  f"三级指标合计{weight_points(ctx.policy.indicator_total)}的分值分配。")


def _weight_sum(ctx: Context, numbers: Sequence[int]) -> Decimal | None:
    weights = [ctx.indicators[n - 1].weight for n in numbers]
    return None if any(w is None for w in weights) else sum(weights, Decimal(0))  # type: ignore[arg-type]


def total_weight(ctx: Context) -> Iterable[Issue]:
    """R06: all 三级 weights sum to 90, and 执行率分值 + 90 = 100."""
    funding_weight = ctx.ledger["funding.weight"]
    expected_funding = ctx.policy.full_marks - ctx.policy.indicator_total
    if funding_weight.value is not None and funding_weight.value != expected_funding:
        yield Issue(funding_weight.source, "self_assessment.funding.weight",
                    f"年度资金总额分值为{funding_weight.display}，应为{weight_points(expected_funding)}"
                    f"（与三级指标合计{weight_points(ctx.policy.indicator_total)}相加为{weight_points(ctx.policy.full_marks)}）。",
                    (funding_weight.key,))
    numbers = list(range(1, len(ctx.indicators) + 1))
    total = _weight_sum(ctx, numbers)
    if not numbers or total is None or total == ctx.policy.indicator_total:
        return
    levels = "、".join(f"{level}{weight_points(_weight_sum(ctx, _level_rows(ctx, level)) or Decimal(0))}"
                       for level in ctx.policy.level1_weights)
    indexes = ",".join(str(n - 1) for n in numbers)
    yield Issue("附件2 › 绩效指标 › 分值合计", f"self_assessment.indicators[{indexes}].weight",
                f"三级指标分值合计{ctx.ledger['weight.indicators'].display}，应为"
                f"{weight_points(ctx.policy.indicator_total)}（现为{levels}；应为{_level_weights_text(ctx)}）。",
                ("weight.indicators",))


def _level_rows(ctx: Context, level: str) -> list[int]:
    return [n for n, row in enumerate(ctx.indicators, start=1) if row.level1 == level]


def level_weights(ctx: Context) -> Iterable[Issue]:
    """R06: each 一级指标's 三级 weights against the policy (50/30/10). Only when the grand total is
    right: a level shift that keeps 90 is a special case to explain, not an arithmetic error."""
    if not ctx.indicators:
        return
    total = _weight_sum(ctx, range(1, len(ctx.indicators) + 1))
    if total is not None and total != ctx.policy.indicator_total:
        return  # total_weight reports it, with the level sums
    for level, expected in ctx.policy.level1_weights.items():
        numbers = _level_rows(ctx, level)
        actual = _weight_sum(ctx, numbers) if numbers else Decimal(0)
        if actual is None or actual == expected:
            continue
        if not numbers:
            yield Issue(f"附件2 › 绩效指标 › {level}", "self_assessment.indicators",
                        f"未设置{level}，按{ctx.policy.name}应有{level}{weight_points(expected)}。")
            continue
        indexes = ",".join(str(n - 1) for n in numbers)
        yield Issue(f"附件2 › 绩效指标 › {level} › 分值", f"self_assessment.indicators[{indexes}].weight",
                    f"{level}各三级指标分值合计{weight_points(actual)}，按{ctx.policy.name}应为{weight_points(expected)}；"
                    "一级指标权重调整需有依据并在报告中说明。",
                    tuple(_key(n, "weight") for n in numbers))
