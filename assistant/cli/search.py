"""jixiao search QUERY [-k N] [--section KIND] [--department D] [--year Y] [--json]: past-report paragraphs."""

from __future__ import annotations

import argparse

from assistant.cli.common import EXIT_ATTENTION, EXIT_CLEAN, print_json
from assistant.model.errors import InputError

PREVIEW_CHARS = 200


def register(commands) -> None:
    from assistant.retrieval.sections import KINDS

    parser = commands.add_parser("search", help="检索往年报告中的相似段落（向量＋关键词混合检索）")
    parser.add_argument("query", help="查询内容，如“三公经费比上年减少的原因”")
    parser.add_argument("-k", type=int, default=5, help="返回条数（默认 5）")
    parser.add_argument("--section", help="只看某类章节：" + "、".join(KINDS))
    parser.add_argument("--department", help="只看某部门（可写部门名称的一部分，如“教育局”）")
    parser.add_argument("--year", type=int, help="只看某年度")
    parser.add_argument("--exclude", nargs=2, metavar=("部门", "年度"),
                        help="排除正在编写的报告（同一部门同一年度）")
    parser.add_argument("--mode", choices=["hybrid", "vector", "keyword"], default="hybrid",
                        help="检索方式：混合（默认）、仅向量、仅关键词")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from assistant.retrieval.embeddings import EmbeddingError
    from assistant.retrieval.search import Filters, default_searcher
    from assistant.retrieval.sections import KINDS, resolve_kind
    from assistant.retrieval.store import StoreError

    if not args.query.strip():
        raise InputError("查询内容不能为空")
    if not 1 <= args.k <= 100:
        raise InputError("返回条数 -k 应在 1 到 100 之间")
    kind = None
    if args.section:
        kind = resolve_kind(args.section)
        if kind is None:
            raise InputError(f"不认识的章节类别“{args.section}”，可选：{'、'.join(KINDS)}")
    exclude = None
    if args.exclude:
        department, year = args.exclude
        if not year.isdigit():
            raise InputError(f"--exclude 的年度应为四位年份：{year}")
        exclude = (department, int(year))
    filters = Filters(section_kind=kind, department=args.department, year=args.year, exclude=exclude)
    try:
        searcher = default_searcher()
        if not searcher.store.count():
            raise InputError("索引中还没有内容：请先运行 jixiao ingest 把往年报告入库")
        hits = searcher.search(args.query, k=args.k, filters=filters, mode=args.mode)
    except (StoreError, EmbeddingError) as error:
        raise InputError(str(error)) from None
    if args.json:
        print_json({"query": args.query, "mode": args.mode, "filters": {
            "section": kind, "department": args.department, "year": args.year,
            "exclude": list(exclude) if exclude else None}, "results": [hit.to_json() for hit in hits]})
        return EXIT_CLEAN if hits else EXIT_ATTENTION
    if not hits:
        print("没有找到相关段落。可以换个说法，或放宽 --section / --department / --year 条件。")
        return EXIT_ATTENTION
    for number, hit in enumerate(hits, start=1):
        text = hit.text.replace("\n", " ／ ")
        preview = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "……"
        print(f"{number}. 〔{hit.section_kind}〕{hit.department} {hit.year}年 · {hit.source} "
              f"第{hit.locator}{hit.locator_unit}（得分 {hit.score:.4f}）")
        if hit.section_path:
            print(f"   {hit.section_path}")
        print(f"   {preview}")
    return EXIT_CLEAN
