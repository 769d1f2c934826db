"""A PDF's text with its page-width line breaks removed, and the way back to the original offsets.

A PDF's text layer breaks lines where the page ends them ("…；29.99万\\n元用于设计"): a figure and its unit,
or the parts of one 其中 list, end up on two lines. A line break is a wrap when the line is about as long
as a printed line and does not end a sentence, and the next line starts no heading.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

WRAPPED_LINE = 30  # characters: shorter lines end where the author ended them
_ENDS = tuple("。！？；：:!?;")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d)|第[一二三四五六七八九十]+部分)")


def unwrap(text: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
    """(text without wrap breaks, span map from it to `text`)."""
    removed: list[int] = []  # original offsets of the line breaks taken out
    line_start = 0
    for position, char in enumerate(text):
        if char != "\n":
            continue
        line = text[line_start:position].rstrip()
        following = text[position + 1:text.find("\n", position + 1) if "\n" in text[position + 1:] else len(text)]
        if len(line) >= WRAPPED_LINE and not line.endswith(_ENDS) and following.strip() \
                and not _HEADING.match(following):
            removed.append(position)
        line_start = position + 1
    if not removed:
        return text, lambda start, end: (start, end)
    kept = "".join(char for position, char in enumerate(text) if position not in set(removed))
    # The n-th removed break stood at original offset removed[n], i.e. at new offset removed[n] - n.
    shifted = [offset - number for number, offset in enumerate(removed)]

    def original(position: int) -> int:
        return position + bisect.bisect_right(shifted, position)

    def span(start: int, end: int) -> tuple[int, int]:
        return original(start), original(end - 1) + 1 if end > start else original(start)

    return kept, span
