"""Uploaded data files → `DepartmentYear`, with the limits a public form needs.

- size: at most `upload_max_mb` (checked while reading, so a huge body is never held whole);
- type: the suffix must be one we read AND the first bytes must match it (a zip for .xlsx/.docx,
  UTF-8 text without NUL bytes for .yaml/.json);
- zip bombs: before any parser opens a .xlsx/.docx, the central directory is read with `zipfile` and
  the total uncompressed size and each member's compression ratio are bounded;
- the user's filename is never used as a path: the bytes go to a temporary file with a fixed name.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear
from assistant.web.config import WebSettings

ZIP_MAGIC = b"PK\x03\x04"
KINDS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx", ".docx": "docx"}
ZIP_MEMBERS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
KIND_NAMES = {"yaml": "YAML 数据文件", "json": "JSON 数据文件", "xlsx": "Excel 填报表", "docx": "上年度报告"}
MAX_ZIP_MEMBERS = 5000


class UploadTooLarge(InputError):
    """The upload is over the size limit (a 413 page)."""


@dataclass(frozen=True)
class Upload:
    kind: str  # yaml | json | xlsx | docx
    display_name: str  # the user's file name, for messages only
    content: bytes


async def read_upload(file, settings: WebSettings, kinds: dict[str, str] = KINDS,
                      accepted: str = ".yaml、.json、.xlsx 或上年度报告 .docx") -> Upload:
    """Read a Starlette `UploadFile` within the size limit and check its type (`kinds`: suffix → kind)."""
    display_name = PurePath((file.filename or "").replace("\\", "/")).name or "上传的文件"
    limit = settings.upload_max_bytes
    chunks, size = [], 0
    while chunk := await file.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(f"文件“{display_name}”超过 {settings.upload_max_mb:g} MB 的上传上限")
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise InputError(f"文件“{display_name}”是空的")
    kind = kinds.get(PurePath(display_name).suffix.lower())
    if kind is None:
        raise InputError(f"不支持的文件类型“{display_name}”：请上传 {accepted}")
    check_content(kind, display_name, content, settings)
    return Upload(kind, display_name, content)


def check_content(kind: str, name: str, content: bytes, settings: WebSettings) -> None:
    if kind in ZIP_MEMBERS:
        if not content.startswith(ZIP_MAGIC):
            raise InputError(f"“{name}”不是有效的 {KIND_NAMES[kind]}（文件内容与扩展名不符）")
        _check_zip(kind, name, content, settings)
        return
    if kind == "pdf":
        if not content.startswith(b"%PDF-"):
            raise InputError(f"“{name}”不是有效的 PDF 文件（文件内容与扩展名不符）")
        return
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"“{name}”不是文本文件（文件内容与扩展名不符）")
    if kind == "text":  # a report's text: its encoding (UTF-8, UTF-16, GBK) is the reader's to decide
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"“{name}”不是 UTF-8 编码，请另存为 UTF-8 后再试") from None
    if kind == "json" and not text.lstrip().startswith("{"):
        raise InputError(f"“{name}”不是 JSON 对象（应以 {{ 开头）")


def _check_zip(kind: str, name: str, content: bytes, settings: WebSettings) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"“{name}”已损坏，无法打开") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"“{name}”包含的部件过多，拒绝处理")
    total = sum(member.file_size for member in members)
    if total > settings.unzipped_max_bytes:
        raise InputError(f"“{name}”解压后超过 {settings.unzipped_max_mb:g} MB，拒绝处理（可能是压缩炸弹）")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > settings.zip_max_ratio:
            raise InputError(f"“{name}”中的部件压缩比异常（{ratio:.0f} 倍），拒绝处理（可能是压缩炸弹）")
    if ZIP_MEMBERS[kind] not in {member.filename for member in members}:
        raise InputError(f"“{name}”不是有效的 {KIND_NAMES[kind]}（文件内容与扩展名不符）")


def to_department_year(upload: Upload) -> tuple[DepartmentYear, list[str]]:
    """The upload as data, and notes for the user (what a report import read, the year moved on)."""
    if upload.kind in {"yaml", "json"}:
        from assistant.model.load import from_mapping, parse_json
        from assistant.web.data_text import load_data

        text = upload.content.decode("utf-8-sig")
        if upload.kind == "yaml":
            return load_data(text, upload.display_name), []
        return from_mapping(parse_json(text, upload.display_name), upload.display_name), []
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as directory:
        path = Path(directory) / f"upload.{upload.kind}"  # never the user's name
        path.write_bytes(upload.content)
        if upload.kind == "xlsx":
            from assistant.model.excel import read_workbook

            return _named(read_workbook, path, upload.display_name), []
        from assistant.cli.import_report import roll_forward
        from assistant.model.report_reader import read_report

        contents = _named(read_report, path, upload.display_name)
        if contents.data is None:
            raise InputError(f"{upload.display_name}：未找到报告年度（标题、表头和文件名中都没有），无法转为下一年度的数据")
        data = roll_forward(contents.data)
        notes = [f"已从“{upload.display_name}”导入{contents.data.identity.year}年度报告的表格"
                 f"（{'、'.join(contents.forms)}），并转为{data.identity.year}年度的起始数据：上年决算数已移入“上年”栏，"
                 "本年各栏留空待填", *contents.notes]
        return data, notes


def _named(reader, path: Path, display_name: str):
    """Run a reader on the temporary file; its messages name the user's file, not ours."""
    try:
        return reader(path)
    except InputError as error:
        raise InputError(str(error).replace(path.name, display_name)) from None
