"""Numbers as slots: the LLM writes `{{fact_key}}` where a figure goes and jixiao fills in the ledger's
display, so a model never has to copy a number.

    fill_slots(text, ledger) -> Filled          every known slot replaced, unknown keys listed
    slotify(text, ledger) -> str                 verified figures of a text turned back into slots
    mark_unknown(text) -> str                    slots no fact answers become 〔待核〕 marks
    SlotStream                                   the same filling for a reply arriving in pieces

Filling follows the sentence, not only the key:
- in a clause with a decrease word (减少, 下降, 低于, 节约 …) before the slot, a negative fact is written
  without its sign, since the word already says the direction ("比上年减少{{sangong.total.change}}" →
  "比上年减少2538元", "低于年初预算{{sangong.total.vs_budget}}" → "低于年初预算2.60万元");
- a unit the model wrote again after the slot ("{{funding.final}}万元") is dropped, since the display
  carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.checking import check_text
from assistant.drafting.template_drafter import TO_CHECK
from assistant.figures.ledger import Ledger

SLOT = re.compile(r"\{\{\s*([^{}\s]{1,120}?)\s*\}\}")
# Words after which a figure is a magnitude (the word carries the sign).
DECREASE_WORDS = ("减少", "下降", "降低", "低于", "少于", "节约", "节省", "缩减", "压减", "回落")
_CLAUSE_END = re.compile(r"[，。；：！？,;:\n]")
UNKNOWN_MARK = "未知数据项“{key}”"
_UNIT_TAIL = re.compile(r"(万元|亿元|元|个百分点|%|％|人|个|项|次|辆|分|家|户|件|天)$")


@dataclass(frozen=True)
class FilledSlot:
    key: str
    start: int  # span of the filled display in the filled text
    end: int


@dataclass(frozen=True)
class Filled:
    text: str
    slots: tuple[FilledSlot, ...]  # the slots that were filled, in order
    unknown: tuple[str, ...]  # keys no fact answers (left as written), each once

    def slot_at(self, start: int, end: int) -> FilledSlot | None:
        """The filled slot whose display covers the span [start, end), if any."""
        for slot in self.slots:
            if slot.start <= start and end <= slot.end:
                return slot
        return None


def fill_slots(text: str, ledger: Ledger) -> Filled:
    out: list[str] = []
    slots: list[FilledSlot] = []
    unknown: list[str] = []
    length = 0  # characters written to `out`
    position = 0
    for match in SLOT.finditer(text):
        before = text[position:match.start()]
        out.append(before)
        length += len(before)
        key = match.group(1)
        position = match.end()
        if key not in ledger:
            out.append(match.group(0))
            length += len(match.group(0))
            if key not in unknown:
                unknown.append(key)
            continue
        fact = ledger[key]
        shown = fact.magnitude if fact.sign < 0 and says_decrease("".join(out)) else fact.display
        unit = _UNIT_TAIL.search(shown)
        if unit and text.startswith(unit.group(1), position):
            position += len(unit.group(1))  # the model repeated the unit
        out.append(shown)
        slots.append(FilledSlot(key, length, length + len(shown)))
        length += len(shown)
    out.append(text[position:])
    return Filled("".join(out), tuple(slots), tuple(unknown))


def says_decrease(before: str) -> bool:
    """Whether the clause that `before` ends with has a decrease word (the figure after it is a
    magnitude)."""
    clause = _CLAUSE_END.split(before[-40:])[-1]
    return any(word in clause for word in DECREASE_WORDS)


def mark_unknown(text: str) -> str:
    return SLOT.sub(lambda m: TO_CHECK.format(what=UNKNOWN_MARK.format(key=m.group(1))), text)


def slotify(text: str, ledger: Ledger) -> str:
    """`text` with every figure the checker verifies as exactly a fact's display (or, after a decrease
    word, its magnitude) written as that fact's slot: the form in which drafts are shown to the model,
    so that it keeps figures by copying slots rather than digits."""
    replacements = []
    for finding in check_text(text, ledger):
        if finding.status != "verified" or finding.check != "number" or not finding.fact:
            continue
        fact = ledger[finding.fact]
        if finding.text == fact.display or (
                finding.text == fact.magnitude and fact.sign < 0 and says_decrease(text[:finding.start])):
            replacements.append((finding.start, finding.end, "{{" + finding.fact + "}}"))
    for start, end, slot in sorted(replacements, reverse=True):
        text = text[:start] + slot + text[end:]
    return text


class SlotStream:
    """Fills slots in a reply that arrives in pieces: `feed(piece)` returns the text that can be shown
    now, `close()` the rest. Text from an unclosed "{{" on, and the few characters after a slot (a
    repeated unit may follow), are held back until they are complete, so what is shown is always a
    prefix of `fill_slots(whole reply).text`."""

    HOLD_AFTER_SLOT = 2

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.raw = ""
        self.shown = 0

    def feed(self, piece: str) -> str:
        self.raw += piece
        return self._emit(self._safe_end())

    def close(self) -> str:
        return self._emit(len(self.raw))

    def _safe_end(self) -> int:
        end = len(self.raw)
        opening = self.raw.rfind("{")
        if opening != -1 and "}}" not in self.raw[opening:]:
            end = opening if opening == 0 or self.raw[opening - 1] != "{" else opening - 1
        last = None
        for last in SLOT.finditer(self.raw, 0, end):
            pass
        if last is not None and end - last.end() < self.HOLD_AFTER_SLOT and end == len(self.raw):
            end = last.start()
        return end

    def _emit(self, end: int) -> str:
        filled = fill_slots(self.raw[:end], self.ledger).text
        new = filled[self.shown:]
        self.shown = len(filled)
        return new
