"""Binding: each number against the ledger by value (an interval from its written precision) and by the
words around it; statuses verified / mismatch / stale / unsupported / ignored."""

from decimal import Decimal

import pytest

from assistant.checking import check_text
from assistant.checking.bind import claim_intervals
from assistant.checking.extract import extract
from assistant.figures.ledger import Fact, Ledger


def ledger_of(*facts: Fact) -> Ledger:
    ledger = Ledger()
    for fact in facts:
        ledger.add(fact)
    return ledger


def fact(key, label, value, unit, precision, **more):
    return Fact(key=key, label=label, value=None if value is None else Decimal(value), unit=unit,
                precision=precision, source=f"测试 › {label}", year=2024, **more)


def numbers(findings):
    return [f for f in findings if f.check == "number" and f.status != "ignored"]


def one(text, ledger, **kwargs):
    found = numbers(check_text(text, ledger, **kwargs))
    assert len(found) == 1, [(f.text, f.status) for f in found]
    return found[0]


def interval(text):
    mention = extract(text)[0][0]
    return claim_intervals(mention, abs(mention.value))


# -- intervals -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, low, high", [
    ("98.7%", "98.65", "98.75"), ("99万元", "98.5", "99.5"), ("6.02万元", "6.015", "6.025"), ("60158元", "60157.5", "60158.5"),
])
def test_a_number_stands_for_the_interval_its_written_precision_allows(text, low, high):
    anchor, loose = interval(text)
    assert (anchor.low, anchor.high) == (Decimal(low), Decimal(high)) and loose == anchor


@pytest.mark.parametrize("text, low, high", [
    ("40000余份", "40000", "50000"),   # 余/多: from the number up to its last non-zero place
    ("约5000万元", "4500", "5500"),     # 约: ± half the last non-zero place
    ("约4817.1万元", "4817.05", "4817.15"),
    ("超1万人", "1", "2"),              # 超: from the number itself up to the next leading digit
    ("不足50人", "40", "50"),           # 不足: down to the previous leading digit, up to the number itself
    ("近3000人", "2000", "3000"),       # 近: one last place below, up to the number itself
    ("超过六成", "6", "7"),             # 成 (× 10%): 超过六成 is [60%, 70%), not [55%, 70%)
    ("近九成", "8", "9"),               # 近九成 is [80%, 90%]
])
def test_approximation_words_widen_the_interval(text, low, high):
    _, loose = interval(text)
    assert (loose.low, loose.high) == (Decimal(low), Decimal(high))


# -- verified ----------------------------------------------------------------------------------------
def test_a_verified_number_carries_its_fact_key_formula_and_source(example_ledger):
    finding = one("预算执行率为98.91%。", example_ledger)
    assert finding.status == "verified"
    assert finding.fact == "funding.execution_rate" and finding.expected == "98.91%"
    assert finding.formula == "全年执行数 ÷ 全年预算数 × 100%"
    assert finding.inputs == ("funding.executed", "funding.full_year_budget") and finding.source == "计算"


def test_fewer_decimals_verify_when_the_fact_rounds_to_them(example_ledger):
    assert one("预算执行率为98.9%。", example_ledger).status == "verified"
    assert one("预算执行率为98.8%。", example_ledger).status == "mismatch"


def test_yuan_and_wan_yuan_convert_at_the_stated_precision():
    ledger = ledger_of(fact("sangong.total.final", "三公经费2024年决算数", "6.02", "万元", 2))
    assert one("“三公”经费支出60158元。", ledger).status == "verified"  # 6.02万元 stands for 60150–60249元
    yuan = ledger_of(fact("sangong_yuan.total.final", "三公经费2024年决算数", "60158", "元", 0))
    assert one("“三公”经费支出6.02万元。", yuan).status == "verified"
    assert one("“三公”经费支出6.03万元。", yuan).status == "mismatch"


def test_a_unit_swap_without_rescaling_is_a_mismatch(example_ledger):
    finding = one("2024年公用经费支出172.40元。", example_ledger)
    assert finding.status == "mismatch" and finding.expected == "172.40万元"
    assert "单位" in finding.message
    assert one("全年实际支出60158万元。", example_ledger).status == "mismatch"


def test_approximate_facts_compare_their_anchor(example_ledger):
    assert one("累计发放养老保险政策宣传单40000余份。", example_ledger).status == "verified"
    wrong = one("累计发放养老保险政策宣传单40900余份。", example_ledger)
    assert wrong.status == "mismatch" and wrong.expected == "40000余份"


def test_a_threshold_word_states_the_threshold_itself():
    ledger = ledger_of(fact("target.reviews", "完成财政投资评审项目", "260", "个", 0))
    assert one("完成财政投资评审项目不少于260个。", ledger).status == "verified"
    assert one("完成财政投资评审项目不少于268个。", ledger).status == "mismatch"


def test_about_on_an_exact_fact_allows_half_its_last_place():
    ledger = ledger_of(fact("project.x.spending", "工程支出", "4970", "万元", 2))
    assert one("工程支出约5000万元。", ledger).status == "verified"
    assert one("工程支出约5600万元。", ledger).status == "mismatch"


# -- mismatch ----------------------------------------------------------------------------------------
def test_a_mismatch_names_the_fact_the_words_point_to_and_its_display(example_ledger):
    finding = one("受理工伤案件576件。", example_ledger)
    assert finding.status == "mismatch"
    assert finding.fact == "project.fund_risk.injury_cases" and finding.expected == "575件"
    assert "应为575件" in finding.message


def test_a_value_of_another_fact_is_a_mismatch_when_the_words_name_this_one(example_ledger):
    finding = one("局机关共4个内设机构。", example_ledger)  # 4 is the count of units in the final accounts
    assert finding.status == "mismatch" and finding.fact == "org.internal_units" and finding.expected == "13个"


def test_two_numbers_swapped_between_their_facts_are_two_mismatches(example_ledger):
    text = "受理工伤案件488件，审核认定575件。"
    found = numbers(check_text(text, example_ledger))
    assert [(f.text, f.status, f.expected) for f in found] == [("488件", "mismatch", "575件"), ("575件", "mismatch", "488件")]
    text = "确保劳动人事争议调解成功率达到90%、劳动人事争议仲裁结案率达到60%。"
    assert [f.status for f in numbers(check_text(text, example_ledger))] == ["mismatch", "mismatch"]


def test_a_wrong_direction_word_flips_the_sign_and_is_a_mismatch(example_ledger):
    text = "2024年会议费支出16730元，2023年会议费支出19268元，比上年增加2538元。"
    finding = next(f for f in numbers(check_text(text, example_ledger)) if f.text == "2538元")
    assert finding.status == "mismatch" and finding.value == Decimal(2538) and finding.expected == "-2538元"
    assert "“增加”" in finding.message


def test_a_change_needs_a_change_fact_and_an_amount_a_level_fact(example_ledger):
    finding = one("2023年会议费支出2538元。", example_ledger)  # 2538 is the change, not an amount spent
    assert finding.status == "mismatch" and finding.expected == "19268元"


# -- stale -------------------------------------------------------------------------------------------
def test_last_years_value_where_the_text_speaks_of_this_year_is_stale(example_ledger):
    finding = one("2024年会议费支出19268元。", example_ledger)
    assert finding.status == "stale"
    assert finding.fact == "meeting_fee.current" and finding.expected == "16730元"
    assert "2023年会议费" in finding.message


def test_last_years_value_said_of_last_year_is_verified(example_ledger):
    assert one("2023年会议费支出19268元。", example_ledger).status == "verified"
    assert one("上年支出99898元。", example_ledger).fact.startswith("sangong")


def test_this_years_value_said_of_last_year_is_a_mismatch(example_ledger):
    finding = one("2023年会议费支出16730元。", example_ledger)
    assert finding.status == "mismatch" and finding.expected == "19268元"


def test_a_number_only_a_past_report_contains_is_stale(example_ledger):
    past = "2023年，我局共受理工伤案件612件。"
    finding = one("本年受理工伤案件612件。", example_ledger, past_texts=[past])
    assert finding.status == "stale" and "往年报告" in finding.message
    assert one("本年受理工伤案件612件。", example_ledger).status == "mismatch"


# -- unsupported and ignored -------------------------------------------------------------------------
def test_a_number_no_fact_supports_is_unsupported_never_passed(example_ledger):
    finding = one("新建标准化考场3所。", example_ledger)
    assert finding.status == "unsupported" and finding.fact is None
    assert "找不到" in finding.message


def test_an_empty_ledger_supports_nothing():
    assert one("受理工伤案件575件。", Ledger()).status == "unsupported"


def test_a_small_chinese_count_without_a_fact_is_ignored_as_wording(example_ledger):
    findings = check_text("围绕这三项核心指标开展工作。", example_ledger)
    assert [(f.text, f.status, f.reason) for f in findings] == [("三项", "ignored", "汉字小数目")]


def test_non_claims_come_back_as_ignored_findings_with_their_reason(example_ledger):
    findings = check_text("2024年，根据财预〔2020〕10号，严格执行“411”监管机制。", example_ledger)
    assert [(f.text, f.status) for f in findings] == [("2024年", "ignored"), ("〔2020〕10号", "ignored"),
                                                     ("“411”监管机制", "ignored")]
    assert all(f.reason and f.message for f in findings)


# -- the seed's own way of writing figures ------------------------------------------------------------
@pytest.mark.parametrize("text, key", [
    ("1、 社保保险基金风险防控工作经费99万元。", "project.fund_risk.spending"),
    ("受理劳动人事争议调解案件224件，立案后调解118件，裁决71件，调解率62％。", "project.labor_inspection.mediation_rate"),
    ("2024年会议费16730元，2023年会议费19268元，比上年-2538元。", "meeting_fee.change"),
    ("12月份认证人数超1万人。", "project.fund_risk.certified"),
    ("支出工伤保险待遇约4817.1万元。", "project.fund_risk.injury_benefits"),
    ("将城乡居民养老保险待遇足额发放率由92.4%提升至99%。", "project.fund_risk.full_payment_rate"),
])
def test_the_seeds_wording_verifies(example_ledger, text, key):
    found = numbers(check_text(text, example_ledger))
    assert all(f.status == "verified" for f in found), [(f.text, f.status, f.message) for f in found]
    assert found[-1].fact == key


def test_findings_serialise_to_the_design_contract(example_ledger):
    finding = one("受理工伤案件575件。", example_ledger)
    document = finding.to_json()
    assert {"start", "end", "text", "status", "value", "unit", "fact", "expected", "message"} <= set(document)
    assert document["value"] == "575" and document["unit"] == "件" and document["status"] == "verified"
    assert "受理工伤案件575件。"[document["start"]:document["end"]] == "575件"
