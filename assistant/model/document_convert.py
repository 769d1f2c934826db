""".doc / .wps (and a .docx that is really an old Word file) → .docx through LibreOffice, then read.

`soffice --headless --convert-to docx` runs in a temporary folder with its own user profile (so a
LibreOffice the user has open does not block it) and a timeout. Without LibreOffice the user is told, in
Chinese, to install it or save the file as .docx.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from assistant.model.document import OLE_MAGIC, Document, DocumentError

TIMEOUT_SECONDS = 120
MISSING = "读取 {suffix} 文件需要 LibreOffice（未安装）；请安装 LibreOffice，或在 Word/WPS 中另存为 .docx 后再试"
FAILED = "LibreOffice 无法转换此 {suffix} 文件（可能已损坏或受密码保护）；请在 Word/WPS 中另存为 .docx 后再试"
SLOW = "LibreOffice 转换此 {suffix} 文件超过{seconds}秒，已放弃；请在 Word/WPS 中另存为 .docx 后再试"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: Path, data: bytes) -> Document:
    from assistant.model.document_docx import ENCRYPTED, _encrypted, read_docx

    suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps") else ".doc"
    if not data.startswith((OLE_MAGIC, b"{\\rtf")):
        raise DocumentError(FAILED.format(suffix=suffix), path.name)  # not an old Word/WPS file at all
    if _encrypted(data):
        raise DocumentError(ENCRYPTED, path.name)
    program = soffice()
    if program is None:
        raise DocumentError(MISSING.format(suffix=suffix), path.name)
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profile"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentError(SLOW.format(suffix=suffix, seconds=TIMEOUT_SECONDS), path.name) from None
        converted = Path(folder) / "input.docx"
        if not converted.is_file():
            raise DocumentError(FAILED.format(suffix=suffix), path.name)
        document = read_docx(path, converted.read_bytes())
    document.converted_from = suffix
    document.notes.insert(0, f"已用 LibreOffice 将 {suffix} 文件转换为 .docx 后读取")
    return document
