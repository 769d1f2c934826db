"""Small wording helpers shared by the drafters: numbering, list joining, direction words.

Nothing here formats an amount: every figure comes from a ledger `Fact` (`display`, `magnitude`,
`sign`). These helpers only choose the words around it (增加/减少, 增长/下降, 高于/低于 …) so that
the direction word always agrees with the fact's sign at its displayed precision.
"""

from __future__ import annotations

import re

from assistant.figures.ledger import Fact

CHINESE_DIGITS = "零一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Documents cited in the preamble: (title, 文号). Names of documents, not figures.
BASIS_DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("中共中央 国务院关于全面实施预算绩效管理的意见", "中发〔2018〕34号"),
    ("财政部关于印发〈项目支出绩效评价管理办法〉的通知", "财预〔2020〕10号"),
)
# The province's own implementing opinion, cited after the national documents.
PROVINCIAL_BASIS: dict[str, tuple[tuple[str, str], ...]] = {
    "湖南省": (("中共湖南省委办公厅 湖南省人民政府办公厅关于全面实施预算绩效管理的实施意见", "湘办发〔2019〕10号"),),
}


def basis_documents(province: str | None) -> list[tuple[str, str]]:
    return list(BASIS_DOCUMENTS) + list(PROVINCIAL_BASIS.get(province or "", ()))


# How a department refers to itself ("我局"), by the end of its full name. First match wins.
SELF_REFERENCE: tuple[tuple[str, str], ...] = (
    ("委员会", "我委"),
    ("办公室", "我办"),
    ("学校", "我校"),
    ("中心", "我中心"),
    ("局", "我局"),
    ("委", "我委"),
    ("办", "我办"),
    ("院", "我院"),
    ("所", "我所"),
    ("站", "我站"),
    ("馆", "我馆"),
    ("校", "我校"),
    ("会", "我会"),
    ("厅", "我厅"),
)

_LEADING_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]|[①-⑳])\s*")
_CLOSING = "。！？；：…"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (heading numbers up to 99)."""
    if n <= 0 or n >= 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + ("" if ones == 0 else CHINESE_DIGITS[ones])


def circled(n: int) -> str:
    if not 1 <= n <= len(CIRCLED):
        raise ValueError(f"circled number out of range: {n}")
    return CIRCLED[n - 1]


def level1_number(n: int) -> str:
    return f"{chinese_number(n)}、"


def level2_number(n: int) -> str:
    return f"（{chinese_number(n)}）"


def self_reference(name: str) -> str:
    for ending, word in SELF_REFERENCE:
        if name.endswith(ending):
            return word
    return "我单位"


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """Chinese enumeration with the 顿号: 甲、乙、丙."""
    return "、".join(name.strip() for name in names if name and name.strip())


def strip_marker(text: str) -> str:
    """Drop a list marker the department already typed ("1、", "（一）", "①")."""
    return _LEADING_MARKER.sub("", text, count=1).strip()


def sentence(text: str) -> str:
    """The text as a complete sentence: add 。 unless it already ends with closing punctuation."""
    text = text.strip()
    if not text:
        return text
    if text[-1] in _CLOSING:
        return text
    if text[-1] in "，、,;；":
        return text[:-1] + "。"
    return text + "。"


def clause(text: str) -> str:
    """The text without its final full stop, to continue a sentence after it."""
    text = text.strip()
    while text and text[-1] in "。；;，,":
        text = text[:-1]
    return text


def direction_word(fact: Fact, up: str, down: str, same: str) -> str:
    """The word matching the fact's sign (at displayed precision); the fact must not be missing."""
    return {1: up, -1: down, 0: same}[fact.sign]
