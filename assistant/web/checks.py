"""The validation findings of a stored data text (the form-consistency rules of `figures.rules`).

Results are cached per (report, data version number): a data version never changes, so the reports
list does not recompute every report's findings on every visit.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from assistant.figures.computable import build_figures
from assistant.figures.findings import Finding
from assistant.model.errors import InputError
from assistant.model.schema import DepartmentYear
from assistant.web.data_text import load_data

log = logging.getLogger("assistant.web")
SEVERITY_LABELS = {"error": "错误", "warning": "提示", "info": "说明"}


@dataclass(frozen=True)
class CheckSummary:
    findings: tuple[Finding, ...] = ()
    counts: dict = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    problem: str | None = None  # the data could not be read at all (a Chinese sentence)
    has_data: bool = True

    @property
    def attention(self) -> int:
        return self.counts["error"] + self.counts["warning"]


NO_DATA = CheckSummary(has_data=False)


def check_model(data: DepartmentYear) -> CheckSummary:
    try:
        findings = tuple(build_figures(data)[1])
    except InputError as error:
        return CheckSummary(problem=str(error))
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return CheckSummary(findings, counts)


def check_text(text: str) -> CheckSummary:
    """Never raises: a list of many reports shows one bad stored version as that row's problem (rows
    stored before today's validation may hold anything)."""
    try:
        return check_model(load_data(text, "已保存的数据"))
    except InputError as error:
        return CheckSummary(problem=str(error))
    except Exception:  # noqa: BLE001 - one stored version must not break the list of all reports
        log.exception("stored data version cannot be checked")
        return CheckSummary(problem="已保存的数据无法读取或计算，请重新上传或在数据页修改后保存")


class CheckCache:
    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[int, int], CheckSummary] = OrderedDict()
        self._size, self._lock = size, Lock()

    def summary(self, report_id: int, version) -> CheckSummary:
        """`version`: the latest DataVersion or None."""
        if version is None:
            return NO_DATA
        key = (report_id, version.number)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = check_text(version.text)
        with self._lock:
            self._items[key] = result
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return result
