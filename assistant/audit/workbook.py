"""A folder of documents audited into one workbook: a summary row per document, a sheet per document.

The summary sheet 汇总: file, department, year, how it was read, counts by kind of inconsistency, the
numbers checked, and the first findings in words. Each document's sheet lists every finding with its
line, the text it points at, the message and the figures used. A document that cannot be read gets its
row with the reason (nothing is skipped silently). The workbook is written beside the target and moved
into place, so a failed run never leaves half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.audit.html import CHECK_NAMES
from assistant.audit.report import Audit, audit_document
from assistant.model.document import SUFFIXES
from assistant.model.errors import InputError

FIRST_FINDINGS = 3
SUMMARY_HEADER = ("文件", "单位", "年度", "读取方式", "不一致（处）", "按类型", "数字：一致", "数字：未核对",
                  "数字：存疑", "主要问题")
SHEET_HEADER = ("序号", "类型", "行", "原文", "说明", "依据数字")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class FolderEntry:
    path: Path
    audit: Audit | None
    refusal: str | None = None


def documents_in(folder: Path) -> list[Path]:
    """The auditable files of a folder (not recursive), by name; Word's lock files (~$…) are skipped."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$"))


def audit_folder(paths: Iterable[Path], progress: Callable[[int, int, Path], None] | None = None) -> list[FolderEntry]:
    paths = list(paths)
    entries = []
    for number, path in enumerate(paths, 1):
        if progress is not None:
            progress(number, len(paths), path)
        try:
            entries.append(FolderEntry(path, audit_document(path)))
        except InputError as error:
            entries.append(FolderEntry(path, None, str(error)))
    return entries


def finding_lines(audit: Audit) -> list[tuple[str, str, str, str, str]]:
    """(kind, line, text, message, evidence) for every inconsistency, rule findings first."""
    lines = [(finding.rule, "", finding.location, finding.message, "") for finding in audit.inconsistent_findings]
    for item in audit.inconsistent_numbers:
        evidence = "；".join(f"{e['text']}（第{e['line']}行）" for e in item.get("evidence") or ())
        lines.append((CHECK_NAMES.get(item.get("check", "number"), item.get("check", "")), str(item["line"]),
                      item["text"][:60], item.get("message") or "", evidence))
    return lines


def write_workbook(entries: list[FolderEntry], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append(SUMMARY_HEADER)
    names: set[str] = {"汇总"}
    for entry in entries:
        audit = entry.audit
        if audit is None:
            summary.append((entry.path.name, "", "", "无法读取", "", "", "", "", "", entry.refusal))
            continue
        counts = audit.number_counts()
        kinds = "、".join(f"{CHECK_NAMES.get(kind, kind)}{count}" for kind, count in audit.kind_counts().items())
        first = "；".join(f"{kind}：{message}" for kind, _line, _text, message, _e in finding_lines(audit)[:FIRST_FINDINGS])
        summary.append((entry.path.name, audit.department or "", audit.year or "",
                        "表格＋正文" if audit.mode == "forms" else "仅正文", audit.inconsistencies, kinds,
                        counts["verified"], counts["unchecked"], counts["mismatch"], first))
        sheet = book.create_sheet(_sheet_name(entry.path.stem, names))
        sheet.append((f"{entry.path.name}：{audit.department or ''} {audit.year or ''}",))
        sheet.append(SHEET_HEADER)
        for number, (kind, line, text, message, evidence) in enumerate(finding_lines(audit), 1):
            sheet.append((number, kind, line, text, message, evidence))
        for note in audit.notes:
            sheet.append(("", "读取说明", "", "", note, ""))
        sheet.column_dimensions["D"].width = 30
        sheet.column_dimensions["E"].width = 70
        sheet.column_dimensions["F"].width = 40
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (28, 24, 8, 10, 10, 24, 10, 12, 10, 80)):
        summary.column_dimensions[column].width = width
    for row in summary.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".xlsx")
    os.close(descriptor)
    try:
        book.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _sheet_name(stem: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, no []:*?/\\), unique within the book."""
    base = _SHEET_FORBIDDEN.sub("_", stem)[:28] or "文档"
    name, number = base, 2
    while name in taken:
        name = f"{base[:26]}_{number}"
        number += 1
    taken.add(name)
    return name
