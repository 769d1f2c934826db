"""Speed of the number checker on a 20,000-character report in a warm process (target: < 100 ms).

The report: the template draft of examples/taojiang-rsj-2024.yaml, the seed's own report text and the
start of another department's draft, cut at 20,000 characters, checked against the taojiang ledger.
"Warm" means the process has imported the checker and built the ledger's fact index (as the web app
and the verify-and-repair loop have); the per-sentence score cache is emptied before each timed run,
so every run pays for every sentence as a new document would. The time of a re-check of the same
text (a revised draft, sentences cached) is printed too.

Run: .venv/bin/python evals/checker_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.checking import check_text, counts, fact_index, read_draft
from assistant.pipeline import compute, generate
from assistant.render.text import document_text

LENGTH = 20_000


def report_text() -> str:
    parts = [
        document_text(generate(ROOT / "examples" / "taojiang-rsj-2024.yaml").document),
        read_draft(ROOT / "corpus" / "taojiang-rsj-2024.txt"),
        document_text(generate(ROOT / "examples" / "demo-shuili-2024.yaml").document),
    ]
    return "\n".join(parts)[:LENGTH]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    ledger = compute(ROOT / "examples" / "taojiang-rsj-2024.yaml").ledger
    text = report_text()
    started = time.perf_counter()
    index = fact_index(ledger)
    index_ms = (time.perf_counter() - started) * 1000
    check_text("受理工伤案件575件。", ledger)  # warm: imports, data files, fact index
    wall, cpu = [], []
    findings = []
    for _ in range(args.runs):
        index.clear_sentence_cache()
        started, started_cpu = time.perf_counter(), time.process_time()
        findings = check_text(text, ledger)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    started = time.perf_counter()
    check_text(text, ledger)
    recheck = (time.perf_counter() - started) * 1000
    table = counts(findings)
    print(f"report: {len(text)} characters, {sum(table.values())} numbers "
          f"({', '.join(f'{k} {v}' for k, v in table.items())})")
    print(f"fact index (once per ledger): {index_ms:.1f} ms")
    print(f"check_text, warm process, new text: median {statistics.median(wall):.1f} ms, "
          f"min {min(wall):.1f} ms (cpu median {statistics.median(cpu):.1f} ms) over {args.runs} runs")
    print(f"check_text, same text again (sentences cached): {recheck:.1f} ms")
    print(f"target < 100 ms: {'met' if statistics.median(wall) < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
