"""The text of a document handed in for audit, by the one document reader (.txt/.md in the encodings
offices use, .docx, .pdf with a text layer, .doc/.wps through LibreOffice).

Used when the report reader refused the document's tables: if the text cannot be read either, the file
is unusable (exit 2); otherwise the audit goes on with the text alone.
"""

from __future__ import annotations

from pathlib import Path

from assistant.model.errors import InputError


def read_text(path: str | Path) -> str:
    from assistant.checking.reader import read_draft

    path = Path(path)
    text = read_draft(path)
    if not text.strip():
        raise InputError(f"{path.name}：文件内容为空")
    return text

