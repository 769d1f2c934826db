"""Keyword search: BM25 over character bigrams, built with numpy so 50 000 chunks index in seconds.

Chinese has no spaces, and the words of these reports (三公经费, 公务接待, 执行率) are caught well by
overlapping character pairs: "三公经费" → 三公, 公经, 经费. Letters pair the same way; digits are left out
(years and amounts would match everything). The index is an inverted list per bigram with the BM25
weight of each posting computed once, so a query is a few array additions over the documents that
contain its bigrams.
"""

from __future__ import annotations

import numpy as np

K1 = 1.5
B = 0.75
_SEPARATOR = "\n"

# Short forms people type for the words these reports spell out. A query containing the short form is
# also searched for the full one (the reports write 公务用车, a drafter asks about 公车).
ABBREVIATIONS: dict[str, str] = {
    "公车": "公务用车",
    "公卫": "基本公共卫生服务",
    "村医": "乡村医生",
    "核磁": "磁共振",
    "两癌": "宫颈癌 乳腺癌",
    "人社": "人力资源和社会保障",
    "卫健": "卫生健康",
    "住建": "住房和城乡建设",
    "讨薪": "欠薪",
    "社保": "社会保险",
    "医保": "医疗保障",
    "低保": "最低生活保障",
}


def expand_query(query: str) -> str:
    """The query plus the full forms of the short forms it contains."""
    extra = [full for short, full in ABBREVIATIONS.items() if short in query and full not in query]
    return query + " " + " ".join(extra) if extra else query


def _word_char_mask(codes: np.ndarray) -> np.ndarray:
    """CJK ideographs and ASCII/full-width letters; digits, punctuation and spaces are not."""
    cjk = ((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
    lower = codes | 0x20
    latin = (lower >= ord("a")) & (lower <= ord("z"))
    wide = ((codes >= 0xFF21) & (codes <= 0xFF3A)) | ((codes >= 0xFF41) & (codes <= 0xFF5A))
    return cjk | latin | wide


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def bigram_keys(text: str) -> np.ndarray:
    """The bigrams of one text as int64 keys (first code point << 21 | second), with repeats."""
    codes = _codes(text)
    if len(codes) < 2:
        return np.zeros(0, dtype=np.int64)
    word = _word_char_mask(codes)
    pair = word[:-1] & word[1:]
    return (codes[:-1][pair] << 21) | codes[1:][pair]


def bigrams(text: str) -> list[str]:
    """The bigrams as strings (for tests and explanations)."""
    return [chr(int(key) >> 21) + chr(int(key) & 0x1FFFFF) for key in bigram_keys(text)]


class KeywordIndex:
    def __init__(self, texts: list[str]):
        self.size = len(texts)
        if not texts:
            self.terms = np.zeros(0, dtype=np.int64)
            self.offsets = np.zeros(1, dtype=np.int64)
            self.docs = np.zeros(0, dtype=np.int32)
            self.weights = np.zeros(0, dtype=np.float32)
            return
        joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts)
        codes = _codes(joined)
        word = _word_char_mask(codes)
        pair = word[:-1] & word[1:]
        keys = (codes[:-1] << 21) | codes[1:]
        # The document of each position: separators are not word characters, so no pair crosses two.
        starts = np.zeros(len(texts), dtype=np.int64)
        lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
        starts[1:] = np.cumsum(lengths[:-1] + 1)
        positions = np.nonzero(pair)[0]
        doc_of = np.searchsorted(starts, positions, side="right") - 1
        keys = keys[positions]
        doc_length = np.bincount(doc_of, minlength=len(texts)).astype(np.float64)
        # (term, doc) pairs with their counts, sorted by term then doc.
        combined = keys * (1 << 22) + doc_of  # key < 2**42, doc < 2**21
        unique, tf = np.unique(combined, return_counts=True)
        term_of = unique >> 22
        doc_ids = (unique & ((1 << 22) - 1)).astype(np.int32)
        self.terms, first, df = np.unique(term_of, return_index=True, return_counts=True)
        self.offsets = np.append(first, len(term_of)).astype(np.int64)
        average = max(doc_length.mean(), 1.0)
        idf = np.log((self.size - df + 0.5) / (df + 0.5) + 1.0)
        tf = tf.astype(np.float64)
        norm = tf + K1 * (1 - B + B * doc_length[doc_ids] / average)
        self.docs = doc_ids
        self.weights = (np.repeat(idf, df) * tf * (K1 + 1) / norm).astype(np.float32)

    ARRAYS = ("terms", "offsets", "docs", "weights")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as plain arrays (retrieval/snapshot.py keeps them on disk)."""
        return {"size": np.array([self.size], dtype=np.int64), **{name: getattr(self, name) for name in self.ARRAYS}}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> KeywordIndex:
        index = cls.__new__(cls)
        index.size = int(arrays["size"][0])
        for name in cls.ARRAYS:
            setattr(index, name, arrays[name])
        return index

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query (zeros where no bigram matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        keys = np.unique(bigram_keys(query))
        if not len(keys) or not len(self.terms):
            return scores
        _, present, _ = np.intersect1d(self.terms, keys, assume_unique=True, return_indices=True)
        for index in present:
            start, end = self.offsets[index], self.offsets[index + 1]
            scores[self.docs[start:end]] += self.weights[start:end]
        return scores

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The n best (document index, score) with a positive score, among `mask` if given."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        candidates = np.nonzero(scores > 0)[0]
        if len(candidates) > n:
            best = np.argpartition(-scores[candidates], n - 1)[:n]
            candidates = candidates[best]
        order = sorted(candidates.tolist(), key=lambda index: (-float(scores[index]), index))
        return [(index, float(scores[index])) for index in order]
