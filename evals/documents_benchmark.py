"""The document reader on its development set (tests/model/fixtures/documents/manifest.yaml).

Prints, per document and for the tuned and held-out parts: the tables the manifest names and how many
of them were recovered with every named cell right, whether year and department were found as
expected, the data-file figures carried, and the time `read_document` takes (median of 3 runs).
The .docx/.pdf/.doc members are built by tests/model/document_builders.py (LibreOffice for .pdf/.doc;
`--no-convert` leaves those out).

    .venv/bin/python evals/documents_benchmark.py [--no-convert]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.model.document import read_document  # noqa: E402
from assistant.model.report_reader import read_report  # noqa: E402
from tests.model.document_builders import BUILDERS, convert  # noqa: E402

FIXTURES = ROOT / "tests" / "model" / "fixtures" / "documents"


@dataclass
class Result:
    id: str
    tuned: bool
    tables: int
    tables_right: int
    identity_right: bool
    figures: int
    figures_right: int
    milliseconds: float


def _value(data, dotted: str):
    value = data
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return None if value is None else str(value)


def measure(entry: dict, path: Path) -> Result:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        document = read_document(path)
        times.append(time.perf_counter() - started)
    tables, right = document.tables(), 0
    for index, expected in enumerate(entry.get("tables") or []):
        rows = tables[index].cell_texts() if index < len(tables) else []
        ok = bool(rows) and expected.get("rows", len(rows)) == len(rows) and all(
            row < len(rows) and col < len(rows[row]) and rows[row][col].replace("\n", "") == str(text)
            for row, col, text in expected.get("cells", []))
        right += ok
    contents = read_report(path)
    data = contents.data
    if entry["year"] is None:
        identity = data is None
    else:
        identity = data is not None and data.identity.year == entry["year"] and \
            data.identity.name == (entry["department"] or "")
    figures = entry.get("figures") or {}
    carried = sum(1 for dotted, want in figures.items() if data is not None
                  and _value(data, dotted) == (None if want is None else str(want)))
    return Result(entry["id"], entry.get("tuned", True) is not False, len(entry.get("tables") or []), right,
                  identity, len(figures), carried, statistics.median(times) * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-convert", action="store_true", help="leave out the .pdf/.doc members")
    args = parser.parse_args(argv)
    entries = yaml.safe_load((FIXTURES / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    results = []
    with tempfile.TemporaryDirectory(prefix="jixiao-documents-") as folder:
        built: dict[tuple, Path] = {}
        for entry in entries:
            if "file" in entry:
                path = FIXTURES / entry["file"]
            else:
                if entry.get("convert") and (args.no_convert or shutil.which("soffice") is None):
                    continue
                key = (entry["build"], entry.get("convert"))
                if key not in built:
                    docx = BUILDERS[entry["build"]](Path(folder) / f"{entry['build']}{entry.get('suffix', '.docx')}")
                    built[key] = convert(docx, entry["convert"]) if entry.get("convert") else docx
                path = built[key]
            results.append(measure(entry, path))
    print(f"{'document':32} {'tuned':>5} {'tables':>7} {'identity':>8} {'figures':>8} {'ms':>7}")
    for r in results:
        print(f"{r.id:32} {'yes' if r.tuned else 'no':>5} {r.tables_right:>3}/{r.tables:<3} "
              f"{'ok' if r.identity_right else 'MISS':>8} {r.figures_right:>3}/{r.figures:<4} {r.milliseconds:7.1f}")
    for name, part in (("tuned", [r for r in results if r.tuned]), ("held-out", [r for r in results if not r.tuned])):
        if part:
            print(f"{name}: {len(part)} documents, tables {sum(r.tables_right for r in part)}/{sum(r.tables for r in part)}, "
                  f"identity {sum(r.identity_right for r in part)}/{len(part)}, "
                  f"figures {sum(r.figures_right for r in part)}/{sum(r.figures for r in part)}")
    complete = all(r.tables_right == r.tables and r.identity_right and r.figures_right == r.figures for r in results)
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
