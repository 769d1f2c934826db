"""read_draft: the text of a draft (.txt, .md, .docx, .pdf, .doc/.wps) as the checker sees it.

The text is `Document.text` of the one document reader (`assistant.model.document`): a text file as
decoded (UTF-8 with or without BOM, UTF-16 with BOM, GB 18030 / GBK; line ends "\\n"); a .docx or .pdf
as its paragraphs one per line and its table rows one per line, cells separated by tabs (a merged cell
once), the shape `jixiao generate --text` writes. Offsets of findings are code points into this text.
"""

from __future__ import annotations

from pathlib import Path

from assistant.model.document import SUFFIXES, DocumentError, read_document
from assistant.model.errors import InputError


def read_draft(path: str | Path) -> str:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"找不到草稿文件：{path}")
    if path.is_dir():
        raise InputError(f"草稿应为文件，而不是文件夹：{path}")
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的草稿格式“{suffix or '无扩展名'}”，请提供 .txt、.md、.docx 或 .pdf 文件：{path.name}")
    try:
        document = read_document(path)
    except DocumentError as error:
        kind = suffix.lstrip(".")
        raise InputError(f"无法读取 .{kind} 文件：{error.reason}：{path.name}") from None
    return document.text
