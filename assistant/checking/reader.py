"""read_draft: the text of a draft (.txt, .md, .docx) as the checker sees it.

Offsets of findings are code points into this text. A .docx gives its body in document order:
each paragraph on a line, each table row on a line with its cells separated by tabs (a merged cell
once), the same shape `jixiao generate --text` writes. A .txt or .md may be UTF-8 (with or without
BOM), UTF-16 with BOM, or GB 18030 / GBK (common for files saved by Chinese Windows tools).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from assistant.model.text_files import UndecodableText
from assistant.model.text_files import decode_text as shared_decode
from assistant.model.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


def read_draft(path: str | Path) -> str:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"找不到草稿文件：{path}")
    if path.is_dir():
        raise InputError(f"草稿应为文件，而不是文件夹：{path}")
    if suffix in TEXT_SUFFIXES:
        return decode_text(path.read_bytes(), path)
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".doc":
        raise InputError(f"不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再检查：{path.name}")
    raise InputError(f"不支持的草稿格式“{suffix or '无扩展名'}”，请提供 .txt、.md 或 .docx 文件：{path.name}")


def decode_text(data: bytes, path: Path | None = None) -> str:
    name = path.name if path is not None else "草稿"
    try:
        return shared_decode(data)[0]
    except UndecodableText as error:
        raise InputError(f"{error}：{name}") from None


def docx_text(path: Path) -> str:
    try:
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError("缺少 python-docx，无法读取 .docx 文件") from None
    if not zipfile.is_zipfile(path):
        raise InputError(f"无法读取 .docx 文件：文件已损坏或不是 Word 文档：{path.name}")
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError(f"无法读取 .docx 文件：文件已损坏或不是 Word 文档（{type(error).__name__}）：{path.name}") from None
    except Exception as error:  # noqa: BLE001 - any parser failure is unusable input, never a traceback
        raise InputError(f"无法读取 .docx 文件：{path.name}（{type(error).__name__}）") from None
    return "\n".join(_body_lines(document)) + "\n"


def _body_lines(document) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines += _table_lines(Table(child, document))
    return lines


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:  # a merged cell appears once per row
                continue
            seen.add(key)
            # line breaks inside a cell wrap a label ("比上年\n增减"): Chinese joins them without a space
            text = "".join(p.text.replace("\n", "") for p in cell.paragraphs).replace("\t", " ").strip()
            cells.append(text)
        lines.append("\t".join(cells))
    return lines
