"""`jixiao generate --drafter llm` and `jixiao chat` as a user runs them, against the scripted server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from scripted_models import between, obedient, prompt_of, task_of
from scripted_server import error, respond

EXAMPLE = "examples/taojiang-rsj-2024.yaml"


def jixiao(*args, env):
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def llm_env(server, tmp_path, **extra):
    return {"JIXIAO_LLM_BASE_URL": server.base_url, "JIXIAO_LLM_MODEL": "scripted-model",
            "JIXIAO_DATA_DIR": str(tmp_path / "data"), "JIXIAO_CORPUS_DIR": str(tmp_path / "no-corpus"),
            "JIXIAO_LLM_RETRY_BACKOFF": "0.01", **extra}


def test_generate_with_the_llm_drafter_writes_the_package_and_says_who_wrote_what(server, tmp_path):
    server.default = respond(obedient)
    out = tmp_path / "report.docx"
    result = jixiao("generate", EXAMPLE, "-o", str(out), "--drafter", "llm", "--json", env=llm_env(server, tmp_path))
    assert result.returncode == 1, result.stderr  # the seed's data findings, as with the template
    report = json.loads(result.stdout)
    assert report["drafter"] == "llm" and report["notes"] == []
    assert report["drafted_by"]["plans"] == "llm" and report["drafted_by"]["duties"] == "template"
    assert out.stat().st_size > 10_000
    assert len(server.requests) == 9


def test_generate_with_the_llm_down_falls_back_and_prints_the_note(server, tmp_path, closed_port):
    env = llm_env(server, tmp_path, JIXIAO_LLM_BASE_URL=f"http://127.0.0.1:{closed_port}/v1")
    result = jixiao("generate", EXAMPLE, "-o", str(tmp_path / "r.docx"), "--drafter", "llm", env=env)
    assert "起草方式：template" in result.stdout
    assert "注意：（一）收支及预算执行情况" in result.stdout and "无法连接大模型服务" in result.stdout


def test_generate_with_no_model_configured_says_the_template_wrote_it(tmp_path):
    env = {"JIXIAO_DATA_DIR": str(tmp_path / "data")}
    result = jixiao("generate", EXAMPLE, "-o", str(tmp_path / "r.docx"), "--drafter", "llm", "--json", env=env)
    report = json.loads(result.stdout)
    assert report["drafter"] == "template"
    assert report["notes"] == ["未配置大模型服务，报告由离线模板起草（可设置环境变量 JIXIAO_LLM_BASE_URL、JIXIAO_LLM_MODEL 启用大模型）"]


def test_chat_streams_a_revision_keeps_history_and_survives_a_failed_turn(server, tmp_path):
    def first_paragraph(body):
        if task_of(body) == "current":
            return between(prompt_of(body), "current").split("\n\n")[0]
        return obedient(body)

    server.default = respond(first_paragraph)
    env = llm_env(server, tmp_path)
    ok = jixiao("chat", EXAMPLE, "--section", "plans", "-m", "更简洁一些", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "当前为第1版" in ok.stdout and "保存为第2版" in ok.stdout

    server.script(error(503), error(503), error(503))
    failed = jixiao("chat", EXAMPLE, "--section", "plans", "-m", "语气更正式", env=env)
    assert failed.returncode == 1 and "当前为第2版" in failed.stdout
    assert "HTTP 503" in failed.stderr and "您的消息已保存，本节仍为第2版" in failed.stderr

    history = jixiao("chat", EXAMPLE, "--section", "plans", "--history", env=env)
    assert "工作人员：更简洁一些" in history.stdout
    assert "工作人员：语气更正式（未完成：" in history.stdout
    assert "第2版" in history.stdout and "来源：chat  起草：llm" in history.stdout


def test_chat_names_the_sections_and_refuses_an_unknown_one(tmp_path):
    env = {"JIXIAO_DATA_DIR": str(tmp_path / "data")}
    listing = jixiao("chat", EXAMPLE, "--section", "list", env=env)
    assert "plans\t四、下一步工作计划" in listing.stdout
    wrong = jixiao("chat", EXAMPLE, "--section", "nope", "-m", "x", env=env)
    assert wrong.returncode == 2 and "没有名为“nope”的章节" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_terminal_shows_a_streamed_reply_without_markup():
    import io

    from assistant.cli.chat import ShownStream

    out = io.StringIO()
    shown = ShownStream(out)
    for piece in ["#", "2 （三）坚持社保", "惠民\n\n一是#2不是标题。\n@tab", "le sangong_comparison|三公对比\n#3 1.小结"]:
        shown.feed(piece)
    shown.close()
    assert out.getvalue() == "（三）坚持社保惠民\n\n一是#2不是标题。\n［表格：三公对比］\n1.小结"
