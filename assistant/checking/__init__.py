"""The number checker: every number of a draft verified against the fact ledger.

Public API (pure functions, no I/O except `read_draft`):

    check_text(text, ledger, *, past_texts=(), marks=()) -> list[NumberFinding]
    apply_marks(text, findings, marks) / mark_at(text, start, end, reason)   “不是数据声明” marks
    read_draft(path) -> str                     .txt / .md / .docx; InputError (Chinese) when unusable
    render_html(text, findings, *, title=..., ledger=None) -> str
    extract(text) -> (list[Mention], list[Ignored])   the numeric mentions, before binding
    fact_index(ledger) -> FactIndex             precomputation per ledger (cached; call to warm up)
    direction_words() -> dict[str, int]         direction words and their polarity (+1 / −1 / 0)
    counts(findings), relation_counts(findings), is_clean(findings)

See docs/checker.md for the statuses, the interval and binding policy and the data files.
"""

from assistant.checking.check import check_text
from assistant.checking.extract import Ignored, Mention, extract
from assistant.checking.findings import (
    ATTENTION,
    STATUS_NAMES,
    STATUSES,
    NumberFinding,
    counts,
    is_clean,
    relation_counts,
)
from assistant.checking.html import render_html
from assistant.checking.index import FactIndex, fact_index
from assistant.checking.lexicon import direction_words
from assistant.checking.marks import ClaimMark, apply_marks, mark_at
from assistant.checking.reader import read_draft

__all__ = [
    "ATTENTION", "STATUSES", "STATUS_NAMES", "ClaimMark", "FactIndex", "Ignored", "Mention", "NumberFinding",
    "apply_marks", "check_text", "mark_at",
    "counts", "direction_words", "extract", "fact_index", "is_clean", "read_draft", "relation_counts", "render_html",
]
