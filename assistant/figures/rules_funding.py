"""附件2 funding block: 执行率 and its score (R01), explanations the report owes (R08, R09) and the
按收入性质分 / 按支出性质分 breakdowns against 年度资金总额 (R10)."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.figures.numbers import HUNDRED, quantize
from assistant.figures.rules_common import (
    Context, Issue, compare, pct, points, severity_for, tail_note, wan,
)

WHERE = "附件2 › 年度资金总额"
RATE_LOCATION = f"{WHERE} › 执行率"
SCORE_LOCATION = f"{WHERE} › 自评得分"
TOTAL_COLUMNS = ("funding.initial_budget", "funding.full_year_budget", "funding.executed")
BREAKDOWNS = (
    ("funding.income.sum", "按收入性质分", "self_assessment.by_income"),
    ("funding.expenditure.sum", "按支出性质分", "self_assessment.by_expenditure"),
)
# R08: warn when (指标得分率 − 执行率得分率) ÷ 指标得分率 exceeds this share (docs/domain.md §7).


def execution_unusable(ctx: Context) -> Iterable[Issue]:
    """R01: without 全年预算数 (or with 0) and 全年执行数 there is no 执行率 and no score."""
    budget, executed = ctx.ledger["funding.full_year_budget"], ctx.ledger["funding.executed"]
    path = "self_assessment.funding"
    if budget.value is None:
        yield Issue(budget.source, f"{path}.full_year_budget",
                    "全年预算数未填写，无法计算执行率和执行率得分；请按决算的调整后预算数补填。", (budget.key,))
    elif budget.value == 0:
        yield Issue(budget.source, f"{path}.full_year_budget",
                    f"全年预算数为{budget.display}，无法计算执行率和执行率得分；请核实并填写调整后的全年预算数。",
                    (budget.key,))
    if executed.value is None:
        yield Issue(executed.source, f"{path}.executed",
                    "全年执行数未填写，无法计算执行率和执行率得分；请按决算的本年支出合计补填。", (executed.key,))


def stated_execution(ctx: Context) -> Iterable[Issue]:
    """R01: stated 执行率 and 得分 against the recomputed ones, at 2 dp."""
    funding = ctx.data.self_assessment.funding
    rate, score = ctx.ledger["funding.execution_rate"], ctx.ledger["funding.execution_score"]
    budget, executed = ctx.ledger["funding.full_year_budget"], ctx.ledger["funding.executed"]
    if funding.stated_rate is not None and rate.value is not None:
        if quantize(funding.stated_rate, 2) != quantize(rate.value, 2):
            yield Issue(RATE_LOCATION, "self_assessment.funding.stated_rate",
                        f"执行率填报为{pct(funding.stated_rate)}，按全年执行数{executed.display} ÷ "
                        f"全年预算数{budget.display}计算应为{rate.display}。",
                        (rate.key, executed.key, budget.key))
    if funding.stated_score is not None and score.value is not None:
        if quantize(funding.stated_score, 2) != score.value:
            cap = "（执行率超过全额的按满分计）" if ctx.policy.cap_execution_score else ""
            yield Issue(SCORE_LOCATION, "self_assessment.funding.stated_score",
                        f"执行率得分填报为{points(funding.stated_score)}，按执行率{rate.display} × "
                        f"分值{ctx.ledger['funding.weight'].display}{cap}计算应为{score.display}。",
                        (score.key, rate.key, "funding.weight"))


def budget_adjusted(ctx: Context) -> Iterable[Issue]:
    """R09: any in-year adjustment (全年预算数 ≠ 年初预算数) needs a reason in the report."""
    adjustment = ctx.ledger["funding.adjustment"]
    if adjustment.value is None or adjustment.value == 0:
        return
    full, initial = ctx.ledger["funding.full_year_budget"], ctx.ledger["funding.initial_budget"]
    rate = ctx.ledger["funding.adjustment_rate"]
    verb = "调增" if adjustment.value > 0 else "调减"
    share = f"（{'增幅' if adjustment.value > 0 else '降幅'}{rate.magnitude}）" if rate.value is not None else ""
    yield Issue(full.source, "self_assessment.funding.full_year_budget",
                f"全年预算数{full.display}比年初预算数{initial.display}{verb}{adjustment.magnitude}{share}，"
                f"报告中需说明年度中预算{verb}的原因。",
                (full.key, initial.key, adjustment.key, rate.key))


def execution_needs_reason(ctx: Context) -> Iterable[Issue]:
    """R09: 执行率 below the policy's threshold, or above 100 %."""
    rate = ctx.ledger["funding.execution_rate"]
    if rate.value is None:
        return
    unexecuted = ctx.ledger["funding.unexecuted"]
    threshold = ctx.policy.execution_explain_below
    if rate.value < threshold:
        yield Issue(RATE_LOCATION, "self_assessment.funding.stated_rate",
                    f"预算执行率{rate.display}，低于{pct(threshold)}，报告中需说明{unexecuted.display}"
                    "未执行的原因及改进措施。", (rate.key, unexecuted.key))
    elif rate.value > HUNDRED:
        yield Issue(RATE_LOCATION, "self_assessment.funding.stated_rate",
                    f"全年执行数{ctx.ledger['funding.executed'].display}超过全年预算数"
                    f"{ctx.ledger['funding.full_year_budget'].display}，执行率{rate.display}，"
                    "报告中需说明超出部分的资金来源（如上年结转）。",
                    (rate.key, "funding.executed", "funding.full_year_budget"))


def money_left_goals_met(ctx: Context) -> Iterable[Issue]:
    """R08: "钱没花完但目标全部满分" — the indicator score share well above the execution score share."""
    score, weight = ctx.value("score.indicators"), ctx.value("weight.indicators")
    execution, execution_weight = ctx.value("funding.execution_score"), ctx.value("funding.weight")
    if None in (score, weight, execution, execution_weight) or not weight or not execution_weight or not score:
        return
    goal_share, money_share = score / weight, execution / execution_weight
    gap = (goal_share - money_share) / goal_share
    limit = ctx.policy.spending_gap
    if gap <= limit:
        return
    rate = ctx.ledger["funding.execution_rate"]
    yield Issue(RATE_LOCATION, "self_assessment.funding.stated_rate",
                f"预算执行率{rate.display}（执行率得分{ctx.ledger['funding.execution_score'].display}），"
                f"而绩效指标得分率达{pct(goal_share * HUNDRED)}，两者相差{pct(gap * HUNDRED)}（超过"
                f"{pct(limit * HUNDRED)}），资金未执行完而目标基本全部完成，需核实指标得分或在报告中说明原因。",
                ("funding.execution_rate", "funding.execution_score", "score.indicators", "weight.indicators"))


def breakdowns_vs_total(ctx: Context) -> Iterable[Issue]:
    """R10: each breakdown's sum must equal one column of 年度资金总额 (the form has one column for
    the breakdowns, so any column matching is accepted; a mismatch is reported against the first)."""
    totals = [ctx.ledger[key] for key in TOTAL_COLUMNS if ctx.value(key) is not None]
    for sum_key, label, path in BREAKDOWNS:
        parts = ctx.fact(sum_key)
        if parts is None or parts.value is None or parts.value == 0:
            continue
        if all(total.value == 0 for total in totals):
            yield Issue(f"附件2 › {label}", path,
                        f"年度资金总额各栏为零或空白，而{label}各项合计{parts.display}；请补填年度资金总额。",
                        (sum_key, *TOTAL_COLUMNS))
            continue
        verdicts = [compare(parts.value, total.value, ctx.policy.rounding_tolerance_wan) for total in totals]
        if "same" in verdicts:
            continue
        if "tail" in verdicts:
            total = totals[verdicts.index("tail")]
            yield Issue(f"附件2 › {label}", path,
                        f"{label}各项合计{parts.display}，与{total.label}{total.display}相差"
                        f"{wan(abs(parts.value - total.value))}{tail_note('tail')}。",
                        (sum_key, total.key), severity_for("tail"))
            continue
        first, others = totals[0], totals[1:]
        difference = parts.value - first.value
        more = "多" if difference > 0 else "少"
        also = "，也不等于" + "、".join(f"{t.label}{t.display}" for t in others) if others else ""
        yield Issue(f"附件2 › {label}", path,
                    f"{label}各项合计{parts.display}，比{first.label}{first.display}{more}{wan(abs(difference))}"
                    f"{also}；各项之和应等于年度资金总额。",
                    (sum_key, *(t.key for t in totals)))


def income_vs_expenditure(ctx: Context) -> Iterable[Issue]:
    """R10: the two breakdowns split the same money."""
    income, spending = ctx.fact("funding.income.sum"), ctx.fact("funding.expenditure.sum")
    if income is None or spending is None or income.value is None or spending.value is None:
        return
    verdict = compare(income.value, spending.value, ctx.policy.rounding_tolerance_wan)
    if verdict == "same":
        return
    yield Issue("附件2 › 按支出性质分", "self_assessment.by_expenditure",
                f"按支出性质分合计{spending.display}（基本支出 + 项目支出），与按收入性质分合计{income.display}"
                f"相差{wan(abs(income.value - spending.value))}{tail_note(verdict)}。",
                (spending.key, income.key), severity_for(verdict))
