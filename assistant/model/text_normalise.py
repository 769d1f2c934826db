"""Text as the readers see it: traditional characters made simplified, pinyin annotations dropped.

Documents copied from some web sites come in traditional characters (經費, 預算) or with the pinyin of
rare characters in brackets after them (導(dǎo)讀). Both defeat every word pattern of the readers.

- Traditional → simplified with OpenCC's t2s tables (`opencc-python-reimplemented`: pure Python, its
  dictionaries ship in the wheel, nothing is downloaded). The conversion runs only when a text is
  traditional — more than `TRADITIONAL_SHARE` of its Chinese characters change — so that a simplified
  report is never touched (t2s would turn a few simplified characters such as 著 into variants).
- Pinyin in brackets right after a Chinese character is dropped when it has a tone mark or a tone
  digit (dǎo, dao3); "(A)", "(B/A)" and "(万元)" stay.

Both keep line breaks, so line numbers of the file stay valid.
"""

from __future__ import annotations

import re
from functools import lru_cache

TRADITIONAL_SHARE = 0.03
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(
    rf"(?<=[\u4e00-\u9fff])[(（]\s*(?:[a-zü]*[{_TONED}][a-z{_TONED}]*|[a-zü]+[1-5])\s*[)）]"
)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def drop_pinyin(text: str) -> str:
    return _PINYIN.sub("", text)


def is_traditional(text: str) -> bool:
    chinese = _CJK.findall(text)
    if not chinese:
        return False
    sample = "".join(chinese[:4000])
    converted = _converter().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed > len(sample) * TRADITIONAL_SHARE


def normalise_text(text: str) -> tuple[str, list[str]]:
    """(normalised text, notes in Chinese on what was changed)."""
    notes = []
    cleaned = drop_pinyin(text)
    if cleaned != text:
        notes.append("已去掉汉字后括注的拼音")
    if is_traditional(cleaned):
        converted = "\n".join(_converter().convert(line) for line in cleaned.split("\n"))
        if converted.count("\n") == cleaned.count("\n"):
            cleaned = converted
            notes.append("原文为繁体字，已转换为简体字后读取")
    return cleaned, notes


def normaliser_for(sample: str):
    """(function that normalises one piece of the document, notes): the decision to convert is taken
    once for the whole document (its text as `sample`), the conversion applied piece by piece."""
    traditional = is_traditional(drop_pinyin(sample))
    notes = []
    if _PINYIN.search(sample):
        notes.append("已去掉汉字后括注的拼音")
    if traditional:
        notes.append("原文为繁体字，已转换为简体字后读取")

    def normalise(piece: str) -> str:
        piece = drop_pinyin(piece)
        return _converter().convert(piece) if traditional and piece else piece

    return normalise, notes
