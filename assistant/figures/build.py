"""From a `DepartmentYear` to the Ledger: every figure of the package, with provenance.

Pure: no I/O. Each input figure becomes an `input` fact whose source names its cell; each computed
figure is a `derived` fact with its formula and input keys. A derived fact whose inputs are blank
stays in the ledger with no value (it shows 〔待补：…〕), so a template can never invent it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from assistant.figures import formulas
from assistant.figures.indicators import IndicatorResult, score_indicator
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.numbers import display_precision, quantize
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear, Metric, MoneyRow

# 附件1 money rows: (key, label, path into BasicData). Order = order on the form.
BASIC_MONEY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("sangong.total", "三公经费", "sangong.total"),
    ("sangong.vehicle", "公务用车购置和维护经费", "sangong.vehicle"),
    ("sangong.vehicle_purchase", "公车购置经费", "sangong.vehicle_purchase"),
    ("sangong.vehicle_operation", "公车运行维护经费", "sangong.vehicle_operation"),
    ("sangong.overseas", "出国经费", "sangong.overseas"),
    ("sangong.reception", "公务接待经费", "sangong.reception"),
    ("projects.total", "项目支出", "projects.total"),
    ("public_funds.total", "公用经费", "public_funds.total"),
    ("public_funds.office", "办公经费", "public_funds.office"),
    ("public_funds.utilities_travel", "水费、电费、差旅费", "public_funds.utilities_travel"),
    ("public_funds.meetings_training", "会议费、培训费", "public_funds.meetings_training"),
    ("procurement", "政府采购金额", "procurement"),
    ("basic_adjustment", "部门基本支出预算调整", "basic_budget_adjustment"),
)

SANGONG_YUAN_ROWS: tuple[tuple[str, str], ...] = (
    ("total", "三公经费"),
    ("reception", "公务接待费"),
    ("vehicle", "公务用车购置及运行维护费"),
    ("overseas", "因公出国（境）费"),
)

LEVEL1_KEYS = {"产出指标": "output", "效益指标": "benefit", "满意度指标": "satisfaction"}


class _Builder:
    """Small helpers that keep the figure code declarative."""

    def __init__(self, data: DepartmentYear, policy: Policy):
        self.data = data
        self.policy = policy
        self.year = data.identity.year
        self.ledger = Ledger()

    # -- inputs ---------------------------------------------------------------------------------
    def given(
        self,
        key: str,
        label: str,
        value: Decimal | int | None,
        unit: str,
        source: str,
        *,
        prior: bool = False,
        approx: str | None = None,
        keep_written: bool = False,
    ) -> Fact:
        value = None if value is None else Decimal(value)
        precision = display_precision(unit, value, keep_written=keep_written)
        return self.ledger.add(
            Fact(
                key=key, label=label, value=value, unit=unit, precision=precision, source=source,
                kind="input", period="prior" if prior else "current",
                year=self.year - 1 if prior else self.year, approx=approx,
            )
        )

    # -- derived --------------------------------------------------------------------------------
    def derived(
        self,
        key: str,
        label: str,
        unit: str,
        formula: str,
        inputs: Sequence[str],
        compute: Callable[..., Decimal | None],
        *,
        undefined_text: str | None = None,
        fixed_places: int | None = None,
        prior: bool = False,
        precision: int | None = None,
    ) -> Fact:
        """A computed fact. `compute` gets the input values; it runs only when all are present.
        `undefined_text` is shown when compute returns None (e.g. "—" for 增减% with 上年 = 0).
        `fixed_places` stores the value already rounded (row scores are fixed at 2 dp)."""
        values = [self.ledger[k].value for k in inputs]
        value = text = None
        if all(v is not None for v in values):
            try:
                value = compute(*values)
                if value is None:
                    text = undefined_text
                elif fixed_places is not None:
                    value = quantize(value, fixed_places)
            except ArithmeticError:
                sources = "、".join(dict.fromkeys(self.ledger[k].source for k in inputs))
                raise InputError(f"无法计算“{label}”（{formula}）：请检查{sources}的数值") from None
        return self.ledger.add(
            Fact(
                key=key, label=label, value=value, unit=unit,
                precision=display_precision(unit, None, keep_written=False) if precision is None else precision,
                source="计算", kind="derived", period="prior" if prior else "current",
                year=self.year - 1 if prior else self.year, formula=formula, inputs=tuple(inputs), text=text,
            )
        )

    def money_row(self, key: str, label: str, row: MoneyRow, unit: str, where: str, *, y: int) -> None:
        """上年决算 | 本年预算 | 本年决算 and the comparisons every report makes of them."""
        self.given(f"{key}.prior_final", f"{label}{y - 1}年决算数", row.prior_final, unit,
                   f"{where} › {y - 1}年决算数", prior=True)
        self.given(f"{key}.budget", f"{label}{y}年预算数", row.budget, unit, f"{where} › {y}年预算数")
        self.given(f"{key}.final", f"{label}{y}年决算数", row.final, unit, f"{where} › {y}年决算数")
        final, prior, budget = f"{key}.final", f"{key}.prior_final", f"{key}.budget"
        self.derived(f"{key}.change", f"{label}比上年增减", unit, "本年决算数 − 上年决算数",
                     (final, prior), formulas.change)
        self.derived(f"{key}.change_pct", f"{label}比上年增减率", "%", "(本年决算数 − 上年决算数) ÷ 上年决算数 × 100%",
                     (final, prior), formulas.change_percent, undefined_text="—")
        self.derived(f"{key}.vs_budget", f"{label}比年初预算增减", unit, "本年决算数 − 本年预算数",
                     (final, budget), formulas.change)
        self.derived(f"{key}.budget_rate", f"{label}预算控制率", "%", "本年决算数 ÷ 本年预算数 × 100%",
                     (final, budget), formulas.percent, undefined_text="—")

    def total_of(self, key: str, label: str, unit: str, parts: Sequence[str], formula: str) -> Fact:
        # A sum shows as many decimals as its most precise part (7.5 + 10 → 17.5, not 18).
        precision = max([display_precision(unit, None, keep_written=False)]
                        + [self.ledger[k].precision for k in parts])
        return self.derived(key, label, unit, formula, parts, lambda *values: sum(values, Decimal(0)),
                            precision=precision)

    def sum_filled(self, key: str, label: str, unit: str, parts: Sequence[str], formula: str) -> Fact | None:
        """A total of the filled parts, blank parts counting as 0 (forms leave unused rows blank).
        Nothing is added when every part is blank."""
        filled = [k for k in parts if self.ledger[k].value is not None]
        if not filled:
            return None
        return self.total_of(key, label, unit, filled, formula + "（空白按0计）")

    def counted(self, key: str, label: str, names: Sequence[str], source: str) -> Fact:
        return self.ledger.add(Fact(
            key=key, label=label, value=Decimal(len(names)) if names else None, unit="个", precision=0,
            source=source, kind="derived", year=self.year, formula="名单计数",
        ))


def build_ledger(data: DepartmentYear, policy: Policy = DEFAULT_POLICY) -> Ledger:
    builder = _Builder(data, policy)
    _policy_weights(builder)
    _staffing(builder)
    _basic_money(builder)
    _buildings(builder)
    _funding(builder)
    _indicators(builder)
    _personnel(builder)
    _sangong_yuan(builder)
    _expenses(builder)
    _metrics(builder, "target", "自评报告 › 绩效目标", data.narrative.target_metrics)
    _projects(builder)
    return builder.ledger


def _policy_weights(b: _Builder) -> None:
    """The weights the form prints in its labels (产出指标（50分）, 总分 100), from the scoring policy."""
    source = f"评分口径（{b.policy.name}）"
    for level1, short in LEVEL1_KEYS.items():
        b.given(f"policy.weight.{short}", f"{level1}满分", b.policy.level1_weights[level1], "分值", source)
    b.given("policy.weight.indicators", "三级指标分值合计", b.policy.indicator_total, "分值", source)
    b.given("policy.weight.total", "总分满分", b.policy.indicator_total + b.data.self_assessment.funding.weight,
            "分值", source)


def _staffing(b: _Builder) -> None:
    staffing = b.data.basic_data.staffing
    where = "附件1 › 财政供养人员情况"
    b.given("staff.authorized", "编制数", staffing.authorized, "人", f"{where} › 编制数")
    b.given("staff.active", "实际在职人数", staffing.active, "人", f"{where} › 实际在职人数")
    b.derived("staff.control_rate", "人员控制率", "%", "实际在职人数 ÷ 编制数 × 100%",
              ("staff.active", "staff.authorized"), formulas.percent, undefined_text="—")


def _basic_money(b: _Builder) -> None:
    basic = b.data.basic_data
    unit = basic.unit
    for key, label, path in BASIC_MONEY_ROWS:
        row = basic
        for part in path.split("."):
            row = getattr(row, part)
        b.money_row(key, label, row, unit, f"附件1 › {label}", y=b.year)
    for number, item in enumerate(basic.projects.items, start=1):
        b.money_row(f"projects.item.{number}", item.name, item, unit, f"附件1 › 项目支出 › {item.name}", y=b.year)
    for column in ("prior_final", "budget", "final"):
        b.sum_filled(
            f"sangong.parts_sum.{column}", f"三公经费分项合计（{_column_name(column, b.year)}）", unit,
            [f"sangong.{part}.{column}" for part in ("vehicle", "overseas", "reception")],
            "公务用车购置和维护经费 + 出国经费 + 公务接待",
        )


def _column_name(column: str, year: int) -> str:
    return {"prior_final": f"{year - 1}年决算数", "budget": f"{year}年预算数", "final": f"{year}年决算数"}[column]


def _buildings(b: _Builder) -> None:
    for number, building in enumerate(b.data.basic_data.buildings, start=1):
        key, where = f"building.{number}", f"附件1 › 楼堂馆所 › {building.name}"
        b.given(f"{key}.approved_area", f"{building.name}批复规模", building.approved_area, "㎡", f"{where} › 批复规模")
        b.given(f"{key}.actual_area", f"{building.name}实际规模", building.actual_area, "㎡", f"{where} › 实际规模")
        b.given(f"{key}.budget_investment", f"{building.name}预算投资", building.budget_investment, "万元",
                f"{where} › 预算投资")
        b.given(f"{key}.actual_investment", f"{building.name}实际投资", building.actual_investment, "万元",
                f"{where} › 实际投资")
        b.derived(f"{key}.scale_rate", f"{building.name}规模控制率", "%", "实际规模 ÷ 批复规模 × 100%",
                  (f"{key}.actual_area", f"{key}.approved_area"), formulas.percent, undefined_text="—")
        b.derived(f"{key}.investment_rate", f"{building.name}投资概算控制率", "%", "实际投资 ÷ 预算投资 × 100%",
                  (f"{key}.actual_investment", f"{key}.budget_investment"), formulas.percent, undefined_text="—")


def _funding(b: _Builder) -> None:
    assessment = b.data.self_assessment
    funding, where = assessment.funding, "附件2 › 年度资金总额"
    b.given("funding.initial_budget", "年初预算数", funding.initial_budget, "万元", f"{where} › 年初预算数")
    b.given("funding.full_year_budget", "全年预算数", funding.full_year_budget, "万元", f"{where} › 全年预算数")
    b.given("funding.executed", "全年执行数", funding.executed, "万元", f"{where} › 全年执行数")
    b.given("funding.weight", "预算执行率分值", funding.weight, "分值", f"{where} › 分值", keep_written=True)
    b.derived("funding.execution_rate", "预算执行率", "%", "全年执行数 ÷ 全年预算数 × 100%",
              ("funding.executed", "funding.full_year_budget"), formulas.percent)
    cap = "min(执行率, 100%)" if b.policy.cap_execution_score else "执行率"
    b.derived("funding.execution_score", "预算执行率得分", "分", f"{cap} × 分值，四舍五入到0.01分",
              ("funding.execution_rate", "funding.weight"),
              lambda rate, weight: formulas.execution_score(rate, weight, b.policy), fixed_places=2)
    b.derived("funding.adjustment", "预算调整数", "万元", "全年预算数 − 年初预算数",
              ("funding.full_year_budget", "funding.initial_budget"), formulas.change)
    b.derived("funding.adjustment_rate", "预算调整率", "%", "(全年预算数 − 年初预算数) ÷ 年初预算数 × 100%",
              ("funding.full_year_budget", "funding.initial_budget"), formulas.change_percent, undefined_text="—")
    b.derived("funding.unexecuted", "未执行数", "万元", "全年预算数 − 全年执行数",
              ("funding.full_year_budget", "funding.executed"), formulas.change)

    income, where = assessment.by_income, "附件2 › 按收入性质分"
    for field_name in ("general_public", "government_fund", "special_account", "other"):
        title = type(income).model_fields[field_name].title
        b.given(f"funding.income.{field_name}", title, getattr(income, field_name), "万元", f"{where} › {title}")
    spending, where = assessment.by_expenditure, "附件2 › 按支出性质分"
    b.given("funding.expenditure.basic", "基本支出", spending.basic, "万元", f"{where} › 基本支出")
    b.given("funding.expenditure.project", "项目支出", spending.project, "万元", f"{where} › 项目支出")
    income_keys = [f"funding.income.{name}" for name in ("general_public", "government_fund", "special_account", "other")]
    b.sum_filled("funding.income.sum", "按收入性质分合计", "万元", income_keys, "各收入性质金额相加")
    b.sum_filled("funding.expenditure.sum", "按支出性质分合计", "万元",
                 ["funding.expenditure.basic", "funding.expenditure.project"], "基本支出 + 项目支出")


def score_indicators(data: DepartmentYear, policy: Policy = DEFAULT_POLICY) -> list[IndicatorResult]:
    return [score_indicator(n, row, policy) for n, row in enumerate(data.self_assessment.indicators, start=1)]


def _indicators(b: _Builder) -> None:
    results = score_indicators(b.data, b.policy)
    for result in results:
        row, key = result.indicator, f"indicator.{result.index}"
        where = f"附件2 › 绩效指标第{result.index}行（{row.level2}）"
        b.given(f"{key}.weight", f"{row.name}分值", row.weight, "分值", f"{where} › 分值", keep_written=True)
        for part, quantity, title in (("target", result.target, "年度指标值"), ("actual", result.actual, "实际完成值")):
            if quantity is not None:
                b.given(f"{key}.{part}", f"{row.name}{title}", quantity.number, quantity.unit or "",
                        f"{where} › {title}", keep_written=True)
        if result.computed is not None:
            b.ledger.add(Fact(
                key=f"{key}.score", label=f"{row.name}自评得分", value=result.computed, unit="分", precision=2,
                source="计算", kind="derived", year=b.year, formula=result.formula,
                inputs=(f"{key}.target", f"{key}.actual", f"{key}.weight"),
            ))
        elif row.score is None and result.score is not None:
            # A qualitative row without the user's pick: the policy's suggested score, editable.
            b.ledger.add(Fact(
                key=f"{key}.score", label=f"{row.name}自评得分", value=result.score, unit="分", precision=2,
                source="计算（建议分，可修改）", kind="derived", year=b.year,
                formula=f"{result.formula}；未填写得分时按档次建议分计", inputs=(f"{key}.weight",),
            ))
        else:
            b.given(f"{key}.score", f"{row.name}自评得分", result.score, "分", f"{where} › 自评得分")

    b.ledger.add(Fact(
        key="indicators.count", label="三级指标个数", value=Decimal(len(results)), unit="个", precision=0,
        source="附件2 › 绩效指标（按行计数）", kind="derived", year=b.year, formula="行数计数",
    ))
    scored = {result.index: result for result in results}
    level_score_keys: list[str] = []
    for level1, short in LEVEL1_KEYS.items():
        rows = [r.index for r in scored.values() if r.indicator.level1 == level1]
        weight_keys = [f"indicator.{n}.weight" for n in rows]
        score_keys = [f"indicator.{n}.score" for n in rows]
        b.total_of(f"weight.{short}", f"{level1}分值合计", "分值", weight_keys, "各三级指标分值相加")
        b.total_of(f"score.{short}", f"{level1}得分", "分", score_keys, "各三级指标得分相加")
        level_score_keys.append(f"score.{short}")
    all_weights = [f"indicator.{n}.weight" for n in scored]
    b.total_of("weight.indicators", "绩效指标分值合计", "分值", all_weights, "全部三级指标分值相加")
    b.total_of("score.indicators", "绩效指标得分", "分", level_score_keys, "产出 + 效益 + 满意度指标得分")
    b.total_of("weight.total", "总分分值", "分值", ("funding.weight", "weight.indicators"), "预算执行率分值 + 绩效指标分值")
    computed_total = b.total_of("score.computed_total", "自评总分（计算）", "分",
                                ("funding.execution_score", "score.indicators"), "预算执行率得分 + 绩效指标得分")
    stated = b.data.self_assessment.stated_total
    if computed_total.value is not None or stated is None:
        total = b.ledger.add(Fact(
            key="score.total", label="自评总分", value=computed_total.value, unit="分", precision=2,
            source="计算", kind="derived", year=b.year, formula="预算执行率得分 + 绩效指标得分",
            inputs=("score.computed_total",),
        ))
    else:
        # Rows cannot be scored (blank weights): the form's own total is all there is; validation says so.
        total = b.ledger.add(Fact(
            key="score.total", label="自评总分", value=stated, unit="分", precision=2,
            source="附件2 › 总分 › 自评得分（填报值）", kind="stated", year=b.year,
        ))
    grade = None if total.value is None else formulas.grade(total.value, b.policy)
    b.ledger.add(Fact(
        key="score.grade", label="评价等级", value=None, unit="", precision=0, source="计算", kind="derived",
        year=b.year, formula="优≥90，良≥80，中≥60，差<60（" + b.policy.name + "）", inputs=("score.total",),
        text=grade,
    ))


def _personnel(b: _Builder) -> None:
    narrative, where = b.data.narrative, "自评报告 › 部门概况"
    b.given("personnel.total", "干职工总人数", narrative.personnel.total, "人", f"{where} › 干职工总人数")
    b.given("personnel.active", "在职人数", narrative.personnel.active, "人", f"{where} › 在职人数")
    b.given("personnel.retired", "退休人数", narrative.personnel.retired, "人", f"{where} › 退休人数")
    b.total_of("personnel.sum", "在职与退休人数合计", "人", ("personnel.active", "personnel.retired"), "在职人数 + 退休人数")
    for key, label, names in (
        ("org.internal_units", "内设机构数", narrative.internal_units),
        ("org.subordinate_units", "二级机构数", narrative.subordinate_units),
        ("org.units_in_final_accounts", "纳入部门决算编制范围的单位数", narrative.units_in_final_accounts),
    ):
        b.counted(key, label, names, f"{where} › {label}（按名单计数）")


def _sangong_yuan(b: _Builder) -> None:
    sangong, where = b.data.narrative.sangong, "自评报告 › “三公”经费对比表（元）"
    for row_key, label in SANGONG_YUAN_ROWS:
        key = f"sangong_yuan.{row_key}"
        b.money_row(key, label, getattr(sangong, row_key), "元", f"{where} › {label}", y=b.year)
        for column in ("final", "budget", "prior_final"):
            b.derived(f"{key}.{column}_wan", f"{b.ledger[f'{key}.{column}'].label}（万元）", "万元", "元 ÷ 10000",
                      (f"{key}.{column}",), formulas.yuan_to_wan, prior=column == "prior_final")
    b.given("sangong.reception_batches", "国内公务接待批次", sangong.reception_batches, "批次", f"{where} › 接待批次")
    b.given("sangong.reception_persons", "国内公务接待人次", sangong.reception_persons, "人次", f"{where} › 接待人次")


def _expenses(b: _Builder) -> None:
    narrative = b.data.narrative
    for key, label, expense in (("meeting_fee", "会议费", narrative.meetings), ("training_fee", "培训费", narrative.training)):
        where = f"自评报告 › {label}支出情况"
        b.given(f"{key}.current", f"{b.year}年{label}", expense.current, "元", f"{where} › 本年")
        b.given(f"{key}.prior", f"{b.year - 1}年{label}", expense.prior, "元", f"{where} › 上年", prior=True)
        b.derived(f"{key}.change", f"{label}比上年增减", "元", "本年 − 上年", (f"{key}.current", f"{key}.prior"),
                  formulas.change)
        b.derived(f"{key}.change_pct", f"{label}比上年增减率", "%", "(本年 − 上年) ÷ 上年 × 100%",
                  (f"{key}.current", f"{key}.prior"), formulas.change_percent, undefined_text="—")
        b.given(f"{key}.sessions", f"{label}次数", expense.sessions, "次", f"{where} › 次数")
        b.given(f"{key}.participants", f"{label}人次", expense.participants, "人次", f"{where} › 人次")
    for period, prior in (("current", False), ("prior", True)):
        year = b.year - 1 if prior else b.year
        parts = (f"meeting_fee.{period}", f"training_fee.{period}")
        b.derived(f"meetings_training.{period}", f"{year}年会议费、培训费合计", "元", "会议费 + 培训费", parts,
                  lambda a, c: a + c, prior=prior)
        b.derived(f"meetings_training.{period}_wan", f"{year}年会议费、培训费合计（万元）", "万元", "(会议费 + 培训费) ÷ 10000",
                  (f"meetings_training.{period}",), formulas.yuan_to_wan, prior=prior)


def _metrics(b: _Builder, prefix: str, where: str, metrics: Sequence[Metric]) -> None:
    """Narrative figures. A declared relation adds a `.computed` twin that validation compares."""
    for metric in metrics:
        key = f"{prefix}.{metric.key}"
        b.given(key, metric.label, metric.value, metric.unit, f"{where} › {metric.label}",
                approx=metric.approx, keep_written=True)
        if metric.prior is not None:
            b.given(f"{key}.prior", f"此前{metric.label}", metric.prior, metric.unit, f"{where} › {metric.label}（此前）",
                    prior=True, keep_written=True)
    for metric in metrics:
        key = f"{prefix}.{metric.key}"
        if metric.sum_of:
            b.total_of(f"{key}.computed", f"{metric.label}（各项相加）", metric.unit,
                       [f"{prefix}.{k}" for k in metric.sum_of], " + ".join(_labels(b, prefix, metric.sum_of)))
        elif metric.difference_of:
            minuend, subtrahend = (f"{prefix}.{k}" for k in metric.difference_of)
            b.derived(f"{key}.computed", f"{metric.label}（相减）", metric.unit,
                      " − ".join(_labels(b, prefix, metric.difference_of)), (minuend, subtrahend), formulas.change)
        elif metric.ratio_of:
            numerator, denominator = ([f"{prefix}.{k}" for k in group] for group in metric.ratio_of)
            formula = f"({' + '.join(_labels(b, prefix, metric.ratio_of[0]))}) ÷ ({' + '.join(_labels(b, prefix, metric.ratio_of[1]))}) × 100%"
            split = len(numerator)
            b.derived(f"{key}.computed", f"{metric.label}（计算）", "%", formula, numerator + denominator,
                      lambda *v: formulas.percent(sum(v[:split], Decimal(0)), sum(v[split:], Decimal(0))),
                      undefined_text="—")


def _labels(b: _Builder, prefix: str, keys: Sequence[str]) -> list[str]:
    return [b.ledger[f"{prefix}.{k}"].label for k in keys]


def _projects(b: _Builder) -> None:
    projects = b.data.narrative.projects
    for project in projects:
        key, where = f"project.{project.key}", f"自评报告 › 项目支出 › {project.name}"
        b.given(f"{key}.budget", f"{project.name}预算数", project.budget, "万元", f"{where} › 预算数")
        b.given(f"{key}.spending", f"{project.name}支出数", project.spending, "万元", f"{where} › 支出数")
        _metrics(b, key, where, project.metrics)
    parts = [f"project.{p.key}.spending" for p in projects]
    if b.sum_filled("projects.narrative_spending", "各项目支出合计", "万元", parts, "各项目支出数相加") is None and parts:
        # every project's 支出 blank (next year's data started from a report): the total is a gap the
        # report template shows as 〔待补〕, not a missing key
        b.total_of("projects.narrative_spending", "各项目支出合计", "万元", parts, "各项目支出数相加")
