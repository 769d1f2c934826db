"""Section-aware chunking: headings, section paths, kinds, paragraphs kept whole, tables, metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from retrieval_helpers import CORPUS, HEKOU_2024_DOCX, HEKOU_2024_META, build_docx

from assistant.retrieval.chunking import chunk_document, match_heading
from assistant.retrieval.readers import read_document, text_blocks
from assistant.retrieval.sections import KINDS, kind_of_path, resolve_kind

HEADER = "---\ndepartment: 测试县教育局\nyear: 2023\nplace: 测试县\n---\n"


def chunks_of(text: str, name: str = "r.txt", tmp_path: Path | None = None):
    data = (HEADER + text).encode("utf-8")
    document = read_document(Path(name), name, data, 5 * 2**20)
    return chunk_document(document)


def by_text(chunks, start: str):
    return next(c for c in chunks if c.text.startswith(start))


@pytest.mark.parametrize("line, level, title", [
    ("一、部门概况", 1, "部门概况"),
    ("二、部门整体支出管理及使用成效分析", 1, "部门整体支出管理及使用成效分析"),
    ("（一）机构设置", 2, "机构设置"),
    ("(三)基本支出情况。", 2, "基本支出情况"),
    ("1、基本支出的主要用途及范围", 3, "基本支出的主要用途及范围"),
    ("2. 义务教育薄弱环节改善项目", 3, "义务教育薄弱环节改善项目"),
    ("（2）会议费支出情况：", 4, "会议费支出情况"),
    ("附件1", 0, "附件1"),
])
def test_heading_numbering_gives_the_level(line, level, title):
    heading, inline = match_heading(line)
    assert (heading.level, heading.title, inline) == (level, title, False)


def test_a_number_with_decimals_is_not_a_heading():
    heading, _ = match_heading("1.28万平方米的校舍完成改造。")
    assert heading is None


def test_chunks_carry_the_full_section_path_and_kind():
    chunks = chunks_of(
        "一、部门整体支出情况\n（一）基本支出情况\n1、“三公”经费的使用和管理情况\n"
        "（1）“三公”经费支出情况：2023年“三公”经费支出3.86万元，比上年减少0.34万元，主要是公务接待批次减少。\n"
        "（2）会议费支出情况：2023年会议费0.92万元，比上年减少0.10万元，会议合并召开。\n")
    sangong = by_text(chunks, "（1）")
    assert sangong.section_path == ("一、部门整体支出情况", "（一）基本支出情况", "1、“三公”经费的使用和管理情况",
                                    "（1）“三公”经费支出情况")
    assert sangong.section_kind == "三公经费"
    meeting = by_text(chunks, "（2）")
    assert meeting.section_path[-1] == "（2）会议费支出情况"
    assert meeting.section_kind == "会议费培训费"


def test_inline_heading_keeps_the_whole_line_as_the_chunk():
    chunks = chunks_of("四、存在问题\n（一）学生资助对象识别还不够精准。资助对象主要依靠班主任摸排和家庭申报，比对不及时。\n")
    assert chunks[0].text == "（一）学生资助对象识别还不够精准。资助对象主要依靠班主任摸排和家庭申报，比对不及时。"
    assert chunks[0].section_titles == ("存在问题", "学生资助对象识别还不够精准")


def test_a_long_numbered_item_is_a_paragraph_and_closes_the_previous_item():
    chunks = chunks_of(
        "一、部门概况\n（三）主要职责\n4、统筹社会保障。组织实施养老、失业、工伤保险政策，对社保基金实施行政监督和内部审计。\n"
        "5、负责全县就业、失业和相关社会保险基金预测预警和信息引导，拟订应对预案，保持就业形势稳定。\n")
    item = by_text(chunks, "5、")
    assert item.section_path == ("一、部门概况", "（三）主要职责")


def test_yishi_ershi_paragraph_stays_whole_however_long():
    parts = [f"{n}是" + "持续开展社保宣传和参保扩面，逐村逐户核对参保信息，做到应保尽保。" * 9 for n in "一二三四"]
    paragraph = "全年重点抓了四项工作。" + "".join(parts)
    assert 900 < len(paragraph) < 1500
    chunks = chunks_of("二、项目支出情况\n" + paragraph + "\n")
    assert [c.text for c in chunks] == [paragraph]


def test_short_enumerated_paragraphs_are_chunks_of_their_own():
    chunks = chunks_of("三、存在问题\n一是资助认定比对不及时。\n二是项目开工晚。\n")
    assert [c.text for c in chunks] == ["一是资助认定比对不及时。", "二是项目开工晚。"]


def test_a_lead_in_line_joins_the_next_paragraph():
    chunks = chunks_of("4、制定严格的“三公经费”管理办法。\n机关招待费：\n①实行先申报后开支的原则，严格控制接待标准和陪餐人数。\n")
    assert chunks[0].text == "机关招待费：①实行先申报后开支的原则，严格控制接待标准和陪餐人数。"


def test_only_an_endless_paragraph_is_cut_at_sentence_ends():
    sentence = "全县开展职业技能培训并组织取证考试，参训人员取证率持续提高。"
    chunks = chunks_of("二、项目支出情况\n" + sentence * 60 + "\n")
    assert len(chunks) == 2
    assert all(c.text.endswith("。") and len(c.text) <= 1500 for c in chunks)
    assert "".join(c.text for c in chunks) == sentence * 60


def test_title_and_boilerplate_are_not_chunks():
    chunks = chunks_of("示例（虚构）：本报告数字均为示例。\n测试县教育局2023年度部门整体支出绩效自评报告\n一、部门概况\n"
                       "局机关内设6个股室，下属事业单位1个，年末在职38人。\n填表人：张三  联系电话：1234567\n")
    assert [c.text for c in chunks] == ["局机关内设6个股室，下属事业单位1个，年末在职38人。"]
    assert chunks[0].title == "测试县教育局2023年度部门整体支出绩效自评报告"


def test_markdown_headings_tables_and_metadata(tmp_path):
    chunks = chunks_of(
        "## 二、部门整体支出情况\n\n### （二）\"三公\"经费\n\n\"三公\"经费支出3.86万元，比上年下降8.10%，主要是接待批次减少。\n\n"
        "| 项目（元） | 本年度 | 上年度 |\n|---|---|---|\n| 公务接待费 | 12600 | 15800 |\n", name="r.md")
    table = next(c for c in chunks if c.block_type == "table")
    assert table.text == "项目（元） | 本年度 | 上年度\n公务接待费 | 12600 | 15800"
    assert table.section_kind == "三公经费"
    assert (table.department, table.year, table.place, table.source) == ("测试县教育局", 2023, "测试县", "r.md")
    assert table.locator == 12  # the line in the file, front matter included
    assert table.id == "r.md#001"


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path):
    path = tmp_path / "hekou-jyj-2024.docx"
    build_docx(path, HEKOU_2024_DOCX)
    (tmp_path / "hekou-jyj-2024.meta.yaml").write_text(HEKOU_2024_META, encoding="utf-8")
    document = read_document(path, path.name, path.read_bytes(), 5 * 2**20)
    chunks = chunk_document(document)
    assert [c.block_type for c in chunks] == ["paragraph", "paragraph", "table", "paragraph"]
    table = chunks[2]
    assert table.text.splitlines()[1] == "公务接待费 | 11800 | 12600"
    assert table.section_path == ("二、部门整体支出情况", '（一）"三公"经费')
    assert (table.locator_unit, chunks[3].section_kind) == ("段", "存在问题")
    assert chunks[0].title == "河口县教育局2024年度部门整体支出绩效自评报告"
    assert document.metadata["department"] == "河口县教育局" and document.metadata["year"] == 2024


def test_word_text_export_tables_become_one_table_chunk():
    blocks = text_blocks("附件1\n\t指标\n\t本年度\n\n\t三公经费合计\n\t60158\n\n说明：表中数字以元为单位，并按年度决算口径填列完毕。\n",
                         1, markdown=False)
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    assert blocks[1].text == "指标 | 本年度\n三公经费合计 | 60158"


@pytest.mark.parametrize("titles, text, kind", [
    (["一、部门概况", "（三）主要职责"], "", "部门概况"),
    (["二、部门整体支出管理及使用成效分析", "（一）部门整体支出规模"], "", "收支及预算执行"),
    (["二、部门整体支出管理及使用成效分析", "（四）项目支出情况", "1、就业创业服务经费"], "", "项目支出/工作成效"),
    (["二、部门整体支出管理及使用成效分析", "（一）部门整体支出规模", "(2) 项目绩效目标设立情况"], "", "绩效目标"),
    (["四、存在的主要问题", "（三）部分绩效目标量化不够"], "", "存在问题"),
    (["五、改进措施及建议"], "", "下一步工作计划"),
    (["三、绩效自评结论"], "", "自评得分"),
    (["四、部门履职绩效", "2.财政投资评审项目"], "", "项目支出/工作成效"),
    (["（三）\"三公\"经费和会议费、培训费"], "会议费10600元，开会4次。", "会议费培训费"),
    (["（三）\"三公\"经费和会议费、培训费"], "\"三公\"经费支出39900元。", "三公经费"),
    ([], "按照县财政局通知要求，成立了自评工作小组。", "其他"),
])
def test_section_kind_comes_from_the_heading_path(titles, text, kind):
    assert kind_of_path(titles, text) == kind


def test_section_names_resolve_for_the_command_line():
    assert resolve_kind("三公经费") == "三公经费"
    assert resolve_kind("项目支出") == "项目支出/工作成效"
    assert resolve_kind("下一步") == "下一步工作计划"
    assert resolve_kind("不存在的类别") is None
    assert len(KINDS) == 10


def test_seed_report_chunks_follow_its_headings():
    path = CORPUS / "taojiang-rsj-2024.txt"
    chunks = chunk_document(read_document(path, path.name, path.read_bytes(), 5 * 2**20))
    kinds = {c.section_kind for c in chunks}
    assert {"部门概况", "收支及预算执行", "三公经费", "会议费培训费", "项目支出/工作成效", "绩效目标",
            "自评得分", "下一步工作计划"} <= kinds
    meeting = by_text(chunks, "（2）会议费支出情况")
    assert meeting.section_kind == "会议费培训费"
    assert meeting.locator == path.read_text(encoding="utf-8").splitlines().index(meeting.text) + 1
    annex = [c for c in chunks if c.section_path and c.section_path[0].startswith("附件2")]
    assert annex and annex[0].block_type == "table" and annex[0].section_kind == "自评得分"
    welfare = by_text(chunks, "2024年，我局扎实开展")  # 一是/二是/三是, ~660 characters: one chunk
    assert "三是以“上门服务”" in welfare.text and welfare.section_kind == "项目支出/工作成效"
    assert all(c.title == "2024年人社局部门整体支出绩效报告" for c in chunks if c.section_path[:1] == ("一、部门概况",))


def test_a_numbered_sentence_with_nothing_under_it_is_kept_as_a_chunk():
    chunks = chunks_of("六、下一步工作计划\n1.低保对象改为按季抽查。\n2.把3所敬老院的消防改造列入预算，汛期前完成施工。\n"
                       "3.对利用率低的中心，改为由村级互助点承接服务。\n")
    assert [c.text for c in chunks] == ["1.低保对象改为按季抽查。", "2.把3所敬老院的消防改造列入预算，汛期前完成施工。",
                                        "3.对利用率低的中心，改为由村级互助点承接服务。"]
    assert {c.section_path for c in chunks} == {("六、下一步工作计划",)}
    assert {c.section_kind for c in chunks} == {"下一步工作计划"}


def test_a_title_heading_with_nothing_under_it_is_not_a_chunk():
    chunks = chunks_of("二、部门整体支出情况\n（一）会议费\n（二）培训费\n培训费2.10万元，举办校长培训班2期，比上年增加0.35万元。\n")
    assert [c.text for c in chunks] == ["培训费2.10万元，举办校长培训班2期，比上年增加0.35万元。"]


def test_tab_separated_rows_are_a_table():
    blocks = text_blocks("“三公”经费对比情况（单位：元）\n项目\t2022年\t年初预算\n合计\t80400\t85000\n"
                         "2022年“三公”经费比上年增加4400元，增长5.79%，没有超出年初预算。\n", 1, markdown=False)
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    assert blocks[1].text == "项目 | 2022年 | 年初预算\n合计 | 80400 | 85000"


def test_hard_wrapped_lines_join_but_separate_paragraphs_do_not():
    blocks = text_blocks("全县开展职业技能培训并组织取证考试，参训人员取证率持续提高，培训后就业率\n"
                         "达到百分之六十以上。\n\n这一段是另一段落，没有句号结尾的上一行不影响它\n", 1, markdown=False)
    assert [b.text for b in blocks] == [
        "全县开展职业技能培训并组织取证考试，参训人员取证率持续提高，培训后就业率达到百分之六十以上。",
        "这一段是另一段落，没有句号结尾的上一行不影响它"]


def test_a_docx_cell_equal_to_its_left_neighbour_is_kept(tmp_path):
    from docx import Document

    document = Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, (("项目", "本年度", "上年度"), ("公务接待费", "6.02", "6.02"))):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "r.docx"
    document.save(path)
    (tmp_path / "r.meta.yaml").write_text("department: 某局\nyear: 2024\n", encoding="utf-8")
    blocks = read_document(path, path.name, path.read_bytes(), 5 * 2**20).blocks
    assert blocks[0].text.splitlines()[1] == "公务接待费 | 6.02 | 6.02"
