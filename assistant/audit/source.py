"""The text of a document handed in for audit (.txt/.md in the encodings offices use, .docx).

One place decides what is readable, so that the CLI, the folder audit and the web page refuse the same
files with the same Chinese message (exit 2 only for these). A .pdf needs the document reader of issue 11
(item 1); until it is there it is refused with a message saying how to proceed.
"""

from __future__ import annotations

from pathlib import Path

from assistant.model.errors import InputError

SUFFIXES = (".txt", ".md", ".docx")


def read_text(path: str | Path) -> str:
    """The document as text (for a .docx: paragraphs and table rows, cells separated by tabs)."""
    from assistant.checking.reader import read_draft

    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到报告文件：{path}")
    if path.is_dir():
        raise InputError(f"{path} 是一个文件夹，请指定报告文件（.docx 或 .txt）")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise InputError(f"{path.name}：暂不能读取 PDF，请用 Word 或 WPS 另存为 .docx（或复制全文为 .txt）后再审核")
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的报告文件类型“{suffix or '无扩展名'}”：请使用 .docx、.txt 或 .md")
    text = read_draft(path)
    if not text.strip():
        raise InputError(f"{path.name}：文件内容为空")
    return text
