"""Targets against achieved figures, and a ledger that holds only part of what the text speaks of (an
audit: the report's own tables)."""

from decimal import Decimal

import pytest

from assistant.checking import check_text
from assistant.checking.check import plausibly_derived
from assistant.checking.extract import extract
from assistant.checking.index import fact_index
from tests.conftest import ROOT

SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"


@pytest.fixture(scope="module")
def seed_tables():
    """The ledger of an audit of the seed: its tables only (no narrative metrics)."""
    from assistant.figures.build import build_ledger
    from assistant.model.report_reader import read_report

    return build_ledger(read_report(SEED).data)


def statuses(findings):
    return {f.text: (f.status, f.fact) for f in findings if f.check == "number"}


@pytest.mark.parametrize("complete", [True, False])
def test_a_target_is_not_refuted_by_an_achieved_figure(seed_tables, complete):
    text = "确保劳动人事争议调解成功率达到60%、劳动人事争议仲裁结案率达到90%。"
    found = statuses(check_text(text, seed_tables, complete_ledger=complete))
    assert found["60%"][0] != "mismatch" and found["90%"][0] != "mismatch"


def test_an_achieved_figure_is_still_refuted_by_its_achieved_value(seed_tables):
    text = "建立农民工保证金制度，实现劳动争议案件法定期限内结案率实际完成值为90%。"
    found = statuses(check_text(text, seed_tables))
    assert found["90%"] == ("mismatch", "indicator.3.actual")


@pytest.mark.parametrize(("text", "complete", "status"), [
    ("基金总支出275215.09万元。", False, "unsupported"),  # another quantity that no table holds
    ("参保人数597464人。", False, "unsupported"),
    ("12月份认证人数超1万人。", False, "unsupported"),  # one written digit resembles anything
    ("项目支出2024年决算数为191.00万元。", False, "mismatch"),  # clearly named
    ("项目支出2024年决算数为1990万元。", False, "mismatch"),  # decimal point moved
])
def test_a_partial_ledger_refutes_only_named_or_resembling_figures(seed_tables, text, complete, status):
    found = [f for f in check_text(text, seed_tables, complete_ledger=complete) if f.check == "number"
             and f.status != "ignored"]
    assert [f.status for f in found] == [status]


@pytest.mark.parametrize(("written", "key", "plausible"), [
    ("53.15万元", "procurement.final", True),  # two digits swapped (35.15)
    ("35.75万元", "procurement.final", True),  # a digit changed
    ("3515万元", "procurement.final", True),  # decimal point lost
    ("351500元", "procurement.final", True),  # the same amount in 元
    ("60.15万元", "procurement.final", True),  # within a factor of two
    ("275215.09万元", "projects.total.final", False),  # 基金总支出: another quantity
    ("180元", "funding.expenditure.basic", False),  # 月人均养老金
    ("160.98万元", "funding.unexecuted", False),  # 返还资金 vs 未执行数 18.61
])
def test_a_mismatch_on_a_partial_ledger_must_resemble_its_figure(seed_tables, written, key, plausible):
    mention = extract(written)[0][0]
    index = fact_index(seed_tables)
    entry = next(e for e in index.entries if e.key == key)
    assert entry.fact.value is not None and isinstance(entry.fact.value, Decimal)
    assert plausibly_derived(mention, entry) is plausible


# -- figures of one item: a table row's target / actual / weight, 得分（分值）, 由X提升至Y ---------------------

@pytest.fixture(scope="module")
def draft():
    """example stem → (ledger, generated report text)."""
    from assistant.pipeline import generate
    from assistant.render.text import document_text

    made = {}

    def get(stem):
        if stem not in made:
            package = generate(ROOT / "examples" / f"{stem}.yaml")
            made[stem] = (package.figures.ledger, document_text(package.document))
        return made[stem]
    return get


def verdicts(draft, stem, old, new):
    ledger, text = draft(stem)
    assert old in text
    changed = text.replace(old, new, 1)
    start = changed.index(new)
    return [(f.text, f.status, f.fact) for f in check_text(changed, ledger)
            if f.check == "number" and start <= f.start < start + len(new)]


def test_a_table_row_with_target_and_actual_swapped(draft):
    found = verdicts(draft, "demo-nongye-2022", "≥1500户\t1526户", "≥1526户\t1500户")
    assert found[:2] == [("≥1526户", "mismatch", "indicator.3.target"), ("1500户", "mismatch", "indicator.3.actual")]


def test_a_weight_cell_holding_another_figure_of_its_row(draft):
    found = verdicts(draft, "demo-caizheng-2023", "≥8.5%\t9.6%\t6\t", "≥8.5%\t9.6%\t9\t")
    assert ("9", "mismatch", "indicator.4.weight") in found


def test_a_weight_after_a_score_belongs_to_the_same_item(draft):
    found = verdicts(draft, "demo-jiaoyu-2023", "得分3.50分（分值5分）", "得分3.50分（分值10.00分）")
    assert found == [("3.50分", "verified", "indicator.7.score"), ("10.00分", "mismatch", "indicator.7.weight")]


def test_the_level_after_last_years_level_is_this_years(draft):
    ledger, text = draft("demo-jiaoyu-2023")
    start = text.index("提升至99.50%")
    changed = text.replace("提升至99.50%", "提升至100.00%", 1)
    found = [(f.text, f.status, f.fact) for f in check_text(changed, ledger)
             if f.check == "number" and start - 12 <= f.start < start + 12]
    assert found[-1] == ("100.00%", "mismatch", "project.student_aid.accuracy")


def test_a_rate_of_change_from_this_years_amount_and_the_change(draft):
    ledger, text = draft("demo-caizheng-2023")
    clean = [f for f in check_text(text, ledger) if f.check == "percent" and "88426元" in f.text]
    assert [f.status for f in clean] == ["verified"]
    wrong = [f for f in check_text(text.replace("下降15.40%", "下降5.40%", 1), ledger)
             if f.check == "percent" and "88426元" in f.text]
    assert [(f.status, f.expected) for f in wrong] == [("mismatch", "-15.40%")]


def test_a_draft_must_print_the_datas_figure_even_when_the_data_was_written_coarser(example_ledger):
    # The data says 约4817.1万元 (shown 4817.10万元): a draft's 4817.11万元 is not the data's figure,
    # while an audit, comparing two figures the department wrote, accepts what rounds to 4817.1.
    from assistant.checking import check_text

    text = "工伤保险方面，支出工伤保险待遇约4817.11万元。"
    complete = [f for f in check_text(text, example_ledger) if "4817" in f.text]
    assert [f.status for f in complete] == ["mismatch"]
    partial = [f for f in check_text(text, example_ledger, complete_ledger=False) if "4817" in f.text]
    assert [f.status for f in partial] == ["verified"]
