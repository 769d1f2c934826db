"""Derived figures, last year's amount after 比上年的, 其中 in brackets, plans, targets and bounds (issue 13)."""

import pytest

from assistant.checking import check_text


def finding(text, ledger, number):
    found = [f for f in check_text(text, ledger) if f.check == "number" and f.text == number]
    assert len(found) == 1, [(f.text, f.status) for f in check_text(text, ledger)]
    return found[0]


# -- 人均 / 户均 / 每… / 平均 -----------------------------------------------------------------------
@pytest.mark.parametrize("text, number", [
    ("共追回拖欠农民工工资1192.24万元，惠及民工1241人，人均约0.96万元。", "约0.96万元"),
    ("共追回拖欠农民工工资1192.24万元，惠及民工1241人，人均9607元。", "9607元"),
    ("落实援企稳岗118家企业，返还资金160.98万元，平均每家企业约1.36万元。", "约1.36万元"),
])
def test_a_per_unit_figure_is_verified_by_the_ratio_of_two_figures_of_its_paragraph(example_ledger, text, number):
    found = finding(text, example_ledger, number)
    assert found.status == "verified" and "÷" in found.formula and len(found.related) == 2


def test_a_per_unit_figure_no_pair_gives_is_unsupported_never_a_mismatch(example_ledger):
    found = finding("共追回拖欠农民工工资1192.24万元，惠及民工1241人，人均约1.2万元。", example_ledger, "约1.2万元")
    assert found.status == "unsupported" and "人均" in found.message


def test_a_per_unit_fact_of_the_ledger_is_checked_as_that_fact(example_ledger):
    assert finding("城乡居民基本养老保险月人均养老金水平为180元。", example_ledger, "180元").status == "verified"
    wrong = finding("城乡居民基本养老保险月人均养老金水平为190元。", example_ledger, "190元")
    assert wrong.status == "mismatch" and wrong.expected == "180元"


# -- binding --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, number, fact", [
    ("2024年“三公”经费支出60158元，比上年的99898元减少39740元。", "99898元", "sangong_yuan.total.prior_final"),
    ("2024年会议费支出16730元，较上年的19268元减少2538元。", "19268元", "meeting_fee.prior"),
    ("2024年“三公”经费支出6.02万元，比上年减少3.97万元（上年为9.99万元）。", "9.99万元", "sangong.total.prior_final"),
])
def test_last_years_amount_after_bi_shang_nian_de_binds_to_the_prior_year_twin(example_ledger, text, number, fact):
    found = finding(text, example_ledger, number)
    assert found.status == "verified" and found.fact == fact
    assert all(f.status == "verified" for f in check_text(text, example_ledger) if f.status != "ignored")


def test_a_qizhong_inside_brackets_ends_at_the_bracket(example_ledger):
    text = "养老保险参保人数597464人（其中机保26479人），城乡居保460272人、企保110713人。"
    assert not [f for f in check_text(text, example_ledger) if f.check == "sum"]
    inside = "养老保险参保人数597464人（其中机保26479人、城乡居保460272人、企保110713人），失业保险参保人数40781人。"
    sums = [f for f in check_text(inside, example_ledger) if f.check == "sum"]
    assert len(sums) == 1 and sums[0].status == "verified" and "40781" not in sums[0].text


# -- plans and targets ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, number", [
    ("2025年计划公开招聘工作人员30名。", "30名"),                          # not 与“退休人数”不符
    ("四、下一步工作计划\n力争预算执行率达到99%以上。", "99%以上"),          # not 一致 with 98.91%
    ("四、下一步工作计划\n“三公”经费控制在16万元以内。", "16万元以内"),      # not this year's budget
    ("下一步，力争新增城镇就业6500人。", "6500人"),
])
def test_a_plans_number_without_a_target_fact_is_a_target_without_verdict(example_ledger, text, number):
    found = finding(text, example_ledger, number)
    assert found.status == "target" and found.fact is None and "计划或目标" in found.message
    assert not found.needs_attention


def test_a_goal_is_checked_against_its_target_fact(example_ledger):
    assert finding("确保劳动人事争议调解成功率达到60%。", example_ledger, "60%").status == "verified"
    wrong = finding("确保劳动人事争议调解成功率达到70%。", example_ledger, "70%")
    assert wrong.status == "mismatch" and wrong.fact == "project.arbitration.mediation_success_target"


def test_a_plan_section_restating_this_years_figure_is_verified(example_ledger):
    text = "四、下一步工作计划\n全年加载交通出行功能的社保卡持卡人数达3.606万人，下一步继续扩面。"
    assert finding(text, example_ledger, "3.606万人").status == "verified"


@pytest.mark.parametrize("text, number, status", [
    ("2024年，我局预算执行率达到99%以上。", "99%以上", "mismatch"),   # 98.91% is below 99%
    ("2024年，我局预算执行率达到98%以上。", "98%以上", "verified"),
    ("2024年，我局人员控制率不超过89%。", "不超过89%", "mismatch"),   # 89.16% is above 89%
    ("2024年，我局人员控制率不超过90%。", "不超过90%", "verified"),
])
def test_a_bound_is_checked_as_a_bound(example_ledger, text, number, status):
    found = finding(text, example_ledger, number)
    assert found.status == status
    if status == "mismatch":
        assert found.expected in ("98.91%", "89.16%")


def test_the_html_view_shows_a_target_in_its_own_colour(example_ledger):
    from assistant.checking import render_html

    text = "2025年计划公开招聘工作人员30名。"
    page = render_html(text, check_text(text, example_ledger))
    assert '<span class="n target"' in page and "目标值" in page
