"""Helpers shared by the command modules: JSON output, finding summaries, safe file writing."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

EXIT_CLEAN, EXIT_ATTENTION, EXIT_UNUSABLE = 0, 1, 2
SEVERITY_NAMES = {"error": "错误", "warning": "提示", "info": "说明"}


def print_json(document: object) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def identity_json(data) -> dict:
    return {"department": data.identity.name, "county": data.identity.county, "year": data.identity.year}


def summary(findings) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def status(findings) -> int:
    return EXIT_ATTENTION if any(f.severity in {"error", "warning"} for f in findings) else EXIT_CLEAN


def print_findings(findings) -> None:
    if not findings:
        print("未发现问题。")
        return
    for finding in findings:
        print(f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule} {finding.location}：{finding.message}")
    counts = summary(findings)
    print(f"共 {len(findings)} 处：错误 {counts['error']}，提示 {counts['warning']}，说明 {counts['info']}。")


def write_text_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then move it into place: never a half-written file."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".jixiao-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
