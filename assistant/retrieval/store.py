"""The vector store: chromadb, embedded (PersistentClient in the data directory) or a Chroma server.

Two collections per embedding model (their names end in the model's slug, so vectors of two models never
mix and switching models simply builds a new index):
- `<name>-<slug>`: one record per chunk: id `source#position`, the chunk text, its vector and flat
  metadata (source, section_path, section_kind, department, year, place, position, …).
- `<name>-<slug>-files`: one record per ingested file: id = its path in the corpus, metadata = content
  hash and chunk count; plus one `__revision__` record that changes on every write, so searchers know
  when their in-memory keyword index is stale.

The chunk collection's embedding function is our registered one (never chromadb's default, which would
download a model): reopening it, in-process or through a server, rebuilds the same function.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from assistant.retrieval.embeddings import CorpusEmbeddings

REVISION_ID = "__revision__"
PAGE = 2000  # records per get()/add() call (SQLite caps the variables of one statement)
_PLACEHOLDER = [1.0]  # the files collection needs a vector per record; it is never searched


class StoreError(Exception):
    """The store cannot be used; `str(error)` is a Chinese message for the user."""


@dataclass(frozen=True)
class FileRecord:
    source: str
    hash: str
    chunks: int


def make_client(settings):
    """PersistentClient under `settings.data_dir`, or HttpClient when `settings.chroma_url` is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        if not url.hostname:
            raise StoreError(f"JIXIAO_CHROMA_URL 不是有效的地址：{settings.chroma_url}")
        ssl = url.scheme == "https"
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or (443 if ssl else 8000), ssl=ssl,
                                       settings=chroma_settings)
        except Exception as error:  # noqa: BLE001 - chromadb's errors vary by backend; report, do not crash
            raise StoreError(f"无法连接 Chroma 服务（{settings.chroma_url}）：{_first_line(error)}") from None
    path = settings.chroma_path
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except OSError as error:
        raise StoreError(f"无法创建或打开索引目录 {path}（{error.strerror or error}）") from None
    except Exception as error:  # noqa: BLE001 - chromadb's errors vary by backend; report, do not crash
        raise StoreError(f"无法打开索引目录 {path}：{_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


class CorpusStore:
    def __init__(self, client, embeddings: CorpusEmbeddings, name: str = "corpus", snapshot_root: Path | None = None):
        self.client = client
        self.embeddings = embeddings
        self.name = f"{name}-{embeddings.slug()}"
        # The searchers' index on disk (retrieval/snapshot.py), one folder per collection; None: not kept.
        self.snapshot_dir = snapshot_root / self.name if snapshot_root is not None else None
        try:
            self.chunks = client.get_or_create_collection(
                self.name, embedding_function=embeddings,
                configuration={"hnsw": {"space": "cosine"}}, metadata={"jixiao": "chunks"})
            self.files = client.get_or_create_collection(
                f"{self.name}-files", embedding_function=None, metadata={"jixiao": "files"})
        except Exception as error:  # noqa: BLE001 - chromadb's errors vary by backend; report, do not crash
            raise StoreError(f"无法打开索引（{self.name}）：{_first_line(error)}") from None

    @classmethod
    def open(cls, settings, embeddings: CorpusEmbeddings | None = None) -> CorpusStore:
        from assistant.retrieval.embeddings import build_embeddings

        return cls(make_client(settings), embeddings or build_embeddings(settings), settings.collection,
                   settings.data_dir / "keyword-index")

    # ------------------------------------------------------------------ files
    def file_records(self) -> dict[str, FileRecord]:
        records: dict[str, FileRecord] = {}
        for ids, metadatas, _ in self._pages(self.files, include=["metadatas"]):
            for record_id, meta in zip(ids, metadatas):
                if record_id != REVISION_ID:
                    records[record_id] = FileRecord(record_id, str(meta.get("hash", "")), int(meta.get("chunks", 0)))
        return records

    def replace_file(self, source: str, file_hash: str, ids: list[str], texts: list[str],
                     metadatas: list[dict], vectors: np.ndarray) -> None:
        """Put a file's chunks in place of its old ones. The file record is written last: a run stopped
        half-way leaves the old hash, so the next run indexes the file again."""
        self.chunks.delete(where={"source": source})
        for start in range(0, len(ids), PAGE):
            end = start + PAGE
            self.chunks.add(ids=ids[start:end], documents=texts[start:end],
                            metadatas=metadatas[start:end], embeddings=vectors[start:end])
        self.files.upsert(ids=[source], documents=[source], embeddings=[_PLACEHOLDER],
                          metadatas=[{"hash": file_hash, "chunks": len(ids)}])
        self.bump_revision()

    def remove_file(self, source: str) -> None:
        self.chunks.delete(where={"source": source})
        self.files.delete(ids=[source])
        self.bump_revision()

    def bump_revision(self) -> None:
        self.files.upsert(ids=[REVISION_ID], documents=[REVISION_ID], embeddings=[_PLACEHOLDER],
                          metadatas=[{"revision": uuid.uuid4().hex}])

    def revision(self) -> str:
        found = self.files.get(ids=[REVISION_ID], include=["metadatas"])
        return str(found["metadatas"][0]["revision"]) if found["ids"] else ""

    # ------------------------------------------------------------------ chunks
    def count(self) -> int:
        return self.chunks.count()

    def all_chunks(self) -> tuple[list[str], list[str], list[dict]]:
        """Every chunk's id, text and metadata, read page by page."""
        ids, texts, metadatas = [], [], []
        for page_ids, page_meta, page_docs in self._pages(self.chunks, include=["metadatas", "documents"]):
            ids.extend(page_ids)
            metadatas.extend(page_meta)
            texts.extend(page_docs)
        return ids, texts, metadatas

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine distance) of the n nearest chunks."""
        if n <= 0:
            return []
        result = self.chunks.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return list(zip(result["ids"][0], result["distances"][0]))

    def _pages(self, collection, include: list[str]):
        offset = 0
        while True:
            page = collection.get(include=include, limit=PAGE, offset=offset)
            if not page["ids"]:
                return
            yield page["ids"], page.get("metadatas") or [{}] * len(page["ids"]), page.get("documents") or [""] * len(page["ids"])
            if len(page["ids"]) < PAGE:
                return
            offset += PAGE
