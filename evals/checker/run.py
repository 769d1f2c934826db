"""Error-injection benchmark of the number checker (issue 3). Method: docs/checker-benchmark.md.

    .venv/bin/python evals/checker/run.py [--seed 7] [--n 1000] [--scope auto|body|full] [--json OUT.json]
                                          [--dump OUT.jsonl] [--misses 5] [--oracle] [--jobs 1]

1. Clean documents: the template drafter's report for every examples/*.yaml, and the seed's own
   report text (corpus/taojiang-rsj-2024.txt) against examples/taojiang-rsj-2024.yaml. A draft is
   checked as its body (before the line "附件1") or with its attachments' tables: `--scope auto`
   (default) keeps the tables when the checker binds table cells (it verifies a figure in the first
   draft's attachments), as issue 3's benchmark asks.
2. The checker runs on each clean document; its non-verified, non-ignored findings are false alarms,
   its verified findings are the figures injections may touch.
3. `n` single-error documents (evals/checker/inject.py), spread evenly over ten categories.
4. The checker runs on each; an injection is detected when a non-verified, non-ignored finding
   overlaps its span (for a swap: each of the two spans).
5. Recall per category against the targets of issue 3, false alarms per clean document, and
   throughput of check_text in this (warm) process.

`--oracle` skips the checker: figures are found by matching ledger displays (evals/checker/oracle.py)
and only the injections are made (with `--dump`, written out) — a dry run of the injector.
Exit status: 0 every target met, 1 a target missed, 2 the checker is not available.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.checker.documents import Source, all_sources, report_body  # noqa: E402
from evals.checker.inject import (  # noqa: E402
    CATEGORIES,
    CATEGORY_NAMES,
    TARGETS,
    CleanDoc,
    Injection,
    Mention,
    make_injections,
)
from evals.checker.oracle import find_mentions  # noqa: E402
from evals.checker.paraphrases import KIND_NAMES, KINDS, generated, hand_written  # noqa: E402

NOT_ALARMS = {"verified", "ignored", "target"}  # target: a plan's number shown without a verdict
PARAPHRASE_TARGET = Decimal("0.99")
CheckText = Callable[..., list]


def load_checker() -> CheckText | None:
    """`check_text` from assistant.checking (or one of its modules), None while it is not there."""
    for name in ("assistant.checking", "assistant.checking.check", "assistant.checking.checker",
                 "assistant.checking.api"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        function = getattr(module, "check_text", None)
        if callable(function):
            return function
    return None


def alarms(findings: Sequence) -> list:
    return [f for f in findings if getattr(f, "status", None) not in NOT_ALARMS]


def overlaps(finding, span: tuple[int, int]) -> bool:
    start, end = span
    return finding.start < end and start < finding.end


def is_detected(findings: Sequence, spans: Sequence[tuple[int, int]]) -> bool:
    flagged = alarms(findings)
    return all(any(overlaps(f, span) for f in flagged) for span in spans)


def verified_mentions(findings: Sequence) -> tuple[Mention, ...]:
    mentions = [
        Mention(f.start, f.end, getattr(f, "fact", None), getattr(f, "unit", None) or None)
        for f in findings
        if getattr(f, "status", None) == "verified" and getattr(f, "check", "number") == "number"
    ]
    return tuple(sorted(mentions, key=lambda m: (m.start, m.end)))


def binds_table_cells(check: CheckText, sources: Sequence[Source]) -> bool:
    """Whether the checker verifies a figure inside the attachments (附件1/附件2) of the first draft."""
    draft = next((s for s in sources if s.id.startswith("draft:")), None)
    if draft is None:
        return False
    body_end = len(report_body(draft.text))
    return any(getattr(f, "status", None) == "verified" and f.start >= body_end
               for f in check(draft.text, draft.ledger))


def _body_only(source: Source) -> Source:
    if not source.id.startswith("draft:"):
        return source
    return Source(source.id, report_body(source.text), source.ledger, source.path)


def ratio(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else Decimal(part) / Decimal(whole)


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@dataclass
class CategoryResult:
    checked: bool = True
    documents: int = 0
    detected: int = 0
    extra_alarms: int = 0  # alarms outside the injected span(s) that the clean document does not have
    misses: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> Decimal | None:
        return ratio(self.detected, self.documents) if self.checked else None


def describe(finding) -> dict:
    if hasattr(finding, "to_json"):
        return finding.to_json()
    return {k: getattr(finding, k, None) for k in ("start", "end", "text", "status", "fact", "expected", "message")}


def run(args: argparse.Namespace, out=None) -> dict:
    out = out or sys.stdout
    started = time.perf_counter()
    check = None if args.oracle else load_checker()
    if check is None and not args.oracle:
        print("assistant.checking 尚未提供 check_text，无法运行基准（可先用 --oracle 试运行注入器）。", file=sys.stderr)
        raise SystemExit(2)
    sources: list[Source] = all_sources("body" if args.scope == "body" else "full")
    scope = args.scope
    if scope == "auto":
        scope = "full" if check is not None and binds_table_cells(check, sources) else "body"
        if scope == "body":
            sources = [_body_only(s) for s in sources]

    # -- clean documents: false alarms and the verified figures -----------------------------------
    docs: list[CleanDoc] = []
    false_alarms: dict[str, list[dict]] = {}
    clean_alarm_keys: dict[str, Counter] = {}
    for source in sources:
        if check is None:
            mentions = find_mentions(source.text, source.ledger)
            flagged = []
        else:
            findings = check(source.text, source.ledger)
            mentions = verified_mentions(findings)
            flagged = alarms(findings)
        false_alarms[source.id] = [describe(f) for f in flagged]
        clean_alarm_keys[source.id] = Counter(_alarm_key(f) for f in flagged)
        docs.append(CleanDoc(source.id, source.text, source.ledger, mentions, source.path))

    paraphrase_report = None
    if check is not None and args.paraphrases:
        paraphrase_report = run_paraphrases(check, docs, clean_alarm_keys)
    if args.paraphrases_only:
        report = {"seed": args.seed, "scope": scope, "paraphrases": paraphrase_report,
                  "false_alarms": {k: v for k, v in false_alarms.items() if v}, "shortfall": None,
                  "categories": {}, "wall_seconds": round(time.perf_counter() - started, 1)}
        _print_paraphrases(paraphrase_report, out)
        return report
    plan = make_injections(docs, args.n, args.seed)
    by_id = {doc.id: doc for doc in docs}
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as handle:
            for injection in plan.injections:
                handle.write(json.dumps({
                    "category": injection.category, "doc": injection.doc, "spans": injection.spans,
                    "before": injection.before, "after": injection.after, "detail": injection.detail,
                    "context": injection.context(), "text": injection.text,
                }, ensure_ascii=False) + "\n")

    results = {c: CategoryResult(checked=check is not None) for c in CATEGORIES}
    checked_chars = 0
    check_seconds = 0.0
    per_document: list[float] = []
    if check is not None:
        _STATE.update(check=check, by_id=by_id, injections=plan.injections, clean=clean_alarm_keys)
        indices = range(len(plan.injections))
        if args.jobs > 1:
            # fork: the workers inherit the documents, ledgers and the warm checker
            with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
                outcomes = pool.map(_evaluate, indices, chunksize=8)
        else:
            outcomes = [_evaluate(i) for i in indices]
        for injection, (hit, extra, seconds, findings) in zip(plan.injections, outcomes):
            check_seconds += seconds
            per_document.append(seconds)
            checked_chars += len(injection.text)
            result = results[injection.category]
            result.documents += 1
            result.extra_alarms += extra
            if hit:
                result.detected += 1
            elif len(result.misses) < args.misses:
                result.misses.append(_miss(injection, findings))
    else:
        for injection in plan.injections:
            results[injection.category].documents += 1

    report = {
        "seed": args.seed,
        "n": args.n,
        "scope": scope if args.scope != "auto" else f"auto→{scope}",
        "checker": None if check is None else f"{check.__module__}.{check.__name__}",
        "clean_documents": [
            {"id": doc.id, "path": doc.source, "chars": len(doc.text), "verified": len(doc.mentions),
             "false_alarms": len(false_alarms[doc.id])}
            for doc in docs
        ],
        "false_alarms": {k: v for k, v in false_alarms.items() if v},
        "shortfall": plan.shortfall,
        "categories": {
            c: {"name": CATEGORY_NAMES[c], "documents": r.documents, "detected": r.detected,
                "recall": None if r.recall is None else str(r.recall), "target": str(TARGETS[c]),
                "extra_alarms": r.extra_alarms, "misses": r.misses}
            for c, r in results.items()
        },
        "throughput": {
            "documents": len(plan.injections) if check else 0,
            "seconds": round(check_seconds, 3),
            "jobs": args.jobs,
            "documents_per_second": None if not check_seconds else round(len(plan.injections) / check_seconds, 1),
            "chars_per_second": None if not check_seconds else round(checked_chars / check_seconds),
            "mean_chars": None if not plan.injections else round(checked_chars / max(1, len(plan.injections))),
            "median_ms": None if not per_document else round(sorted(per_document)[len(per_document) // 2] * 1000, 1),
            "ms_per_20000_chars": None if not checked_chars else round(check_seconds / checked_chars * 20000 * 1000),
        },
        "paraphrases": paraphrase_report,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    _print(report, results, docs, out)
    if paraphrase_report is not None:
        _print_paraphrases(paraphrase_report, out)
    return report


def run_paraphrases(check: CheckText, docs: Sequence[CleanDoc], clean: dict[str, Counter], *,
                    generate_cases: bool = True) -> dict:
    """Recall per kind on planted paraphrases and false alarms on clean ones (evals/checker/paraphrases.py);
    `generate_cases=False`: the hand-written ones only."""
    kinds = {kind: {"name": KIND_NAMES[kind], "planted": 0, "detected": 0, "clean": 0, "false_alarms": 0,
                    "misses": [], "alarms": []} for kind in KINDS}
    for doc in docs:
        year = _year_of(doc)
        cases = hand_written(doc.id, doc.text)
        if generate_cases and doc.id.startswith("draft:") and year:
            cases += generated(doc.id, doc.text, doc.ledger, year)
        for case in cases:
            findings = check(case.text, doc.ledger)
            row = kinds[case.kind]
            if case.span is not None:
                row["planted"] += 1
                if is_detected(findings, [case.span]):
                    row["detected"] += 1
                elif len(row["misses"]) < 10:
                    row["misses"].append({"doc": doc.id, "sentence": case.sentence,
                                          "near": [describe(f) for f in findings if overlaps(f, case.span)]})
            else:
                row["clean"] += 1
                new = Counter(_alarm_key(f) for f in alarms(findings)) - clean[doc.id]
                if new:
                    row["false_alarms"] += 1
                    if len(row["alarms"]) < 10:
                        row["alarms"].append({"doc": doc.id, "sentence": case.sentence,
                                              "alarms": [list(map(str, key)) for key in new]})
    for row in kinds.values():
        row["recall"] = None if not row["planted"] else str(ratio(row["detected"], row["planted"]))
    return {"target_recall": str(PARAPHRASE_TARGET), "kinds": kinds}


def _year_of(doc: CleanDoc) -> int | None:
    years = [fact.year for fact in doc.ledger if fact.period == "current" and fact.year]
    return max(set(years), key=years.count) if years else None


def _print_paraphrases(report: dict, out) -> None:
    w = out.write
    w("\n改写句（issue 13）：每类的召回率（植入错误被标出）与干净改写句上的误报\n")
    w(pad("类别", 40) + pad("植入", 6, right=True) + pad("检出", 6, right=True) + pad("召回率", 10, right=True)
      + pad("干净", 6, right=True) + pad("误报", 6, right=True) + "\n")
    for kind, row in report["kinds"].items():
        recall = None if row["recall"] is None else Decimal(row["recall"])
        w(pad(f"{kind} {row['name']}", 40) + pad(str(row["planted"]), 6, right=True)
          + pad(str(row["detected"]), 6, right=True) + pad(percent(recall), 10, right=True)
          + pad(str(row["clean"]), 6, right=True) + pad(str(row["false_alarms"]), 6, right=True) + "\n")
        for miss in row["misses"][:5]:
            w(f"    漏检 {miss['doc']}：{miss['sentence']}\n")
        for alarm in row["alarms"][:5]:
            w(f"    误报 {alarm['doc']}：{alarm['sentence']}  {alarm['alarms'][:2]}\n")


def paraphrases_met(report: dict | None) -> bool:
    if report is None:
        return True
    return all((row["recall"] is None or Decimal(row["recall"]) >= PARAPHRASE_TARGET) and not row["false_alarms"]
               for row in report["kinds"].values())


_STATE: dict = {}


def _evaluate(index: int) -> tuple[bool, int, float, list]:
    """Check one injected document: (detected, extra alarms, seconds in check_text, findings near the
    error when missed). Module state, so that forked workers can run it too."""
    injection: Injection = _STATE["injections"][index]
    doc = _STATE["by_id"][injection.doc]
    tick = time.perf_counter()
    findings = _STATE["check"](injection.text, doc.ledger)
    seconds = time.perf_counter() - tick
    hit = is_detected(findings, injection.spans)
    outside = Counter(_alarm_key(f) for f in alarms(findings) if not any(overlaps(f, s) for s in injection.spans))
    extra = sum((outside - _STATE["clean"][injection.doc]).values())
    near = [] if hit else [f for f in findings
                           if any(f.start < e + 12 and s - 12 < f.end for s, e in injection.spans)]
    return hit, extra, seconds, near


def _alarm_key(finding) -> tuple:
    """An alarm, by what it says rather than where (offsets move after an injection)."""
    return (getattr(finding, "text", None), finding.status, getattr(finding, "check", None),
            getattr(finding, "message", None))


def _miss(injection: Injection, near: Sequence) -> dict:
    near = [describe(f) for f in near]
    return {"doc": injection.doc, "before": injection.before, "after": injection.after,
            "detail": injection.detail, "context": injection.context(), "findings_near": near}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    space = " " * max(0, columns - width(text))
    return space + text if right else text + space


def _print(report: dict, results: dict[str, CategoryResult], docs: list[CleanDoc], out) -> None:
    w = out.write
    w(f"核对器错误注入基准  seed={report['seed']}  n={report['n']}  范围={report['scope']}"
      f"  核对器={report['checker'] or '（未运行，--oracle 试运行）'}\n\n")
    w("干净文档\n")
    for entry in report["clean_documents"]:
        w(f"  {entry['id']:<34} {entry['chars']:>6}字  已核实数字{entry['verified']:>4}  误报{entry['false_alarms']:>3}\n")
    total_false = sum(e["false_alarms"] for e in report["clean_documents"])
    w(f"  误报合计 {total_false}，每份干净文档 {Decimal(total_false) / Decimal(len(docs)):.2f}（目标 0）\n\n")

    w(pad("类别", 36) + pad("文档", 6, right=True) + pad("检出", 6, right=True) + pad("召回率", 10, right=True)
      + pad("目标", 9, right=True) + "  " + pad("达标", 5) + pad("额外告警", 9, right=True) + "\n")
    total_docs = total_hits = 0
    for category in CATEGORIES:
        r = results[category]
        total_docs += r.documents
        total_hits += r.detected
        target = TARGETS[category]
        ok = "—" if r.recall is None else ("是" if r.recall >= target else "否")
        w(pad(f"{category} {CATEGORY_NAMES[category]}", 36) + pad(str(r.documents), 6, right=True)
          + pad(str(r.detected) if r.checked else "—", 6, right=True) + pad(percent(r.recall), 10, right=True)
          + pad(percent(target), 9, right=True) + "  " + pad(ok, 5) + pad(str(r.extra_alarms), 9, right=True) + "\n")
    overall = ratio(total_hits, total_docs) if results[CATEGORIES[0]].checked else None
    w(pad("合计", 36) + pad(str(total_docs), 6, right=True)
      + pad(str(total_hits) if overall is not None else "—", 6, right=True) + pad(percent(overall), 10, right=True) + "\n")
    if report["shortfall"]:
        w(f"未达到配额的类别：{report['shortfall']}\n")

    t = report["throughput"]
    if t["seconds"]:
        w(f"\n吞吐（热进程，仅 check_text）：{t['documents']} 份 / {t['seconds']} 秒 = {t['documents_per_second']} 份/秒，"
          f"{t['chars_per_second']} 字/秒（平均每份 {t['mean_chars']} 字，中位 {t['median_ms']} 毫秒/份，"
          f"折合每2万字 {t['ms_per_20000_chars']} 毫秒）\n")
    w(f"总耗时 {report['wall_seconds']} 秒\n")

    if report["false_alarms"]:
        w("\n干净文档上的误报（前10条）：\n")
        shown = 0
        for doc_id, items in report["false_alarms"].items():
            for item in items:
                if shown >= 10:
                    break
                w(f"  {doc_id}  {item.get('status')}  “{item.get('text')}”  {item.get('message') or ''}\n")
                shown += 1
    for category in CATEGORIES:
        r = results[category]
        if r.recall is not None and r.recall < TARGETS[category] and r.misses:
            w(f"\n漏检示例：{category}（{CATEGORY_NAMES[category]}）\n")
            for miss in r.misses:
                w(f"  {miss['doc']}  {miss['before']} → {miss['after']}  {miss['context']}\n")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="核对器错误注入基准（issue 3）")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--n", type=int, default=1000, help="注入错误的文档数（平均分到十个类别）")
    parser.add_argument("--scope", choices=("auto", "body", "full"), default="auto",
                        help="body：草稿只核对报告正文（“附件1”之前）；full：连同附件表格；"
                             "auto：核对器能核对表格单元格时用 full，否则用 body")
    parser.add_argument("--json", type=Path, help="把结果写成 JSON 文件")
    parser.add_argument("--dump", type=Path, help="把注入后的文档写成 JSONL 文件")
    parser.add_argument("--misses", type=int, default=5, help="每个类别保留的漏检示例数")
    parser.add_argument("--oracle", action="store_true", help="不运行核对器，只试运行注入器")
    parser.add_argument("--no-paraphrases", dest="paraphrases", action="store_false",
                        help="不跑改写句评测（evals/checker/paraphrases.py）")
    parser.add_argument("--paraphrases-only", action="store_true", help="只跑改写句评测，不做错误注入")
    parser.add_argument("--jobs", type=int, default=1,
                        help="并行核对的进程数（吞吐仍按单个热进程计：文档数 ÷ 各进程 check_text 耗时之和）")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.oracle:
        return 0
    met = all(
        Decimal(c["recall"]) >= Decimal(c["target"])
        for c in report["categories"].values() if c["recall"] is not None
    )
    no_false_alarms = not report["false_alarms"]
    return 0 if met and no_false_alarms and not report["shortfall"] and paraphrases_met(report["paraphrases"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
