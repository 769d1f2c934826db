"""Helpers shared by the retrieval tests (a unique module name: tests/ has no packages)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus"


def build_docx(path: Path, blocks: list) -> None:
    """A .docx from ("p", text) and ("table", rows) blocks, in order."""
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "p":
            document.add_paragraph(content)
        else:
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(path)


HEKOU_2024_DOCX = [
    ("p", "河口县教育局2024年度部门整体支出绩效自评报告"),
    ("p", "一、部门概况"),
    ("p", "局机关内设6个股室，年末在职39人，编制控制率97.50%。"),
    ("p", "二、部门整体支出情况"),
    ("p", "（一）\"三公\"经费"),
    ("p", "\"三公\"经费支出3.52万元，比上年3.86万元下降8.81%，公务用车运行维护费随车辆报废减少。"),
    ("table", [["项目（元）", "本年度", "上年度"], ["公务接待费", "11800", "12600"],
               ["公务用车运行维护费", "23400", "26000"]]),
    ("p", "三、存在问题"),
    ("p", "一是学位供给仍然偏紧，城区学校大班额没有全部消除。"),
]
HEKOU_2024_META = "place: 示例省河口县\ndepartment: 河口县教育局\nyear: 2024\nnote: 测试用示例（虚构）\n"
