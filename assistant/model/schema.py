"""The department-year data as pydantic models.

One `DepartmentYear` holds everything the package needs: identity, 附件1 基础数据表, 附件2 绩效自评表
and the facts the narrative uses. Every field carries a Chinese title so that validation messages can
name the field the way the forms do (see `assistant.model.errors`). Amounts are `Decimal`; a blank cell
of the official form is `None`, never 0, so that "left blank" stays visible.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Limits every loader gets (YAML, JSON, Excel, the web form, a report import), so whatever validates
# can be computed: a figure has at most 15 digits before the point and 6 after (a county budget in 元
# has 11), which keeps every sum and rate the ledger derives inside Decimal's 28-digit context.
WHOLE_DIGITS, DECIMAL_PLACES = 15, 6
MAX_COUNT = 10**9
Number = Annotated[Decimal, Field(max_digits=WHOLE_DIGITS + DECIMAL_PLACES, decimal_places=DECIMAL_PLACES,
                                  allow_inf_nan=False)]
# Amounts in forms may be negative only where the form means a change; plain cells are >= 0.
Amount = Annotated[Number, Field(ge=0)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
# Text lengths (characters): names and labels, a person or a phone number, a paragraph.
SHORT_TEXT, PERSON_TEXT, PARAGRAPH_TEXT = 200, 50, 20_000
Short = Annotated[str, Field(max_length=SHORT_TEXT)]
Person = Annotated[str, Field(max_length=PERSON_TEXT)]
Paragraph = Annotated[str, Field(max_length=PARAGRAPH_TEXT)]
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    """Base: unknown fields are errors (a typo in a key must not silently drop a figure)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Identity(Strict):
    county: Short = Field(title="县（市、区）", examples=["桃江县"])
    city: Short | None = Field(default=None, title="市")
    province: Short | None = Field(default=None, title="省")
    name: Short = Field(title="单位全称")
    short_name: Short | None = Field(default=None, title="单位简称")
    year: int = Field(title="年度", ge=2000, le=2100)
    preparer: Person | None = Field(default=None, title="填表人")
    phone: Person | None = Field(default=None, title="联系电话")
    filled_on: dt.date | None = Field(default=None, title="填报日期")
    leader: Person | None = Field(default=None, title="单位负责人")

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name.removeprefix(self.county)


class MoneyRow(Strict):
    """One money row of 附件1: 上年决算数 | 本年预算数 | 本年决算数 (万元 unless the table says 元)."""

    prior_final: Amount | None = Field(default=None, title="上年决算数")
    budget: Amount | None = Field(default=None, title="本年预算数")
    final: Amount | None = Field(default=None, title="本年决算数")


class NamedMoneyRow(MoneyRow):
    name: Short = Field(title="项目名称")


class Staffing(Strict):
    authorized: Count | None = Field(default=None, title="编制数")
    active: Count | None = Field(default=None, title="实际在职人数")
    stated_control_rate: Number | None = Field(
        default=None, title="控制率（填报值，%）", description="As printed on the form, for checking only."
    )


class Sangong(Strict):
    """三公经费 block of 附件1."""

    total: MoneyRow = Field(default_factory=MoneyRow, title="三公经费合计")
    vehicle: MoneyRow = Field(default_factory=MoneyRow, title="公务用车购置和维护经费")
    vehicle_purchase: MoneyRow = Field(default_factory=MoneyRow, title="公车购置")
    vehicle_operation: MoneyRow = Field(default_factory=MoneyRow, title="公车运行维护")
    overseas: MoneyRow = Field(default_factory=MoneyRow, title="出国经费")
    reception: MoneyRow = Field(default_factory=MoneyRow, title="公务接待")


class ProjectSpending(Strict):
    """项目支出 block of 附件1: the total and its category rows."""

    total: MoneyRow = Field(default_factory=MoneyRow, title="项目支出合计")
    items: list[NamedMoneyRow] = Field(default_factory=list, title="项目支出明细")


class PublicFunds(Strict):
    """公用经费 block; the three 其中 rows are parts, not a full breakdown."""

    total: MoneyRow = Field(default_factory=MoneyRow, title="公用经费合计")
    office: MoneyRow = Field(default_factory=MoneyRow, title="办公经费")
    utilities_travel: MoneyRow = Field(default_factory=MoneyRow, title="水费、电费、差旅费")
    meetings_training: MoneyRow = Field(default_factory=MoneyRow, title="会议费、培训费")


class Building(Strict):
    """楼堂馆所 completed in the year."""

    name: Short = Field(title="项目名称")
    approved_area: Amount | None = Field(default=None, title="批复规模（㎡）")
    actual_area: Amount | None = Field(default=None, title="实际规模（㎡）")
    budget_investment: Amount | None = Field(default=None, title="预算投资（万元）")
    actual_investment: Amount | None = Field(default=None, title="实际投资（万元）")


class BasicData(Strict):
    """附件1 基础数据表."""

    unit: Literal["万元", "元"] = Field(default="万元", title="金额单位")
    staffing: Staffing = Field(default_factory=Staffing, title="财政供养人员情况")
    sangong: Sangong = Field(default_factory=Sangong, title="三公经费")
    projects: ProjectSpending = Field(default_factory=ProjectSpending, title="项目支出")
    public_funds: PublicFunds = Field(default_factory=PublicFunds, title="公用经费")
    procurement: MoneyRow = Field(default_factory=MoneyRow, title="政府采购金额")
    basic_budget_adjustment: MoneyRow = Field(default_factory=MoneyRow, title="部门基本支出预算调整")
    buildings: list[Building] = Field(default_factory=list, title="楼堂馆所控制情况")
    frugality_measures: Paragraph | None = Field(default=None, title="厉行节约保障措施")
    notes: list[Paragraph] = Field(default_factory=list, title="表内空白说明")


class Funding(Strict):
    """附件2 funding block (万元). Only 年度资金总额 carries 分值 and a score."""

    initial_budget: Amount | None = Field(default=None, title="年初预算数")
    full_year_budget: Amount | None = Field(default=None, title="全年预算数")
    executed: Amount | None = Field(default=None, title="全年执行数")
    weight: Number = Field(default=Decimal(10), title="分值", ge=0)
    stated_rate: Number | None = Field(default=None, title="执行率（填报值，%）")
    stated_score: Number | None = Field(default=None, title="自评得分（填报值）")


class IncomeBreakdown(Strict):
    """按收入性质分 (names follow the department's form)."""

    general_public: Amount | None = Field(default=None, title="一般公共预算")
    government_fund: Amount | None = Field(default=None, title="政府性基金拨款")
    special_account: Amount | None = Field(default=None, title="纳入专户管理的非税收入拨款")
    other: Amount | None = Field(default=None, title="其他资金")


class ExpenditureBreakdown(Strict):
    """按支出性质分."""

    basic: Amount | None = Field(default=None, title="基本支出")
    project: Amount | None = Field(default=None, title="项目支出")


class Goals(Strict):
    expected: Paragraph | None = Field(default=None, title="预期目标")
    actual: Paragraph | None = Field(default=None, title="实际完成情况")


QualitativeBand = Literal["达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"]


class Indicator(Strict):
    """One 三级指标 row of 附件2. `target`/`actual` keep the text as written (e.g. "≥90%")."""

    level1: Literal["产出指标", "效益指标", "满意度指标"] = Field(title="一级指标")
    level2: Short = Field(title="二级指标")
    name: Short = Field(title="三级指标")
    target: Short | None = Field(default=None, title="年度指标值")
    actual: Short | None = Field(default=None, title="实际完成值")
    weight: Number | None = Field(default=None, title="分值", ge=0)
    score: Number | None = Field(default=None, title="自评得分", ge=0)
    deviation_reason: Paragraph | None = Field(default=None, title="偏差原因分析及改进措施")
    direction: Literal["auto", "positive", "reverse", "equal", "qualitative"] = Field(
        default="auto", title="指标性质", description="auto: read the sign of 年度指标值 (≥ ≤ =)."
    )
    band: QualitativeBand | None = Field(default=None, title="定性指标完成档次")


class SelfAssessment(Strict):
    """附件2 绩效自评表."""

    funding: Funding = Field(default_factory=Funding, title="年度资金总额")
    by_income: IncomeBreakdown = Field(default_factory=IncomeBreakdown, title="按收入性质分")
    by_expenditure: ExpenditureBreakdown = Field(default_factory=ExpenditureBreakdown, title="按支出性质分")
    goals: Goals = Field(default_factory=Goals, title="年度总体目标")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    stated_total: Number | None = Field(default=None, title="总分自评得分（填报值）")


class Metric(Strict):
    """A labelled figure the narrative states (e.g. 受理工伤案件 575 件).

    `sum_of` / `difference_of` / `ratio_of` declare arithmetic the text relies on; the ledger records
    them as formulas and validation checks them.
    """

    key: Short = Field(title="编号", pattern=KEY_PATTERN)
    label: Short = Field(title="名称")
    value: Number | None = Field(default=None, title="数值", allow_inf_nan=False)
    unit: Short = Field(title="单位")
    approx: Literal["余", "约", "超", "近", "以上", "多"] | None = Field(default=None, title="约数说明")
    prior: Number | None = Field(default=None, title="上年（或此前）数值")
    sum_of: list[Short] = Field(default_factory=list, title="由以下各项相加")
    difference_of: list[Short] = Field(default_factory=list, title="由两项相减", max_length=2)
    ratio_of: list[list[Short]] = Field(
        default_factory=list, title="分子、分母", description="[[numerator keys], [denominator keys]]"
    )

    @model_validator(mode="after")
    def _one_relation(self) -> "Metric":
        relations = [r for r in (self.sum_of, self.difference_of, self.ratio_of) if r]
        if len(relations) > 1:
            raise ValueError("一个数值只能声明一种计算关系")
        if self.difference_of and len(self.difference_of) != 2:
            raise ValueError("相减关系需要恰好两项")
        if self.ratio_of and len(self.ratio_of) != 2:
            raise ValueError("比率关系需要分子和分母两组")
        return self


RELATION_TITLES = {"sum_of": "相加关系", "difference_of": "相减关系", "ratio_of": "比率关系"}


def check_metric_keys(metrics: list[Metric], reserved: frozenset[str] = frozenset()) -> list[Metric]:
    """Keys are unique within their list, and every key a relation names is a metric of the same list
    (the ledger computes the relation from them; a dangling key cannot be computed)."""
    keys: set[str] = set()
    for metric in metrics:
        if metric.key in keys or metric.key in reserved:
            raise ValueError(f"编号“{metric.key}”重复或已被占用，请换一个编号")
        keys.add(metric.key)
    for metric in metrics:
        for relation, title in RELATION_TITLES.items():
            named = getattr(metric, relation)
            flat = [key for group in named for key in group] if relation == "ratio_of" else named
            for key in flat:
                if key not in keys:
                    raise ValueError(f"“{metric.label}”（编号 {metric.key}）的{title}引用了不存在的编号“{key}”，"
                                     "请填写同一列表中已有数据的编号")
    return metrics


# A project's own facts are project.<key>.budget / .spending: its metrics cannot use those keys.
PROJECT_FACT_KEYS = frozenset({"budget", "spending"})


class FundingSource(Strict):
    """One 其中 row of a project's 项目资金 block (本年财政拨款, 中央补助地方资金, 上年结转资金, 其他资金)."""

    name: Short = Field(title="资金来源")
    initial_budget: Amount | None = Field(default=None, title="年初预算数（万元）")
    budget: Amount | None = Field(default=None, title="全年预算数（万元）")
    spending: Amount | None = Field(default=None, title="全年执行数（万元）")


class Project(Strict):
    """A spending project as the narrative describes it (budget, spending, results), or as its own
    self-evaluation form gives it (项目支出绩效自评表, 转移支付（项目）绩效目标自评表): then `form` names the
    form and the form's cells fill the optional fields below; what the form lacks stays None."""

    key: Short = Field(title="编号", pattern=KEY_PATTERN)
    name: Short = Field(title="项目名称")
    budget: Amount | None = Field(default=None, title="预算数（万元）")
    spending: Amount | None = Field(default=None, title="支出数（万元）")
    summary: list[Paragraph] = Field(default_factory=list, title="工作成效")
    metrics: list[Metric] = Field(default_factory=list, title="成效数据")
    form: Short | None = Field(default=None, title="自评表")
    department: Short | None = Field(default=None, title="主管部门")
    implementer: Short | None = Field(default=None, title="实施单位")
    initial_budget: Amount | None = Field(default=None, title="年初预算数（万元）")
    weight: Number | None = Field(default=None, title="执行率分值", ge=0)
    stated_rate: Number | None = Field(default=None, title="执行率（填报值，%）")
    stated_score: Number | None = Field(default=None, title="执行率得分（填报值）")
    sources: list[FundingSource] = Field(default_factory=list, title="资金来源")
    goals: Goals = Field(default_factory=Goals, title="年度总体目标")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    stated_total: Number | None = Field(default=None, title="总分（填报值）")

    @field_validator("metrics")
    @classmethod
    def _metric_keys(cls, metrics: list[Metric]) -> list[Metric]:
        return check_metric_keys(metrics, PROJECT_FACT_KEYS)


class Expense(Strict):
    """会议费 or 培训费 in 元, this year and last."""

    current: Amount | None = Field(default=None, title="本年（元）")
    prior: Amount | None = Field(default=None, title="上年（元）")
    sessions: Count | None = Field(default=None, title="次数")
    participants: Count | None = Field(default=None, title="人次")
    reason: Paragraph | None = Field(default=None, title="增减原因")


class SangongYuan(Strict):
    """三公经费 in 元 as the narrative table shows it (本年度 | 年初预算 | 上年度)."""

    total: MoneyRow = Field(default_factory=MoneyRow, title="三公经费合计（元）")
    reception: MoneyRow = Field(default_factory=MoneyRow, title="公务接待费（元）")
    vehicle: MoneyRow = Field(default_factory=MoneyRow, title="公务用车购置及运行维护费（元）")
    overseas: MoneyRow = Field(default_factory=MoneyRow, title="因公出国（境）费（元）")
    reception_batches: Count | None = Field(default=None, title="国内公务接待批次")
    reception_persons: Count | None = Field(default=None, title="国内公务接待人次")
    explanation: Paragraph | None = Field(default=None, title="增减说明")
    measures: list[Paragraph] = Field(default_factory=list, title="三公经费管理措施")


class Personnel(Strict):
    total: Count | None = Field(default=None, title="干职工总人数")
    active: Count | None = Field(default=None, title="在职人数")
    retired: Count | None = Field(default=None, title="退休人数")


class PlanItem(Strict):
    title: Short = Field(title="标题")
    text: list[Paragraph] = Field(default_factory=list, title="内容")


class Narrative(Strict):
    """Facts and texts the 自评报告 uses beyond the two forms."""

    personnel: Personnel = Field(default_factory=Personnel, title="人员情况")
    internal_units: list[Short] = Field(default_factory=list, title="内设机构")
    subordinate_units: list[Short] = Field(default_factory=list, title="二级机构")
    units_in_final_accounts: list[Short] = Field(default_factory=list, title="纳入部门决算编制范围的单位")
    duties: list[Paragraph] = Field(default_factory=list, title="主要职责")
    spending_direction: Paragraph | None = Field(default=None, title="年初支出计划使用方向")
    basic_spending_use: Paragraph | None = Field(default=None, title="基本支出的主要用途及范围")
    fund_management: Paragraph | None = Field(default=None, title="资金管理情况")
    output_targets: list[Paragraph] = Field(default_factory=list, title="产出指标（报告表述）")
    benefit_targets: list[Paragraph] = Field(default_factory=list, title="效益指标（报告表述）")
    target_metrics: list[Metric] = Field(default_factory=list, title="绩效目标数据")
    sangong: SangongYuan = Field(default_factory=SangongYuan, title="三公经费（元）")
    meetings: Expense = Field(default_factory=Expense, title="会议费")
    training: Expense = Field(default_factory=Expense, title="培训费")
    projects: list[Project] = Field(default_factory=list, title="项目支出情况")
    problems: list[Paragraph] = Field(default_factory=list, title="存在问题")
    plans: list[PlanItem] = Field(default_factory=list, title="下一步工作计划")

    @field_validator("target_metrics")
    @classmethod
    def _target_metric_keys(cls, metrics: list[Metric]) -> list[Metric]:
        return check_metric_keys(metrics)

    @field_validator("projects")
    @classmethod
    def _unique_project_keys(cls, projects: list[Project]) -> list[Project]:
        seen: set[str] = set()
        for project in projects:
            if project.key in seen:
                raise ValueError(f"项目编号“{project.key}”重复")
            seen.add(project.key)
        return projects


class DepartmentYear(Strict):
    """The whole input of one package."""

    identity: Identity = Field(title="单位信息")
    basic_data: BasicData = Field(default_factory=BasicData, title="附件1 基础数据表")
    self_assessment: SelfAssessment = Field(default_factory=SelfAssessment, title="附件2 绩效自评表")
    narrative: Narrative = Field(default_factory=Narrative, title="自评报告")
