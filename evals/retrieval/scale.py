"""Scale test: ingestion throughput, search latency and memory at 10 000 and 50 000 chunks.

Synthetic reports are generated from the sentences of corpus/ (same section kinds, new numbers, 60
made-up departments over six years), written as .md files and ingested through the real pipeline
(read → chunk → embed with the offline encoder → chromadb). Then hybrid searches are timed end to end,
query embedding included: the benchmark queries plus sentences cut from the corpus, without filters,
with a section filter and with the "not the report being drafted" filter.

Targets (issue 4): p95 < 100 ms at 50 000 chunks; ingestion ≥ 50 chunks/s on one core. By default the
process is pinned to one core (`--cores 1`). Run by hand, it takes a few minutes:

    .venv/bin/python evals/retrieval/scale.py [--sizes 10000 50000] [--queries 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import load_queries

from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.ingest import discover, ingest
from assistant.retrieval.readers import read_document
from assistant.retrieval.search import Filters, Searcher
from assistant.retrieval.store import CorpusStore
from assistant.settings import Settings

CHUNKS_PER_REPORT = 50
SECTIONS = (  # (heading, section kind whose sentences fill it)
    ("一、部门概况", "部门概况"), ("二、收支及预算执行情况", "收支及预算执行"), ("三、\"三公\"经费使用情况", "三公经费"),
    ("四、会议费和培训费", "会议费培训费"), ("五、项目支出绩效情况", "项目支出/工作成效"),
    ("六、绩效目标完成情况", "绩效目标"), ("七、自评得分情况", "自评得分"), ("八、存在的问题", "存在问题"),
    ("九、下一步工作计划", "下一步工作计划"), ("十、其他需要说明的情况", "其他"),
)
COUNTIES = ("东林县", "西坪县", "南湖县", "北岭县", "石门县", "清溪县", "安平县", "永宁县", "河西县", "桂山县")
DEPARTMENTS = ("教育局", "卫生健康局", "人力资源和社会保障局", "农业农村局", "住房和城乡建设局", "财政局")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
TARGET_P95_MS = 100.0
TARGET_CHUNKS_PER_SECOND = 50.0


def sentence_pool() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    for path in discover(ROOT / "corpus"):
        document = read_document(path, path.name, path.read_bytes(), 5 * 2**20)
        for chunk in chunk_document(document):
            if chunk.block_type != "paragraph":
                continue
            for sentence in re.findall(r"[^。；]+[。；]", chunk.text):
                if len(sentence) >= 12:
                    pool.setdefault(chunk.section_kind, []).append(sentence)
    everything = [s for sentences in pool.values() for s in sentences]
    for _, kind in SECTIONS:
        if len(pool.get(kind, [])) < 20:
            pool[kind] = pool.get(kind, []) + everything
    return pool


def new_numbers(text: str, rng: random.Random) -> str:
    def replace(match: re.Match) -> str:
        digits = match.group(0)
        if "." in digits:
            return f"{rng.uniform(1, 9999):.2f}"
        return str(rng.randint(1, 10 ** min(len(digits), 6)))
    return re.sub(r"\d+(?:\.\d+)?", replace, text)


def report_text(number: int, pool: dict[str, list[str]], rng: random.Random) -> str:
    county = COUNTIES[number % len(COUNTIES)]
    department = county + DEPARTMENTS[(number // len(COUNTIES)) % len(DEPARTMENTS)]
    year = YEARS[(number // (len(COUNTIES) * len(DEPARTMENTS))) % len(YEARS)]
    lines = [f"---\nplace: 示例省{county}\ndepartment: {department}\nyear: {year}\nnote: 合成数据（规模测试）\n---",
             f"{department}{year}年度部门整体支出绩效自评报告"]
    for heading, kind in SECTIONS:
        lines.append(heading)
        for paragraph in range(CHUNKS_PER_REPORT // len(SECTIONS)):
            sentences = rng.sample(pool[kind], rng.randint(3, 5))
            if paragraph % 2:
                sentences = [f"{'一二三四五'[i]}是{s}" for i, s in enumerate(sentences)]
            lines.append(new_numbers("".join(sentences), rng))
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, start: int, end: int, pool, seed: int = 7) -> None:
    for number in range(start, end):
        rng = random.Random(seed * 1_000_003 + number)
        (folder / f"synthetic-{number:05d}.md").write_text(report_text(number, pool, rng), encoding="utf-8")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def time_searches(searcher: Searcher, queries: list[str], filters: Filters) -> dict:
    timings = []
    for query in queries:
        started = time.perf_counter()
        searcher.search(query, k=5, filters=filters)
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1)}


def index_seconds(store: CorpusStore, without_snapshot: bool = False) -> float:
    """What a new process (a one-shot `jixiao search`) spends before its first search: reading every
    chunk back and building the keyword index (cold), or loading the snapshot ingestion saved (warm)."""
    if without_snapshot and store.snapshot_dir is not None:
        shutil.rmtree(store.snapshot_dir, ignore_errors=True)
    started = time.perf_counter()
    Searcher(store).index()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cores", type=int, default=1, help="pin to this many cores (0: do not pin)")
    parser.add_argument("--data-dir", type=Path, help="keep the store here (default: a temporary folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.cores:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:args.cores]))

    pool = sentence_pool()
    rng = random.Random(11)
    everything = [s for sentences in pool.values() for s in sentences]
    queries = [q["query"] for q in load_queries()]
    queries += [s[: rng.randint(8, 24)] for s in rng.sample(everything, max(0, args.queries - len(queries)))]
    queries = queries[: args.queries]

    results = []
    with tempfile.TemporaryDirectory(prefix="jixiao-scale-") as temporary:
        base = args.data_dir or Path(temporary)
        corpus = base / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        store = CorpusStore.open(Settings(data_dir=base / "data"))
        store.embeddings.embed(["预热"])  # load the encoder before timing
        written = 0
        for size in sorted(args.sizes):
            reports = size // CHUNKS_PER_REPORT
            write_reports(corpus, written, reports, pool)
            new_chunks_expected = (reports - written) * CHUNKS_PER_REPORT
            written = reports
            started = time.perf_counter()
            report = ingest(corpus, store)
            seconds = time.perf_counter() - started
            cold_seconds = index_seconds(store, without_snapshot=True)
            warm_seconds = index_seconds(store)
            searcher = Searcher(store)
            searcher.search("预热查询", k=5)
            figures = {
                "chunks": report.chunks_total, "files": report.files,
                "ingested_chunks": report.chunks_written, "expected_new_chunks": new_chunks_expected,
                "ingest_seconds": round(seconds, 1),
                "chunks_per_second": round(report.chunks_written / seconds, 1),
                "index_cold_seconds": round(cold_seconds, 2), "index_warm_seconds": round(warm_seconds, 2),
                "search": time_searches(searcher, queries, Filters()),
                "search_section_filter": time_searches(searcher, queries, Filters(section_kind="存在问题")),
                "search_exclude_filter": time_searches(
                    searcher, queries, Filters(exclude=("东林县教育局", 2019), block_type="paragraph")),
                "rss_mb": round(rss_mb()), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "store_mb": round(sum(f.stat().st_size for f in (base / "data").rglob("*") if f.is_file()) / 2**20),
                "load_average": round(os.getloadavg()[0], 2),
            }
            results.append(figures)
            if not args.json:
                s, f, e = figures["search"], figures["search_section_filter"], figures["search_exclude_filter"]
                print(f"{figures['chunks']} 个片段（{figures['files']} 个文件）：入库 {figures['ingested_chunks']} 个用时 "
                      f"{figures['ingest_seconds']} 秒，{figures['chunks_per_second']} 片段/秒；新进程的检索索引："
                      f"无快照重建 {figures['index_cold_seconds']} 秒，读快照 {figures['index_warm_seconds']} 秒")
                print(f"  检索（含查询向量）p50 {s['p50_ms']} ms，p95 {s['p95_ms']} ms；按章节过滤 p95 {f['p95_ms']} ms；"
                      f"排除本报告 p95 {e['p95_ms']} ms")
                print(f"  内存 RSS {figures['rss_mb']} MB（峰值 {figures['peak_rss_mb']} MB），索引目录 {figures['store_mb']} MB，"
                      f"系统负载 {figures['load_average']}")
    if args.json:
        print(json.dumps({"cores": args.cores, "queries": len(queries), "results": results}, ensure_ascii=False, indent=2))
    largest = results[-1]
    ok = (all(r["search"]["p95_ms"] < TARGET_P95_MS for r in results)
          and min(r["chunks_per_second"] for r in results) >= TARGET_CHUNKS_PER_SECOND)
    if not args.json:
        print("目标（50k 片段 p95 < 100 ms，入库 ≥ 50 片段/秒）：" + ("达到" if ok else "未达到")
              + f"（最大规模 {largest['chunks']} 个片段）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
