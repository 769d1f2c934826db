"""jixiao audit DIR --xlsx: a folder of documents audited into one workbook, with a progress bar."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from tests.cli.test_audit import SEED, jixiao
from tests.conftest import ROOT

DOCUMENTS = ROOT / "evals" / "audit" / "documents"


def test_a_folder_becomes_a_summary_row_and_a_sheet_per_document(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    shutil.copy(SEED, folder / "桃江人社.txt")
    shutil.copy(DOCUMENTS / "honghe-shuju-2024.txt", folder / "红河数据中心.txt")
    shutil.copy(DOCUMENTS / "hailaer-sangong-2020.txt", folder / "三公说明.txt")
    (folder / "空白.txt").write_bytes(b"")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$临时.docx").write_bytes(b"lock")  # Word's lock file: not a document
    target = tmp_path / "汇总.xlsx"
    result = jixiao("audit", folder, "--xlsx", target)
    assert result.returncode == 1, result.stderr
    assert "审核中 [" in result.stderr and "5/5" in result.stderr  # the progress bar
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "三公说明", "桃江人社", "红河数据中心"]
    rows = {row[0]: row for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"三公说明.txt", "桃江人社.txt", "空白.txt", "红河数据中心.txt", "说明.pdf"}
    seed = rows["桃江人社.txt"]
    assert seed[1] == "桃江县人力资源和社会保障局" and seed[2] == 2024 and seed[3] == "表格＋正文" and seed[4] == 13
    honghe = rows["红河数据中心.txt"]
    assert honghe[1] == "红河州数据发展中心" and honghe[3] == "仅正文" and honghe[4] == 1
    assert "分批合计1" in honghe[5] and "15个与各批次（阶段）之和不符" in honghe[9]
    assert rows["三公说明.txt"][4] == 0
    assert rows["空白.txt"][3] == "无法读取" and "文件内容为空" in rows["空白.txt"][9]
    assert rows["说明.pdf"][3] == "无法读取" and ".pdf" in rows["说明.pdf"][9]
    sheet = list(book["红河数据中心"].iter_rows(values_only=True))
    assert sheet[1] == ("序号", "类型", "行", "原文", "说明", "依据数字")
    assert sheet[2][1] == "分批合计" and sheet[2][5] == "15个（第4行）；8个（第4行）；8个（第4行）"


def test_a_single_document_with_xlsx_is_refused_and_so_is_an_empty_folder(tmp_path):
    message = jixiao("audit", SEED, "--xlsx", tmp_path / "x.xlsx")
    assert message.returncode == 2 and "请指定文件夹" in message.stderr
    empty = jixiao("audit", tmp_path)
    assert empty.returncode == 2 and "没有可审核的报告" in empty.stderr
    assert "应以 .xlsx 结尾" in jixiao("audit", tmp_path, "--xlsx", tmp_path / "x.csv").stderr
