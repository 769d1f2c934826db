"""How far a 其中 reaches: to the end of its sentence, or to the closing bracket when it opens inside
brackets ("参保人数597464人（其中机保26479人），失业保险参保人数40781人": the parts end at "）")."""

from __future__ import annotations

_OPEN, _CLOSE = "（(", "）)"


def qizhong_end(text: str, at: int, sentence_end: int) -> int:
    """The end of the parts of the 其中 at `at`, no later than `sentence_end`."""
    depth = 0
    for index in range(at - 1, -1, -1):
        char = text[index]
        if char in "。\n":
            return sentence_end
        if char in _CLOSE:
            depth += 1
        elif char in _OPEN:
            if depth == 0:
                break
            depth -= 1
    else:
        return sentence_end
    depth = 0
    for index in range(at, sentence_end):
        char = text[index]
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            if depth == 0:
                return index
            depth -= 1
    return sentence_end


__all__ = ["qizhong_end"]
