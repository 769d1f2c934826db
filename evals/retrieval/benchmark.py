"""Retrieval quality on the corpus: recall@5 and MRR for vector-only, keyword-only and hybrid search.

The corpus is ingested into a temporary store (embedded chromadb, the offline encoder), the labelled
queries of queries.yaml are run in the three modes, and the figures are printed. Targets (issue 4):
hybrid recall@5 ≥ 0.9, and hybrid better than either list alone.

    .venv/bin/python evals/retrieval/benchmark.py [--corpus corpus] [--k 5] [--misses] [--json]

recall@k of a query = relevant chunks in the top k ÷ min(relevant chunks, k); MRR = mean of 1/rank of the
first relevant chunk (0 when none is in the top 20).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.retrieval.ingest import ingest
from assistant.retrieval.search import MODES, Searcher
from assistant.retrieval.store import CorpusStore
from assistant.settings import Settings

QUERIES = Path(__file__).with_name("queries.yaml")
TARGET_RECALL = 0.9
DEPTH = 20


def load_queries(path: Path = QUERIES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def resolve(queries: list[dict], ids: list[str], texts: list[str], metadatas: list[dict]) -> list[set[str]]:
    """Each query's relevant chunk ids; every selector must match exactly one chunk."""
    problems, relevant = [], []
    for query in queries:
        found = set()
        for selector in query["relevant"]:
            matches = [i for i, t, m in zip(ids, texts, metadatas)
                       if m["source"] == selector["source"] and selector["contains"] in t]
            if len(matches) != 1:
                problems.append(f"{query['query']!r}: {selector} matches {len(matches)} chunks")
            found.update(matches)
        relevant.append(found)
    if problems:
        raise SystemExit("selectors that do not match exactly one chunk:\n  " + "\n  ".join(problems))
    return relevant


def evaluate(searcher: Searcher, queries: list[dict], relevant: list[set[str]], k: int) -> dict:
    results = {}
    for mode in MODES:
        recalls, reciprocal, misses = [], [], []
        for query, wanted in zip(queries, relevant):
            ranked = [hit.id for hit in searcher.search(query["query"], k=DEPTH, mode=mode)]
            top = set(ranked[:k])
            recalls.append(len(top & wanted) / min(len(wanted), k))
            first = next((rank for rank, chunk in enumerate(ranked, start=1) if chunk in wanted), None)
            reciprocal.append(1 / first if first else 0.0)
            if len(top & wanted) < min(len(wanted), k):
                misses.append({"query": query["query"], "style": query["style"], "first_rank": first,
                               "found": len(top & wanted), "wanted": len(wanted),
                               "ranks": sorted(ranked.index(c) + 1 for c in wanted if c in ranked),
                               "got": ranked[:3]})
        by_style = {}
        for style in ("literal", "paraphrase"):
            picked = [r for r, q in zip(recalls, queries) if q["style"] == style]
            by_style[style] = round(sum(picked) / len(picked), 3) if picked else None
        results[mode] = {"recall": round(sum(recalls) / len(recalls), 3),
                         "mrr": round(sum(reciprocal) / len(reciprocal), 3),
                         "recall_by_style": by_style, "misses": misses}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--misses", action="store_true",
                        help="list the queries whose relevant chunks a mode did not all find in the top k")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as data_dir:
        store = CorpusStore.open(Settings(data_dir=Path(data_dir)))
        started = time.perf_counter()
        report = ingest(args.corpus, store)
        ingest_seconds = time.perf_counter() - started
        searcher = Searcher(store)
        index = searcher.index()
        relevant = resolve(queries, index.ids, index.texts, index.metadatas)
        results = evaluate(searcher, queries, relevant, args.k)

    summary = {"queries": len(queries), "paraphrased": sum(q["style"] == "paraphrase" for q in queries),
               "files": report.files, "chunks": report.chunks_total, "ingest_seconds": round(ingest_seconds, 1),
               "k": args.k, "modes": results}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"语料 {report.files} 个文件、{report.chunks_total} 个片段（入库 {ingest_seconds:.1f} 秒）；"
              f"查询 {len(queries)} 条，其中换说法的 {summary['paraphrased']} 条。")
        print(f"{'mode':<8} {'recall@' + str(args.k):>9} {'MRR':>6}   {'literal':>7} {'paraphrase':>10}")
        for mode in MODES:
            r = results[mode]
            print(f"{mode:<8} {r['recall']:>9.3f} {r['mrr']:>6.3f}   {r['recall_by_style']['literal']:>7.3f} "
                  f"{r['recall_by_style']['paraphrase']:>10.3f}")
        if args.misses:
            for mode in MODES:
                for miss in results[mode]["misses"]:
                    print(f"  {mode} {miss['found']}/{miss['wanted']} ({miss['style']}, ranks {miss['ranks']}): "
                          f"{miss['query']}  → {miss['got']}")
    hybrid = results["hybrid"]
    ok = hybrid["recall"] >= TARGET_RECALL and all(
        hybrid["recall"] > results[m]["recall"] for m in ("vector", "keyword"))
    if not args.json:
        print("目标（混合 recall@5 ≥ 0.9 且高于单一方式）：" + ("达到" if ok else "未达到"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
