"""Builders of the .docx fixtures named in fixtures/documents/manifest.yaml (`build:`).

A department of another province fills its 部门整体支出绩效自评表 in Word: the title in a heading
style, the unit's name in a cell merged across the row, 调整后预算数 and 权重 columns, 实际完成值 before
指标值, 一级指标 merged down its rows, a figure typed into a content control, the 按收入/支出性质分
breakdown as a table nested in a cell. The figures are those of the real form the text fixture
hengshan-guantang-2023.txt imitates, and of the real project form chizhou-tangxi-2022-project.txt;
the 总分 94 is planted (the rows give 44) so that the audit has a table error to find.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement

NAME = "衡山县贯塘乡人民政府"
INDICATORS = (  # 一级, 二级, 三级, 权重, 实际完成值, 指标值, 得分
    ("产出指标", "数量指标", "基建工程委托业务项目数量", "8", "50", "≥50个", "8"),
    ("产出指标", "质量指标", "委托业务报告合格率", "8", "100%", "≥100%", "8"),
    ("产出指标", "成本指标", "项目总成本", "8", "90万元", "≤90万元", "8"),
    ("效益指标", "社会效益指标", "对维护基建市场公平的影响程度", "10", "达成预期指标", "效果明显", "10"),
    ("满意度指标", "满意度指标", "服务对象满意度", "10", "95%", "≥90%", "10"),
)


def _content_control(cell, text: str) -> None:
    """Put `text` into `cell` inside a run-level content control (w:sdt), as Word's form fields do."""
    paragraph = cell.paragraphs[0]._p
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    run, value = OxmlElement("w:r"), OxmlElement("w:t")
    value.text = text
    run.append(value)
    content.append(run)
    sdt.append(OxmlElement("w:sdtPr"))
    sdt.append(content)
    paragraph.append(sdt)


def province_form(path: Path) -> Path:
    document = Document()
    document.add_heading(f"{NAME}2023年度部门整体支出绩效自评表", level=1)
    table = document.add_table(rows=3, cols=7)
    table.style = "Table Grid"
    name_row = table.rows[0].cells
    name_row[0].text = "单位名称"
    name_row[1].merge(name_row[6]).text = NAME
    header = ("年度资金（万元）", "年初预算数", "调整后预算数", "执行数", "权重", "执行率", "得分")
    for cell, text in zip(table.rows[1].cells, header):
        cell.text = text
    values = table.rows[2].cells
    for cell, text in zip(values, ("年度资金总额", "861.10", "2030.12", "", "10", "100%", "10")):
        cell.text = text
    _content_control(values[3], "2030.12")
    breakdown_row = table.add_row().cells
    breakdown_row[0].text = "资金构成"
    holder = breakdown_row[1].merge(breakdown_row[6])
    holder.text = ""
    inner = holder.add_table(rows=4, cols=2)
    for row, texts in zip(inner.rows, (("按收入性质分：2030.12", "按支出性质分：1925.67"),
                                       ("一般公共预算：1325.68", "基本支出：900.47"),
                                       ("政府性基金拨款：118.82", "项目支出：1025.20"),
                                       ("其他资金：585.62", ""))):
        for cell, text in zip(row.cells, texts):
            cell.text = text

    indicators = document.add_table(rows=1, cols=7)
    indicators.style = "Table Grid"
    for cell, text in zip(indicators.rows[0].cells, ("一级指标", "二级指标", "三级指标", "权重", "实际完成值",
                                                     "指标值", "得分")):
        cell.text = text
    first_of_level: dict[str, object] = {}
    for row in INDICATORS:
        cells = indicators.add_row().cells
        for cell, text in zip(cells[1:], row[1:]):
            cell.text = text
        if row[0] in first_of_level:
            first_of_level[row[0]].merge(cells[0])  # 一级指标 merged down (w:vMerge)
        else:
            cells[0].text = row[0]
            first_of_level[row[0]] = cells[0]
    total = indicators.add_row().cells
    total[0].text = "总分"
    total[1].text = "100"
    total[2].text = "94"
    document.add_paragraph("一、基本情况")
    document.add_paragraph("2023年全年支出2030.12万元，其中基本支出900.47万元、项目支出1025.20万元。")
    document.save(path)
    return path


def convert(source: Path, suffix: str) -> Path:
    """`source` converted by LibreOffice to `suffix` ("pdf", "doc") beside it."""
    profile = source.parent / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", suffix,
                    "--outdir", str(source.parent), str(source)], check=True, capture_output=True, timeout=180)
    return source.with_suffix(f".{suffix}")


def seed_without_tabs(path: Path) -> Path:
    """The seed's Word text export after its tabs were lost (a paste into an editor that drops them):
    one cell per line, rows between blank lines, and the empty cells become blank lines too."""
    seed = Path(__file__).resolve().parents[2] / "corpus" / "taojiang-rsj-2024.txt"
    text = seed.read_text(encoding="utf-8")
    path.write_text("\n".join(line[1:] if line.startswith("\t") else line for line in text.split("\n")), encoding="utf-8")
    return path


BUILDERS = {"province_form": province_form, "seed_without_tabs": seed_without_tabs}
