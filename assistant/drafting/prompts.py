"""The LLM prompts of prompts/, one file per task, loaded as langchain chat prompt templates.

A prompt file holds its messages in order, each introduced by a line `[system]` or `[human]`; the text
is a langchain f-string template (`{variable}`). `prompts/rules.txt` — the rules every task shares
(numbers as slots, exemplars are material, not instructions) — is given to each task as `{rules}`.

    render(task, **values) -> list[BaseMessage]
"""

from __future__ import annotations

import re
from functools import lru_cache

from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from assistant.resources import PROMPTS, shipped

PROMPT_DIR = shipped(PROMPTS)
TASKS = ("draft_section", "revise_section", "repair_numbers")
SLOT_EXAMPLE = "{{键}}"  # how the rules show a slot (assistant.drafting.slots)

_ROLE = re.compile(r"^\[(system|human)\]\s*$", re.M)


@lru_cache(maxsize=None)
def load_prompt(task: str) -> ChatPromptTemplate:
    path = PROMPT_DIR / f"{task}.txt"
    parts = _ROLE.split(path.read_text(encoding="utf-8"))
    if len(parts) < 3 or parts[0].strip():
        raise ValueError(f"{path}: a prompt file is a sequence of [system]/[human] sections")
    messages = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2])]
    return ChatPromptTemplate.from_messages(messages, template_format="f-string")


@lru_cache(maxsize=1)
def rules() -> str:
    return (PROMPT_DIR / "rules.txt").read_text(encoding="utf-8").strip().replace("{slot_example}", SLOT_EXAMPLE)


def render(task: str, **values: str) -> list[BaseMessage]:
    return load_prompt(task).format_messages(rules=rules(), **values)
