"""Sentences about the future: a plan's or a target's numbers are targets, not this year's data.

A number speaks of the future when its level-1 section is a plan (下一步工作计划), when the words of
its sentence up to the end of its own clause say so (计划于, 力争, 争取, 预计, 明年, 控制在…以内,
确保…达到), or when they name a year after the report's (2025年计划招聘30名). The words are data
(`data/lexicon.yaml`, `future:`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.checking.lexicon import words

_SENTENCE_END = "。！？!?\n"
_CLAUSE_END = "，,；;。！？!?\n"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*(?:1[0-2]|0?[1-9])\s*月)")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = words().future
    cues = re.compile("|".join(str(p) for p in data["cues"]))
    sections = re.compile("|".join(re.escape(str(w)) for w in data["sections"]))
    later = re.compile("|".join(str(p) for p in data["later_year_cues"]))
    return cues, sections, later


_LEVEL1_LINE = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]{1,3}[、.．][^\n]{0,40}$", re.M)
_ATTACHMENT = re.compile(r"^附件\s*\d", re.M)


@lru_cache(maxsize=8)
def plan_sections(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the plan sections of `text`: from a level-1 heading naming a plan (四、下一步工作计划)
    to the next level-1 heading or attachment (附件1)."""
    _, sections, _ = _patterns()
    found = []
    headings = list(_LEVEL1_LINE.finditer(text))
    for index, heading in enumerate(headings):
        if not sections.search(heading.group()):
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        attachment = _ATTACHMENT.search(text, heading.end(), end)
        found.append((heading.end(), attachment.start() if attachment else end))
    return tuple(found)


def in_plan_section(text: str, position: int) -> bool:
    """Whether `position` lies in a plan section (its heading may end with 。 as the seed's does)."""
    return any(start <= position < end for start, end in plan_sections(text))


def is_future(text: str, position: int, year: int | None, *,
              include_own_year: bool = True) -> str | None:
    """Whether the number (or year) at `position` belongs to a plan or a target, and why: "cue" (the
    words of its sentence), "year" (a later year), "section" (only its section is a plan: it may
    still restate this year's figure, which its words then name clearly), or None.

    `include_own_year=False` (a year judging itself): the broader words of a plan (将, 继续, 进一步…)
    anywhere in the sentence make it a plan year as well."""
    cues, _, later = _patterns()
    start = _back_to(text, position, _SENTENCE_END)
    if include_own_year:
        end = _forward_to(text, position, _CLAUSE_END)
        if cues.search(text[start:end]):
            return "cue"
        if year and any(int(y) > year for y in _YEAR.findall(text, start, position)):
            return "year"
    else:
        sentence = text[start:_forward_to(text, position, _SENTENCE_END)]
        if cues.search(sentence) or later.search(sentence):
            return "cue"
    return "section" if in_plan_section(text, position) else None


def _back_to(text: str, position: int, stops: str) -> int:
    index = position - 1
    while index >= 0 and text[index] not in stops:
        index -= 1
    return index + 1


def _forward_to(text: str, position: int, stops: str) -> int:
    index = position
    while index < len(text) and text[index] not in stops:
        index += 1
    return index


__all__ = ["in_plan_section", "is_future", "plan_sections"]
