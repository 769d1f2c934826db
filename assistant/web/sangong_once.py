"""三公经费 is typed once on the data form: in 元, in the report's 三公 table (narrative.sangong); the
four matching rows of 附件1 (万元) are derived from it, as the form shows read-only.

Uploads keep both tables as given and the checker's R12 still compares them; only the form derives.
A 0 in 元 leaves a blank 附件1 cell blank (the official form leaves those cells empty).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.figures.numbers import quantize

ROWS = ("total", "vehicle", "overseas", "reception")
COLUMNS = ("prior_final", "budget", "final")
TARGET = re.compile(rf"^basic_data\.sangong\.({'|'.join(ROWS)})\.({'|'.join(COLUMNS)})$")
HELP = "由自评报告“三公”经费对比表（元）折算，请在那里填写"
TEN_THOUSAND = Decimal(10000)


def source_of(path: str) -> str | None:
    """The 元 field a 附件1 三公 cell is derived from, or None."""
    match = TARGET.match(path)
    return f"narrative.sangong.{match.group(1)}.{match.group(2)}" if match else None


def _number(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def derive(raw: dict) -> dict:
    """`raw` (parsed form fields) with 附件1's 三公 cells computed from the 元 table."""
    basic = raw.get("basic_data") or {}
    yuan_table = (raw.get("narrative") or {}).get("sangong") or {}
    wan_table = basic.get("sangong") or {}
    in_yuan = basic.get("unit") == "元"
    for row in ROWS:
        source, target = yuan_table.get(row) or {}, wan_table.get(row)
        if not isinstance(target, dict):
            continue
        for column in COLUMNS:
            yuan, posted = _number(source.get(column)), target.get(column)
            if yuan is None or (yuan == 0 and posted in (None, "")):
                continue
            computed = yuan if in_yuan else quantize(yuan / TEN_THOUSAND, 2)
            if _number(posted) != computed:
                target[column] = format(computed, "f")
    return raw
