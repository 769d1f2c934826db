"""The LLM drafter on the example datasets: numbers verified before and after repair, key facts covered,
repair rounds, length and time per section, against each available endpoint.

Endpoints:
- `scripted` (always): a local OpenAI-compatible server that answers with the offline draft it was
  sent, slots kept — a perfect model with no thinking time, so the time measured is jixiao's own
  overhead (prompt building, slot filling, checking) plus loopback HTTP;
- `configured`: the endpoint of JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL, when set;
- `local`: the local model of `make local-llm` when its server answers on 127.0.0.1:8081
  (`make local-llm-serve`); skipped with a message otherwise.

Targets (issue 5): every number of a shipped draft verified or visibly marked (100%); jixiao's overhead
per section (all but the model's time) under 200 ms.

    .venv/bin/python evals/drafting/benchmark.py [--datasets taojiang-rsj-2024 ...] [--sections plans ...]
        [--endpoints scripted configured local] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "llm"))  # the scripted server of the tests

from assistant.checking import check_text  # noqa: E402
from assistant.checking.findings import ATTENTION  # noqa: E402
from assistant.drafting.exemplars import ExemplarSource  # noqa: E402
from assistant.drafting.llm_drafter import SectionWriter, UnitResult  # noqa: E402
from assistant.drafting.markup import parse_blocks, plain_text  # noqa: E402
from assistant.drafting.sections import section  # noqa: E402
from assistant.drafting.slots import SLOT, slotify  # noqa: E402
from assistant.pipeline import compute, corpus_searcher  # noqa: E402
from assistant.settings import Settings, get_settings  # noqa: E402

LOCAL_URL = "http://127.0.0.1:8081/v1"
LOCAL_MODEL = "qwen2.5-coder-1.5b-instruct"
DATASETS = ("taojiang-rsj-2024", "demo-shuili-2024", "demo-jiaoyu-2023", "demo-weijian-2024",
            "demo-nongye-2022", "demo-zhujian-2024", "demo-caizheng-2023")
TARGET_OVERHEAD_MS = 200.0


@dataclass
class Row:
    endpoint: str
    dataset: str
    result: UnitResult
    key_facts: int
    covered: int
    shipped_numbers: int
    shipped_ok: int  # verified or inside a 〔待核〕/〔待补〕 mark (the checker ignores those)
    length: int

    def to_json(self) -> dict:
        return {"endpoint": self.endpoint, "dataset": self.dataset, **self.result.to_json(),
                "key_facts": self.key_facts, "covered": self.covered, "shipped_numbers": self.shipped_numbers,
                "shipped_ok": self.shipped_ok, "length": self.length,
                "overhead_ms": round(self.result.overhead_seconds * 1000, 1)}


def endpoints(wanted: list[str]) -> dict[str, Settings | None]:
    found: dict[str, Settings | None] = {}
    if "scripted" in wanted:
        from scripted_models import obedient
        from scripted_server import ScriptedServer, respond

        server = ScriptedServer().start()
        server.default = respond(obedient)
        found["scripted"] = Settings(llm_base_url=server.base_url, llm_model="scripted-model")
    if "configured" in wanted:
        configured = get_settings()
        if configured.llm_configured and configured.llm_base_url.rstrip("/") != LOCAL_URL:
            found["configured"] = configured
        else:
            print("configured: skipped (JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL not set)")
    if "local" in wanted:
        if _answers(LOCAL_URL):
            found["local"] = Settings(llm_base_url=LOCAL_URL, llm_model=LOCAL_MODEL, llm_timeout=600,
                                      llm_max_retries=0, llm_temperature=0.2)
        else:
            print(f"local: skipped (no server on {LOCAL_URL}; run `make local-llm` then `make local-llm-serve`)")
    return found


def _answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/models", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def measure(endpoint: str, settings: Settings, dataset: str, kinds: list[str] | None, searcher) -> list[Row]:
    figures = compute(ROOT / "examples" / f"{dataset}.yaml")
    writer = SectionWriter(figures.data, figures.ledger, figures.findings, settings=settings,
                           exemplars=ExemplarSource(searcher, figures.data))
    rows = []
    for kind in kinds or list(writer.base):
        if not section(kind).llm:
            continue
        key_keys = {m.group(1) for m in SLOT.finditer(slotify(writer.base_markup(kind), figures.ledger))}
        result = writer.draft(kind)
        text = plain_text(parse_blocks(result.markup))
        findings = [f for f in check_text(text, figures.ledger) if f.check == "number" and f.status != "ignored"]
        shipped_ok = sum(1 for f in findings if f.status not in ATTENTION)
        marks = text.count("〔待核")
        covered = {f.fact for f in findings if f.status == "verified"} & key_keys
        rows.append(Row(endpoint, dataset, result, len(key_keys), len(covered), len(findings) + marks,
                        shipped_ok + marks, len(text)))
    return rows


def print_table(rows: list[Row]) -> None:
    header = (f"{'endpoint':<10} {'dataset':<18} {'section':<18} {'by':<8} {'before ok/bad':>13} "
              f"{'after ok/bad':>12} {'marked':>6} {'rounds':>6} {'facts':>7} {'chars':>6} {'model s':>8} {'own ms':>7}")
    print(header)
    print("-" * len(header))
    for row in rows:
        r = row.result
        print(f"{row.endpoint:<10} {row.dataset:<18} {r.kind:<18} {r.drafter:<8} "
              f"{r.before.verified:>6}/{r.before.problems:<6} {r.after.verified:>5}/{r.after.problems:<6} "
              f"{len(r.marked):>6} {r.rounds:>6} {row.covered:>3}/{row.key_facts:<3} {row.length:>6} "
              f"{r.model_seconds:>8.2f} {r.overhead_seconds * 1000:>7.1f}")
        if r.note:
            print(f"    note: {r.note}")


def summarise(rows: list[Row]) -> dict:
    summary = {}
    for endpoint in dict.fromkeys(row.endpoint for row in rows):
        mine = [row for row in rows if row.endpoint == endpoint]
        by_model = [row for row in mine if row.result.drafter == "llm"]
        overhead = [row.result.overhead_seconds * 1000 for row in by_model]
        numbers = sum(row.shipped_numbers for row in mine)
        summary[endpoint] = {
            "sections": len(mine),
            "drafted_by_model": len(by_model),
            "shipped_numbers": numbers,
            "shipped_verified_or_marked_pct": round(100 * sum(r.shipped_ok for r in mine) / numbers, 2) if numbers else 100.0,
            "numbers_ok_before_repair_pct": _pct(sum(r.result.before.verified for r in by_model),
                                                 sum(r.result.before.verified + r.result.before.problems for r in by_model)),
            "marked": sum(len(r.result.marked) for r in mine),
            "repair_rounds": sum(r.result.rounds for r in by_model),
            "key_facts_covered_pct": _pct(sum(r.covered for r in by_model), sum(r.key_facts for r in by_model)),
            "overhead_ms_median": round(statistics.median(overhead), 1) if overhead else None,
            "overhead_ms_p95": round(sorted(overhead)[int(0.95 * (len(overhead) - 1))], 1) if overhead else None,
            "model_seconds_per_section": round(statistics.mean(r.result.model_seconds for r in by_model), 2) if by_model else None,
        }
    return summary


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--sections", nargs="+", help="registry kinds (default: every section the LLM writes)")
    parser.add_argument("--endpoints", nargs="+", default=["scripted", "configured", "local"])
    parser.add_argument("--no-exemplars", action="store_true", help="draft without the corpus")
    parser.add_argument("--json", help="write rows and summary to this file")
    args = parser.parse_args()

    found = endpoints(args.endpoints)
    searcher = None if args.no_exemplars else corpus_searcher(get_settings())
    if searcher is not None:
        searcher.search("预算执行", k=1)  # load the encoder and the index before anything is timed
    rows: list[Row] = []
    for name, settings in found.items():
        for dataset in args.datasets:
            started = time.perf_counter()
            rows += measure(name, settings, dataset, args.sections, searcher)
            print(f"{name} {dataset}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print_table(rows)
    summary = summarise(rows)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for name, figures in summary.items():
        ok = figures["shipped_verified_or_marked_pct"] == 100.0
        fast = name != "scripted" or (figures["overhead_ms_p95"] or 0) < TARGET_OVERHEAD_MS
        print(f"{name}: shipped numbers verified or marked {figures['shipped_verified_or_marked_pct']}% "
              f"({'OK' if ok else 'BELOW TARGET'}); overhead p95 {figures['overhead_ms_p95']} ms "
              f"({'OK' if fast else 'ABOVE TARGET'})")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": [r.to_json() for r in rows], "summary": summary},
                                              ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
