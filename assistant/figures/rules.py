"""Form-consistency checks of the data (docs/domain.md §7, R01–R17) and completeness checks (D01…).

`check_data` runs the table `RULES`: each entry gives a rule id, its default severity, the topic the
report's 存在问题 groups it under, a one-line Chinese summary and a small check function (in the
`rules_*` modules). Findings come back in form order (identity, 附件1, 附件2, then the narrative; by
field and row within them), ties in table order, so the same data always gives the same list.

Severity: error — the form is arithmetically wrong or unusable for scoring; warning — needs a look
or an explanation in the report; info — a 尾差 within `policy.rounding_tolerance_wan`.
R15 (wording of 偏差原因) and R18 (layout) are not data rules and live elsewhere.
"""

from __future__ import annotations

from assistant.figures import rules_basic as basic
from assistant.figures import rules_completeness as completeness
from assistant.figures import rules_funding as funding
from assistant.figures import rules_indicators as indicators
from assistant.figures import rules_scores as scores
from assistant.figures.findings import Finding
from assistant.figures.ledger import Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.figures.rules_common import Context, Issue, Rule, form_position
from assistant.model.schema import DepartmentYear

__all__ = ["RULES", "Rule", "Issue", "check_data"]

RULES: tuple[Rule, ...] = (
    # 表头 / 表尾
    Rule("D04", "warning", "资料完整性", "填表人、填报日期未填写", completeness.identity_fields),
    # 附件1 基础数据表
    Rule("R11", "error", "数据一致性", "控制率与实际在职人数 ÷ 编制数不符", basic.control_rate),
    Rule("R11", "error", "三公经费", "三公经费合计与分项之和不符；公务用车经费与购置、运行维护之和不符", basic.sangong_parts),
    Rule("R12", "error", "三公经费", "附件1三公经费与报告“三公”经费对比表（元）不一致", basic.sangong_vs_report),
    Rule("R11", "error", "数据一致性", "项目支出合计与各明细之和不符", basic.project_items),
    Rule("R11", "error", "数据一致性", "公用经费其中各项之和超过合计", basic.public_fund_parts),
    Rule("R12", "error", "数据一致性", "附件1会议费、培训费与报告会议费、培训费不一致", basic.meetings_training_vs_report),
    Rule("R12", "warning", "数据一致性", "附件1部门基本支出预算调整与附件2预算调整数不一致", basic.basic_adjustment_vs_funding),
    Rule("R16", "warning", "数据一致性", "金额单位不是万元，或万元金额多于两位小数", basic.money_decimals),
    Rule("D08", "warning", "资料完整性", "附件1同一行部分栏目未填写", basic.partly_filled_rows),
    # 附件2 年度资金总额
    Rule("R01", "error", "预算执行", "全年预算数为0或空白、全年执行数空白，无法计算执行率", funding.execution_unusable),
    Rule("R01", "error", "预算执行", "填报的执行率或执行率得分与重新计算的不符", funding.stated_execution),
    Rule("R09", "warning", "预算执行", "年度中调整了预算，报告须说明原因", funding.budget_adjusted),
    Rule("R09", "warning", "预算执行", "执行率低于说明线或超过100%，报告须说明原因", funding.execution_needs_reason),
    Rule("R08", "warning", "预算执行", "钱没花完但绩效指标几乎全部满分", funding.money_left_goals_met),
    Rule("R10", "error", "数据一致性", "按收入性质分、按支出性质分合计与年度资金总额不符", funding.breakdowns_vs_total),
    Rule("R10", "error", "数据一致性", "按收入性质分合计与按支出性质分合计不符", funding.income_vs_expenditure),
    Rule("R12", "warning", "数据一致性", "附件2项目支出与附件1项目支出不一致", basic.project_spending_across_forms),
    Rule("D05", "warning", "资料完整性", "年度总体目标未填写", completeness.goals),
    # 附件2 绩效指标
    Rule("D01", "warning", "绩效指标", "三级指标重复", indicators.duplicated_indicators),
    Rule("D02", "error", "绩效指标", "年度指标值填的是计量单位而不是数值", indicators.unit_word_targets),
    Rule("D03", "error", "绩效指标", "年度指标值未填写", indicators.blank_targets),
    Rule("D03", "error", "绩效指标", "实际完成值未填写", indicators.blank_actuals),
    Rule("R17", "error", "绩效指标", "定量指标的指标值或完成值不是数值、指标值为零、完成值为负", indicators.quantitative_inputs),
    Rule("R17", "error", "绩效指标", "定性指标未注明完成档次也未打分", indicators.qualitative_without_band),
    Rule("R06", "error", "绩效指标", "三级指标未填写分值", indicators.missing_weights),
    Rule("R06", "error", "绩效指标", "三级指标分值合计不是90分，或执行率分值与之相加不是100分", indicators.total_weight),
    Rule("R06", "warning", "绩效指标", "一级指标分值与产出50、效益30、满意度10不符", indicators.level_weights),
    Rule("R02", "error", "绩效指标", "定量指标得分与计分规则不符", indicators.quantitative_scores),
    Rule("R03", "error", "绩效指标", "定性指标得分超出所选档次的区间", indicators.qualitative_scores),
    Rule("D07", "error", "绩效指标", "定性指标已注明档次但未打分", indicators.missing_scores),
    Rule("R04", "warning", "绩效指标", "得分低于分值但未填写偏差原因", indicators.deviation_unexplained),
    Rule("R05", "warning", "绩效指标", "大幅超额完成且满分，未说明原因", indicators.over_achievement_unexplained),
    # 附件2 总分
    Rule("R07", "error", "绩效指标", "总分与各项得分之和不符、无法核对，或评价等级与总分不符", scores.stated_total),
    Rule("R14", "error", "绩效指标", "执行率不足100%却为满分", scores.full_total_with_unspent),
    Rule("R13", "warning", "绩效指标", "多数指标未量化却全部满分", scores.unquantified_full_marks),
    Rule("R14", "warning", "绩效指标", "全部三级指标满分", scores.every_row_full),
    # 自评报告
    Rule("R12", "error", "数据一致性", "报告在职人数与附件1不一致，或总人数不等于在职与退休之和", basic.personnel_vs_forms),
    Rule("R12", "warning", "数据一致性", "报告所列项目支出之和与项目支出合计不一致", basic.project_spending_in_report),
    Rule("D06", "error", "数据一致性", "报告中的合计、差额、比率与其组成数字不符", completeness.metric_relations),
)


def check_data(data: DepartmentYear, ledger: Ledger, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    """All findings for one department-year, in form order."""
    ctx = Context(data, ledger, policy)
    ranked: list[tuple[tuple[int, ...], int, int, Finding]] = []
    for order, rule in enumerate(RULES):
        for number, issue in enumerate(rule.check(ctx)):
            finding = Finding(
                rule=rule.id, severity=issue.severity or rule.severity, location=issue.location, path=issue.path,
                message=issue.message, facts=issue.facts, topic=rule.topic,
            )
            ranked.append((form_position(issue.path), order, number, finding))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked]
