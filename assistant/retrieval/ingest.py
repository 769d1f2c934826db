"""Incremental ingestion of a corpus folder into the store.

The index mirrors the folder: a file is read and its SHA-256 taken; an unchanged file (same hash as
indexed) is skipped without parsing or embedding; a new or changed file is chunked, embedded and put in
place of its old chunks; a file no longer in the folder is removed from the index. A file that cannot be
used (corrupt, encrypted, empty, unreadable, too large, unknown encoding, no metadata) is reported with
a Chinese reason and *keeps* whatever the index had for it: nothing already indexed is lost to a bad
file. README files, hidden files, Word lock files (~$…) and `.meta.yaml` sidecars are not reports.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from assistant.retrieval.chunking import chunk_document, content_hash, embedding_text
from assistant.retrieval.embeddings import EmbeddingError
from assistant.retrieval.readers import SUFFIXES, Unreadable, read_document
from assistant.retrieval.store import CorpusStore

EMBED_BATCH = 64


@dataclass
class Skipped:
    source: str
    reason: str


@dataclass
class IngestReport:
    directory: str
    files: int = 0  # report files found (skipped ones included)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_written: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "directory": self.directory, "files": self.files, "added": self.added, "updated": self.updated,
            "unchanged": self.unchanged, "removed": self.removed,
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "chunks_written": self.chunks_written, "chunks_total": self.chunks_total,
            "seconds": round(self.seconds, 2),
        }

    def summary(self) -> str:
        """The Chinese summary printed at the end of `jixiao ingest`."""
        lines = [
            (f"入库完成（{self.directory}）：共 {self.files} 个报告文件，新入库 {len(self.added)} 个，"
             f"更新 {len(self.updated)} 个，未变化跳过 {len(self.unchanged)} 个，移除 {len(self.removed)} 个，"
             f"跳过 {len(self.skipped)} 个。"),
            f"本次写入 {self.chunks_written} 个片段，索引现有 {self.chunks_total} 个片段，用时 {self.seconds:.1f} 秒。",
        ]
        if self.removed:
            lines.append("已从索引移除（文件已不在文件夹中）：" + "、".join(self.removed))
        if self.skipped:
            lines.append("跳过的文件（索引中原有的内容保持不变）：")
            lines.extend(f"  - {s.source}：{s.reason}" for s in self.skipped)
        return "\n".join(lines)


class Progress:
    """A one-line progress bar on stderr, shown on a terminal or when asked for."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None, width: int = 24):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self.done = 0

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = round(self.width * self.done / self.total)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r入库 {bar} {self.done}/{self.total} {label[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def is_report_candidate(path: Path) -> bool:
    name = path.name
    return (path.suffix.lower() in SUFFIXES and not name.startswith((".", "~$"))
            and not name.lower().startswith("readme"))


def discover(directory: Path) -> list[Path]:
    """Report files under the folder (recursively), in a stable order. Unreadable sub-folders are
    passed over (os.walk's default), unreadable files are kept: reading them reports the reason."""
    found = []
    for root, folders, files in os.walk(directory, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in files:
            path = Path(root) / name
            if is_report_candidate(path):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix())


def read_bytes(path: Path, max_text_bytes: int) -> bytes:
    """The file's bytes, or Unreadable with the reason (not a regular file, too large, no permission)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Unreadable("文件不存在（可能是失效的快捷方式或链接）") from None
    except OSError as error:
        raise Unreadable(f"无法读取文件（{_os_reason(error)}）") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("不是普通文件（可能是文件夹、管道或设备），已跳过")
    if path.suffix.lower() != ".docx" and info.st_size > max_text_bytes:
        raise Unreadable(
            f"文件过大（{info.st_size / 2**20:.1f} MB，文本报告上限 {max_text_bytes / 2**20:.0f} MB），不像一份报告，已跳过")
    try:
        return path.read_bytes()
    except OSError as error:
        raise Unreadable(f"无法读取文件（{_os_reason(error)}）") from None


def _os_reason(error: OSError) -> str:
    reasons = {13: "没有读取权限", 1: "没有读取权限", 5: "读取时发生输入输出错误", 2: "文件不存在", 21: "这是一个文件夹"}
    return reasons.get(error.errno or 0, error.strerror or "系统错误")


def ingest(directory: Path | str, store: CorpusStore, *, max_text_mb: float = 5.0,
           progress: bool = False, progress_stream: TextIO | None = None) -> IngestReport:
    """Bring the index in line with the folder; see the module docstring for the rules."""
    started = time.perf_counter()
    directory = Path(directory)
    report = IngestReport(directory=str(directory))
    max_text_bytes = int(max_text_mb * 2**20)
    paths = discover(directory)
    report.files = len(paths)
    indexed = store.file_records()
    seen: set[str] = set()
    bar = Progress(len(paths), progress, progress_stream)
    try:
        for path in paths:
            source = path.relative_to(directory).as_posix()
            seen.add(source)
            bar.step(source)
            try:
                data = read_bytes(path, max_text_bytes)
                digest = content_hash(data)
                known = indexed.get(source)
                if known is not None and known.hash == digest:
                    report.unchanged.append(source)
                    continue
                document = read_document(path, source, data, max_text_bytes)
                chunks = chunk_document(document)
                if not chunks:
                    raise Unreadable("没有可入库的正文段落")
            except Unreadable as reason:
                report.skipped.append(Skipped(source, str(reason)))
                continue
            vectors = store.embeddings.embed(
                [embedding_text(chunk.section_titles, chunk.text) for chunk in chunks])
            store.replace_file(source, digest, [c.id for c in chunks], [c.text for c in chunks],
                               [c.metadata(digest) for c in chunks], vectors)
            (report.updated if known is not None else report.added).append(source)
            report.chunks_written += len(chunks)
        for source in sorted(set(indexed) - seen):
            store.remove_file(source)
            report.removed.append(source)
    finally:
        bar.close()
    if store.snapshot_dir is not None:
        from assistant.retrieval.search import Searcher

        Searcher(store).index()  # loads or saves this revision's keyword snapshot: the next search starts warm
    report.chunks_total = store.count()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["EmbeddingError", "IngestReport", "Skipped", "discover", "ingest"]
