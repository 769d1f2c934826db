"""Hybrid search over the corpus: vector (chromadb) + keyword (BM25 over bigrams), fused by reciprocal rank.

Each list ranks its candidates; a chunk's fused score is Σ 1/(60 + rank) over the lists it is in, so a
chunk both lists like wins, and neither list's raw scores need calibrating against the other's.

Filters (section kind, department, year, block type, and "not the report being drafted") are applied to
both lists. The keyword side keeps every chunk's metadata in memory and filters with numpy. The vector
side asks chromadb for more neighbours than needed (1.5 × wanted ÷ share kept, at most MAX_OVERSAMPLE) and
drops those that fail the filter: chromadb's own metadata filter is slow on large collections (~100 ms for
a "not this department-year" clause, ~80 ms for one section kind at 50 000 chunks). Only a filter that keeps
very few chunks (one department) is left to chromadb's `where`.
"""

from __future__ import annotations

import math
import re
import sys
import threading
from dataclasses import asdict, dataclass, field

import numpy as np

from assistant.retrieval.chunking import PATH_SEPARATOR
from assistant.retrieval import snapshot
from assistant.retrieval.keyword import KeywordIndex, expand_query
from assistant.retrieval.store import CorpusStore

RRF_K = 60
_HIT_FIELDS = ("source", "department", "year", "place", "title", "section_path", "section_kind", "block_type",
               "position", "locator", "locator_unit")
# Neighbours the vector side may fetch and filter itself (HNSW returns 2 000 in ~15 ms at 50 000 chunks);
# a filter that keeps too few chunks for that goes to chromadb's `where` instead.
MAX_OVERSAMPLE = 2000
MODES = ("hybrid", "vector", "keyword")
# A number as written, with its unit when one follows ("19.95万元", "7.15%", "2024年"), for the checker.
_UNITS = ("%", "％", "万元", "亿元", "元", "万人", "人次", "人", "个百分点", "个", "户", "件", "分", "套", "批次",
          "次", "期", "公里", "万亩", "亩", "万平方米", "平方米", "年", "月", "所", "家", "辆", "名", "项")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + ")?")


@dataclass(frozen=True)
class Filters:
    section_kind: str | None = None
    department: str | None = None  # a part of the name is enough: "教育局"
    year: int | None = None
    block_type: str | None = None  # "paragraph" or "table"
    exclude: tuple[str, int] | None = None  # (department, year) of the report being drafted

    def is_empty(self) -> bool:
        return not (self.section_kind or self.department or self.year or self.block_type or self.exclude)


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    score: float
    source: str
    department: str
    year: int
    place: str
    title: str
    section_path: str
    section_kind: str
    block_type: str
    position: int
    locator: int
    locator_unit: str
    vector_rank: int | None = None
    keyword_rank: int | None = None

    def citation(self) -> str:
        """Where the text comes from, in Chinese: 青山县教育局 2023年 · qingshan-jyj-2023.md 第40行 · 二、… › （二）…"""
        where = f"{self.source} 第{self.locator}{self.locator_unit}"
        parts = [f"{self.department} {self.year}年", where]
        if self.section_path:
            parts.append(self.section_path)
        return " · ".join(parts)

    def to_json(self) -> dict:
        return {**asdict(self), "citation": self.citation()}


@dataclass(frozen=True)
class Exemplar:
    """A paragraph from another department or year, for a drafter to imitate, never to copy numbers from."""

    text: str
    citation: str  # Chinese: department, year, file, line, section path
    source: str
    chunk_id: str
    department: str
    year: int
    section_kind: str
    section_path: str
    score: float
    numbers_not_this_year: bool = True  # always: the checker flags any of `numbers` found in a draft
    numbers: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return asdict(self)


class CorpusIndex:
    """An in-memory snapshot of the collection: texts, metadata columns and the keyword index."""

    def __init__(self, ids: list[str], texts: list[str], metadatas: list[dict], revision: str,
                 keywords: KeywordIndex | None = None):
        self.revision = revision
        self.ids = ids
        self.texts = texts
        # Only what a hit shows, with repeated strings (department, source, path …) shared: at 50 000
        # chunks the raw metadata dicts from chromadb take ~190 MB, this ~40 MB.
        self.metadatas = [{key: sys.intern(m[key]) if isinstance(m.get(key), str) else m.get(key)
                           for key in _HIT_FIELDS if key in m} for m in metadatas]
        self.position = {chunk_id: index for index, chunk_id in enumerate(ids)}
        self.department = np.array([m.get("department", "") for m in metadatas], dtype=object)
        self.year = np.array([int(m.get("year", 0) or 0) for m in metadatas], dtype=np.int64)
        self.kind = np.array([m.get("section_kind", "") for m in metadatas], dtype=object)
        self.block_type = np.array([m.get("block_type", "") for m in metadatas], dtype=object)
        self.keywords = keywords or KeywordIndex(
            [(m.get("section_path", "") + "\n" + text) for m, text in zip(metadatas, texts)])

    def __len__(self) -> int:
        return len(self.ids)

    def departments_matching(self, part: str) -> list[str]:
        part = re.sub(r"\s+", "", part)
        return sorted({d for d in set(self.department.tolist()) if part and part in d})

    def mask(self, filters: Filters) -> np.ndarray | None:
        if filters.is_empty():
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.section_kind:
            keep &= self.kind == filters.section_kind
        if filters.block_type:
            keep &= self.block_type == filters.block_type
        if filters.department:
            keep &= np.isin(self.department, self.departments_matching(filters.department))
        if filters.year:
            keep &= self.year == int(filters.year)
        if filters.exclude:
            department, year = filters.exclude
            keep &= ~((self.department == re.sub(r"\s+", "", department)) & (self.year == int(year)))
        return keep

    def where(self, filters: Filters) -> dict | None:
        """The same filter as a chromadb `where` clause."""
        clauses: list[dict] = []
        if filters.section_kind:
            clauses.append({"section_kind": filters.section_kind})
        if filters.block_type:
            clauses.append({"block_type": filters.block_type})
        if filters.department:
            clauses.append({"department": {"$in": self.departments_matching(filters.department) or [""]}})
        if filters.year:
            clauses.append({"year": int(filters.year)})
        if filters.exclude:
            department, year = filters.exclude
            clauses.append({"$or": [{"department": {"$ne": re.sub(r"\s+", "", department)}},
                                    {"year": {"$ne": int(year)}}]})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def hit(self, index: int, score: float, vector_rank: int | None, keyword_rank: int | None) -> Hit:
        m = self.metadatas[index]
        return Hit(
            id=self.ids[index], text=self.texts[index], score=score, source=m.get("source", ""),
            department=m.get("department", ""), year=int(m.get("year", 0) or 0), place=m.get("place", ""),
            title=m.get("title", ""), section_path=m.get("section_path", ""),
            section_kind=m.get("section_kind", ""), block_type=m.get("block_type", ""),
            position=int(m.get("position", 0)), locator=int(m.get("locator", 0)),
            locator_unit=m.get("locator_unit", ""), vector_rank=vector_rank, keyword_rank=keyword_rank)


class Searcher:
    """Searches one store; keeps the in-memory index until the store's revision changes."""

    def __init__(self, store: CorpusStore, depth: int = 50):
        self.store = store
        self.depth = depth
        self._index: CorpusIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> CorpusIndex:
        revision = self.store.revision()
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = self._load(revision) or self._build(revision)
            return self._index

    def _load(self, revision: str) -> CorpusIndex | None:
        """The snapshot another process (or ingestion) saved for this revision."""
        if self.store.snapshot_dir is None:
            return None
        found = snapshot.load(self.store.snapshot_dir, revision)
        if found is None:
            return None
        ids, texts, metadatas, arrays = found
        return CorpusIndex(ids, texts, metadatas, revision, KeywordIndex.from_arrays(arrays))

    def _build(self, revision: str) -> CorpusIndex:
        ids, texts, metadatas = self.store.all_chunks()
        index = CorpusIndex(ids, texts, metadatas, revision)
        if self.store.snapshot_dir is not None:
            snapshot.save(self.store.snapshot_dir, revision, index.ids, index.texts, index.metadatas,
                          index.keywords.to_arrays())
        return index

    def search(self, query: str, k: int = 5, filters: Filters = Filters(), mode: str = "hybrid") -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        index = self.index()
        if not len(index) or k <= 0:
            return []
        mask = index.mask(filters)
        allowed = int(mask.sum()) if mask is not None else len(index)
        if allowed == 0:
            return []
        depth = max(self.depth, 4 * k)
        vector = self._vector_ranking(index, query, depth, k, mask, allowed, filters) if mode != "keyword" else []
        keyword = [i for i, _ in index.keywords.top(expand_query(query), depth, mask)] if mode != "vector" else []
        fused: dict[int, float] = {}
        for ranking in (vector, keyword):
            for rank, position in enumerate(ranking, start=1):
                fused[position] = fused.get(position, 0.0) + 1.0 / (RRF_K + rank)
        vector_ranks = {position: rank for rank, position in enumerate(vector, start=1)}
        keyword_ranks = {position: rank for rank, position in enumerate(keyword, start=1)}
        best = sorted(fused, key=lambda position: (-fused[position], index.ids[position]))[:k]
        return [index.hit(p, round(fused[p], 6), vector_ranks.get(p), keyword_ranks.get(p)) for p in best]

    def _vector_ranking(self, index: CorpusIndex, query: str, depth: int, k: int, mask: np.ndarray | None,
                        allowed: int, filters: Filters) -> list[int]:
        """Chunk positions nearest to the query among those the filter keeps: chromadb neighbours
        filtered here (a second, wider try if too few pass), or chromadb's `where` as the last resort."""
        vector = self.store.embeddings.embed([query])[0]
        wanted = min(depth, allowed)
        share = allowed / len(index)
        n = min(len(index), math.ceil(wanted / share * 1.5) + 10)
        enough = min(wanted, max(4 * k, 20))  # fewer than `wanted` still fuses well; fewer than this does not
        if mask is None:
            attempts = [n]
        elif n < MAX_OVERSAMPLE:
            attempts = [n, MAX_OVERSAMPLE]
        else:
            attempts = [n] if n == MAX_OVERSAMPLE else []
        for attempt in attempts:
            attempt = min(attempt, len(index))
            found = [index.position.get(chunk_id) for chunk_id, _ in self.store.query(vector, attempt)]
            ranking = [p for p in found if p is not None and (mask is None or mask[p])]
            if len(ranking) >= enough or attempt >= len(index):
                return ranking[:wanted]
        found = self.store.query(vector, wanted, where=index.where(filters))
        return [p for p in (index.position.get(chunk_id) for chunk_id, _ in found) if p is not None]

    def exemplars(self, section_kind: str | None, query_text: str, department: str, year: int,
                  k: int = 3) -> list[Exemplar]:
        """The k best paragraphs of this kind from other departments or other years (never the report
        being drafted), each flagged: its numbers are not this year's."""
        filters = Filters(section_kind=section_kind or None, block_type="paragraph",
                          exclude=(department, int(year)))
        return [
            Exemplar(text=hit.text, citation=hit.citation(), source=hit.source, chunk_id=hit.id,
                     department=hit.department, year=hit.year, section_kind=hit.section_kind,
                     section_path=hit.section_path, score=hit.score,
                     numbers=tuple(dict.fromkeys(_NUMBER.findall(hit.text))))
            for hit in self.search(query_text, k=k, filters=filters)
        ]


_DEFAULT: dict[str, Searcher] = {}


def default_searcher(settings=None) -> Searcher:
    """One searcher per process for the configured store (settings from the environment by default)."""
    from assistant.settings import get_settings

    settings = settings or get_settings()
    key = f"{settings.chroma_url or settings.chroma_path}|{settings.collection}|{settings.embeddings_provider}"
    if key not in _DEFAULT:
        _DEFAULT[key] = Searcher(CorpusStore.open(settings))
    return _DEFAULT[key]


def exemplars(section_kind: str | None, query_text: str, department: str, year: int, k: int = 3,
              *, searcher: Searcher | None = None) -> list[Exemplar]:
    """Retrieval API for drafters: see `Searcher.exemplars`."""
    return (searcher or default_searcher()).exemplars(section_kind, query_text, department, year, k)


__all__ = ["PATH_SEPARATOR", "Exemplar", "Filters", "Hit", "Searcher", "default_searcher", "exemplars"]
