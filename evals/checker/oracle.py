"""Ledger figures found in a text without the checker: each place where a fact's display (running
text), its magnitude (a change written after 增加/减少) or its cell text (a table cell) appears.

This is the benchmark's stand-in for "the checker verified this number" when the checker is not
available (the injector's tests, `run.py --oracle` dry runs). It knows nothing of context, so it binds
a figure to the first fact that prints it; the real benchmark uses the checker's own verified findings.
"""

from __future__ import annotations

import re

from assistant.figures.ledger import Ledger

from evals.checker.inject import Mention

_DIGIT = re.compile(r"\d")
_YEAR_LIKE = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日")


def find_mentions(text: str, ledger: Ledger) -> tuple[Mention, ...]:
    """Non-overlapping mentions, longest figure first, sorted by position."""
    shown: dict[str, tuple[str, str]] = {}  # printed string → (fact key, unit)
    for fact in ledger:
        if fact.value is None:
            continue
        unit = "分" if fact.unit == "分值" else fact.unit
        for printed in (fact.display, fact.magnitude, fact.number):
            if _DIGIT.search(printed) and printed not in shown:
                shown[printed] = (fact.key, unit)
    taken = bytearray(len(text))
    for match in _YEAR_LIKE.finditer(text):
        taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    mentions: list[Mention] = []
    for printed in sorted(shown, key=len, reverse=True):
        key, unit = shown[printed]
        pattern = re.compile(r"(?<![0-9.．])" + re.escape(printed) + r"(?![0-9.．])")
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            # a bare cell number ("60158") only inside a table cell, not inside running text
            if printed == ledger[key].number and printed != ledger[key].display:
                left = text[start - 1] if start else "\n"
                right = text[end] if end < len(text) else "\n"
                if left not in "\t\n：" or right not in "\t\n":
                    continue
            taken[start:end] = b"\x01" * (end - start)
            mentions.append(Mention(start, end, key, unit))
    return tuple(sorted(mentions, key=lambda m: m.start))
