"""Plain-text input files (.txt / .md) in the encodings county offices actually produce.

One decoder serves the report reader, the number checker and corpus ingestion: UTF-8 (with or without
BOM), UTF-16 with BOM, else GB 18030 (a superset of GBK and GB 2312, what Chinese Windows saves by
default). Line ends become "\\n" so that offsets and line numbers agree everywhere.
"""

from __future__ import annotations

# Share of CJK characters below which a GB 18030 decoding is taken for binary noise: GB 18030 decodes
# almost any byte string, so a real GBK report must look like Chinese text.
MIN_CJK_SHARE = 0.2


class UndecodableText(ValueError):
    """The bytes are not a text file in a known encoding; `str(error)` is a Chinese reason."""


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) where the name is "utf-8", "utf-16" or "gbk"."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise UndecodableText("不是文本文件（含有二进制内容）")
    try:
        return _normalise(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise UndecodableText("无法识别文件编码（不是 UTF-8 或 GBK），请另存为 UTF-8") from None
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < len(text.strip()) * MIN_CJK_SHARE:
        raise UndecodableText("无法识别文件编码（不是 UTF-8 或 GBK），请另存为 UTF-8")
    return _normalise(text), "gbk"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _normalise(data.decode(encoding))
    except UnicodeDecodeError:
        raise UndecodableText(f"无法识别文件编码（{encoding.upper()} 内容有误），请另存为 UTF-8") from None


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
