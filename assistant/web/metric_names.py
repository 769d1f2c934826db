"""Metric keys stay out of the data form: staff see and type labels.

The data file names each 成效数据 figure by a key (`fund_income`) that texts reference as `{fund_income}`
and relations (由以下各项相加 …) list. The form shows `{基金总收入}` and the labels instead, keeps the key
in a hidden field, and turns labels back into keys when the form is posted; a new row gets a fresh key.
Only labels that name exactly one metric are used (a duplicated label shows its key).
"""

from __future__ import annotations

import re
import typing
from typing import Any

RELATIONS = ("sum_of", "difference_of", "ratio_of")
REFERENCE = re.compile(r"\{([^{}]+)\}")
METRIC_LABEL = re.compile(r"^(.*metrics\[\d+\])\.label$")
PROJECT_NAME = re.compile(r"^(narrative\.projects\[\d+\])\.name$")
SEPARATORS = r"\s,，、"


def is_key(path: str) -> bool:
    """Metric and project keys are hidden fields (only those two models have a `key`)."""
    return path.rsplit(".", 1)[-1] == "key"


# -- stored data → what the form shows ------------------------------------------------------------

def _metrics(raw: Any) -> list[dict]:
    narrative = raw.get("narrative") if isinstance(raw, dict) else None
    if not isinstance(narrative, dict):
        return []
    found = [m for m in narrative.get("target_metrics") or [] if isinstance(m, dict)]
    for project in narrative.get("projects") or []:
        if isinstance(project, dict):
            found += [m for m in project.get("metrics") or [] if isinstance(m, dict)]
    return found


def _usable(label: Any) -> bool:
    return isinstance(label, str) and bool(label.strip()) and not re.search(r"[{}\n]", label)


def _unique(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key → label for labels naming one key only."""
    counts: dict[str, int] = {}
    for _, label in pairs:
        counts[label] = counts.get(label, 0) + 1
    return {key: label for key, label in pairs if counts[label] == 1 and _usable(label)}


def show(raw: dict) -> dict:
    """A copy of `raw` with `{key}` in texts and keys in relations replaced by labels."""
    labels = _unique([(m["key"], m["label"]) for m in _metrics(raw) if m.get("key") and m.get("label")])

    def walk(value: Any, name: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if name in RELATIONS and isinstance(value, list):
            return [walk(item, name) if isinstance(item, list) else labels.get(item, item) for item in value]
        if isinstance(value, list):
            return [walk(item, name) for item in value]
        if isinstance(value, str) and name not in {"key", "label"}:
            return REFERENCE.sub(lambda m: "{" + labels.get(m.group(1), m.group(1)) + "}", value)
        return value

    return walk(raw)


# -- posted form → data fields ----------------------------------------------------------------------

def resolve(fields: typing.Mapping[str, str]) -> dict[str, str]:
    """The posted fields with labels turned back into keys, and keys for new metrics and projects."""
    out = dict(fields)
    used = {value.strip() for name, value in out.items() if is_key(name) and value and value.strip()}

    def fresh(prefix: str) -> str:
        number = 1
        while f"{prefix}{number}" in used:
            number += 1
        used.add(f"{prefix}{number}")
        return f"{prefix}{number}"

    pairs = []
    for name, value in fields.items():
        for pattern, prefix in ((METRIC_LABEL, "m"), (PROJECT_NAME, "p")):
            match = pattern.match(name)
            if match and value and value.strip():
                key_field = match.group(1) + ".key"
                if not (out.get(key_field) or "").strip():
                    out[key_field] = fresh(prefix)
                if prefix == "m":
                    pairs.append((out[key_field].strip(), value.strip()))
    keys = {label: key for key, label in _unique(pairs).items()}
    by_length = sorted(keys, key=len, reverse=True)
    for name, value in list(out.items()):
        last = name.rsplit(".", 1)[-1]
        if not value or last in {"key", "label"}:
            continue
        if last in RELATIONS:
            for label in by_length:
                value = re.sub(rf"(?<![^{SEPARATORS}]){re.escape(label)}(?![^{SEPARATORS}])", keys[label], value)
            out[name] = value
        else:
            out[name] = REFERENCE.sub(lambda m: "{" + keys.get(m.group(1).strip(), m.group(1)) + "}", value)
    return out
