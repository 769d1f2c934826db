"""Ingestion: incremental by content hash, and every kind of bad file skipped with a Chinese reason
while the rest goes in and nothing already indexed is lost. Runs against embedded chromadb and a server."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from assistant.retrieval.ingest import ingest
from assistant.retrieval.search import Searcher

MB = 2**20


def reasons(report) -> dict[str, str]:
    return {s.source: s.reason for s in report.skipped}


def sources(store) -> set[str]:
    return {m["source"] for m in store.all_chunks()[2]}


# ------------------------------------------------------------------ incremental (both stores)


def test_first_run_indexes_everything_and_a_second_run_skips_unchanged_files(store, small_corpus):
    first = ingest(small_corpus, store)
    assert sorted(first.added) == ["hekou-jyj-2023.md", "hekou-jyj-2024.docx", "songlin-rsj-2024.txt"]
    assert first.skipped == [] and first.chunks_written == first.chunks_total == store.count() > 15
    second = ingest(small_corpus, store)
    assert (second.added, second.updated, second.removed, second.chunks_written) == ([], [], [], 0)
    assert len(second.unchanged) == 3 and second.chunks_total == first.chunks_total
    assert "未变化跳过 3 个" in second.summary()


def test_a_changed_file_is_reindexed_and_a_removed_file_leaves_the_index(store, small_corpus):
    ingest(small_corpus, store)
    report_path = small_corpus / "songlin-rsj-2024.txt"
    report_path.write_text(report_path.read_text(encoding="utf-8").replace(
        "效率不高", "效率不高，群众反映补贴到账慢"), encoding="utf-8")
    (small_corpus / "hekou-jyj-2024.docx").unlink()
    report = ingest(small_corpus, store)
    assert report.updated == ["songlin-rsj-2024.txt"] and report.removed == ["hekou-jyj-2024.docx"]
    assert report.unchanged == ["hekou-jyj-2023.md"]
    assert sources(store) == {"hekou-jyj-2023.md", "songlin-rsj-2024.txt"}
    ids, texts, _ = store.all_chunks()
    assert any("群众反映补贴到账慢" in text for text in texts)
    assert len(ids) == len(set(ids)) == store.count()
    assert "已从索引移除（文件已不在文件夹中）：hekou-jyj-2024.docx" in report.summary()


def test_a_good_file_that_turns_bad_keeps_its_indexed_chunks(store, small_corpus):
    ingest(small_corpus, store)
    before = store.count()
    (small_corpus / "hekou-jyj-2024.docx").write_bytes(b"PK\x03\x04 this is not a word document")
    report = ingest(small_corpus, store)
    assert "已损坏" in reasons(report)["hekou-jyj-2024.docx"]
    assert store.count() == before and "hekou-jyj-2024.docx" in sources(store)
    hits = Searcher(store).search("学位供给偏紧 大班额", k=3)
    assert hits[0].source == "hekou-jyj-2024.docx"


# ------------------------------------------------------------------ bad input (embedded store)


@pytest.fixture
def embedded_store(tmp_path, usem3):
    from assistant.retrieval.store import CorpusStore
    from assistant.settings import Settings

    return CorpusStore.open(Settings(data_dir=tmp_path / "data"), usem3)


def encrypted_word_file() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file with encryption streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header += b"\x00" * (512 - len(header))
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 40 + "EncryptedPackage".encode("utf-16-le")
    return header + directory + b"\x00" * (4096 - len(directory))


def test_corrupt_and_encrypted_docx_are_skipped_with_reasons(embedded_store, small_corpus):
    (small_corpus / "broken.docx").write_bytes(b"\x00\x01garbage" * 100)
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a Word document")
    (small_corpus / "zip.docx").write_bytes(not_word.getvalue())
    (small_corpus / "locked.docx").write_bytes(encrypted_word_file())
    for name in ("broken", "zip", "locked"):
        (small_corpus / f"{name}.meta.yaml").write_text("department: 某局\nyear: 2023\n", encoding="utf-8")
    report = ingest(small_corpus, embedded_store)
    skipped = reasons(report)
    assert skipped["broken.docx"].startswith("文件已损坏或不是 Word 文档（.docx），无法打开")
    assert skipped["zip.docx"].startswith("文件已损坏或不是 Word 文档（.docx），无法打开")
    assert "密码保护" in skipped["locked.docx"]
    assert len(report.added) == 3 and "跳过的文件" in report.summary()


def test_empty_files_are_skipped(embedded_store, small_corpus):
    (small_corpus / "empty.txt").write_bytes(b"")
    (small_corpus / "blank.md").write_text("\n  \n\t\n", encoding="utf-8")
    (small_corpus / "empty.docx").write_bytes(b"")
    (small_corpus / "header-only.md").write_text("---\ndepartment: 某局\nyear: 2023\n---\n\n", encoding="utf-8")
    report = ingest(small_corpus, embedded_store)
    skipped = reasons(report)
    assert skipped["empty.txt"] == skipped["blank.md"] == skipped["empty.docx"] == "文件是空的"
    assert skipped["header-only.md"] == "文档中没有正文文字"
    assert len(report.added) == 3


def test_gbk_text_is_detected_and_read(embedded_store, small_corpus):
    text = (small_corpus / "songlin-rsj-2024.txt").read_text(encoding="utf-8")
    (small_corpus / "songlin-rsj-2024.txt").write_bytes(text.encode("gbk"))
    report = ingest(small_corpus, embedded_store)
    assert report.skipped == [] and "songlin-rsj-2024.txt" in report.added
    hit = Searcher(embedded_store).search("就业补贴审核依靠人工比对", k=1)[0]
    assert hit.source == "songlin-rsj-2024.txt" and "人工比对" in hit.text
    assert hit.department == "松林县人力资源和社会保障局"


def test_undecodable_text_is_skipped(embedded_store, small_corpus):
    (small_corpus / "latin.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)
    assert reasons(ingest(small_corpus, embedded_store))["latin.txt"].startswith("无法识别文件编码")


def test_a_50_mb_text_file_is_skipped_but_a_50_mb_docx_of_photos_is_read(embedded_store, small_corpus):
    with open(small_corpus / "dump.txt", "wb") as handle:  # sparse: judged by its size, never read
        handle.truncate(50 * MB)
    docx_path = small_corpus / "hekou-jyj-2024.docx"
    with zipfile.ZipFile(docx_path, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/photo1.jpeg", os.urandom(50 * MB))
    assert docx_path.stat().st_size > 50 * MB
    report = ingest(small_corpus, embedded_store)
    assert reasons(report) == {"dump.txt": "文件过大（50.0 MB，文本报告上限 5 MB），不像一份报告，已跳过"}
    assert "hekou-jyj-2024.docx" in report.added


def unreadable_file(folder: Path) -> Path:
    """A regular file that cannot be read. Root reads any mode, so as root link to a file the kernel
    refuses to read even to root (a write-only /proc setting)."""
    path = folder / "locked.txt"
    if os.geteuid() == 0:
        path.symlink_to("/proc/sys/vm/drop_caches")
    else:
        path.write_text("---\ndepartment: 某局\nyear: 2023\n---\n正文", encoding="utf-8")
        path.chmod(0)
    return path


def test_a_folder_with_unreadable_files_reports_each_and_ingests_the_rest(embedded_store, small_corpus):
    unreadable_file(small_corpus)
    (small_corpus / "dangling.md").symlink_to(small_corpus / "no-such-file.md")
    os.mkfifo(small_corpus / "pipe.txt")
    (small_corpus / "folder.docx").mkdir()
    (small_corpus / "nometa.md").write_text("一、部门概况\n局机关内设6个股室，年末在职38人，编制控制率95.00%。\n", encoding="utf-8")
    report = ingest(small_corpus, embedded_store)
    skipped = reasons(report)
    assert skipped["locked.txt"] == "无法读取文件（没有读取权限）"
    assert skipped["dangling.md"].startswith("文件不存在")
    assert skipped["pipe.txt"].startswith("不是普通文件")
    assert skipped["nometa.md"].startswith("缺少元数据")
    assert "folder.docx" not in skipped  # a folder is walked into, not read
    assert sorted(report.added) == ["hekou-jyj-2023.md", "hekou-jyj-2024.docx", "songlin-rsj-2024.txt"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in reason) for reason in skipped.values())


def test_readme_hidden_and_lock_files_are_not_reports(embedded_store, small_corpus):
    (small_corpus / "README.md").write_text("# 语料说明\n", encoding="utf-8")
    (small_corpus / ".hidden.md").write_text("x", encoding="utf-8")
    (small_corpus / "~$report.docx").write_bytes(b"lock")
    report = ingest(small_corpus, embedded_store)
    assert report.files == 3 and report.skipped == []


def test_progress_bar_goes_to_the_given_stream_only_when_asked(embedded_store, small_corpus):
    stream = io.StringIO()
    ingest(small_corpus, embedded_store, progress=True, progress_stream=stream)
    assert "入库" in stream.getvalue() and "3/3" in stream.getvalue()
    quiet = io.StringIO()
    ingest(small_corpus, embedded_store, progress=False, progress_stream=quiet)
    assert quiet.getvalue() == ""
