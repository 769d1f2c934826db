"""A character-level diff of two texts in which numbers are never split.

diff-match-patch on raw characters cuts numbers mid-digit (3669 → 3720 shows as "3" kept, "669"
deleted, "720" inserted). Here every numeric mention the checker finds
(`assistant.checking.extract`: "1,234.5万元", "98.91%", "三千人", years, dates, 〔待核：…〕 marks) and
every other run of digits is first encoded as ONE private-use character, the same number as the same
character on both sides; the encoded texts are diffed, `diff_cleanupSemantic` merges the fragments,
and the ops are decoded. A changed number is therefore one deletion of the whole old number and one
insertion of the whole new one.

Pure: no I/O. `diff_texts(a, b)` gives the ops; `render_html(ops)` gives escaped HTML with
`<del>` / `<ins>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

from assistant.checking.extract import extract

Op = Literal["equal", "insert", "delete"]
_OPS: dict[int, Op] = {0: "equal", 1: "insert", -1: "delete"}
# Private-use code points: the BMP block first, then planes 15 and 16.
_PRIVATE_RANGES = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
_PRIVATE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")
_DIGITS = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*")
TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class DiffOp:
    op: Op
    text: str

    def to_json(self) -> dict:
        return {"op": self.op, "text": self.text}


def number_spans(text: str) -> list[tuple[int, int]]:
    """Spans kept whole in a diff: the checker's mentions and ignored numbers (years, dates, marks),
    any other digit run, and private-use characters already in the text (so decoding is exact)."""
    mentions, ignored = extract(text)
    spans = sorted([(m.start, m.end) for m in mentions] + [(i.start, i.end) for i in ignored])
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            continue  # overlapping spans: the earlier (outer) one wins
        kept.append((start, end))
    covered = bytearray(len(text))
    for start, end in kept:
        covered[start:end] = b"\x01" * (end - start)
    extra = [m.span() for pattern in (_DIGITS, _PRIVATE) for m in pattern.finditer(text)
             if not any(covered[m.start():m.end()])]
    return sorted(kept + extra)


class _Codebook:
    """Token ↔ private-use character, shared by both texts of one diff."""

    def __init__(self) -> None:
        self.symbols: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def _next(self) -> str:
        index = len(self.symbols)
        for low, high in _PRIVATE_RANGES:
            if index <= high - low:
                return chr(low + index)
            index -= high - low + 1
        raise ValueError("too many distinct numbers to diff")

    def encode(self, text: str) -> str:
        parts, cursor = [], 0
        for start, end in number_spans(text):
            parts.append(text[cursor:start])
            token = text[start:end]
            symbol = self.symbols.get(token)
            if symbol is None:
                symbol = self.symbols[token] = self._next()
                self.tokens[symbol] = token
            parts.append(symbol)
            cursor = end
        parts.append(text[cursor:])
        return "".join(parts)

    def decode(self, text: str) -> str:
        return "".join(self.tokens.get(char, char) for char in text)


def diff_texts(a: str, b: str) -> list[DiffOp]:
    """The ops turning `a` into `b`, numbers whole, semantically cleaned, adjacent ops of one kind merged."""
    a, b = a or "", b or ""
    book = _Codebook()
    encoded_a, encoded_b = book.encode(a), book.encode(b)
    engine = diff_match_patch()
    engine.Diff_Timeout = TIMEOUT_SECONDS
    diffs = engine.diff_main(encoded_a, encoded_b)
    engine.diff_cleanupSemantic(diffs)
    ops: list[DiffOp] = []
    for code, text in diffs:
        if not text:
            continue
        op, decoded = _OPS[code], book.decode(text)
        if ops and ops[-1].op == op:
            ops[-1] = DiffOp(op, ops[-1].text + decoded)
        else:
            ops.append(DiffOp(op, decoded))
    return ops


def diff_stats(ops: list[DiffOp]) -> dict[str, int]:
    """Characters inserted and deleted, and whether anything changed."""
    inserted = sum(len(o.text) for o in ops if o.op == "insert")
    deleted = sum(len(o.text) for o in ops if o.op == "delete")
    return {"inserted": inserted, "deleted": deleted, "changed": int(bool(inserted or deleted))}


_TAGS = {"insert": ("<ins>", "</ins>"), "delete": ("<del>", "</del>"), "equal": ("", "")}


def render_html(ops: list[DiffOp]) -> Markup:
    """`<del>`/`<ins>` around the changes, every piece of text escaped (newlines kept: show it with
    `white-space: pre-wrap`)."""
    return Markup("").join(Markup(_TAGS[o.op][0]) + escape(o.text) + Markup(_TAGS[o.op][1]) for o in ops)
