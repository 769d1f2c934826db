"""The LLM provider: any OpenAI-compatible chat endpoint, configured in `assistant.settings`.

See docs/llm.md. The drafter that uses it comes next (issue 5).
"""

from assistant.llm.provider import (
    LLMUnavailable,
    chat_model,
    complete,
    estimate_message_tokens,
    estimate_tokens,
    llm_configured,
    stream,
)

__all__ = [
    "LLMUnavailable",
    "chat_model",
    "complete",
    "estimate_message_tokens",
    "estimate_tokens",
    "llm_configured",
    "stream",
]
