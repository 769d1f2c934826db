"""The one document reader: every layout of the development set (fixtures/documents/manifest.yaml)
reads into the tables, cells, year, department and data-file figures the manifest names; each format
and table layout on its own; unusable files give one Chinese line."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.model.document import DocumentError, read_document
from assistant.model.report_reader import read_report
from tests.model.document_builders import BUILDERS, convert

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
MANIFEST = yaml.safe_load((FIXTURES / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice is installed by tools/install-system-deps.sh")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Builder name and conversion → the built file (each built once)."""
    folder = tmp_path_factory.mktemp("built")
    cache: dict[tuple[str, str | None], Path] = {}

    def get(entry: dict) -> Path:
        key = (entry["build"], entry.get("convert"))
        if key not in cache:
            docx = BUILDERS[entry["build"]](folder / f"{entry['build']}{entry.get('suffix', '.docx')}")
            cache[key] = convert(docx, entry["convert"]) if entry.get("convert") else docx
        return cache[key]

    return get


def path_of(entry: dict, built) -> Path:
    if "file" in entry:
        return FIXTURES / entry["file"]
    if entry.get("convert") and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install-system-deps.sh")
    return built(entry)


def value_at(data, dotted: str):
    value = data
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def as_expected(value):
    return str(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else value


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["id"] for entry in MANIFEST])
def test_each_document_of_the_development_set_reads_as_the_manifest_says(entry, built):
    path = path_of(entry, built)
    document = read_document(path)
    tables = document.tables()
    for index, expected in enumerate(entry.get("tables") or []):
        assert index < len(tables), f"table {index} not recovered"
        rows = tables[index].cell_texts()
        if "rows" in expected:
            assert len(rows) == expected["rows"]
        for row, col, text in expected.get("cells", []):
            assert rows[row][col].replace("\n", "") == str(text), (index, row, col)
    if entry.get("traditional"):
        assert "原文为繁体字，已转换为简体字后读取" in document.notes
    if entry.get("pinyin"):
        assert "已去掉汉字后括注的拼音" in document.notes and "(dǎo)" not in document.text

    contents = read_report(path)
    assert set(contents.forms) == set(entry.get("forms") or [])
    if entry["year"] is None:
        assert contents.data is None and any("未找到报告年度" in note for note in contents.notes)
        return
    identity = contents.data.identity
    assert identity.year == entry["year"]
    assert identity.name == (entry["department"] or "")
    for dotted, expected in (entry.get("figures") or {}).items():
        assert as_expected(value_at(contents.data, dotted)) == (None if expected is None else str(expected)), dotted


# -- .docx ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return read_document(BUILDERS["province_form"](tmp_path_factory.mktemp("docx") / "form.docx"))


def test_docx_merged_cells_are_resolved(province):
    funding, _, indicators = province.tables()
    name_cell = funding.rows[0][1]
    assert (name_cell.text, name_cell.col, name_cell.colspan) == ("衡山县贯塘乡人民政府", 1, 6)
    level1 = [row[0] for row in indicators.rows[1:4]]
    assert (level1[0].text, level1[0].rowspan) == ("产出指标", 3)
    assert [cell.continued for cell in level1] == [False, True, True]
    assert level1[1].text == "产出指标"  # a covered cell knows the text that covers it
    assert indicators.cell_texts()[2][0] == ""  # … and reads empty for the form reader
    assert indicators.grid()[3][0] == "产出指标"


def test_docx_content_controls_and_nested_tables_are_read(province):
    funding, nested, _ = province.tables()
    assert funding.cell_texts()[2][3] == "2030.12"  # typed into a content control
    assert nested.parent == (province.blocks.index(funding), 3, 1)
    assert nested.cell_texts()[2] == ["政府性基金拨款：118.82", "项目支出：1025.20"]


def test_docx_positions_point_at_the_cell(province):
    funding = province.tables()[0]
    cell = funding.rows[2][1]
    assert province.text[cell.start:cell.end] == "861.10"
    heading = province.blocks[0]
    assert (heading.kind, heading.level, heading.element) == ("heading", 1, 1)
    assert funding.location(province.unit) == "第2段"


# -- .pdf and .doc ----------------------------------------------------------------------------------------

@needs_soffice
def test_a_pdf_with_a_text_layer_gives_its_tables_and_lines(built):
    document = read_document(built({"build": "province_form", "convert": "pdf"}))
    assert document.kind == "pdf" and document.unit == "页"
    rows = document.tables()[0].cell_texts()
    assert ["年度资金总额", "861.10", "2030.12", "2030.12", "10", "100%", "10"] in [
        [cell.replace("\n", "") for cell in row] for row in rows]
    paragraphs = [block.text for block in document.blocks if block.kind == "paragraph"]
    assert "2023年全年支出2030.12万元，其中基本支出900.47万元、项目支出1025.20万元。" in paragraphs  # wrap joined


def test_a_pdf_that_is_not_one_is_refused_in_chinese(tmp_path):
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(DocumentError, match="不是有效的 PDF 文件"):
        read_document(path)


@needs_soffice
def test_a_doc_is_converted_by_libreoffice(built):
    document = read_document(built({"build": "province_form", "convert": "doc"}))
    assert document.converted_from == ".doc" and document.notes[0].startswith("已用 LibreOffice")
    assert document.tables()[0].cell_texts()[2][:3] == ["年度资金总额", "861.10", "2030.12"]


def test_without_libreoffice_a_doc_gets_a_chinese_message(tmp_path, monkeypatch):
    path = tmp_path / "旧.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on the path
    with pytest.raises(DocumentError, match="需要 LibreOffice（未安装）"):
        read_document(path)


# -- flattened text ---------------------------------------------------------------------------------------

def text_document(tmp_path, text: str, name: str = "t.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def test_pipe_rows_without_outer_pipes_are_a_table(tmp_path):
    document = text_document(tmp_path, "三公经费\n项目 | 本年度 | 上年度\n公务接待费 | 6.02 | 6.02\n说明完毕。\n")
    (table,) = document.tables()
    assert table.layout == "pipe" and table.cell_texts() == [["项目", "本年度", "上年度"], ["公务接待费", "6.02", "6.02"]]
    cell = table.rows[1][2]
    assert (document.text[cell.start:cell.end], cell.line) == ("6.02", 3)


def test_cells_separated_by_runs_of_spaces_are_a_table(tmp_path):
    document = text_document(tmp_path, "项目资金    全年预算数    全年执行数\n年度资金总额    194.9    194.9\n")
    assert document.tables()[0].cell_texts() == [["项目资金", "全年预算数", "全年执行数"], ["年度资金总额", "194.9", "194.9"]]


def test_one_cell_per_line_with_rows_between_blank_lines(tmp_path):
    document = text_document(tmp_path, "附件1\n\n编制数\n在职人数\n控制率\n\n46\n50\n108.70%\n\n公用经费\n118.31\n193.42\n")
    (table,) = document.tables()
    assert table.layout == "cell-lines"
    assert table.cell_texts() == [["编制数", "在职人数", "控制率"], ["46", "50", "108.70%"], ["公用经费", "118.31", "193.42"]]
    assert document.blocks[0].text == "附件1"


def test_every_cell_between_blank_lines_rebuilds_the_rows(tmp_path):
    cells = ["财政供养人员情况", "编制数", "在职人数", "控制率", "46", "50", "108.70%", "经费控制情况", "2022年决算数",
             "2023年预算数", "2023年决算数", "公用经费", "118.31", "85.76", "193.42"]
    table = text_document(tmp_path, "\n\n".join(cells) + "\n").tables()[0]
    assert table.layout == "cell-blocks"
    assert table.cell_texts() == [cells[0:4], cells[4:7], cells[7:11], cells[11:15]]


def test_word_export_cells_with_tabs_and_continuation_lines(tmp_path):
    document = text_document(tmp_path, "\t年度预\n算申请\n\t年初预算数\n\n\t年度资金总额\n\t979.39\n\n说明：完毕\n")
    assert document.tables()[0].cell_texts() == [["年度预\n算申请", "年初预算数"], ["年度资金总额", "979.39"]]


def test_traditional_text_is_simplified_and_pinyin_dropped(tmp_path):
    document = text_document(tmp_path, "【導(dǎo)讀】“三公”經費支出合計35萬元，比上年減少2.28萬元。\n")
    assert document.text == "【导读】“三公”经费支出合计35万元，比上年减少2.28万元。\n"
    simplified = text_document(tmp_path, "显著成效，著力推进（A）与（B/A）。\n", "s.txt")
    assert simplified.text == "显著成效，著力推进（A）与（B/A）。\n" and simplified.notes == []
