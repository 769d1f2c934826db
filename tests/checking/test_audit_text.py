"""The text audit: a document's own arithmetic, judged without any table (assistant/audit)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.audit.figures import figures
from assistant.audit.report import audit_numbers
from assistant.audit.slots import slot_findings
from assistant.checking.check import check_text
from assistant.figures.ledger import Ledger


def audit(text: str) -> list[dict]:
    return audit_numbers(text, Ledger(), lambda start, end: (start, end), text)


def wrong(text: str) -> list[dict]:
    return [item for item in audit(text) if item["status"] in ("mismatch", "stale")]


def holding(text: str, check: str) -> list[dict]:
    return [item for item in audit(text) if item["check"] == check and item["status"] == "verified"]


# -- sums are exact at the parts' written precision (the shared arithmetic, checker included) ------------

def test_parts_are_exact_only_the_total_is_rounded():
    text = "本项目完成预算资金59.97万元。其中：20万元用于编制；20万元用于审计；19.99万元用于设计。"
    [sum_finding] = [f for f in check_text(text, Ledger(), complete_ledger=False) if f.check == "sum"]
    assert sum_finding.status == "mismatch" and sum_finding.expected == "59.99万元"
    assert holding("全年支出59.99万元，其中：20万元用于编制，20万元用于审计，19.99万元用于设计。", "sum")


def test_a_sum_list_inside_brackets_ends_at_the_bracket():
    text = ("一批项目总投资3374.3万元（其中建筑工程3292万元），二批项目总投资2069.51万元（其中建筑工程1975.775万元），"
            "合计总投资5443.81万元。")
    assert wrong(text) == []


# -- findings of the text's own arithmetic ------------------------------------------------------------------

def test_a_count_of_phases_that_does_not_add_up():
    [finding] = wrong("本中心共实施项目15个，年初批复预算8个项目985万元，年中新增项目8个。")
    assert finding["check"] == "phase_sum" and finding["expected"] == "16个"
    assert [(e["text"], e["role"]) for e in finding["evidence"]] == [("15个", "合计"), ("8个", "分项"), ("8个", "分项")]
    assert holding("全年共安排项目12个，年初安排7个项目，年中追加5个项目。", "phase_sum")


def test_a_closed_list_must_add_up_even_when_the_gap_is_no_typo():
    [finding] = wrong("2023年基本支出911000.39元，其中：人员经费809961.19元，公用经费71339.2元。")
    assert finding["check"] == "closed_sum" and finding["expected"] == "881300.39元"
    # An open list (only some items named) is not judged.
    assert wrong("公用经费189.73万元，其中：办公费20万元，差旅费15万元。") == []


def test_a_list_under_its_colon_on_the_following_lines():
    text = "2023年基本支出500元，其中：\n人员经费300元，主要用于工资。\n公用经费100元，主要用于办公。\n二、其他\n"
    assert [f["check"] for f in wrong(text)] == ["closed_sum"]


def test_a_share_over_the_whole_the_text_names():
    text = ("基本支出预算881300.39元。其中工资福利支出预算716052.51元，占基本支出预算81.25%。"
            "商品和服务支出预算165247.88元，占基本支出预算18.76%。")
    [finding] = wrong(text)
    assert finding["check"] == "share" and finding["expected"] == "18.75%"
    assert [e["role"] for e in finding["evidence"]] == ["部分", "总数", "占比"]


def test_a_completion_rate_is_achieved_over_plan_never_over_itself():
    text = "全年计划培训1000人次，实际完成培训950人次，完成率100%。"
    [finding] = wrong(text)
    assert finding["check"] == "rate" and finding["expected"] == "95.00%"
    assert holding("全年计划培训1000人次，实际完成培训950人次，完成率95%。", "rate")


def test_an_execution_rate_from_figures_of_its_paragraph():
    [finding] = wrong("全年预算1715.12万元，全年支出1696.4万元，预算执行率100%。")
    assert finding["expected"] == "98.91%"
    assert wrong("确保预算执行率达到100%。全年预算1715.12万元，全年支出1696.4万元。") == []  # a target


def test_a_change_rate_is_over_last_years_figure():
    # 2570.97 ÷ (4143.91 + 2570.97) = 38.29%, not 38.28% (and not 2570.97 ÷ 4143.91).
    text = ("收入总计、支出总计分别为4125.49万元、4143.91万元。与上年相比，收入总计、支出总计各减少1267.86万元、"
            "2570.97万元，各下降23.51%、38.28%。")
    [finding] = wrong(text)
    assert finding["check"] == "percent" and finding["expected"] == "38.29%"
    assert audit("公务接待费88426元，比上年减少16094元，下降15.40%。")[-1]["status"] == "verified"


def test_shares_adding_to_the_whole_make_a_list_that_must_sum():
    text = ("全年采购规模为33067.0亿元。货物、工程、服务采购规模分别为8607.0亿元、15004.3亿元和9455.6亿元，"
            "占全年采购规模的26.0%、45.4%和28.6%。")
    [finding] = wrong(text)
    assert finding["check"] == "list_sum" and finding["expected"] == "33066.9亿元"


def test_an_accounting_identity_across_numbered_items():
    text = ("（一）本单位总收入581.45万元，其中本年收入390.55万元。\n1.财政拨款收入382.17万元。\n"
            "2.上年结转和结余190.89万元。\n（二）本单位总支出581.45万元。\n")
    [finding] = wrong(text)
    assert finding["check"] == "identity_sum" and finding["expected"] == "581.44万元"


def test_the_same_figure_stated_twice_with_different_values():
    [finding] = wrong("本年年初预算数120.5万元。\n……\n本部门年初预算数125.5万元，全年执行良好。")
    assert finding["check"] == "restated" and finding["expected"] == "120.5万元"


def test_a_number_the_text_gives_no_way_to_check_is_unchecked():
    items = audit("全县参保人数达3.6万人，发放补贴2000万元。")
    assert {item["status"] for item in items if item["check"] == "number"} == {"unchecked"}


# -- template slots and malformed numbers -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "found"), [
    ("其中因公出国（境）费0万元，占 %，比上年减少 万元。", ["占 %", "减少 万元"]),
    ("公务接待费XX万元，接待××批次。", ["XX万元"]),
    ("共计＿＿元。", ["＿＿元"]),
])
def test_blank_template_slots(text, found):
    assert [item["text"] for item in slot_findings(text)] == found
    assert all(item["check"] == "blank" for item in slot_findings(text))


@pytest.mark.parametrize("written", ["1,2345.6万元", "12..5万元", "1.234.5万元", "12,34元"])
def test_malformed_numbers_replace_what_the_checker_read(written):
    items = audit(f"全年支出{written}。")
    [finding] = [item for item in items if item["status"] == "mismatch"]
    assert finding["check"] == "malformed"
    assert not any(item["check"] == "number" and item["start"] < finding["end"] and finding["start"] < item["end"]
                   for item in items)


def test_well_written_numbers_are_no_slots():
    assert slot_findings("单位：万元。全年支出1,234,567.00元，占比12.5%，为人民服务，为个人发放补助。") == []
    # Table cells run together by a copy from the web (194.9 | 194.9 | 100%) are not a number someone wrote.
    assert slot_findings("年度资金总额194.9194.9100%") == []


def test_figures_carry_value_precision_and_label():
    [figure] = figures("其中公务接待费为20.10万元。")
    assert figure.name == "公务接待费" and figure.value == Decimal("201000.00") and figure.half == Decimal("50")


def test_a_pdf_line_wrap_does_not_cut_a_figure_from_its_unit():
    from assistant.audit.unwrap import unwrap

    original = "本项目完成预算资金89.97万元。其中：30万元用于编制；30万元用于审计；29.99万\n元用于设计。\n二、下一节\n"
    text, span = unwrap(original)
    assert text == "本项目完成预算资金89.97万元。其中：30万元用于编制；30万元用于审计；29.99万元用于设计。\n二、下一节\n"
    start = text.index("29.99万元")
    assert original[slice(*span(start, start + len("29.99万元")))] == "29.99万\n元"
    assert [f["check"] for f in wrong(text)] == ["sum"]
