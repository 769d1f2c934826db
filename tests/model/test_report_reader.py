"""The report reader: a finished report's forms back into a DepartmentYear, and its narrative text.

Round trip: every example data file → our .docx (and our --text rendering) → read back → the same
table figures (附件1, 附件2 funding and indicators, the 三公 table in 元) as the original ledger prints.
The seed's plain-text export reads into the same table figures as its faithful transcription.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.figures.build import build_ledger
from assistant.model.errors import InputError
from assistant.model.load import load
from assistant.model.report_reader import (
    FORM_ASSESSMENT,
    FORM_BASIC,
    FORM_SANGONG,
    read_report,
)
from assistant.pipeline import generate
from assistant.render.docx_writer import write_docx
from assistant.render.text import document_text
from tests.conftest import EXAMPLE, ROOT

SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Ledger prefixes of the figures the forms print: 附件1, 附件2 and the report's 三公 table (元).
TABLE_FACTS = (
    "staff.", "sangong.total.", "sangong.vehicle", "sangong.overseas.", "sangong.reception.", "projects.total.",
    "projects.item.",
    "public_funds.", "procurement.", "basic_adjustment.", "building.", "funding.", "indicator.", "score.",
    "weight.", "sangong_yuan.", "meeting_fee.", "training_fee.", "personnel.",
)


def table_numbers(ledger) -> dict[str, str]:
    return {fact.key: fact.number for fact in ledger if fact.key.startswith(TABLE_FACTS)}


def differences(original, imported) -> list[str]:
    """Facts whose printed figure differs. The 三公 table leaves out sub-rows that are zero or blank in
    every column, so a 0 there reads back as blank (and its derived 增减 as blank too)."""
    before, after = table_numbers(build_ledger(original)), table_numbers(build_ledger(imported))
    found = []
    for key, number in before.items():
        again = after.get(key)
        if number == again:
            continue
        row = ".".join(key.split(".")[:2])
        if key.startswith("sangong_yuan.") and row != "sangong_yuan.total" and again == "" and all(
                before[k] in ("", "0", "—") or before[k].startswith("0") for k in before if k.startswith(row + ".")):
            continue
        found.append(f"{key}: {number!r} → {again!r}")
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each example as our .docx and our plain text."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for path in EXAMPLES:
        package = generate(path)
        docx, text = folder / f"{path.stem}.docx", folder / f"{path.stem}.txt"
        write_docx(package.document, docx)
        text.write_text(document_text(package.document), encoding="utf-8")
        out[path.stem] = (docx, text)
    return out


@pytest.mark.parametrize("example", [path.stem for path in EXAMPLES])
@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_round_trip_reproduces_every_table_figure(rendered, example, kind):
    original = load(ROOT / "examples" / f"{example}.yaml")
    report = rendered[example][0 if kind == "docx" else 1]
    contents = read_report(report)
    assert set(contents.forms) == {FORM_BASIC, FORM_ASSESSMENT, FORM_SANGONG}
    assert differences(original, contents.data) == []
    imported = contents.data
    assert imported.identity.name == original.identity.name
    assert imported.identity.year == original.identity.year
    assert imported.identity.county == original.identity.county
    for field in ("preparer", "phone", "filled_on", "leader"):
        assert getattr(imported.identity, field) == getattr(original.identity, field), field
    for index, (got, want) in enumerate(zip(imported.self_assessment.indicators,
                                            original.self_assessment.indicators, strict=True)):
        for field in ("level1", "level2", "name", "target", "actual", "weight", "deviation_reason"):
            assert getattr(got, field) == getattr(want, field), (index, field)
    assert imported.self_assessment.goals == original.self_assessment.goals
    assert imported.basic_data.frugality_measures == original.basic_data.frugality_measures
    assert [b.name for b in imported.basic_data.buildings] == [b.name for b in original.basic_data.buildings]
    assert [i.name for i in imported.basic_data.projects.items] == [i.name for i in original.basic_data.projects.items]
    sangong, want = imported.narrative.sangong, original.narrative.sangong
    assert (sangong.reception_batches, sangong.reception_persons) == (want.reception_batches, want.reception_persons)
    assert sangong.explanation == want.explanation and sangong.measures == want.measures
    for got_expense, want_expense in ((imported.narrative.meetings, original.narrative.meetings),
                                      (imported.narrative.training, original.narrative.training)):
        assert got_expense.model_dump(exclude={"reason"}) == want_expense.model_dump(exclude={"reason"})
    assert imported.narrative.training.reason == original.narrative.training.reason
    assert imported.narrative.personnel == original.narrative.personnel
    assert [(p.name, p.budget, p.spending) for p in imported.narrative.projects] == [
        (p.name, p.budget, p.spending) for p in original.narrative.projects]


def test_markdown_pipe_tables_read_like_the_tab_rendering(rendered, tmp_path):
    text = rendered["demo-shuili-2024"][1].read_text(encoding="utf-8")
    lines = ["| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.split("\n")]
    markdown = tmp_path / "report.md"
    markdown.write_text("\n".join(lines), encoding="utf-8")
    assert differences(load(ROOT / "examples" / "demo-shuili-2024.yaml"), read_report(markdown).data) == []


# -- the seed: the department's own plain-text export -------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    return read_report(SEED)


def test_the_seed_export_reads_into_its_faithful_transcription(seed, example_data):
    assert set(seed.forms) == {FORM_BASIC, FORM_ASSESSMENT, FORM_SANGONG}
    imported = seed.data
    assert differences(example_data, imported) == []
    assert imported.basic_data.model_dump(exclude={"notes"}) == example_data.basic_data.model_dump(exclude={"notes"})
    assert imported.self_assessment == example_data.self_assessment
    want = example_data.identity.model_dump(exclude={"leader"})
    assert imported.identity.model_dump(exclude={"leader"}) == want  # city/province from the corpus header
    narrative, want = imported.narrative, example_data.narrative
    assert narrative.personnel == want.personnel
    assert narrative.meetings == want.meetings and narrative.training == want.training
    assert narrative.sangong.model_dump(exclude={"vehicle", "overseas"}) == want.sangong.model_dump(
        exclude={"vehicle", "overseas"})
    assert [(p.name, p.spending) for p in narrative.projects] == [(p.name, p.spending) for p in want.projects]
    # The report's table has no 公务用车 / 出国 rows: blank, not the transcription's 0.
    assert narrative.sangong.vehicle.final is None and narrative.sangong.overseas.final is None


def test_blank_cells_stay_blank_and_export_artefacts_are_dropped(seed):
    basic = seed.data.basic_data
    assert basic.basic_budget_adjustment.budget is None  # "[bookmark: _GoBack]" in the export
    assert basic.sangong.vehicle.final is None
    assert basic.projects.items[1].final is None
    indicators = seed.data.self_assessment.indicators
    assert [row.weight for row in indicators] == [None] * 9
    assert indicators[4].target is None and indicators[4].actual == "收入增长"
    assert indicators[0].target == "百分比"
    assert seed.data.self_assessment.stated_total == Decimal(100)


def test_the_reader_keeps_the_years_of_the_form_headers(seed):
    years = {(header.text, header.year, header.offset) for header in seed.header_years}
    assert ("2023年实际在职人数", 2023, 0) in years  # the seed's header names the wrong year
    assert {("2023年决算数", 2023, -1), ("2024年预算数", 2024, 0), ("2024年决算数", 2024, 0)} <= years
    assert seed.notes == ()


def test_stated_computed_cells_are_kept_for_the_audit(seed):
    stated = {cell.key: cell.value for cell in seed.stated_cells}
    assert stated["sangong_yuan.total.change"] == Decimal(-39740)
    assert stated["sangong_yuan.total.change_pct"] == Decimal("-39.78")
    assert stated["weight.total"] == Decimal(100)


def test_the_narrative_is_the_text_outside_the_forms(seed):
    text = seed.narrative
    assert "年初支出计划979.39万元" in text
    assert "2024年会议费16730元" in text
    assert "“三公经费”与年初预算、上年度收支情况对比说明（元）" in text  # the caption is report text
    for form_only in ("294.05", "1715.12", "60158\n", "填表人", "基础数据表", "place:", "百分比"):
        assert form_only not in text
    assert not any(line.startswith("附件") for line in text.split("\n"))


def test_narrative_spans_map_back_to_the_original_text(seed):
    for segment in seed.segments:
        assert seed.original[segment.original:segment.original + segment.length] == \
            seed.narrative[segment.start:segment.start + segment.length]
    start = seed.narrative.index("16730")
    begin, end = seed.original_span(start, start + 5)
    assert seed.original[begin:end] == "16730"
    assert SEED.read_text(encoding="utf-8")[begin:end] == "16730"  # offsets into the file as read


def test_docx_narrative_maps_back_to_the_docx_text(rendered):
    contents = read_report(rendered["taojiang-rsj-2024"][0])
    start = contents.narrative.index("89.16%")
    begin, end = contents.original_span(start, start + 6)
    assert contents.original[begin:end] == "89.16%"
    assert "财政供养人员情况（人）\t编制数" in contents.original  # tables are in the full text, as rows
    assert "财政供养人员情况" not in contents.narrative


def test_gbk_text_is_detected_and_reads_the_same(tmp_path, seed):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").replace("m²", "m2").encode("gbk"))  # ² is not in GBK
    contents = read_report(gbk)
    assert contents.encoding == "gbk"
    assert contents.data == seed.data
    assert contents.narrative == seed.narrative


def test_crlf_and_bom_do_not_matter(tmp_path, seed):
    windows = tmp_path / "seed-windows.txt"
    windows.write_bytes(b"\xef\xbb\xbf" + SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert read_report(windows).data == seed.data


# -- unusable input: one Chinese line ---------------------------------------------------------------------

def message_of(path) -> str:
    with pytest.raises(InputError) as caught:
        read_report(path)
    message = str(caught.value)
    assert "\n" not in message and message
    return message


def test_missing_file(tmp_path):
    assert "找不到报告文件" in message_of(tmp_path / "没有这个文件.docx")


def test_a_folder(tmp_path):
    assert "文件夹" in message_of(tmp_path)


def test_unsupported_and_broken_types(tmp_path):
    (tmp_path / "report.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "不支持的报告文件类型" in message_of(tmp_path / "report.xls")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    assert "不是有效的 PDF 文件" in message_of(tmp_path / "report.pdf")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert ".doc" in message_of(tmp_path / "old.doc")


def test_corrupt_docx(tmp_path):
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"this is not a zip archive at all")
    assert "文件已损坏或不是 Word 文档" in message_of(bad)
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(EXAMPLE.read_bytes()[:10] + b"PK\x03\x04" + b"\x00" * 50)
    assert "docx" in message_of(truncated)


def test_a_zip_that_is_not_a_word_document(tmp_path):
    archive = tmp_path / "archive.docx"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "你好")
    assert "文件已损坏或不是 Word 文档" in message_of(archive)


def test_a_docx_without_forms_is_read_as_text(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("某县某局2024年度部门整体支出绩效自评报告")
    document.add_paragraph("一、部门概况。全年支出100万元。")
    path = tmp_path / "no-forms.docx"
    document.save(path)
    contents = read_report(path)
    assert contents.forms == ()
    assert "全年支出100万元" in contents.narrative
    assert contents.data.identity.year == 2024 and contents.data.identity.name == "某县某局"
    assert any("只读取了正文文字" in note for note in contents.notes)


def test_empty_and_blank_text(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "文件内容为空" in message_of(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n\t\n", encoding="utf-8")
    assert "文件内容为空" in message_of(blank)


def test_binary_text_file(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    assert "不是文本文件" in message_of(junk)


def test_text_without_forms_is_read_with_a_note(tmp_path):
    path = tmp_path / "narrative-only.txt"
    path.write_text("某县某局2024年度部门整体支出绩效自评报告\n一、部门概况\n全年支出100万元。\n", encoding="utf-8")
    contents = read_report(path)
    assert contents.forms == () and contents.narrative.endswith("全年支出100万元。")
    assert [block.kind for block in contents.document.blocks] == ["paragraph", "heading", "paragraph"]


def test_forms_without_a_year_or_a_name_are_read_with_notes(tmp_path, rendered):
    text = rendered["demo-shuili-2024"][1].read_text(encoding="utf-8")
    rows = [line for line in text.split("\n") if "\t" in line and "年" not in line and "单位名称" not in line]
    path = tmp_path / "no-identity.txt"
    path.write_text("\n".join(rows), encoding="utf-8")
    contents = read_report(path)
    assert contents.data is None and FORM_BASIC in contents.forms
    assert any("未找到报告年度" in note for note in contents.notes)
    assert any("未找到单位名称" in note for note in contents.notes)
    given = read_report(path, year=2024, department="示例县水利局")
    assert (given.data.identity.year, given.data.identity.name) == (2024, "示例县水利局")


def test_the_file_name_gives_year_and_department(tmp_path):
    path = tmp_path / "某县水利局2023年度绩效自评.txt"
    path.write_text("一、基本情况\n全年支出100万元。\n", encoding="utf-8")
    identity = read_report(path).data.identity
    assert (identity.year, identity.name) == (2023, "某县水利局")


def test_a_negative_amount_names_the_field(tmp_path, rendered):
    text = rendered["demo-shuili-2024"][1].read_text(encoding="utf-8").replace("政府采购金额\t210.40", "政府采购金额\t-210.40")
    path = tmp_path / "negative.txt"
    path.write_text(text, encoding="utf-8")
    message = message_of(path)
    assert "政府采购金额" in message and "不能为负数" in message


def test_unreadable_cells_are_blank_with_a_note(tmp_path, rendered):
    text = rendered["demo-shuili-2024"][1].read_text(encoding="utf-8").replace("政府采购金额\t210.40", "政府采购金额\t见说明")
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    contents = read_report(path)
    assert contents.data.basic_data.procurement.prior_final is None
    assert any("“见说明”不是数字" in note for note in contents.notes)


def test_generated_text_without_attachments_still_has_its_sangong_table(rendered, tmp_path):
    text = rendered["demo-shuili-2024"][1].read_text(encoding="utf-8")
    body = text.split("\n附件1\n")[0]
    path = Path(tmp_path / "body-only.txt")
    path.write_text(body, encoding="utf-8")
    contents = read_report(path)
    assert contents.forms == (FORM_SANGONG,)
    assert contents.data.narrative.sangong.total.final is not None
