"""The LLM provider over real HTTP against the scripted OpenAI-compatible server (tests/llm/scripted_server.py).

Nothing of jixiao is patched: settings point langchain-openai at the local server, which answers from
its script and records what it was sent.
"""

from __future__ import annotations

import re
import time

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from scripted_server import (
    broken_stream,
    cut_body,
    cut_stream,
    empty,
    error,
    malformed,
    no_choices,
    reply,
    slow,
)

from assistant.llm import (
    LLMUnavailable,
    chat_model,
    complete,
    estimate_message_tokens,
    estimate_tokens,
    llm_configured,
    stream,
)
from assistant.settings import Settings

CHINESE = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = [SystemMessage("你是绩效自评报告的写作助手。"), HumanMessage("写一句工作成效。")]


def assert_chinese(error: LLMUnavailable) -> None:
    assert CHINESE.search(error.message), error.message
    assert str(error) == error.message


# --- configuration --------------------------------------------------------------------------------

def test_not_configured_without_base_url_and_model():
    assert not llm_configured(Settings())
    assert not llm_configured(Settings(llm_base_url="http://127.0.0.1:1/v1"))  # no model
    assert not llm_configured(Settings(llm_model="qwen2.5"))  # no base URL
    assert not llm_configured(Settings(llm_base_url="  ", llm_model="qwen2.5"))
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, Settings())
    assert caught.value.reason == "not_configured"
    assert "JIXIAO_LLM_BASE_URL" in caught.value.message
    assert_chinese(caught.value)


def test_configured_from_jixiao_variables(monkeypatch, server):
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("JIXIAO_LLM_API_KEY", "sk-jixiao")
    monkeypatch.setenv("JIXIAO_LLM_MODEL", "deepseek-chat")
    monkeypatch.setenv("JIXIAO_LLM_TIMEOUT", "12.5")
    monkeypatch.setenv("JIXIAO_LLM_MAX_RETRIES", "4")
    monkeypatch.setenv("JIXIAO_LLM_TEMPERATURE", "0.7")
    settings = Settings()
    assert llm_configured(settings)
    assert (settings.llm_timeout, settings.llm_max_retries, settings.llm_temperature) == (12.5, 4, 0.7)
    model = chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "deepseek-chat"
    assert model.max_retries == 0  # retries are jixiao's own
    server.script(reply("好的"))
    assert complete(MESSAGES, settings) == "好的"
    sent = server.requests[-1]
    assert sent.headers["authorization"] == "Bearer sk-jixiao"
    assert sent.body["model"] == "deepseek-chat"
    assert sent.body["temperature"] == 0.7


def test_openai_variables_are_fallbacks(monkeypatch, server):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("OPENAI_MODEL", "qwen-plus")
    settings = Settings()
    assert llm_configured(settings)
    server.script(reply("收到"))
    assert complete(MESSAGES, settings) == "收到"
    sent = server.requests[-1]
    assert sent.headers["authorization"] == "Bearer sk-openai"
    assert sent.body["model"] == "qwen-plus"
    # JIXIAO_* wins over OPENAI_* when both are set.
    monkeypatch.setenv("JIXIAO_LLM_MODEL", "qwen-max")
    assert Settings().llm_model == "qwen-max"


def test_no_key_sends_a_placeholder(server):
    settings = Settings(llm_base_url=server.base_url, llm_model="llama")
    server.script(reply("本地模型"))
    assert complete(MESSAGES, settings) == "本地模型"
    assert server.requests[-1].headers["authorization"].startswith("Bearer ")


# --- replies and streams --------------------------------------------------------------------------

def test_complete_returns_the_reply_and_sends_the_messages(server, settings):
    server.script(reply("全年完成社保卡发放40000余份。"))
    assert complete(MESSAGES, settings) == "全年完成社保卡发放40000余份。"
    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.body["messages"] == [
        {"role": "system", "content": "你是绩效自评报告的写作助手。"},
        {"role": "user", "content": "写一句工作成效。"},
    ]
    assert sent.body["model"] == "scripted-model"
    assert sent.body["temperature"] == 0.3
    assert not sent.body.get("stream")


def test_temperature_override(server, settings):
    server.script(reply("好"))
    complete([("user", "你好")], settings, temperature=0.0)
    assert server.requests[0].body["temperature"] == 0.0


def test_stream_gives_the_pieces_in_order(server, settings):
    pieces = ["我局", "全年", "完成", "社保卡发放", "40000余份。"]
    server.script(reply(pieces))
    got = list(stream(MESSAGES, settings))
    assert got == pieces
    sent = server.requests[0].body
    assert sent["stream"] is True
    assert "stream_options" not in sent  # servers that reject it still work


# --- retries --------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_retry_on_429_and_5xx_then_success(server, settings, status):
    server.script(error(status), reply("重试后成功"))
    assert complete(MESSAGES, settings) == "重试后成功"
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body


def test_retry_backs_off_exponentially(server):
    settings = Settings(llm_base_url=server.base_url, llm_model="m", llm_max_retries=2,
                        llm_retry_backoff=0.2)
    server.script(error(500), error(429), reply("好"))
    assert complete(MESSAGES, settings) == "好"
    first, second, third = (r.at for r in server.requests)
    assert second - first >= 0.2
    assert third - second >= 0.4


def test_retry_after_header_is_honoured(server):
    settings = Settings(llm_base_url=server.base_url, llm_model="m", llm_retry_backoff=0.0)
    server.script(error(429, retry_after="0.3"), reply("好"))
    assert complete(MESSAGES, settings) == "好"
    assert server.requests[1].at - server.requests[0].at >= 0.3


def test_repeated_429_gives_up_with_a_chinese_message(server, settings):
    server.script(*[error(429)] * 3)
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert len(server.requests) == 3  # 1 + llm_max_retries
    assert (caught.value.reason, caught.value.status, caught.value.attempts) == ("rate_limited", 429, 3)
    assert "429" in caught.value.message
    assert_chinese(caught.value)


def test_repeated_500_gives_up(server, settings):
    server.script(*[error(500)] * 3)
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert len(server.requests) == 3
    assert (caught.value.reason, caught.value.status) == ("server_error", 500)
    assert_chinese(caught.value)


def test_zero_retries_means_one_attempt(server, settings):
    settings = settings.model_copy(update={"llm_max_retries": 0})
    server.script(error(503), reply("不会用到"))
    with pytest.raises(LLMUnavailable):
        complete(MESSAGES, settings)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 404])
def test_client_errors_are_not_retried(server, settings, status):
    server.script(error(status), reply("不会用到"))
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert len(server.requests) == 1
    assert (caught.value.reason, caught.value.status) == ("rejected", status)
    assert_chinese(caught.value)


def test_stream_retries_before_the_first_piece(server, settings):
    server.script(error(429), error(500), reply(["第一段", "第二段"]))
    assert list(stream(MESSAGES, settings)) == ["第一段", "第二段"]
    assert len(server.requests) == 3


# --- timeouts and connection failures -------------------------------------------------------------

def test_timeout_is_retried_then_succeeds(server, settings):
    settings = settings.model_copy(update={"llm_timeout": 0.5})
    server.script(slow(3), reply("这次很快"))
    assert complete(MESSAGES, settings) == "这次很快"
    assert len(server.requests) == 2


def test_timeout_gives_up_with_a_chinese_message(server, settings):
    settings = settings.model_copy(update={"llm_timeout": 0.4, "llm_max_retries": 1})
    server.script(slow(5), slow(5))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert time.monotonic() - started < 4
    assert caught.value.reason == "timeout"
    assert caught.value.attempts == 2
    assert "0.4 秒" in caught.value.message
    assert_chinese(caught.value)


def test_stream_timeout_gives_up(server, settings):
    settings = settings.model_copy(update={"llm_timeout": 0.4, "llm_max_retries": 0})
    server.script(slow(5))
    with pytest.raises(LLMUnavailable) as caught:
        list(stream(MESSAGES, settings))
    assert caught.value.reason == "timeout"
    assert_chinese(caught.value)


def test_connection_refused(closed_port):
    settings = Settings(llm_base_url=f"http://127.0.0.1:{closed_port}/v1", llm_model="m",
                        llm_timeout=2, llm_retry_backoff=0.01)
    for call in (lambda: complete(MESSAGES, settings), lambda: list(stream(MESSAGES, settings))):
        with pytest.raises(LLMUnavailable) as caught:
            call()
        assert caught.value.reason == "connection"
        assert str(closed_port) in caught.value.message  # names the address it tried
        assert_chinese(caught.value)


# --- empty and malformed output -------------------------------------------------------------------

def test_empty_reply(server, settings):
    server.script(empty())
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert caught.value.reason == "empty"
    assert_chinese(caught.value)


def test_whitespace_reply_counts_as_empty(server, settings):
    server.script(reply("  \n "))
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert caught.value.reason == "empty"


def test_empty_stream(server, settings):
    server.script(empty())
    with pytest.raises(LLMUnavailable) as caught:
        list(stream(MESSAGES, settings))
    assert caught.value.reason == "empty"
    assert_chinese(caught.value)


@pytest.mark.parametrize("step", [malformed(), no_choices()], ids=["not-json", "no-choices"])
def test_malformed_reply(server, settings, step):
    server.script(step)
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert caught.value.reason == "malformed"
    assert len(server.requests) == 1
    assert_chinese(caught.value)


def test_malformed_stream(server, settings):
    server.script(malformed())
    with pytest.raises(LLMUnavailable) as caught:
        list(stream(MESSAGES, settings))
    assert caught.value.reason == "malformed"
    assert_chinese(caught.value)


def test_stream_broken_after_pieces_keeps_what_arrived(server, settings):
    server.script(broken_stream(["已收到", "的部分"]))
    got: list[str] = []
    with pytest.raises(LLMUnavailable) as caught:
        for piece in stream(MESSAGES, settings):
            got.append(piece)  # noqa: PERF402 - keeps what arrived before the error
    assert got == ["已收到", "的部分"]
    assert len(server.requests) == 1  # never retried once text was given out
    assert "中断" in caught.value.message
    assert_chinese(caught.value)


def test_a_stream_whose_connection_closes_halfway_is_cut_not_a_reply(server, settings):
    server.script(cut_stream(["2024年预算执行率", "为98"]))
    got: list[str] = []
    with pytest.raises(LLMUnavailable) as caught:
        for piece in stream(MESSAGES, settings):
            got.append(piece)  # noqa: PERF402 - what arrived before the cut
    assert got == ["2024年预算执行率", "为98"] and caught.value.reason == "cut"
    assert "中途中断" in caught.value.message and "未采用" in caught.value.message
    assert len(server.requests) == 1


def test_a_reply_whose_body_is_cut_halfway_is_no_reply(server, settings):
    server.script(cut_body(), cut_body(), cut_body())
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert caught.value.reason in {"cut", "malformed"}
    assert_chinese(caught.value)


def test_a_200_kb_reply_is_refused_as_soon_as_it_is_too_long(server, settings):
    from assistant.llm.provider import MAX_REPLY_CHARS

    server.script(reply(["工作成效显著。" * 100] * 300))  # 210,000 characters in 300 pieces
    received = 0
    with pytest.raises(LLMUnavailable) as caught:
        for piece in stream(MESSAGES, settings):
            received += len(piece)
    assert caught.value.reason == "too_long" and received <= MAX_REPLY_CHARS
    assert f"超过 {MAX_REPLY_CHARS} 字" in caught.value.message
    server.script(reply("很长的回复" * 40_000))
    with pytest.raises(LLMUnavailable) as whole:
        complete(MESSAGES, settings)
    assert whole.value.reason == "too_long"


def test_a_429_asking_for_a_long_wait_is_reported_at_once_with_the_wait(server, settings):
    server.script(error(429, retry_after="600"))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        complete(MESSAGES, settings)
    assert time.monotonic() - started < 5 and len(server.requests) == 1
    assert caught.value.reason == "rate_limited" and "服务要求 600 秒后再试" in caught.value.message


# --- token estimate (no tiktoken) -----------------------------------------------------------------

def test_token_estimate_is_character_based():
    assert estimate_tokens("") == 0
    assert estimate_tokens("社保卡发放") == 5
    assert estimate_tokens("abcdefgh") == 2
    assert estimate_tokens("发放40000余份，") == 5 + 2  # 发放余份， + "40000" → 2
    assert estimate_message_tokens([("user", "你好")]) == 2 + 4
    assert estimate_message_tokens(MESSAGES) == sum(estimate_tokens(m.content) + 4 for m in MESSAGES)


def test_chat_model_counts_tokens_offline(settings):
    # ChatOpenAI.get_num_tokens would load tiktoken's encodings (a download); ours counts characters.
    assert chat_model(settings).get_num_tokens("部门整体支出绩效") == 8
