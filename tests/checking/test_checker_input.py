"""Bad input: clear Chinese messages or correct results, never a traceback."""

import zipfile

import pytest

from assistant.checking import check_text, counts, read_draft
from assistant.model.errors import InputError
from assistant.pipeline import generate
from assistant.render.text import document_text
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def draft_text():
    return document_text(generate(EXAMPLE).document)


def test_empty_text_gives_no_findings(example_ledger):
    assert check_text("", example_ledger) == []
    assert check_text("   \n\n", example_ledger) == []


def test_text_without_numbers_gives_no_findings(example_ledger):
    assert check_text("我局严格执行有关规定，进一步加强预算绩效管理。", example_ledger) == []


def test_a_gbk_text_file_is_detected_and_read(tmp_path, example_ledger):
    path = tmp_path / "草稿.txt"
    text = "2024年，我局受理工伤案件575件，审核认定488件。"
    path.write_bytes(text.encode("gbk"))
    assert read_draft(path) == text
    assert [f.status for f in check_text(read_draft(path), example_ledger) if f.check == "number"] == [
        "ignored", "verified", "verified"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_common_encodings_read_the_same_text(tmp_path, encoding):
    path = tmp_path / "draft.md"
    path.write_bytes("受理工伤案件575件\r\n审核认定488件".encode(encoding))
    assert read_draft(path) == "受理工伤案件575件\n审核认定488件"


def test_a_corrupt_docx_is_an_input_error_in_chinese(tmp_path):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(InputError, match="无法读取 .docx 文件"):
        read_draft(path)


def test_a_zip_that_is_not_a_word_document_is_an_input_error(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="不是 Word 文档|无法读取"):
        read_draft(path)


def test_a_text_file_named_docx_is_an_input_error(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_text("受理工伤案件575件", encoding="utf-8")
    with pytest.raises(InputError, match="不是 Word 文档"):
        read_draft(path)


def test_a_binary_file_named_txt_is_an_input_error(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(InputError, match="二进制"):
        read_draft(path)


@pytest.mark.parametrize("name, message", [("draft.xls", "不支持的草稿格式"), ("draft.pdf", "不是有效的 PDF"),
                                           ("draft.doc", "另存为 .docx"),
                                           ("missing.txt", "找不到草稿文件")])
def test_unsupported_or_missing_files_are_input_errors(tmp_path, name, message):
    path = tmp_path / name
    if name != "missing.txt":
        path.write_bytes(b"x")
    with pytest.raises(InputError, match=message):
        read_draft(path)


def test_a_5_mb_document_is_checked_correctly(tmp_path, example_ledger, draft_text):
    copies = 5_000_000 // len(draft_text.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text(draft_text * copies, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    text = read_draft(path)
    findings = check_text(text, example_ledger)
    one = counts(check_text(draft_text, example_ledger))
    table = counts(findings)
    assert table["verified"] == one["verified"] * copies
    assert table["mismatch"] == table["unsupported"] == table["stale"] == 0
    assert all(text[f.start:f.end] == f.text for f in findings[:: max(1, len(findings) // 500)])
