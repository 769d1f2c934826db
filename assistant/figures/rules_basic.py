"""附件1 arithmetic (R11), the same figure in two places of the package (R12), and money written
with more than 2 decimals or in 元 where the table is in 万元 (R16)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from assistant.figures.build import BASIC_MONEY_ROWS
from assistant.figures.ledger import Fact
from assistant.figures.numbers import TEN_THOUSAND, decimals_of, format_number, quantize
from assistant.figures.rules_common import (
    Context, Issue, Verdict, amount, as_written, compare, count, severity_for, tail_note,
)

COLUMNS = ("prior_final", "budget", "final")
ROW_LABELS = {key: label for key, label, _ in BASIC_MONEY_ROWS}
ROW_PATHS = {key: f"basic_data.{path}" for key, _, path in BASIC_MONEY_ROWS}
SANGONG_PARTS = ("sangong.vehicle", "sangong.overseas", "sangong.reception")
VEHICLE_PARTS = ("sangong.vehicle_purchase", "sangong.vehicle_operation")
PUBLIC_FUND_PARTS = ("public_funds.office", "public_funds.utilities_travel", "public_funds.meetings_training")
SANGONG_ROWS = ("total", "vehicle", "overseas", "reception")  # 附件1 row = report table row


def _tolerance(ctx: Context, fact: Fact) -> Decimal:
    """The 尾差 tolerance in the unit of `fact` (policy gives it in 万元)."""
    tolerance = ctx.policy.rounding_tolerance_wan
    return tolerance * TEN_THOUSAND if fact.unit == "元" else tolerance


def _in_wan(fact: Fact) -> Decimal | None:
    if fact.value is None:
        return None
    return fact.value / TEN_THOUSAND if fact.unit == "元" else fact.value


def _labels(keys: Sequence[str]) -> str:
    return "、".join(ROW_LABELS[key] for key in keys)


def _difference(ctx: Context, a: Decimal, b: Decimal, like: Fact) -> tuple[Verdict, str]:
    verdict = compare(a, b, _tolerance(ctx, like))
    return verdict, f"（差{amount(abs(a - b), like)}{tail_note(verdict)}）"


# -- R11: 附件1 parts and totals -----------------------------------------------------------------

def _sum_check(ctx: Context, total_key: str, part_keys: Sequence[str], parts_label: str) -> Iterable[Issue]:
    """A total against the sum of its filled parts (blank parts count as 0)."""
    total = ctx.ledger[total_key]
    path = ROW_PATHS.get(total_key.rsplit(".", 1)[0], "basic_data") + "." + total_key.rsplit(".", 1)[1]
    parts = [ctx.ledger[key] for key in part_keys]
    filled = [part for part in parts if part.value is not None]
    facts = (total_key, *part_keys)
    if total.value is None and not filled:
        return
    parts_sum = sum((part.value for part in filled), Decimal(0))  # type: ignore[misc]
    if total.value is None:
        if parts_sum != 0:
            yield Issue(total.source, path, f"{total.label}未填写，而{parts_label}之和为{amount(parts_sum, total)}；"
                        "合计应等于各分项之和。", facts)
        return
    verdict, difference = _difference(ctx, total.value, parts_sum, total)
    if verdict == "same":
        return
    if not filled:
        message = f"{total.label}{total.display}，但{parts_label}均未填写；应补填分项，使其相加等于合计。"
    else:
        message = f"{total.label}{total.display}，与{parts_label}之和{amount(parts_sum, total)}不一致{difference}。"
    yield Issue(total.source, path, message, facts, severity_for(verdict))


def sangong_parts(ctx: Context) -> Iterable[Issue]:
    """R11: 三公 = 用车 + 出国 + 接待; 用车 = 购置 + 运行维护, per column."""
    for column in COLUMNS:
        yield from _sum_check(ctx, f"sangong.total.{column}", [f"{p}.{column}" for p in SANGONG_PARTS],
                              _labels(SANGONG_PARTS))
        yield from _sum_check(ctx, f"sangong.vehicle.{column}", [f"{p}.{column}" for p in VEHICLE_PARTS],
                              _labels(VEHICLE_PARTS))


def project_items(ctx: Context) -> Iterable[Issue]:
    """R11: 项目支出 total against its category rows."""
    items = ctx.data.basic_data.projects.items
    if not items:
        return
    label = "、".join(item.name for item in items)
    for column in COLUMNS:
        yield from _sum_check(ctx, f"projects.total.{column}",
                              [f"projects.item.{n}.{column}" for n in range(1, len(items) + 1)], label)


def public_fund_parts(ctx: Context) -> Iterable[Issue]:
    """R11: the 公用经费 其中 rows are parts, not a full breakdown: their sum must not exceed the total."""
    for column in COLUMNS:
        total = ctx.ledger[f"public_funds.total.{column}"]
        keys = [f"{p}.{column}" for p in PUBLIC_FUND_PARTS]
        filled = [ctx.ledger[k] for k in keys if ctx.value(k) is not None]
        if not filled:
            continue
        parts_sum = sum((part.value for part in filled), Decimal(0))  # type: ignore[misc]
        path = f"basic_data.public_funds.total.{column}"
        if total.value is None:
            if parts_sum:
                yield Issue(total.source, path, f"{total.label}未填写，而其中{_labels(PUBLIC_FUND_PARTS)}已填写"
                            f"（合计{amount(parts_sum, total)}）；应补填公用经费合计。", (total.key, *keys))
            continue
        if parts_sum <= total.value:
            continue
        verdict, difference = _difference(ctx, parts_sum, total.value, total)
        yield Issue(total.source, path,
                    f"其中{_labels(PUBLIC_FUND_PARTS)}之和{amount(parts_sum, total)}超过{total.label}"
                    f"{total.display}{difference}；其中各项是合计的一部分，之和不应超过合计。",
                    (total.key, *keys), severity_for(verdict))


def control_rate(ctx: Context) -> Iterable[Issue]:
    """R11: stated 控制率 against 在职 ÷ 编制, at the precision it was written with."""
    stated = ctx.data.basic_data.staffing.stated_control_rate
    rate = ctx.ledger["staff.control_rate"]
    if stated is None or rate.value is None:
        return
    places = decimals_of(stated)
    if quantize(rate.value, places) == quantize(stated, places):
        return
    yield Issue("附件1 › 财政供养人员情况 › 控制率", "basic_data.staffing.stated_control_rate",
                f"控制率填报为{as_written(stated, '%')}，按实际在职人数{ctx.ledger['staff.active'].display} ÷ "
                f"编制数{ctx.ledger['staff.authorized'].display}计算应为{rate.display}。",
                (rate.key, "staff.active", "staff.authorized"))


# -- R12: one figure, two places -------------------------------------------------------------------

def sangong_vs_report(ctx: Context) -> Iterable[Issue]:
    """R12: 附件1 三公 (万元) against the report's 三公 table (元 ÷ 10000, rounded to 2 dp)."""
    for row in SANGONG_ROWS:
        for column in COLUMNS:
            form, report = ctx.ledger[f"sangong.{row}.{column}"], ctx.ledger[f"sangong_yuan.{row}.{column}"]
            if report.value is None or (form.value is None and report.value == 0):
                continue
            in_wan = ctx.ledger[f"sangong_yuan.{row}.{column}_wan"]
            expected = report.value if form.unit == "元" else quantize(report.value / TEN_THOUSAND, 2)
            converted = "" if form.unit == "元" else f"（折合{in_wan.display}）"
            path, facts = f"basic_data.sangong.{row}.{column}", (form.key, report.key, in_wan.key)
            if form.value is None:
                yield Issue(form.source, path,
                            f"附件1{form.label}未填写，而自评报告“三公”经费对比表为{report.display}{converted}；"
                            "两处应一致。", facts)
                continue
            verdict, difference = _difference(ctx, form.value, expected, form)
            if verdict != "same":
                yield Issue(form.source, path,
                            f"附件1{form.label}{form.display}，与自评报告“三公”经费对比表的{report.display}"
                            f"{converted}不一致{difference}。", facts, severity_for(verdict))


def meetings_training_vs_report(ctx: Context) -> Iterable[Issue]:
    """R12: 附件1 会议费、培训费 against the report's 会议费 + 培训费 (元)."""
    for column, period in (("prior_final", "prior"), ("final", "current")):
        form = ctx.ledger[f"public_funds.meetings_training.{column}"]
        both, in_wan = ctx.ledger[f"meetings_training.{period}"], ctx.ledger[f"meetings_training.{period}_wan"]
        if form.value is None or both.value is None:
            continue
        expected = both.value if form.unit == "元" else quantize(both.value / TEN_THOUSAND, 2)
        verdict, difference = _difference(ctx, form.value, expected, form)
        if verdict == "same":
            continue
        meeting, training = ctx.ledger[f"meeting_fee.{period}"], ctx.ledger[f"training_fee.{period}"]
        yield Issue(form.source, f"basic_data.public_funds.meetings_training.{column}",
                    f"附件1{form.label}{form.display}，与自评报告会议费{meeting.display}、培训费{training.display}"
                    f"合计{both.display}（折合{in_wan.display}）不一致{difference}。",
                    (form.key, meeting.key, training.key, in_wan.key), severity_for(verdict))


def project_spending_across_forms(ctx: Context) -> Iterable[Issue]:
    """R12: 附件2 按支出性质分 项目支出 against 附件1 项目支出 (its 预算数 or 决算数)."""
    stated = ctx.ledger["funding.expenditure.project"]
    columns = [ctx.ledger[f"projects.total.{c}"] for c in ("budget", "final") if ctx.value(f"projects.total.{c}") is not None]
    if stated.value is None or not columns:
        return
    verdicts = [compare(stated.value, _in_wan(c), ctx.policy.rounding_tolerance_wan) for c in columns]  # type: ignore[arg-type]
    if "same" in verdicts:
        return
    named = "、".join(f"{c.label}{c.display}" for c in columns)
    yield Issue(stated.source, "self_assessment.by_expenditure.project",
                f"附件2按支出性质分的项目支出{stated.display}，与附件1{named}均不一致"
                f"{tail_note('tail') if 'tail' in verdicts else ''}；两表的项目支出口径应一致。",
                (stated.key, *(c.key for c in columns)), "info" if "tail" in verdicts else None)


def project_spending_in_report(ctx: Context) -> Iterable[Issue]:
    """R12: the projects the report describes add up to 附件1 项目支出 决算数 (else 附件2's figure)."""
    narrative = ctx.fact("projects.narrative_spending")
    if narrative is None or narrative.value is None:
        return
    reference = ctx.ledger["projects.total.final"]
    if reference.value is None:
        reference = ctx.ledger["funding.expenditure.project"]
    if reference.value is None:
        return
    verdict = compare(narrative.value, _in_wan(reference), ctx.policy.rounding_tolerance_wan)  # type: ignore[arg-type]
    if verdict == "same":
        return
    where = "附件1" if reference.key.startswith("projects.") else "附件2"
    yield Issue("自评报告 › 项目支出情况", "narrative.projects",
                f"自评报告所列各项目支出合计{narrative.display}，与{where}{reference.label}{reference.display}不一致"
                f"{tail_note(verdict)}；报告应说明全部项目支出，或注明只列示主要项目。",
                (narrative.key, reference.key), severity_for(verdict))


def personnel_vs_forms(ctx: Context) -> Iterable[Issue]:
    """R12: 在职人数 in the report equals 附件1's; 干职工总人数 = 在职 + 退休."""
    form, report = ctx.ledger["staff.active"], ctx.ledger["personnel.active"]
    if form.value is not None and report.value is not None and form.value != report.value:
        yield Issue(report.source, "narrative.personnel.active",
                    f"自评报告在职人数{report.display}，与附件1实际在职人数{form.display}不一致。",
                    (report.key, form.key))
    total, parts = ctx.ledger["personnel.total"], ctx.ledger["personnel.sum"]
    if total.value is not None and parts.value is not None and total.value != parts.value:
        yield Issue(total.source, "narrative.personnel.total",
                    f"自评报告干职工总人数{total.display}，不等于在职人数{report.display}加退休人数"
                    f"{ctx.ledger['personnel.retired'].display}之和{parts.display}。",
                    (total.key, report.key, "personnel.retired"))


def basic_adjustment_vs_funding(ctx: Context) -> Iterable[Issue]:
    """R12: 附件1 部门基本支出预算调整 (本年) against 附件2 全年预算数 − 年初预算数."""
    form, adjustment = ctx.ledger["basic_adjustment.final"], ctx.ledger["funding.adjustment"]
    if form.value is None or adjustment.value is None:
        return
    verdict = compare(_in_wan(form), adjustment.value, ctx.policy.rounding_tolerance_wan)  # type: ignore[arg-type]
    if verdict == "same":
        return
    yield Issue(form.source, "basic_data.basic_budget_adjustment.final",
                f"附件1{form.label}{form.display}，与附件2全年预算数减年初预算数得出的预算调整数{adjustment.display}"
                f"不一致{tail_note(verdict)}；若调整还涉及项目支出，需在报告中分别说明。",
                (form.key, adjustment.key), severity_for(verdict))


# -- R16: units and decimals -----------------------------------------------------------------------

def _money_cells(ctx: Context) -> Iterable[tuple[str, str]]:
    """(ledger key, data path) of every 万元 cell of 附件1 and 附件2, in form order."""
    basic = ctx.data.basic_data
    if basic.unit == "万元":
        for key, _, path in BASIC_MONEY_ROWS:
            for column in COLUMNS:
                yield f"{key}.{column}", f"basic_data.{path}.{column}"
        for n in range(1, len(basic.projects.items) + 1):
            for column in COLUMNS:
                yield f"projects.item.{n}.{column}", f"basic_data.projects.items[{n - 1}].{column}"
    for n in range(1, len(basic.buildings) + 1):
        for field in ("budget_investment", "actual_investment"):
            yield f"building.{n}.{field}", f"basic_data.buildings[{n - 1}].{field}"
    for field in ("initial_budget", "full_year_budget", "executed"):
        yield f"funding.{field}", f"self_assessment.funding.{field}"
    for field in type(ctx.data.self_assessment.by_income).model_fields:
        yield f"funding.income.{field}", f"self_assessment.by_income.{field}"
    for field in ("basic", "project"):
        yield f"funding.expenditure.{field}", f"self_assessment.by_expenditure.{field}"


def money_decimals(ctx: Context) -> Iterable[Issue]:
    """R16: 万元 amounts carry 2 decimals; 附件1 is a 万元 table."""
    if ctx.data.basic_data.unit == "元":
        yield Issue("附件1 › 金额单位", "basic_data.unit",
                    f"附件1的金额单位为元，基础数据表应以万元列示（元 ÷ {format_number(TEN_THOUSAND, 0)}，保留两位小数）。")
    for key, path in _money_cells(ctx):
        fact = ctx.fact(key)
        if fact is None or fact.value is None or fact.unit != "万元":
            continue
        places = decimals_of(fact.value)
        if places > 2:
            yield Issue(fact.source, path,
                        f"{fact.label}写作{as_written(fact.value, '万元')}（{count(places)}位小数），万元金额应保留两位小数，"
                        f"即{fact.display}，并与相关合计、分项一致。", (key,))


# -- D08: 附件1 rows filled in part ------------------------------------------------------------------

def _basic_rows(ctx: Context) -> Iterable[tuple[str, str]]:
    """(ledger key, data path) of every 附件1 money row, in form order."""
    for key, _, path in BASIC_MONEY_ROWS:
        yield key, f"basic_data.{path}"
    for n in range(1, len(ctx.data.basic_data.projects.items) + 1):
        yield f"projects.item.{n}", f"basic_data.projects.items[{n - 1}]"


def partly_filled_rows(ctx: Context) -> Iterable[Issue]:
    """D08: a 附件1 row with some columns filled and others blank. Rows left wholly blank are the
    form's normal way of saying "none" (出国经费) and are not reported here."""
    for key, path in _basic_rows(ctx):
        cells = [ctx.ledger[f"{key}.{column}"] for column in COLUMNS]
        blank = [cell for cell in cells if cell.value is None]
        if not blank or len(blank) == len(cells):
            continue
        column = blank[0].key.rsplit(".", 1)[1]
        names = "、".join(cell.source.rsplit(" › ", 1)[1] for cell in blank)
        row_label = blank[0].source.split(" › ")[-2]
        yield Issue(blank[0].source, f"{path}.{column}",
                    f"附件1“{row_label}”一行的{names}未填写，而同行其他栏已填写；请补填，确无发生额的填零。",
                    tuple(cell.key for cell in blank))
