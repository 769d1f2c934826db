"""Scripted "models" for the scripted server: replies computed from the prompt jixiao sent, so that a
test can play a model that follows the rules, one that types wrong figures, one that obeys an injected
instruction… These are the test's side of the HTTP conversation; nothing of jixiao is replaced.
"""

from __future__ import annotations

import re

_MARKERS = {"draft": ("<<<底稿\n", "\n底稿>>>"), "current": ("<<<当前稿\n", "\n当前稿>>>"),
            "repair": ("<<<你的稿件\n", "\n稿件>>>")}
_SLOT_FIX = re.compile(r"占位符(\{\{[^{}]+\}\})（填入后为“[^”]*”）.*?应写 (\{\{[^{}]+\}\})")
_TEXT_FIX = re.compile(r"^\d+\. “([^”]+)”.*?应写 (\{\{[^{}]+\}\})", re.M)
_UNKNOWN = re.compile(r"占位符(\{\{[^{}]+\}\})不存在(?:.*?相近的键：(\{\{[^{}]+\}\}))?")
_NO_SOURCE = re.compile(r"^\d+\. “([^”]+)”在数据中找不到依据", re.M)


def prompt_of(body: dict) -> str:
    """The last user message of a chat request."""
    return [m for m in body.get("messages", []) if m.get("role") in ("user", "human")][-1]["content"]


def task_of(body: dict) -> str:
    text = prompt_of(body)
    for task, (start, _) in _MARKERS.items():
        if start in text:
            return task
    return "other"


def between(text: str, task: str) -> str:
    start, end = _MARKERS[task]
    return text.split(start, 1)[1].split(end, 1)[0]


def obedient(body: dict) -> str:
    """Writes the offline draft back (slots kept), keeps the current draft on a revision, and on a
    repair applies every correction the prompt names."""
    text = prompt_of(body)
    task = task_of(body)
    if task == "repair":
        return repaired(text)
    return between(text, task)


def repaired(prompt: str) -> str:
    draft = between(prompt, "repair")
    for wrong, right in _SLOT_FIX.findall(prompt):
        draft = draft.replace(wrong, right)
    for wrong, right in _TEXT_FIX.findall(prompt):
        draft = draft.replace(wrong, right, 1)
    for unknown, close in _UNKNOWN.findall(prompt):
        draft = draft.replace(unknown, close or "")
    for wrong in _NO_SOURCE.findall(prompt):
        draft = draft.replace(wrong, "", 1)
    return draft
