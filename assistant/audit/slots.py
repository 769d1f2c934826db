"""What a template leaves behind and what a typist mangles: blank slots and malformed numbers.

- Blank slots: a unit with no number where the sentence asks for one ("占 %", "比上年减少 万元",
  "为万元") and placeholders ("XX万元", "××个", "＿＿元").
- Malformed numbers: thousands separators in the wrong places ("1,2345.6"), a doubled or repeated
  decimal point before a unit ("12..5万元", "1.234.5万元").

Both are findings of their own (status mismatch, check `blank` / `malformed`); a checker finding on the
mangled digits is replaced by the malformed one.
"""

from __future__ import annotations

import re

from assistant.checking.extract import fold

_VERBS = "占|为|达|达到|减少|增加|下降|增长|提高|降低|节约|结余|支出|合计|共计|共|累计|安排|下达"
# Verb + spaces + unit (any unit), or verb + unit directly for units no word starts with.
_BLANK_AFTER_VERB = re.compile(rf"(?:{_VERBS})(?:[ \t\u3000]+(?P<spaced>%|万元|亿元|元|个|人次|人|项|次|批次)"
                               rf"|(?P<tight>%|万元|亿元))")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[XxＸｘ×＊*]{1,4}|[_＿]{2,}|○{1,4}|□{1,4})"
                          r"(?:\.[XxＸｘ×]{1,4})?\s*(?:万元|亿元|元|%|个|人次|人|项|次|家|户)")
_GROUPED = re.compile(r"(?<![\d.,])\d+(?:,\d+)+(?:\.\d+)?")
# 1.234.5万元 is a slip; a long string of digits and points (194.9194.9100%) is table cells run together
# by a copy from the web, which the document reader splits, not a number someone wrote.
_POINTS = re.compile(r"(?<![\d.])(?:\d+\.{2,}\d+|(?=[\d.]{5,9}(?![\d.]))\d+\.\d+\.\d+)(?=\s*(?:万元|亿元|元|%|个|人))")


def slot_findings(text: str) -> list[dict]:
    """Blank slots and malformed numbers of `text`, as finding dicts ordered by position."""
    folded = fold(text)
    found = []
    for match in _BLANK_AFTER_VERB.finditer(folded):
        unit_group = "spaced" if match.group("spaced") else "tight"
        found.append(_finding(text, match.start(), match.end(), "blank",
                              f"“{text[match.start():match.end()]}”缺少数字（{match.group(unit_group)}前应填写数值），"
                              "疑为模板空位未填"))
    for match in _PLACEHOLDER.finditer(folded):
        found.append(_finding(text, match.start(), match.end(), "blank",
                              f"“{text[match.start():match.end()]}”是占位符，数字未填写"))
    for match in _GROUPED.finditer(folded):
        groups = match.group().split(".")[0].split(",")
        if len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:]):
            continue
        found.append(_finding(text, match.start(), match.end(), "malformed",
                              f"“{text[match.start():match.end()]}”的千位分隔符位置不对，无法确定数值"))
    for match in _POINTS.finditer(folded):
        found.append(_finding(text, match.start(), match.end(), "malformed",
                              f"“{text[match.start():match.end()]}”有多个小数点，无法确定数值"))
    found.sort(key=lambda item: item["start"])
    return _without_overlaps(found)


def _finding(text: str, start: int, end: int, check: str, message: str) -> dict:
    return {"start": start, "end": end, "text": text[start:end], "status": "mismatch", "check": check,
            "value": None, "unit": None, "expected": None, "message": message, "formula": None,
            "source": "正文", "related": [[start, end]],
            "evidence": [{"text": text[start:end], "start": start, "end": end, "role": "原文",
                          "label": "", "line": text.count("\n", 0, start) + 1}]}


def _without_overlaps(found: list[dict]) -> list[dict]:
    kept: list[dict] = []
    for item in found:
        if kept and item["start"] < kept[-1]["end"]:
            continue
        kept.append(item)
    return kept
