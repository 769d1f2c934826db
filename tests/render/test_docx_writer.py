"""The .docx writer lays a Document out as GB/T 9704-2012 asks (docs/domain.md §5).

Most tests reopen the written file with python-docx and check the XML; one test
converts it with LibreOffice and checks the PDF (page count, sizes, fonts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from assistant.render import docx_writer
from assistant.render.document import (
    Attachment,
    Cell,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from assistant.render.docx_writer import write_docx

REPO = Path(__file__).resolve().parents[2]
FONTS_CONF = REPO / "tools" / "fontconfig" / "fonts.conf"

ATTACHMENT_1_TITLE = "2024年度部门整体支出绩效自评基础数据表"
ATTACHMENT_2_TITLE = "2024年度部门整体支出绩效自评表"


def sample_document() -> Document:
    """A short report with every block type, a merged table and two attachments."""
    basic_table = Table(
        rows=[
            [Cell("项目", colspan=2, bold=True), None, Cell("上年决算数", bold=True),
             Cell("本年预算数", bold=True), Cell("本年决算数", bold=True)],
            [Cell("三公经费", rowspan=2), Cell("合计"), Cell("12.30"), Cell("11.00"), Cell("10.85")],
            [None, Cell("其中：公务接待\n（含外宾接待）", align="left"), Cell("3.20"), Cell("3.00"),
             Cell("2.95")],
            [Cell("公用经费", colspan=2), None, Cell("50.10"), Cell("48.00"), Cell("45.60")],
        ],
        col_widths_mm=[28, 46, 28, 27, 27],
        caption="表1 三公经费及公用经费情况（单位：万元）",
    )
    data_table = Table(
        rows=[
            [Cell("基础数据", colspan=3, bold=True), None, None, Cell("金额（万元）", rowspan=2, bold=True)],
            [Cell("类别"), Cell("项目"), Cell("细项"), None],
            [Cell("财政供养人员", rowspan=2), Cell("编制数"), Cell("人"), Cell("35")],
            [None, Cell("实际在职人数"), Cell("人"), Cell("33")],
            [Cell("公用经费"), Cell("办公经费", colspan=2), None, Cell("45.60")],
        ],
        col_widths_mm=[50, 60, 40, 50],
        header_rows=2,
    )
    score_rows = [
        [Cell(h, bold=True) for h in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                       "分值", "得分", "偏差原因分析及改进措施")],
    ]
    for i in range(6):
        score_rows.append([
            Cell("产出指标", rowspan=6) if i == 0 else None,
            Cell("数量指标", rowspan=3) if i == 0 else (Cell("质量指标", rowspan=3) if i == 3 else None),
            Cell(f"三级指标{i + 1}", align="left"),
            Cell("≥95%"), Cell("96.5%"), Cell("8"), Cell("8.00"),
            Cell("无偏差。" if i % 2 else "受项目进度影响，部分资金未按时支付，下一步将加快执行。", align="left"),
        ])
    score_table = Table(rows=score_rows, col_widths_mm=[22, 22, 40, 25, 25, 14, 14, 63],
                        font_size_pt=10.5)
    return Document(
        title="桃江县某局2024年度\n部门整体支出绩效自评报告",
        blocks=[
            Heading(1, "一、部门基本情况"),
            Paragraph("本部门为县人民政府工作部门，内设股室5个，下属单位2个。"
                      "2024年度编制数35人，实际在职人数33人，人员控制率为94.29%。" * 2),
            Heading(2, "（一）部门职能"),
            Paragraph("贯彻执行国家、省、市有关方针政策和法律法规，拟订全县相关发展规划并组织实施。"),
            Heading(3, "1.预算收支情况"),
            Paragraph("2024年度全年预算数1,234.56万元，全年执行数1,200.00万元，预算执行率为97.20%。"),
            Heading(4, "（1）基本支出"),
            Paragraph("基本支出主要用于保障机构正常运转。"),
            basic_table,
            Paragraph("（数据来源：2024年度部门决算）", align="right", indent_first=False),
            Heading(1, "二、绩效自评结论"),
            Paragraph("经自评，本部门2024年度整体支出绩效自评得分为95.50分，评价等级为“优”。"),
        ],
        attachments=[
            Attachment("附件1", ATTACHMENT_1_TITLE, [data_table],
                       notes=["说明：金额单位为万元。", "填表人：张三    联系电话：0737-1234567"]),
            Attachment("附件2", ATTACHMENT_2_TITLE, [score_table], notes=["填表日期：2025年3月15日"]),
        ],
        signature="桃江县某局",
        date="2025年3月15日",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    write_docx(sample_document(), path)
    return path


@pytest.fixture(scope="module")
def opened(written):
    return docx.Document(str(written))


def east_asia_font(document, paragraph) -> str | None:
    """The effective East Asian font of a paragraph's text (run, then style chain)."""
    for run in paragraph.runs:
        rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
        if rfonts is not None and rfonts.get(qn("w:eastAsia")):
            return rfonts.get(qn("w:eastAsia"))
    style = paragraph.style
    while style is not None:
        rfonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if rfonts is not None and rfonts.get(qn("w:eastAsia")):
            return rfonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def paragraph_starting(document, text: str):
    for paragraph in document.paragraphs:
        if paragraph.text.startswith(text):
            return paragraph
    raise AssertionError(f"no paragraph starts with {text!r}")


def mm(length) -> float:
    return round(length / Mm(1), 1)


# --------------------------------------------------------------------------- pages


def test_body_is_portrait_a4_with_gbt9704_margins(opened):
    body = opened.sections[0]
    assert body.orientation == WD_ORIENT.PORTRAIT
    assert (mm(body.page_width), mm(body.page_height)) == (210.0, 297.0)
    assert (mm(body.top_margin), mm(body.bottom_margin)) == (37.0, 35.0)
    assert (mm(body.left_margin), mm(body.right_margin)) == (28.0, 26.0)


def test_each_attachment_is_a_landscape_section_with_a_225_by_156_text_area(opened):
    assert len(opened.sections) == 3
    for section in opened.sections[1:]:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert (mm(section.page_width), mm(section.page_height)) == (297.0, 210.0)
        text_w = section.page_width - section.left_margin - section.right_margin
        text_h = section.page_height - section.top_margin - section.bottom_margin
        assert (mm(text_w), mm(text_h)) == (225.0, 156.0)
        assert section.start_type == 2  # WD_SECTION.NEW_PAGE


def test_body_has_22_lines_of_28_characters(opened):
    section = opened.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    text_height_twips = (section.page_height - section.top_margin - section.bottom_margin) // 635
    assert pitch * 22 <= text_height_twips < pitch * 23
    body = opened.styles["报告正文"]
    assert body.paragraph_format.line_spacing.pt == pytest.approx(docx_writer.LINE_SPACING_PT)
    assert body.paragraph_format.line_spacing_rule == 4  # WD_LINE_SPACING.EXACTLY
    assert round(body.paragraph_format.line_spacing.pt * 20) == pitch
    # Characters are condensed so that 28 of them fill the 156 mm line.
    condense = int(body.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    char_pt = 16 + condense
    text_width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
    assert 28 * char_pt <= text_width_pt < 29 * char_pt


# --------------------------------------------------------------------------- fonts


def test_title_is_2hao_xiaobiaosong_centred_with_manual_line_break(opened):
    title = opened.paragraphs[0]
    assert title.style.name == "报告标题"
    assert title.text == "桃江县某局2024年度\n部门整体支出绩效自评报告"
    assert title._p.xpath(".//w:br")
    assert east_asia_font(opened, title) == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert title.style.paragraph_format.alignment == 1  # CENTER
    assert opened.paragraphs[1].text == ""  # one blank line after the title


@pytest.mark.parametrize(
    ("text", "font", "outline"),
    [
        ("一、部门基本情况", "黑体", 0),
        ("（一）部门职能", "楷体_GB2312", 1),
        ("1.预算收支情况", "仿宋_GB2312", 2),
        ("（1）基本支出", "仿宋_GB2312", 3),
    ],
)
def test_headings_use_their_face_and_are_outline_levels(opened, text, font, outline):
    heading = paragraph_starting(opened, text)
    assert east_asia_font(opened, heading) == font
    assert heading.style.font.size.pt == 16
    level = heading.style.element.pPr.find(qn("w:outlineLvl"))
    assert level is not None and int(level.get(qn("w:val"))) == outline


def test_body_text_is_fangsong_with_times_new_roman_digits_and_2_char_indent(opened):
    body = paragraph_starting(opened, "本部门为县人民政府工作部门")
    assert east_asia_font(opened, body) == "仿宋_GB2312"
    rfonts = body.style.element.rPr.rFonts
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert rfonts.get(qn("w:hAnsi")) == "Times New Roman"
    ind = body.style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert int(ind.get(qn("w:firstLine"))) == 640  # 2 x 16 pt fallback
    assert body.style.paragraph_format.alignment == 3  # JUSTIFY


def test_unindented_right_aligned_paragraph_overrides_the_style(opened):
    unit = paragraph_starting(opened, "（数据来源")
    assert unit.alignment == 2  # RIGHT
    ind = unit._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "0" and ind.get(qn("w:firstLine")) == "0"


def test_template_styles_are_replaced_by_the_jx_set(opened):
    names = {style.name for style in opened.styles}
    assert {"报告标题", "报告正文", "一级标题", "四级标题", "表格文字"} <= names
    assert "Heading 1" not in names and "Title" not in names
    defaults = opened.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rfonts.get(qn("w:asciiTheme")) is None


# --------------------------------------------------------------------------- page numbers


def footer_xml(footer) -> str:
    return footer._element.xml


def test_page_number_is_a_page_field_between_dashes_in_4hao_songti(opened):
    assert opened.settings.odd_and_even_pages_header_footer
    first = opened.sections[0]
    for footer in (first.footer, first.even_page_footer):
        assert not footer.is_linked_to_previous
        xml = footer_xml(footer)
        assert "PAGE" in "".join(footer._element.itertext())
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert east_asia_font(opened, paragraph) == "宋体"
        assert paragraph.style.font.size.pt == 14


def test_odd_pages_number_right_even_pages_left_each_indented_one_character(opened):
    first = opened.sections[0]
    odd = first.footer.paragraphs[0]
    even = first.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and odd.paragraph_format.right_indent.pt == 14
    assert even.alignment == 0 and even.paragraph_format.left_indent.pt == 14


def test_attachment_sections_inherit_the_footer_and_keep_numbering(opened):
    for section in opened.sections[1:]:
        assert section.footer.is_linked_to_previous
        assert section.even_page_footer.is_linked_to_previous
        assert section._sectPr.find(qn("w:pgNumType")) is None


# --------------------------------------------------------------------------- 附件说明, signature


def test_attachment_note_lists_titles_with_later_items_aligned(opened):
    texts = [p.text for p in opened.paragraphs]
    first = texts.index(f"附件：1.\t{ATTACHMENT_1_TITLE}")
    assert texts[first - 1] == ""  # one blank line before
    assert texts[first + 1] == f"2.\t{ATTACHMENT_2_TITLE}"
    p1, p2 = opened.paragraphs[first], opened.paragraphs[first + 1]
    # Both items wrap to the same left edge; item 2 starts where "1." starts.
    f1, f2 = p1.paragraph_format, p2.paragraph_format
    assert f1.left_indent == f2.left_indent
    assert f1.left_indent + f1.first_line_indent == Mm(0) + 2 * 16 * 12700  # 2 chars
    assert f2.left_indent + f2.first_line_indent == 5 * 16 * 12700  # under "1."


def test_single_attachment_note_has_no_number(tmp_path):
    path = tmp_path / "one.docx"
    write_docx(Document("标题", [Paragraph("正文。")], [Attachment("附件", "自评表")]), path)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "附件：自评表" in texts


def test_no_attachment_note_when_disabled(tmp_path):
    path = tmp_path / "none.docx"
    doc = Document("标题", [Paragraph("正文。")], [Attachment("附件1", "自评表")], attachment_note=False)
    write_docx(doc, path)
    assert not any(p.text.startswith("附件：") for p in docx.Document(str(path)).paragraphs)


def test_signature_and_date_are_right_aligned_after_the_attachment_note(opened):
    texts = [p.text for p in opened.paragraphs]
    sig = texts.index("桃江县某局")
    assert texts[sig + 1] == "2025年3月15日"
    assert texts[sig - 1] == "" and texts[sig - 2].startswith("2.\t")
    for paragraph in opened.paragraphs[sig : sig + 2]:
        assert paragraph.style.paragraph_format.alignment == 2  # RIGHT
    # 署名 right-indented 2 chars; the date starts 2 chars right of the 署名's
    # first char. The signature is 5 chars wide, the date 6.5 (digits count half),
    # so the date gets the 2-char right indent and the signature moves left.
    sig_ind = opened.paragraphs[sig]._p.pPr.find(qn("w:ind"))
    date_ind = opened.paragraphs[sig + 1]._p.pPr.find(qn("w:ind"))
    assert date_ind.get(qn("w:rightChars")) == "200"
    assert sig_ind.get(qn("w:rightChars")) == "550"  # 2 + 6.5 + 2 - 5


# --------------------------------------------------------------------------- attachments


def test_attachment_pages_start_with_label_blank_line_and_title(opened):
    texts = [p.text for p in opened.paragraphs]
    for label, title in (("附件1", ATTACHMENT_1_TITLE), ("附件2", ATTACHMENT_2_TITLE)):
        i = texts.index(label)
        label_p = opened.paragraphs[i]
        assert label_p.style.name == "附件标识"
        assert east_asia_font(opened, label_p) == "黑体"
        assert label_p.style.paragraph_format.first_line_indent == 0
        assert texts[i + 1] == ""
        assert texts[i + 2] == title  # title on line 3
        assert opened.paragraphs[i + 2].style.name == "报告标题"


def test_attachment_notes_follow_its_table(opened):
    note = paragraph_starting(opened, "填表人：张三")
    assert note.style.name == "表注"
    assert note.style.font.size.pt == 12
    assert note.style.paragraph_format.alignment == 0  # LEFT


# --------------------------------------------------------------------------- tables


def test_table_spans_are_real_merges(opened):
    table = opened.tables[0]
    assert table.cell(0, 0)._tc is table.cell(0, 1)._tc  # colspan 2
    assert table.cell(0, 0).text == "项目"
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc  # rowspan 2
    assert table.cell(1, 0).text == "三公经费"
    assert table.cell(3, 0)._tc is table.cell(3, 1)._tc
    assert table.cell(3, 0).text == "公用经费"
    assert table.cell(2, 1).text == "其中：公务接待\n（含外宾接待）"
    data = opened.tables[1]
    assert data.cell(0, 0)._tc is data.cell(0, 2)._tc
    assert data.cell(0, 3)._tc is data.cell(1, 3)._tc


def test_table_has_borders_fixed_widths_and_repeating_header(opened):
    table = opened.tables[0]
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        assert element.get(qn("w:val")) == "single" and element.get(qn("w:sz")) == "4"
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    assert [round(w / Mm(1)) for w in widths] == [28, 46, 28, 27, 27]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert opened.tables[1].rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None  # header_rows=2


def test_rows_do_not_break_across_pages_unless_very_long(tmp_path):
    long_text = "偏差原因" * 60
    path = tmp_path / "rows.docx"
    table = Table(rows=[[Cell("指标"), Cell("说明")], [Cell("甲"), Cell("短。")], [Cell("乙"), Cell(long_text)]])
    write_docx(Document("标题", [table]), path)
    rows = docx.Document(str(path)).tables[0].rows
    assert [bool(row._tr.xpath("./w:trPr/w:cantSplit")) for row in rows] == [True, True, False]


def test_wide_table_is_scaled_to_the_landscape_text_width(opened):
    score = opened.tables[2]
    total = sum(col.w for col in score._tbl.tblGrid.gridCol_lst)
    assert round(total / Mm(1)) == 225
    data = opened.tables[1]  # 200 mm asked, fits, kept
    assert round(sum(col.w for col in data._tbl.tblGrid.gridCol_lst) / Mm(1)) == 200


def test_table_cells_are_fangsong_at_the_table_size_centred_vertically(opened):
    score = opened.tables[2]
    cell = score.cell(1, 7)
    paragraph = cell.paragraphs[0]
    assert paragraph.style.name == "表格文字"
    assert east_asia_font(opened, paragraph) == "仿宋_GB2312"
    assert paragraph.runs[0].font.size.pt == 10.5
    assert paragraph.alignment == 0  # LEFT, as the Cell asked
    assert paragraph.style.paragraph_format.first_line_indent == 0
    assert cell.vertical_alignment == 1  # CENTER
    assert opened.tables[0].cell(0, 0).paragraphs[0].runs[0].bold


def test_table_caption_precedes_the_table(opened):
    caption = paragraph_starting(opened, "表1 三公经费及公用经费情况")
    assert caption.style.name == "表题"
    assert caption._p.getnext().tag == qn("w:tbl")


# --------------------------------------------------------------------------- spec validation


def test_table_grid_must_be_rectangular_and_fully_covered():
    with pytest.raises(ValueError, match="row 1 has 1 entries"):
        Table(rows=[[Cell("a"), Cell("b")], [Cell("c")]])
    with pytest.raises(ValueError, match="no span covers it"):
        Table(rows=[[Cell("a"), None]])
    with pytest.raises(ValueError, match="must be None"):
        Table(rows=[[Cell("a", colspan=2), Cell("b")]])
    with pytest.raises(ValueError, match="runs past the grid"):
        Table(rows=[[Cell("a", rowspan=2)]])
    with pytest.raises(ValueError, match="column widths"):
        Table(rows=[[Cell("a")]], col_widths_mm=[10, 20])


def test_document_rejects_unknown_blocks_and_levels():
    with pytest.raises(TypeError, match="unsupported type str"):
        Document("标题", ["正文"])
    with pytest.raises(ValueError, match="level"):
        Heading(5, "x")


def test_page_break_starts_a_new_page(tmp_path):
    path = tmp_path / "break.docx"
    write_docx(Document("标题", [Paragraph("甲"), PageBreak(), Paragraph("乙")]), path)
    assert 'w:type="page"' in docx.Document(str(path)).element.body.xml


# --------------------------------------------------------------------------- atomic write


def test_failed_write_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "report.docx"
    write_docx(Document("旧报告", [Paragraph("旧正文。")]), path)
    before = path.read_bytes()
    bad = Document("新报告", [Paragraph("新正文。")])
    object.__setattr__(bad, "blocks", (Paragraph("新正文。"), "not a block"))
    with pytest.raises(TypeError, match="unsupported block type"):
        write_docx(bad, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


def test_failure_while_saving_removes_the_temp_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "report.docx"
    write_docx(Document("旧报告", [Paragraph("旧正文。")]), path)
    before = path.read_bytes()

    def broken_save(self, stream):
        stream.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_docx(Document("新报告", [Paragraph("新正文。")]), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


def test_missing_directory_raises_oserror_and_creates_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_docx(Document("标题"), tmp_path / "no-such-dir" / "report.docx")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_directory_raises_oserror(tmp_path):
    # Root may write anywhere a mode allows, but never create files in /sys.
    locked = Path("/sys") if os.geteuid() == 0 else tmp_path / "locked"
    if locked != Path("/sys"):
        locked.mkdir(mode=0o500)
    with pytest.raises(PermissionError):
        write_docx(Document("标题"), locked / "report.docx")


# --------------------------------------------------------------------------- LibreOffice


def run_tool(args: list[str], **kwargs) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


@pytest.fixture(scope="module")
def pdf(written, tmp_path_factory) -> Path:
    missing = [tool for tool in ("soffice", "pdfinfo", "pdffonts") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: install libreoffice-writer-nogui, poppler-utils "
            "and fonts-noto-cjk to run the rendering test"
        )
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    run_tool(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(written)],
        env=env, timeout=180,
    )
    result = out / "report.pdf"
    assert result.exists(), "LibreOffice produced no PDF"
    return result


def test_libreoffice_renders_portrait_body_then_landscape_attachments(pdf):
    info = run_tool(["pdfinfo", "-f", "1", "-l", "99", str(pdf)])
    sizes = [line.split(":", 1)[1] for line in info.splitlines() if line.startswith("Page") and "size:" in line]
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 3
    widths = [float(size.split("x")[0]) for size in sizes]
    assert widths[0] == pytest.approx(595.3, abs=0.5)  # portrait A4 body
    assert widths[-2:] == [pytest.approx(841.9, abs=0.5)] * 2  # landscape attachments


def test_libreoffice_embeds_noto_cjk_for_body_and_headings(pdf):
    fonts = run_tool(["pdffonts", str(pdf)])
    assert "NotoSerifCJK" in fonts.replace(" ", ""), fonts  # 仿宋 / 小标宋 / 楷体 / 宋体
    assert "NotoSansCJK" in fonts.replace(" ", ""), fonts  # 黑体
    embedded = [line for line in fonts.splitlines() if "CJK" in line]
    assert all(" yes " in line for line in embedded), fonts
