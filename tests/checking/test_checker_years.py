"""Years and dates as claims (issue 13): a year that places this report's work in another year is stale,
with the report's year expected; comparison bases, ranges, documents, policies and plans stay ignored."""

import pytest

from assistant.checking import check_text


def year_findings(text, ledger):
    return [(f.text, f.status) for f in check_text(text, ledger) if "年" in f.text and f.check == "number"]


@pytest.mark.parametrize("text, year", [
    ("2022年，我局共有干职工114人。", "2022年"),                     # the work year of a sentence
    ("2022年我局扎实开展根治欠薪工作。", "2022年"),                   # … with the actor right after it
    ("在2023年，全局上下齐心协力。", "2023年"),
    ("2023年全年共接待52批次。", "2023年"),                          # 全年 with the wrong year
    ("桃江县人社局2022年度部门整体支出绩效自评报告", "2022年度"),      # the report's own year
    ("截至2023年底，累计结余144763.66万元。", "2023年"),              # a cut-off date
    ("该工作于2023年12月31日前完成。", "2023年12月31日"),             # a deadline
    ("2025年，我局共有干职工114人。", "2025年"),                     # a later year, no plan in sight
])
def test_a_year_that_places_the_work_in_another_year_is_stale(example_ledger, text, year):
    found = [f for f in check_text(text, example_ledger) if f.text == year]
    assert len(found) == 1 and found[0].status == "stale"
    assert found[0].expected == "2024年" and "2024年度" in found[0].message


@pytest.mark.parametrize("text", [
    "比2023年减少39740元。",                       # a comparison base
    "与2023年相比，我局会议费减少2538元。",
    "2023年至2024年，我局连续推进根治欠薪。",         # a range
    "根据财预〔2020〕10号文件开展自评。",             # a document number
    "按照2023年印发的考核办法完成考核。",             # a policy's year
    "2023年会议费支出19268元。",                     # last year's figure, rightly named
    "2025年计划公开招聘工作人员30名。",               # a plan year
    "2025年，我局将继续加大根治欠薪力度。",
    "2024年，我局共有干职工114人。",                 # the report's year
    "该工作于2024年12月31日前完成。",
    "填报日期：2025年4月24日",                       # a date with its month: an event
    "2023年前三季度完成了清理。",                     # the first quarters of a year: no deadline
])
def test_years_that_are_not_the_work_year_stay_ignored(example_ledger, text):
    assert all(status == "ignored" for _, status in year_findings(text, example_ledger))


def test_a_year_in_a_table_heads_a_column_and_a_deadline_cell_is_checked(example_ledger):
    table = "指标\t2023年决算数\t2024年决算数\n时效指标\t2023年12月31日前完成\t完成\n"
    found = {f.text: f.status for f in check_text(table, example_ledger) if "年" in f.text}
    assert found["2023年"] == "ignored"  # the column of last year's figures
    assert found["2023年12月31日"] == "stale"


def test_a_plan_section_keeps_its_later_years(example_ledger):
    text = "四、下一步工作计划\n2025年，全面实现预定绩效指标。\n"
    assert year_findings(text, example_ledger) == [("2025年", "ignored")]
