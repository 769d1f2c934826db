"""Form-consistency rules (docs/domain.md §7) and completeness checks, as specifications.

Each test changes one thing in a data set and states which finding (rule, location, figures in the
message) that must give — or that the unchanged data gives none. `clean` is the example department
with a correctly filled 附件2 (weights 50/30/10, scores by the rules, breakdowns matching); it has no
findings at all, so any finding a test sees comes from the one change it makes.
"""

import re
from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from assistant.figures.build import build_ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.figures.rules import RULES, check_data
from assistant.figures.rules_common import form_position
from assistant.model.schema import Indicator, MoneyRow

TOPICS = {"预算执行", "绩效指标", "数据一致性", "资料完整性", "三公经费"}


# -- helpers -------------------------------------------------------------------------------------

def _set(model, tokens, value):
    if not tokens:
        return value
    head, rest = tokens[0], tokens[1:]
    if isinstance(head, int):
        items = list(model)
        items[head] = _set(items[head], rest, value)
        return items
    return model.model_copy(update={head: _set(getattr(model, head), rest, value)})


def variant(data, **changes):
    """A copy of `data` with fields changed; "__" stands for "." in the keyword names:
    variant(data, self_assessment__indicators__0__score=D(17)) sets self_assessment.indicators[0].score."""
    for name, value in changes.items():
        tokens = [int(t) if t.isdigit() else t for t in re.findall(r"[^.\[\]]+", name.replace("__", "."))]
        data = _set(data, tokens, value)
    return data


def check(data, policy=DEFAULT_POLICY):
    return check_data(data, build_ledger(data, policy), policy)


def only(findings, rule, location=None):
    """The single finding of `rule` (at `location`); fails when there is none or several."""
    found = [f for f in findings if f.rule == rule and (location is None or f.location == location)]
    assert len(found) == 1, [(f.rule, f.location, f.message) for f in findings]
    return found[0]


def rules_of(findings):
    return {f.rule for f in findings}


def row(level1, level2, name, target, actual, weight, score=None, reason=None):
    return Indicator(level1=level1, level2=level2, name=name, target=target, actual=actual,
                     weight=D(weight), score=None if score is None else D(score), deviation_reason=reason)


CLEAN_INDICATORS = [
    row("产出指标", "数量指标", "举办专场招聘会", "≥20场", "22场", 20),
    row("产出指标", "质量指标", "劳动争议案件法定期限内结案率", "100%", "100%", 10),
    row("产出指标", "时效指标", "社保待遇按时足额发放率", "≥95%", "99%", 10),
    row("产出指标", "成本指标", "人均培训成本", "≤800元/人", "760元/人", 10),
    row("效益指标", "经济效益指标", "社会保险基金征缴收入任务完成率", "≥100%", "101%", 10),
    row("效益指标", "社会效益指标", "新增城镇就业", "≥6000人", "6240人", 10),
    row("效益指标", "生态效益指标", "劳动关系和谐稳定", "有效维护", "达成年度指标", 5, score=5),
    row("效益指标", "可持续影响指标", "人才队伍建设", "持续加强", "达成年度指标", 5, score="4.5",
        reason="高层次人才引进未达预期，下一年度完善引才政策。"),
    row("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10),
]


@pytest.fixture(scope="module")
def clean(example_data):
    """Execution 969.60 of 979.39 (99.00% → 9.90), indicators 89.50, total 99.40."""
    return variant(
        example_data,
        self_assessment__funding__full_year_budget=D("979.39"),
        self_assessment__funding__executed=D("969.60"),
        self_assessment__funding__stated_rate=D("99.00"),
        self_assessment__funding__stated_score=D("9.90"),
        self_assessment__by_income__general_public=D("979.39"),
        self_assessment__by_expenditure__basic=D("780.39"),
        self_assessment__indicators=CLEAN_INDICATORS,
        self_assessment__stated_total=D("99.40"),
        basic_data__basic_budget_adjustment=MoneyRow(prior_final=D("982.01"), budget=D(0), final=D(0)),
    )


def test_clean_data_has_no_findings(clean):
    assert check(clean) == []


# -- the example file ----------------------------------------------------------------------------

SEED_FINDINGS = [
    ("D08", "附件1 › 部门基本支出预算调整 › 2024年预算数"),
    ("R09", "附件2 › 年度资金总额 › 全年预算数"),
    ("R10", "附件2 › 按收入性质分"),
    ("R10", "附件2 › 按支出性质分"),
    ("D01", "附件2 › 绩效指标第1、2行 › 三级指标"),
    ("D02", "附件2 › 绩效指标第1–4行 › 年度指标值"),
    ("R06", "附件2 › 绩效指标第1–9行 › 分值"),
    ("D01", "附件2 › 绩效指标第3、4行 › 三级指标"),
    ("D03", "附件2 › 绩效指标第5–9行 › 年度指标值"),
    ("R17", "附件2 › 绩效指标第5–9行 › 实际完成值"),
    ("R07", "附件2 › 总分 › 自评得分"),
    ("R14", "附件2 › 总分 › 自评得分"),
]


def test_example_file_gives_exactly_these_findings_in_form_order(example_data, example_ledger):
    findings = check_data(example_data, example_ledger)
    assert [(f.rule, f.location) for f in findings] == SEED_FINDINGS


def test_example_file_findings_state_the_figures(example_data, example_ledger):
    findings = check_data(example_data, example_ledger)
    adjusted = only(findings, "R09")
    assert adjusted.severity == "warning" and adjusted.topic == "预算执行"
    assert "979.39万元" in adjusted.message and "1715.12万元" in adjusted.message
    assert "调增735.73万元" in adjusted.message and "75.12%" in adjusted.message
    income = only(findings, "R10", "附件2 › 按收入性质分")
    assert income.severity == "error"
    assert "954.67万元" in income.message and "年初预算数979.39万元少24.72万元" in income.message
    assert "1715.12万元" in income.message
    assert "第1–9行未填写分值" in only(findings, "R06").message
    unverifiable = only(findings, "R07")
    assert unverifiable.severity == "warning"
    assert "100.00分无法核对" in unverifiable.message and "第1–9行" in unverifiable.message
    impossible = only(findings, "R14")
    assert "98.91%" in impossible.message and "9.89分" in impossible.message and "99.89分" in impossible.message
    assert "“百分比”" in only(findings, "D02").message
    partly = only(findings, "D08")
    assert partly.topic == "资料完整性" and partly.facts == ("basic_adjustment.budget",)
    assert "“收入增长”“满意度”“信访情况”" in only(findings, "R17").message


def test_example_file_sangong_meetings_and_personnel_agree(example_data, example_ledger):
    """6.02 = 0 + 0 + 6.02; 6.02万元 ↔ 60158元; 3.21万元 ↔ 16730 + 15361元; 114 = 74 + 40."""
    findings = check_data(example_data, example_ledger)
    assert not rules_of(findings) & {"R01", "R11", "R12", "R16", "D06"}


def test_findings_are_deterministic_in_form_order_with_known_topics(example_data, example_ledger):
    first = check_data(example_data, example_ledger)
    assert first == check_data(example_data, example_ledger)
    positions = [form_position(f.path) for f in first]
    assert positions == sorted(positions)
    assert all(f.topic in TOPICS and f.severity in {"error", "warning", "info"} for f in first)
    assert all(f.message.endswith("。") for f in first)
    assert all(f.facts and all(key in example_ledger for key in f.facts) for f in first)


def test_rule_table_topics_are_known():
    assert all(rule.topic in TOPICS for rule in RULES)


# -- R01 执行率得分 --------------------------------------------------------------------------------

def test_r01_blank_full_year_budget_means_no_execution_rate(example_data):
    finding = only(check(variant(example_data, self_assessment__funding__full_year_budget=None)), "R01")
    assert finding.severity == "error"
    assert finding.location == "附件2 › 年度资金总额 › 全年预算数"
    assert finding.path == "self_assessment.funding.full_year_budget"
    assert "无法计算执行率" in finding.message


def test_r01_zero_full_year_budget_is_reported_not_divided(example_data):
    finding = only(check(variant(example_data, self_assessment__funding__full_year_budget=D(0))), "R01")
    assert "全年预算数为0.00万元" in finding.message


def test_r01_stated_score_must_be_capped_rate_times_weight(example_data):
    findings = check(variant(example_data, self_assessment__funding__stated_score=D(10)))
    finding = only(findings, "R01", "附件2 › 年度资金总额 › 自评得分")
    assert "填报为10.00分" in finding.message and "应为9.89分" in finding.message


def test_r01_stated_rate_must_match_at_two_decimals(example_data):
    finding = only(check(variant(example_data, self_assessment__funding__stated_rate=D("98.9"))), "R01")
    assert finding.location == "附件2 › 年度资金总额 › 执行率"
    assert "98.90%" in finding.message and "应为98.91%" in finding.message


# -- R02–R05 row scores --------------------------------------------------------------------------

def test_r02_quantitative_score_must_follow_the_rule(clean):
    data = variant(clean, self_assessment__indicators__0__actual="18场", self_assessment__indicators__0__score=D(17),
                   self_assessment__indicators__0__deviation_reason="两场因场地调整取消。")
    finding = only(check(data), "R02")
    assert finding.location == "附件2 › 绩效指标第1行（数量指标） › 自评得分"
    assert finding.path == "self_assessment.indicators[0].score"
    assert "17.00分" in finding.message and "应为18.00分" in finding.message


def test_r02_stated_score_equal_to_the_rule_gives_no_finding(clean):
    data = variant(clean, self_assessment__indicators__0__actual="18场", self_assessment__indicators__0__score=D(18),
                   self_assessment__indicators__0__deviation_reason="两场因场地调整取消。",
                   self_assessment__stated_total=D("97.40"))
    assert check(data) == []


def test_r03_qualitative_score_outside_its_band(clean):
    finding = only(check(variant(clean, self_assessment__indicators__6__score=D(3),
                                 self_assessment__indicators__6__deviation_reason="说明")), "R03")
    assert finding.location == "附件2 › 绩效指标第7行（生态效益指标） › 自评得分"
    assert "4.00分至5.00分" in finding.message and "填报为3.00分" in finding.message


def test_r03_partial_band_excludes_its_upper_bound(clean):
    data = variant(clean, self_assessment__indicators__6__actual="部分达成年度指标并具有一定效果",
                   self_assessment__indicators__6__score=D(4), self_assessment__indicators__6__deviation_reason="说明")
    finding = only(check(data), "R03")
    assert "3.00分至4.00分（不含）" in finding.message


def test_r03_score_inside_the_band_gives_no_finding(clean):
    data = variant(clean, self_assessment__indicators__6__score=D(4), self_assessment__indicators__6__deviation_reason="说明",
                   self_assessment__stated_total=D("98.40"))
    assert check(data) == []


def test_r04_score_below_weight_needs_a_deviation_reason(clean):
    finding = only(check(variant(clean, self_assessment__indicators__7__deviation_reason=None)), "R04")
    assert finding.severity == "warning"
    assert finding.location == "附件2 › 绩效指标第8行（可持续影响指标） › 偏差原因分析及改进措施"
    assert "4.50分" in finding.message and "分值5分" in finding.message


def test_r05_far_over_target_at_full_marks_needs_an_explanation(clean):
    finding = only(check(variant(clean, self_assessment__indicators__5__actual="7500人")), "R05")
    assert finding.location == "附件2 › 绩效指标第6行（社会效益指标） › 偏差原因分析及改进措施"
    assert "1.25倍" in finding.message and "1.2倍" in finding.message


def test_r05_explained_over_achievement_gives_no_finding(clean):
    data = variant(clean, self_assessment__indicators__5__actual="7500人",
                   self_assessment__indicators__5__deviation_reason="园区新开工企业集中招工，下年度将上调目标。")
    assert check(data) == []


# -- R06 weights -----------------------------------------------------------------------------------

def test_r06_few_missing_weights_are_reported_per_row(clean):
    data = variant(clean, self_assessment__indicators__1__weight=None, self_assessment__stated_total=None)
    finding = only(check(data), "R06")
    assert finding.location == "附件2 › 绩效指标第2行（质量指标） › 分值"
    assert finding.path == "self_assessment.indicators[1].weight"


def test_r06_many_missing_weights_are_one_finding_for_the_table(clean):
    rows = [r.model_copy(update={"weight": None}) if i < 3 else r for i, r in enumerate(CLEAN_INDICATORS)]
    finding = only(check(variant(clean, self_assessment__indicators=rows, self_assessment__stated_total=None)), "R06")
    assert finding.location == "附件2 › 绩效指标第1–3行 › 分值"
    assert finding.path == "self_assessment.indicators[0,1,2].weight"


def test_r06_level_weights_off_but_total_90_is_a_warning(clean):
    data = variant(clean, self_assessment__indicators__0__weight=D(15), self_assessment__indicators__0__score=None,
                   self_assessment__indicators__4__weight=D(15), self_assessment__stated_total=D("99.40"))
    findings = [f for f in check(data) if f.rule == "R06"]
    assert [(f.severity, f.location) for f in findings] == [
        ("warning", "附件2 › 绩效指标 › 产出指标 › 分值"), ("warning", "附件2 › 绩效指标 › 效益指标 › 分值")]
    assert "45分" in findings[0].message and "应为50分" in findings[0].message
    assert "35分" in findings[1].message and "应为30分" in findings[1].message


def test_r06_indicator_weights_must_total_90(clean):
    findings = check(variant(clean, self_assessment__indicators__0__weight=D(25)))
    finding = only(findings, "R06")
    assert finding.severity == "error" and finding.location == "附件2 › 绩效指标 › 分值合计"
    assert "95分" in finding.message and "应为90分" in finding.message and "产出指标55分" in finding.message


def test_r06_execution_weight_plus_indicators_must_be_100(clean):
    finding = only(check(variant(clean, self_assessment__funding__weight=D(20),
                                 self_assessment__funding__stated_score=None,
                                 self_assessment__stated_total=None)), "R06")
    assert finding.location == "附件2 › 年度资金总额 › 分值"
    assert "20分" in finding.message and "应为10分" in finding.message


# -- R07 total and grade ---------------------------------------------------------------------------

def test_r07_stated_total_must_equal_the_sum_and_grade_follows(clean):
    finding = only(check(variant(clean, self_assessment__stated_total=D("89.40"))), "R07")
    assert finding.severity == "error" and finding.location == "附件2 › 总分 › 自评得分"
    assert "89.40分" in finding.message and "9.90分" in finding.message and "89.50分" in finding.message
    assert "99.40分" in finding.message and "“优”而不是“良”" in finding.message


def test_r07_total_above_100_is_out_of_range(clean):
    assert "超出" in only(check(variant(clean, self_assessment__stated_total=D(101))), "R07").message


# -- R08, R09 budget execution ----------------------------------------------------------------------

def test_r08_money_left_but_goals_met(clean):
    data = variant(clean, self_assessment__funding__executed=D(800), self_assessment__funding__stated_rate=None,
                   self_assessment__funding__stated_score=None, self_assessment__stated_total=None)
    findings = check(data)
    finding = only(findings, "R08")
    assert finding.topic == "预算执行" and finding.severity == "warning"
    assert "81.68%" in finding.message and "99.44%" in finding.message and "5.00%" in finding.message
    assert "低于90.00%" in only(findings, "R09").message


def test_r08_is_configurable_through_the_policy(clean):
    data = variant(clean, self_assessment__funding__executed=D(800), self_assessment__funding__stated_rate=None,
                   self_assessment__funding__stated_score=None, self_assessment__stated_total=None)
    assert check(data, LenientPolicy()) == []


@dataclass(frozen=True)
class LenientPolicy(Policy):
    """A notice that asks for explanations only below 80 % and tolerates a 20 % gap (R08)."""

    execution_explain_below: D = D(80)
    spending_gap: D = D("0.2")


def test_r09_execution_above_100_percent_needs_an_explanation(clean):
    data = variant(clean, self_assessment__funding__executed=D(1000), self_assessment__funding__stated_rate=None,
                   self_assessment__funding__stated_score=None, self_assessment__stated_total=None)
    finding = only(check(data), "R09")
    assert "1000.00万元" in finding.message and "102.10%" in finding.message


# -- R10 funding breakdowns --------------------------------------------------------------------------

def test_r10_income_and_expenditure_breakdowns_must_agree(clean):
    findings = check(variant(clean, self_assessment__by_expenditure__basic=D("770.39")))
    assert [(f.rule, f.location) for f in findings] == [("R10", "附件2 › 按支出性质分")] * 2
    against_total, between = findings
    assert "969.39万元，比年初预算数979.39万元少10.00万元" in against_total.message
    assert "按支出性质分合计969.39万元" in between.message and "按收入性质分合计979.39万元" in between.message


def test_r10_one_cent_off_is_a_rounding_note(clean):
    findings = check(variant(clean, self_assessment__by_income__general_public=D("979.38")))
    income = only(findings, "R10", "附件2 › 按收入性质分")
    assert income.severity == "info" and "0.01万元，在尾差范围内" in income.message


def test_r10_zero_total_while_breakdown_holds_money(clean):
    data = variant(clean, self_assessment__funding__initial_budget=D(0), self_assessment__funding__full_year_budget=D(0),
                   self_assessment__funding__executed=D(0), self_assessment__funding__stated_rate=None,
                   self_assessment__funding__stated_score=None, self_assessment__stated_total=None)
    finding = only(check(data), "R10", "附件2 › 按收入性质分")
    assert "年度资金总额各栏为零或空白" in finding.message and "979.39万元" in finding.message


# -- R11 附件1 arithmetic -----------------------------------------------------------------------------

def test_r11_sangong_total_within_one_cent_is_noted_as_rounding(clean):
    findings = check(variant(clean, basic_data__sangong__reception__final=D("6.03")))
    finding = only(findings, "R11")
    assert finding.severity == "info" and finding.topic == "三公经费"
    assert finding.location == "附件1 › 三公经费 › 2024年决算数"
    assert finding.message == ("三公经费2024年决算数6.02万元，与公务用车购置和维护经费、出国经费、公务接待经费之和"
                               "6.03万元不一致（差0.01万元，在尾差范围内）。")


def test_r11_sangong_total_must_equal_its_parts(clean):
    finding = only(check(variant(clean, basic_data__sangong__reception__final=D(5))), "R11")
    assert finding.severity == "error" and "6.02万元" in finding.message and "5.00万元" in finding.message


def test_r11_vehicle_must_equal_purchase_plus_operation(clean):
    data = variant(clean, basic_data__sangong__vehicle=MoneyRow(final=D(3)),
                   basic_data__sangong__vehicle_purchase=MoneyRow(final=D(1)),
                   basic_data__sangong__vehicle_operation=MoneyRow(final=D("1.5")))
    finding = only(check(data), "R11", "附件1 › 公务用车购置和维护经费 › 2024年决算数")
    assert "3.00万元" in finding.message and "2.50万元" in finding.message


def test_r11_project_total_must_equal_its_items(clean):
    data = variant(clean, basic_data__projects__items__0__final=D(150))
    finding = only(check(data), "R11", "附件1 › 项目支出 › 2024年决算数")
    assert "199.00万元" in finding.message and "150.00万元" in finding.message


def test_r11_public_fund_parts_must_not_exceed_the_total(clean):
    finding = only(check(variant(clean, basic_data__public_funds__office__final=D(150))), "R11")
    assert finding.location == "附件1 › 公用经费 › 2024年决算数"
    assert "201.33万元超过公用经费2024年决算数172.40万元" in finding.message


def test_r11_stated_control_rate_must_be_active_over_authorized(clean):
    finding = only(check(variant(clean, basic_data__staffing__stated_control_rate=D("89.15"))), "R11")
    assert finding.location == "附件1 › 财政供养人员情况 › 控制率"
    assert "89.15%" in finding.message and "应为89.16%" in finding.message


# -- R12 the same figure in two places ---------------------------------------------------------------

def test_r12_sangong_in_form_and_report_must_agree(clean):
    findings = check(variant(clean, narrative__sangong__total__final=D(70158)))
    finding = only(findings, "R12")
    assert finding.topic == "三公经费" and finding.location == "附件1 › 三公经费 › 2024年决算数"
    assert "6.02万元" in finding.message and "70158元（折合7.02万元）" in finding.message


def test_r12_meetings_and_training_must_agree_with_the_report(clean):
    finding = only(check(variant(clean, narrative__meetings__current=D(26730))), "R12")
    assert finding.location == "附件1 › 会议费、培训费 › 2024年决算数"
    assert "3.21万元" in finding.message and "26730元" in finding.message and "折合4.21万元" in finding.message


def test_r12_personnel_in_report_must_match_the_form_and_add_up(clean):
    findings = check(variant(clean, narrative__personnel__active=75))
    assert "75人" in only(findings, "R12", "自评报告 › 部门概况 › 在职人数").message
    assert "114人，不等于在职人数75人加退休人数40人之和115人" in only(
        findings, "R12", "自评报告 › 部门概况 › 干职工总人数").message


def test_r12_projects_described_must_add_up_to_project_spending(clean):
    finding = only(check(variant(clean, narrative__projects__0__spending=D(100))), "R12")
    assert finding.severity == "warning" and finding.location == "自评报告 › 项目支出情况"
    assert "200.00万元" in finding.message and "199.00万元" in finding.message


def test_r12_project_spending_in_both_forms_must_agree(clean):
    data = variant(clean, self_assessment__by_expenditure__project=D(190), self_assessment__by_expenditure__basic=D("789.39"))
    finding = only(check(data), "R12")
    assert finding.location == "附件2 › 按支出性质分 › 项目支出" and "190.00万元" in finding.message


def test_r12_basic_budget_adjustment_must_match_the_funding_adjustment(example_data):
    findings = check(variant(example_data, basic_data__basic_budget_adjustment__final=D(700)))
    finding = only(findings, "R12")
    assert finding.location == "附件1 › 部门基本支出预算调整 › 2024年决算数"
    assert "700.00万元" in finding.message and "735.73万元" in finding.message


# -- R13, R14 scores too good to be true ---------------------------------------------------------------

def test_r13_mostly_unquantified_rows_all_at_full_marks(clean):
    rows = [r.model_copy(update={"target": "有效提升", "actual": "达成年度指标", "score": r.weight})
            if i < 6 else r for i, r in enumerate(CLEAN_INDICATORS)]
    rows[7] = rows[7].model_copy(update={"score": D(5)})
    findings = check(variant(clean, self_assessment__indicators=rows, self_assessment__stated_total=None))
    finding = only(findings, "R13")
    assert "9个三级指标中有8个为定性指标" in finding.message
    assert "R14" not in rules_of(findings)


def test_r14_every_row_at_full_marks_is_suspicious(clean):
    findings = check(variant(clean, self_assessment__indicators__7__score=D(5), self_assessment__stated_total=D("99.90")))
    finding = only(findings, "R14")
    assert finding.severity == "warning" and "全部9个三级指标均为满分" in finding.message


# -- R16 units and decimals ---------------------------------------------------------------------------

def test_r16_wan_amount_with_three_decimals(example_data):
    finding = only(check(variant(example_data, self_assessment__funding__executed=D("1696.515"))), "R16")
    assert finding.location == "附件2 › 年度资金总额 › 全年执行数"
    assert "1696.515万元" in finding.message and "1696.52万元" in finding.message


def test_r16_basic_data_table_in_yuan(clean):
    assert only(check(variant(clean, basic_data__unit="元")), "R16").location == "附件1 › 金额单位"


# -- R17 unusable targets and actuals ------------------------------------------------------------------

def test_r17_zero_target_on_a_proportional_row(clean):
    finding = only(check(variant(clean, self_assessment__indicators__0__target="≥0场")), "R17")
    assert finding.location == "附件2 › 绩效指标第1行（数量指标） › 年度指标值" and "为零" in finding.message


def test_r17_non_numeric_actual_on_a_quantitative_row(clean):
    finding = only(check(variant(clean, self_assessment__indicators__0__actual="已完成")), "R17")
    assert finding.location == "附件2 › 绩效指标第1行（数量指标） › 实际完成值" and "“已完成”" in finding.message


def test_r17_negative_actual_counts_as_zero(clean):
    data = variant(clean, self_assessment__indicators__1__actual="-5%",
                   self_assessment__indicators__1__deviation_reason="说明")
    finding = only(check(data), "R17")
    assert finding.severity == "warning" and "负数" in finding.message


# -- D rules: completeness -----------------------------------------------------------------------------

def test_d01_the_same_indicator_twice(clean):
    data = variant(clean, self_assessment__indicators__2__name="劳动争议案件法定期限内结案率。")
    finding = only(check(data), "D01")
    assert finding.location == "附件2 › 绩效指标第2、3行 › 三级指标"


def test_d02_unit_word_as_target(clean):
    finding = only(check(variant(clean, self_assessment__indicators__1__target="百分比")), "D02")
    assert finding.location == "附件2 › 绩效指标第2行（质量指标） › 年度指标值" and "“百分比”" in finding.message


def test_d03_blank_actual(clean):
    finding = only(check(variant(clean, self_assessment__indicators__1__actual=None)), "D03")
    assert finding.location == "附件2 › 绩效指标第2行（质量指标） › 实际完成值"


@pytest.mark.parametrize(("field", "title"), [("preparer", "填表人"), ("filled_on", "填报日期")])
def test_d04_identity_fields_required(clean, field, title):
    finding = only(check(variant(clean, **{f"identity__{field}": None})), "D04")
    assert finding.location == f"附件1 › 表尾 › {title}" and finding.topic == "资料完整性"


def test_d05_empty_overall_goal(clean):
    finding = only(check(variant(clean, self_assessment__goals__expected="")), "D05")
    assert finding.location == "附件2 › 年度总体目标 › 预期目标"


def test_d06_stated_difference_must_match_to_the_cent(example_data):
    metrics = list(example_data.narrative.projects[0].metrics)
    balance = next(i for i, m in enumerate(metrics) if m.key == "fund_balance")
    data = variant(example_data, **{f"narrative__projects[0]__metrics[{balance}]__value": D("28338.94")})
    finding = only(check(data), "D06")
    assert finding.path == f"narrative.projects[0].metrics[{balance}].value"
    assert "28338.94万元" in finding.message and "28338.93万元" in finding.message


def test_d06_ratio_is_compared_at_the_stated_precision(example_data):
    metrics = list(example_data.narrative.projects[1].metrics)
    rate = next(i for i, m in enumerate(metrics) if m.key == "mediation_rate")
    data = variant(example_data, **{f"narrative__projects[1]__metrics[{rate}]__value": D(60)})
    finding = only(check(data), "D06")
    assert "写作60%" in finding.message and "62.43%（按报告的精度为62%）" in finding.message


def test_d08_row_filled_in_part_names_the_blank_cells(clean):
    data = variant(clean, basic_data__procurement=MoneyRow(prior_final=D("32.17"), budget=None, final=None))
    finding = only(check(data), "D08")
    assert finding.location == "附件1 › 政府采购金额 › 2024年预算数"
    assert finding.path == "basic_data.procurement.budget"
    assert "2024年预算数、2024年决算数未填写" in finding.message


def test_d08_wholly_blank_rows_are_the_forms_way_of_saying_none(clean):
    data = variant(clean, basic_data__procurement=MoneyRow())
    assert check(data) == []


def test_d07_failed_band_without_a_score(clean):
    data = variant(clean, self_assessment__indicators__6__actual="未达成年度指标且效果较差",
                   self_assessment__indicators__6__score=None, self_assessment__stated_total=None)
    finding = only(check(data), "D07")
    assert finding.location == "附件2 › 绩效指标第7行（生态效益指标） › 自评得分"
