"""The funding rows of a 项目支出 / 转移支付 self-evaluation table, checked cell by cell.

A header row naming 全年预算数 (调整后预算数) and 全年执行数 (预算执行数), the 年度资金总额 (总额) row under
it and its 其中 rows (其中：本年财政拨款, 上年结转资金, 其他资金): in each money column the total is never
less than its parts (a part exceeding its whole is an error whatever the missing rows hold), and the
执行率 cell of a row equals its 执行数 ÷ 预算数 (over the interval the cells' rounding allows). Cells are
the document reader's (assistant/model/document.py), with their offsets into the document's text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.figures.numbers import format_number

HUNDRED = Decimal(100)
BUDGET = ("全年预算数", "调整后预算数", "全年预算")
EXECUTED = ("全年执行数", "预算执行数", "执行数")
INITIAL = ("年初预算数", "年初预算")
RATE = ("执行率",)
TOTAL = ("年度资金总额", "资金总额", "总额")
PARTS_BELOW = 4  # 其中：本年财政拨款 / 上年结转资金 / 其他资金 …
PART_LABELS = ("其中", "上年结转", "其他资金", "财政专户", "单位资金", "财政资金", "当年财政拨款", "本年财政拨款")
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$")


def table_relations(document) -> list[dict]:
    found: list[dict] = []
    for table in document.tables():
        rows = table.rows
        for index, header in enumerate(rows):
            columns = _columns(header)
            if "budget" not in columns or "executed" not in columns:
                continue
            below = rows[index + 1:index + 1 + PARTS_BELOW + 1]
            total = next((row for row in below if row and row[0].text.strip().startswith(TOTAL)), None)
            if total is None:
                continue
            parts = []
            for row in below[below.index(total) + 1:]:  # the funding rows only, up to the first other row
                if not row or not row[0].text.strip().startswith(PART_LABELS):
                    break
                parts.append(row)
            found += _parts_within_total(document.text, columns, header, total, parts)
            for row in (total, *parts):
                found += _rate(document.text, columns, row)
    return found


def _columns(row) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(row):
        text = cell.text.strip()
        for name, words in (("initial", INITIAL), ("budget", BUDGET), ("executed", EXECUTED), ("rate", RATE)):
            if name not in columns and any(text.startswith(word) for word in words):
                columns[name] = position
                break
    return columns


def _value(row, position: int) -> tuple[Decimal, Decimal, object] | None:
    """(value, half of its last place, cell) of a numeric cell, None for a blank, a dash or words."""
    if position >= len(row):
        return None
    match = _NUMBER.match(row[position].text)
    if match is None or row[position].start < 0:
        return None
    value = Decimal(match.group(1))
    exponent = value.as_tuple().exponent
    return value, Decimal(1).scaleb(exponent) / 2 if exponent < 0 else Decimal("0.5"), row[position]


def _parts_within_total(text: str, columns: dict[str, int], header, total, parts) -> list[dict]:
    found = []
    for name in ("initial", "budget", "executed"):
        if name not in columns:
            continue
        whole = _value(total, columns[name])
        pieces = [value for value in (_value(row, columns[name]) for row in parts) if value is not None]
        if whole is None or not pieces:
            continue
        stated = sum((piece[0] for piece in pieces), Decimal(0))
        ok = stated <= whole[0] + whole[1]
        places = max(-piece[0].as_tuple().exponent for piece in pieces)
        expected = format_number(stated, max(places, 0))
        label = f"{total[0].text.strip()}的{header[columns[name]].text.strip()}"
        listed = "、".join(piece[2].text for piece in pieces)
        message = (f"{label}{whole[2].text}不小于其中各项（{listed}）" if ok
                   else f"{label}填{whole[2].text}，小于其中各项之和{expected}（{listed}）：合计行有误")
        found.append(_finding(text, "table_sum", ok, whole[2], [whole[2], *(piece[2] for piece in pieces)],
                              expected, message))
    return found


def _rate(text: str, columns: dict[str, int], row) -> list[dict]:
    if "rate" not in columns:
        return []
    budget, executed, rate = (_value(row, columns[name]) for name in ("budget", "executed", "rate"))
    if budget is None or executed is None or rate is None or budget[0] <= 0:
        return []
    low = (executed[0] - executed[1]) / (budget[0] + budget[1]) * HUNDRED
    high = (executed[0] + executed[1]) / (budget[0] - budget[1]) * HUNDRED if budget[0] > budget[1] else low
    stated = rate[0] * (HUNDRED if rate[0] <= 1 and "%" not in rate[2].text and "." in rate[2].text else 1)
    ok = low - rate[1] <= stated <= high + rate[1]
    expected = format_number(executed[0] / budget[0] * HUNDRED, 2) + "%"
    formula = f"{executed[2].text} ÷ {budget[2].text} × 100%"
    message = f"执行率{rate[2].text}等于{formula}" if ok else f"执行率{rate[2].text}与{formula}不符：应为{expected}"
    return [_finding(text, "table_rate", ok, rate[2], [executed[2], budget[2], rate[2]], expected, message, formula)]


def _finding(text: str, check: str, ok: bool, judged, cells, expected: str, message: str,
             formula: str | None = None) -> dict:
    return {
        "start": judged.start, "end": judged.end, "text": text[judged.start:judged.end],
        "status": "verified" if ok else "mismatch", "value": judged.text, "unit": None, "expected": expected,
        "message": message, "check": check, "formula": formula, "source": "表格",
        "related": [[cell.start, cell.end] for cell in cells],
        "evidence": [{"text": cell.text, "start": cell.start, "end": cell.end, "role": "", "label": "",
                      "line": text.count("\n", 0, cell.start) + 1} for cell in cells],
    }
