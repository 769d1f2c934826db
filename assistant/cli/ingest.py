"""jixiao ingest [DIR] [--progress] [--json]: bring the corpus index in line with a folder of past reports."""

from __future__ import annotations

import argparse
import sys

from assistant.cli.common import EXIT_ATTENTION, EXIT_CLEAN, print_json
from assistant.model.errors import InputError


def register(commands) -> None:
    parser = commands.add_parser("ingest", help="往年报告入库：切分段落、计算向量，只处理新增和改动的文件")
    parser.add_argument("directory", nargs="?", help="语料文件夹（默认 corpus/，或 JIXIAO_CORPUS_DIR）")
    parser.add_argument("--progress", action="store_true", help="显示进度条（在终端中默认显示）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出入库结果")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.retrieval.embeddings import EmbeddingError
    from assistant.retrieval.ingest import ingest
    from assistant.retrieval.store import CorpusStore, StoreError
    from assistant.settings import get_settings

    settings = get_settings()
    directory = Path(args.directory) if args.directory else settings.corpus_dir
    if not directory.is_dir():
        raise InputError(f"语料文件夹不存在或不是文件夹：{directory}")
    try:
        store = CorpusStore.open(settings)
        report = ingest(directory, store, max_text_mb=settings.ingest_max_text_mb,
                        progress=args.progress or sys.stderr.isatty())
    except (StoreError, EmbeddingError) as error:
        raise InputError(str(error)) from None
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    return EXIT_ATTENTION if report.skipped else EXIT_CLEAN
