"""附件2 总分: the stated total against its parts and its grade (R07), and scores too good to be
true (R13, R14)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from assistant.figures import formulas
from assistant.figures.numbers import HUNDRED, quantize
from assistant.figures.rules_common import (
    Context, Issue, count, points, quoted, rows_text,
)

TOTAL_LOCATION = "附件2 › 总分 › 自评得分"
TOTAL_PATH = "self_assessment.stated_total"
TOTAL_FACTS = ("score.total", "score.computed_total", "funding.execution_score", "score.indicators")


def _all_rows_path(ctx: Context, field: str) -> str:
    return f"self_assessment.indicators[{','.join(str(i) for i in range(len(ctx.indicators)))}].{field}"


def stated_total(ctx: Context) -> Iterable[Issue]:
    """R07: 总分 = 执行率得分 + Σ 三级得分, and the grade follows the total. When the rows cannot be
    scored, say that the stated total cannot be verified and why."""
    stated = ctx.data.self_assessment.stated_total
    if stated is None:
        return
    zero = Decimal(0)
    if stated > ctx.policy.full_marks or stated < zero:
        yield Issue(TOTAL_LOCATION, TOTAL_PATH,
                    f"总分自评得分{points(stated)}超出{points(zero)}至{points(ctx.policy.full_marks)}的范围。", TOTAL_FACTS)
        return
    computed = ctx.ledger["score.computed_total"]
    if computed.value is not None:
        if abs(quantize(stated, 2) - computed.value) <= ctx.policy.score_sum_tolerance:
            return
        stated_grade, grade = formulas.grade(stated, ctx.policy), formulas.grade(computed.value, ctx.policy)
        grade_note = f"，评价等级应为“{grade}”而不是“{stated_grade}”" if grade != stated_grade else ""
        yield Issue(TOTAL_LOCATION, TOTAL_PATH,
                    f"总分自评得分{points(stated)}，与执行率得分{ctx.ledger['funding.execution_score'].display}"
                    f"加绩效指标得分{ctx.ledger['score.indicators'].display}之和{computed.display}不一致{grade_note}。",
                    TOTAL_FACTS)
        return
    no_weight = [n for n, row in enumerate(ctx.indicators, start=1) if row.weight is None]
    no_score = [r.index for r in ctx.results if r.score is None]
    reasons = []
    if no_weight and no_weight == no_score:
        reasons.append(f"绩效指标{rows_text(no_weight)}未填写分值和自评得分")
    else:
        if no_weight:
            reasons.append(f"绩效指标{rows_text(no_weight)}未填写分值")
        if no_score:
            reasons.append(f"绩效指标{rows_text(no_score)}没有可核对的自评得分")
    if ctx.value("funding.execution_score") is None:
        reasons.append("执行率得分无法计算")
    yield Issue(TOTAL_LOCATION, TOTAL_PATH,
                f"总分自评得分{points(stated)}无法核对：{'，'.join(reasons)}；应逐行打分后由各项得分相加得出总分。",
                TOTAL_FACTS, "warning")


def _all_full(ctx: Context) -> bool:
    return bool(ctx.results) and all(
        r.score is not None and r.indicator.weight is not None and quantize(r.score, 2) == r.indicator.weight
        for r in ctx.results)


def _qualitative_rows(ctx: Context) -> list[int]:
    return [r.index for r in ctx.results if r.direction == "qualitative"]


def _mostly_unquantified(ctx: Context) -> bool:
    return 2 * len(_qualitative_rows(ctx)) > len(ctx.results)


def unquantified_full_marks(ctx: Context) -> Iterable[Issue]:
    """R13: most rows unquantified ("达成预期指标", "效果明显"), yet every row at full marks."""
    if not _all_full(ctx) or not _mostly_unquantified(ctx):
        return
    qualitative = _qualitative_rows(ctx)
    examples = quoted(ctx.indicators[n - 1].actual or "" for n in qualitative[:3])
    yield Issue("附件2 › 绩效指标 › 自评得分", _all_rows_path(ctx, "score"),
                f"{count(len(ctx.results))}个三级指标中有{count(len(qualitative))}个为定性指标（实际完成值如{examples}），"
                "却全部按满分自评；应设置可量化的指标值，并按实际完成情况打分。",
                tuple(f"indicator.{n}.score" for n in qualitative))


def full_total_with_unspent(ctx: Context) -> Iterable[Issue]:
    """R14: a total of 100 while 执行率 < 100 % (its score is then below its weight)."""
    stated = ctx.data.self_assessment.stated_total
    total = stated if stated is not None else ctx.value("score.computed_total")
    rate, execution = ctx.ledger["funding.execution_rate"], ctx.ledger["funding.execution_score"]
    if total is None or rate.value is None or execution.value is None:
        return
    if quantize(total, 2) < ctx.policy.full_marks or rate.value >= HUNDRED:
        return
    weights = ctx.value("weight.indicators")
    highest = execution.value + (weights if weights is not None else ctx.policy.indicator_total)
    yield Issue(TOTAL_LOCATION, TOTAL_PATH,
                f"总分自评得分{points(total)}为满分，但预算执行率为{rate.display}、执行率得分为{execution.display}，"
                f"总分最高为{points(highest)}，不可能为满分。",
                ("score.total", rate.key, execution.key))


def every_row_full(ctx: Context) -> Iterable[Issue]:
    """R14: every 三级指标 at full marks (R13 covers the case where most rows are unquantified)."""
    if not _all_full(ctx) or _mostly_unquantified(ctx):
        return
    yield Issue("附件2 › 绩效指标 › 自评得分", _all_rows_path(ctx, "score"),
                f"全部{count(len(ctx.results))}个三级指标均为满分，需核实各项实际完成值是否有佐证材料，避免自评打分偏高。",
                tuple(f"indicator.{r.index}.score" for r in ctx.results))
