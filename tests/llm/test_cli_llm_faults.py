"""LLM faults as `jixiao generate --drafter llm` meets them, against the scripted server.

For every fault each section falls back to the offline template (the package is still written), the
output says in Chinese which sections and why, and no wrong number ships unmarked: `jixiao check` on
the written text finds no mismatch. The command runs in this process (`assistant.cli.main`, settings
from the environment as in a shell): a fresh process per case would spend most of its time importing.
"""

from __future__ import annotations

import json

import pytest
from scripted_server import cut_body, empty, error, malformed, reply, slow
from test_cli_llm import EXAMPLE, llm_env

from assistant.cli import main
from assistant.settings import get_settings


@pytest.fixture
def jixiao(monkeypatch, capsys):
    """Run a jixiao command with these environment variables: (exit status, stdout)."""
    def run(*args, env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        try:
            status = main(list(args))
        finally:
            get_settings.cache_clear()
        return status, capsys.readouterr().out
    return run

FAULTS = {
    "500s": (error(500), {}, "HTTP 500"),
    "429 with Retry-After": (error(429, retry_after="600"), {}, "服务要求 600 秒后再试"),
    "a hang past the timeout": (slow(3), {"JIXIAO_LLM_TIMEOUT": "0.5", "JIXIAO_LLM_MAX_RETRIES": "0"}, "秒内没有响应"),
    "invalid JSON": (malformed(), {}, "无法解析"),
    "a body cut halfway": (cut_body(), {"JIXIAO_LLM_MAX_RETRIES": "0"}, "中途中断"),
    "an empty answer": (empty(), {}, "空内容"),
    "a 200 KB answer": (reply("工作成效显著。" * 30_000), {}, "回复过长"),
}


def _mismatches(jixiao, text_path) -> dict:
    _status, out = jixiao("check", EXAMPLE, str(text_path), "--json", env={})
    return json.loads(out)["summary"]


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_generate_falls_back_per_section_and_says_why(jixiao, server, tmp_path, fault):
    step, extra, said = FAULTS[fault]
    server.default = step
    text = tmp_path / "report.txt"
    status, out = jixiao("generate", EXAMPLE, "-o", str(tmp_path / "r.docx"), "--text", str(text), "--drafter",
                         "llm", env=llm_env(server, tmp_path, **extra))
    assert status == 1  # written, with the data's findings and the notes
    assert "起草方式：template" in out and said in out, out[-1500:]
    assert "注意：" in out and (tmp_path / "r.docx").stat().st_size > 10_000
    assert "工作成效显著。工作成效显著。" not in text.read_text(encoding="utf-8")
    assert _mismatches(jixiao, text)["mismatch"] == 0


def test_generate_with_wrong_numbers_ships_them_marked(jixiao, server, tmp_path):
    server.default = reply("2024年预算执行率为97.35%，资金使用规范有序，各项工作有序推进。")  # the ledger: 98.91%
    text = tmp_path / "report.txt"
    status, _out = jixiao("generate", EXAMPLE, "-o", str(tmp_path / "r.docx"), "--text", str(text), "--drafter",
                          "llm", env=llm_env(server, tmp_path))
    assert status == 1
    written = text.read_text(encoding="utf-8")
    assert "97.35%" in written and "〔待核" in written
    assert _mismatches(jixiao, text)["mismatch"] == 0  # the checker ignores what is inside 〔待核〕 marks
