"""Department, county and year of a document read without its forms: from its title, else its file name.

Only a guess for the audit's heading and the folder summary; nothing is inferred when nothing says so
(the audit runs without them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.checking.extract import front_matter_end

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_WORDS = ("报告", "自评", "说明", "评价", "决算", "预算", "情况")
_COUNTY = re.compile(r"^(.{1,8}?(?:县|市|区|旗))")
_NAME = re.compile(r"^([\u4e00-\u9fff（）()]{2,30}?)\s*20\d{2}\s*年")
_HEAD_LINES = 8


@dataclass(frozen=True)
class GuessedIdentity:
    department: str | None
    county: str | None
    year: int | None


def guess_identity(path: Path, text: str) -> GuessedIdentity:
    body = text[front_matter_end(text):]
    head = [line.strip() for line in body.splitlines() if line.strip()][:_HEAD_LINES]
    titles = [line for line in head if any(word in line for word in _TITLE_WORDS)] + head
    year = department = None
    for line in titles + [path.stem]:
        found = _YEAR.search(line)
        if found:
            year = int(found.group(1))
            break
    for line in titles + [path.stem]:
        found = _NAME.match(line.lstrip("“\"《"))
        if found and len(found.group(1)) >= 3:
            department = found.group(1)
            break
    county = None
    if department:
        match = _COUNTY.match(department)
        county = match.group(1) if match and match.group(1) != department else None
    return GuessedIdentity(department, county, year)
