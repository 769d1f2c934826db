"""Issue 3 targets: clean drafts and the seed's own text check clean; every category of injected error is
caught (the benchmark in evals/checker measures recall at scale; these are its specimens)."""

from pathlib import Path

import pytest

from assistant.checking import check_text, counts, read_draft
from assistant.pipeline import compute, generate
from assistant.render.docx_writer import write_docx
from assistant.render.text import document_text
from tests.conftest import EXAMPLE, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"
DEMO = ROOT / "examples" / "demo-shuili-2024.yaml"


@pytest.fixture(scope="module")
def drafts():
    """example file → (ledger, generated report text)."""
    made = {}
    for path in EXAMPLES:
        package = generate(path)
        made[path.name] = (package.figures.ledger, document_text(package.document), package)
    return made


def attention(findings):
    return [(f.text, f.status, f.message) for f in findings if f.needs_attention]


@pytest.mark.parametrize("example", [path.name for path in EXAMPLES])
def test_a_generated_draft_has_no_mismatch_or_unsupported_number(drafts, example):
    ledger, text, _ = drafts[example]
    findings = check_text(text, ledger)
    assert attention(findings) == []
    table = counts(findings)
    assert table["verified"] > 150 and table["mismatch"] == table["unsupported"] == table["stale"] == 0


@pytest.mark.parametrize("example", ["taojiang-rsj-2024.yaml", "demo-shuili-2024.yaml"])
def test_a_generated_docx_read_back_checks_clean_tables_included(drafts, example, tmp_path):
    ledger, _, package = drafts[example]
    path = tmp_path / "draft.docx"
    write_docx(package.document, path)
    text = read_draft(path)
    assert "附件2" in text and "\t" in text  # table rows are tab-separated lines
    assert attention(check_text(text, ledger)) == []


def test_the_seeds_own_report_checks_clean_against_its_transcription():
    ledger = compute(EXAMPLE).ledger
    text = read_draft(SEED)
    findings = check_text(text, ledger)
    assert attention(findings) == []
    table = counts(findings)
    assert table["verified"] >= 130  # the attachments' table cells are bound too
    relations = [f for f in findings if f.check != "number"]
    assert relations and all(f.status == "verified" for f in relations)


# -- injected errors: one per category, on the real drafts --------------------------------------------
CASES = [
    # (category, example, original, injected, the flagged text, expected display)
    ("digit substitution", "taojiang-rsj-2024.yaml", "受理工伤案件575件", "受理工伤案件576件", "576件", "575件"),
    ("digit substitution", "demo-shuili-2024.yaml", "全年执行数为2140.32万元", "全年执行数为2149.32万元", "2149.32万元", "2140.32万元"),
    ("digit transposition", "taojiang-rsj-2024.yaml", "惠及民工1241人", "惠及民工1214人", "1214人", "1241人"),
    ("digit transposition", "demo-shuili-2024.yaml", "全年实际支出118500元", "全年实际支出115800元", "115800元", "118500元"),
    ("decimal shift", "taojiang-rsj-2024.yaml", "发放失业保险金560.31万元", "发放失业保险金56.031万元", "56.031万元", "560.31万元"),
    ("decimal shift", "demo-shuili-2024.yaml", "预算执行率为97.62%", "预算执行率为9.762%", "9.762%", "97.62%"),
    ("unit swap", "taojiang-rsj-2024.yaml", "全年实际支出60158元", "全年实际支出60158万元", "60158万元", "60158元"),
    ("unit swap", "demo-shuili-2024.yaml", "政府采购金额224.10万元", "政府采购金额224.10元", "224.10元", "224.10万元"),
    ("percentage change", "taojiang-rsj-2024.yaml", "人员控制率为89.16%", "人员控制率为91.16%", "91.16%", "89.16%"),
    ("percentage change", "demo-shuili-2024.yaml", "农村自来水普及率达到91.50%", "农村自来水普及率达到93.50%", "93.50%", "91.50%"),
    ("stale prior-year value", "taojiang-rsj-2024.yaml", "2024年培训费支出15361元", "2024年培训费支出19380元", "19380元", "15361元"),
    ("stale prior-year value", "demo-shuili-2024.yaml", "2024年，我局政府采购金额224.10万元", "2024年，我局政府采购金额210.40万元",
     "210.40万元", "224.10万元"),
    ("rounding beyond the stated precision", "taojiang-rsj-2024.yaml", "预算执行率为98.91%", "预算执行率为98.92%", "98.92%", "98.91%"),
    ("rounding beyond the stated precision", "demo-shuili-2024.yaml", "规模控制率98.33%", "规模控制率98.34%", "98.34%", "98.33%"),
    ("wrong direction word", "taojiang-rsj-2024.yaml", "比上年减少121.65万元", "比上年增加121.65万元", "121.65万元", "-121.65万元"),
    ("wrong direction word", "demo-shuili-2024.yaml", "本年比上年增加13.70万元", "本年比上年减少13.70万元", "13.70万元", "13.70万元"),
    ("broken 其中 sum", "taojiang-rsj-2024.yaml", "城乡居保460272人", "城乡居保460372人", "460372人", "460272人"),
    ("broken 其中 sum", "demo-shuili-2024.yaml", "其中在职人员57人", "其中在职人员58人", "58人", "57人"),
]


@pytest.mark.parametrize("category, example, original, injected, flagged, expected", CASES,
                         ids=[f"{c[0]}-{c[1][:8]}" for c in CASES])
def test_an_injected_error_is_flagged_with_the_expected_display(drafts, category, example, original, injected,
                                                                flagged, expected):
    ledger, text, _ = drafts[example]
    assert original in text
    wrong = text.replace(original, injected, 1)
    at = wrong.index(injected) + injected.index(flagged)
    hits = [f for f in check_text(wrong, ledger) if f.check == "number" and f.start == at]
    assert hits and hits[0].text == flagged
    assert hits[0].status in {"mismatch", "stale"}, hits[0].message
    assert hits[0].expected == expected


def test_two_figures_swapped_in_a_draft_are_both_flagged(drafts):
    ledger, text, _ = drafts["taojiang-rsj-2024.yaml"]
    original = "新增城镇就业6240人，完成目标任务的130.00%，新增农村劳动力转移就业3669人"
    swapped = "新增城镇就业3669人，完成目标任务的130.00%，新增农村劳动力转移就业6240人"
    wrong = text.replace(original, swapped, 1)
    at = wrong.index(swapped)
    flagged = {f.text: f for f in check_text(wrong, ledger) if f.check == "number" and at <= f.start < at + len(swapped)}
    assert flagged["3669人"].status == flagged["6240人"].status == "mismatch"
    assert (flagged["3669人"].expected, flagged["6240人"].expected) == ("6240人", "3669人")


def test_a_broken_其中_sum_also_fails_its_relation(drafts):
    ledger, text, _ = drafts["taojiang-rsj-2024.yaml"]
    wrong = text.replace("城乡居保460272人", "城乡居保460372人", 1)
    sums = [f for f in check_text(wrong, ledger) if f.check == "sum"]
    assert [f.status for f in sums if "460372" in f.text] == ["mismatch"]


def test_a_wrong_direction_word_between_levels_is_flagged(drafts):
    ledger, text, _ = drafts["taojiang-rsj-2024.yaml"]
    wrong = text.replace("由92.40%提升至99.00%", "由92.40%下降至99.00%", 1)
    directions = [f for f in check_text(wrong, ledger) if f.check == "direction"]
    assert [f.status for f in directions] == ["mismatch"]


def test_the_seed_text_with_an_error_in_an_attachment_table_is_flagged():
    ledger = compute(EXAMPLE).ledger
    text = read_draft(SEED)
    wrong = text.replace("\t172.40\n", "\t172.04\n", 1)
    at = wrong.index("\t172.04\n") + 1
    (hit,) = [f for f in check_text(wrong, ledger) if f.start == at]
    assert hit.status == "mismatch" and hit.expected == "172.40万元"


def test_checking_is_deterministic(drafts):
    ledger, text, _ = drafts["demo-shuili-2024.yaml"]
    first = [f.to_json() for f in check_text(text, ledger)]
    assert first == [f.to_json() for f in check_text(text, ledger)]


def test_the_examples_directory_is_the_one_the_benchmark_uses():
    assert DEMO in EXAMPLES and Path(EXAMPLE) in EXAMPLES
