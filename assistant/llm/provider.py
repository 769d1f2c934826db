"""The chat model: any OpenAI-compatible endpoint through langchain-openai, with jixiao's own retries.

`chat_model()` builds a `ChatOpenAI` from the settings with the client's own retries switched off
(`max_retries=0`): `complete()` and `stream()` retry HTTP 429, 5xx and timeouts themselves, with
exponential backoff, so the behaviour is the same for every endpoint and can be tested over HTTP.
Every failure that means "no usable answer from the model" becomes `LLMUnavailable`, whose message is
one Chinese line for the user and whose `reason` lets callers (the drafter) decide to fall back.

Token counts never use tiktoken (it downloads its encodings, which fails offline): `estimate_tokens()`
counts characters, one token per CJK character and one per four other characters.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import httpx
import openai
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI

from assistant.settings import Settings, get_settings

Reason = Literal[
    "not_configured", "connection", "timeout", "rate_limited", "server_error", "rejected", "empty",
    "malformed", "cut", "too_long",
]

# Reasons worth another attempt; the others will not change by asking again.
RETRYABLE: frozenset[str] = frozenset({"timeout", "rate_limited", "server_error"})
MAX_BACKOFF_SECONDS = 30.0
# A reply longer than this is no section draft (a section is a few thousand characters): reading stops
# there and the reply is refused, so a runaway model cannot fill memory or a stored version.
MAX_REPLY_CHARS = 30_000
TOO_LONG = "大模型的回复过长（超过 {limit} 字），已停止接收，未采用"
CUT = "大模型的回复中途中断（连接在回复完成前断开），未采用这段不完整的回复"
# Sent when no key is configured: the openai client insists on one, local servers ignore it.
PLACEHOLDER_API_KEY = "not-needed"

Messages = Sequence[BaseMessage | tuple[str, str] | dict[str, Any] | str] | str


class LLMUnavailable(RuntimeError):
    """No usable answer from the model. `message` is one Chinese line for the user."""

    def __init__(self, message: str, reason: Reason, *, status: int | None = None, attempts: int = 0):
        super().__init__(message)
        self.message = message
        self.reason: Reason = reason
        self.status = status
        self.attempts = attempts


def llm_configured(settings: Settings | None = None) -> bool:
    """True when a base URL and a model are configured (otherwise the offline drafters serve)."""
    return (settings or get_settings()).llm_configured


def chat_model(settings: Settings | None = None, *, temperature: float | None = None) -> ChatOpenAI:
    """A `ChatOpenAI` for the configured endpoint; raises `LLMUnavailable` when none is configured."""
    settings = settings or get_settings()
    if not settings.llm_configured:
        raise LLMUnavailable(
            "未配置大模型服务：请设置环境变量 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL，"
            "或使用离线起草方式", "not_configured")
    return ChatOpenAI(
        base_url=settings.llm_base_url.strip(),
        api_key=settings.llm_api_key or PLACEHOLDER_API_KEY,
        model=settings.llm_model.strip(),
        temperature=settings.llm_temperature if temperature is None else temperature,
        timeout=settings.llm_timeout,
        max_retries=0,  # retries are ours (see module docstring)
        stream_usage=False,  # some compatible servers reject stream_options
        use_responses_api=False,  # only POST /v1/chat/completions
        custom_get_token_ids=_pseudo_token_ids,  # get_num_tokens() without tiktoken
    )


def complete(messages: Messages, settings: Settings | None = None, *,
             temperature: float | None = None) -> str:
    """The model's whole reply as text; raises `LLMUnavailable` after the retries are spent."""
    settings = settings or get_settings()
    model = chat_model(settings, temperature=temperature)
    attempt = 0
    while True:
        attempt += 1
        try:
            message = model.invoke(messages)
            text = _text_of(message.content)
            if len(text) > MAX_REPLY_CHARS:
                raise LLMUnavailable(TOO_LONG.format(limit=MAX_REPLY_CHARS), "too_long", attempts=attempt)
        except Exception as exc:
            error = _classify(exc, settings, attempt)
            if _worth_retrying(error, exc, settings, attempt):
                _backoff(settings, attempt, exc)
                continue
            raise error from exc
        if not text.strip():
            raise LLMUnavailable("大模型返回了空内容，请稍后重试或更换模型", "empty", attempts=attempt)
        return text


def stream(messages: Messages, settings: Settings | None = None, *,
           temperature: float | None = None) -> Iterator[str]:
    """The reply's text pieces in order, as they arrive.

    A failure before the first piece is retried like `complete()`; once a piece has been given out a
    retry would repeat text, so a later failure raises `LLMUnavailable` (callers drop what they got:
    half a reply is never a draft). A stream that ends without any text raises reason "empty"; one
    that ends without the server's finish reason (the connection closed halfway) reason "cut"; one
    longer than MAX_REPLY_CHARS reason "too_long", as soon as it gets there.
    """
    settings = settings or get_settings()
    model = chat_model(settings, temperature=temperature)
    attempt = 0
    while True:
        attempt += 1
        started, finished, length = False, False, 0
        try:
            for chunk in model.stream(messages):
                finished = finished or bool(chunk.response_metadata.get("finish_reason"))
                piece = _text_of(chunk.content)
                if piece:
                    started, length = True, length + len(piece)
                    if length > MAX_REPLY_CHARS:
                        raise LLMUnavailable(TOO_LONG.format(limit=MAX_REPLY_CHARS), "too_long", attempts=attempt)
                    yield piece
            if started and not finished:
                raise LLMUnavailable(CUT, "cut", attempts=attempt)
        except Exception as exc:
            error = _classify(exc, settings, attempt)
            if not started and _worth_retrying(error, exc, settings, attempt):
                _backoff(settings, attempt, exc)
                continue
            if started and error.reason not in {"cut", "too_long"}:
                error = LLMUnavailable(f"大模型的回复中途中断：{error.message}", error.reason,
                                       status=error.status, attempts=attempt)
            raise error from exc
        if not started:
            raise LLMUnavailable("大模型返回了空内容，请稍后重试或更换模型", "empty", attempts=attempt)
        return


# --- token estimate -------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """A rough upper estimate of the tokens of `text`: 1 per CJK character or full-width mark, 1 per
    4 other characters (rounded up). Chinese tokenizers (Qwen, DeepSeek) use about 0.6–1 token per
    character, so budgets built on this stay on the safe side."""
    cjk = len(_CJK.findall(text))
    other = len(text) - cjk
    return cjk + (other + 3) // 4


def estimate_message_tokens(messages: Messages) -> int:
    """`estimate_tokens` over every message's content plus 4 tokens of framing per message."""
    items = [messages] if isinstance(messages, str) else list(messages)
    total = 0
    for item in items:
        if isinstance(item, BaseMessage):
            content = _text_of(item.content)
        elif isinstance(item, tuple):
            content = str(item[1])
        elif isinstance(item, dict):
            content = _text_of(item.get("content", ""))
        else:
            content = str(item)
        total += estimate_tokens(content) + 4
    return total


def _pseudo_token_ids(text: str) -> list[int]:
    # langchain's get_num_tokens() counts ids; only their number matters.
    return [0] * estimate_tokens(text)


# --- helpers --------------------------------------------------------------------------------------

def _text_of(content: Any) -> str:
    """Message content as text (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        return "".join(parts)
    if content is None:
        return ""
    raise TypeError(f"unexpected message content {type(content).__name__}")


def _classify(exc: BaseException, settings: Settings, attempt: int) -> LLMUnavailable:
    """Turn any exception of the client stack into `LLMUnavailable` with a Chinese message."""
    if isinstance(exc, LLMUnavailable):
        return exc
    tries = f"（共尝试 {attempt} 次）"
    if isinstance(exc, openai.APITimeoutError):
        return LLMUnavailable(
            f"大模型服务在 {settings.llm_timeout:g} 秒内没有响应{tries}，请稍后重试或调大 JIXIAO_LLM_TIMEOUT",
            "timeout", attempts=attempt)
    if isinstance(exc, httpx.TimeoutException):  # a stream's read timeout is not wrapped by openai
        return LLMUnavailable(
            f"大模型服务在 {settings.llm_timeout:g} 秒内没有继续输出{tries}，请稍后重试或调大 JIXIAO_LLM_TIMEOUT",
            "timeout", attempts=attempt)
    # By name: the openai client may carry its own copy of httpx (httpx2), whose classes differ.
    if any(type(cause).__name__ == "RemoteProtocolError" for cause in _causes(exc)):
        return LLMUnavailable(CUT, "cut", attempts=attempt)  # the server closed the connection mid-reply
    if isinstance(exc, openai.APIConnectionError | httpx.ConnectError):
        return LLMUnavailable(
            f"无法连接大模型服务 {settings.llm_base_url}：连接被拒绝或地址不可达，"
            "请检查 JIXIAO_LLM_BASE_URL 以及服务是否已启动", "connection", attempts=attempt)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429:
            wait = _retry_after(exc)
            later = f"服务要求 {wait:g} 秒后再试" if wait else "请稍后重试"
            return LLMUnavailable(f"大模型服务繁忙（HTTP 429 请求过多）{tries}，{later}",
                                  "rate_limited", status=status, attempts=attempt)
        if status >= 500:
            return LLMUnavailable(f"大模型服务内部出错（HTTP {status}）{tries}，请稍后重试",
                                  "server_error", status=status, attempts=attempt)
        if status in (401, 403):
            return LLMUnavailable(f"大模型服务拒绝了请求（HTTP {status}）：请检查 JIXIAO_LLM_API_KEY",
                                  "rejected", status=status, attempts=attempt)
        return LLMUnavailable(
            f"大模型服务拒绝了请求（HTTP {status}）：请检查 JIXIAO_LLM_MODEL 等配置（{_short(exc.message)}）",
            "rejected", status=status, attempts=attempt)
    # Anything else (a body that is not JSON, a reply without choices, a broken stream line) means the
    # server did not speak the OpenAI chat format.
    return LLMUnavailable("大模型返回的内容无法解析（不是兼容 OpenAI 的回复格式），请检查服务地址和模型",
                          "malformed", attempts=attempt)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it was raised from (the client stack wraps httpx errors in its own)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _retry_after(exc: BaseException) -> float:
    """The server's Retry-After in seconds (0 when absent or not a number of seconds)."""
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(float(value), 0.0) if value else 0.0
    except ValueError:
        return 0.0


def _worth_retrying(error: LLMUnavailable, exc: BaseException, settings: Settings, attempt: int) -> bool:
    """Retry 429, 5xx and timeouts while attempts remain, unless the server asks for a longer wait than
    MAX_BACKOFF_SECONDS (then the user is told now, not after minutes of waiting)."""
    return (error.reason in RETRYABLE and attempt <= settings.llm_max_retries
            and _retry_after(exc) <= MAX_BACKOFF_SECONDS)


def _backoff(settings: Settings, attempt: int, exc: BaseException) -> None:
    """Sleep before the next attempt: backoff × 2^(attempt-1), or the server's Retry-After when it is
    longer."""
    delay = settings.llm_retry_backoff * (2 ** (attempt - 1))
    time.sleep(min(max(delay, _retry_after(exc)), MAX_BACKOFF_SECONDS))
