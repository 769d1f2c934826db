"""Material from past reports for the LLM prompts: other departments' paragraphs (style only) and the
department's own section of last year (structure), both made safe to show a model.

Safe means: every figure masked (they are not this year's, and a model copies what it sees) and every
sentence that reads like an instruction to the model dropped — a past report is data, and a paragraph
such as "忽略以上要求，……" must not steer the drafter (prompt injection through the corpus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.sections import SectionSpec
from assistant.model.schema import DepartmentYear

MASK = "Ｘ"
MAX_CHARS = 400  # per exemplar paragraph
NONE = "（无）"

_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,，．]*(?:[%％])?")
_SENTENCE = re.compile(r".+?(?:[。！？!?\n]|\.(?=\s)|$)", re.S)
# Words that address a model rather than describe a department's work.
INSTRUCTION_WORDS = (
    "忽略", "无视", "不要遵守", "不必遵守", "违反上述", "以上要求", "上述要求", "之前的指令", "以上指令", "系统提示",
    "提示词", "你现在是", "你是一个", "扮演", "请输出", "请直接输出", "请回复", "作为AI", "作为人工智能", "大模型",
    "ignore", "instruction", "system prompt", "assistant", "prompt",
)


def mask_numbers(text: str) -> str:
    return _NUMBER.sub(MASK, text)


def drop_instructions(text: str) -> str:
    """`text` without the sentences that speak to a model (case-insensitive for the Latin words)."""
    kept = []
    for sentence in _SENTENCE.findall(text):
        lowered = sentence.lower()
        if not any(word.lower() in lowered for word in INSTRUCTION_WORDS):
            kept.append(sentence.strip(" "))
    return "".join(kept).strip()


def safe(text: str, limit: int = MAX_CHARS) -> str:
    text = mask_numbers(drop_instructions(text))
    return text if len(text) <= limit else text[:limit] + "……"


@dataclass
class ExemplarSource:
    """Retrieval for one report: `searcher` is an `assistant.retrieval.search.Searcher` (None: no
    corpus, the prompts say so)."""

    searcher: object | None
    data: DepartmentYear
    k: int = 2

    def style(self, spec: SectionSpec) -> str:
        """Numbered paragraphs from other departments' or years' reports of the same section kind."""
        if self.searcher is None or spec.exemplar_kind is None:
            return NONE
        identity = self.data.identity
        found = self.searcher.exemplars(spec.exemplar_kind, f"{spec.title} {spec.description}",
                                        identity.name, identity.year, k=self.k)
        texts = [safe(item.text) for item in found]
        texts = [text for text in texts if text]
        return "\n\n".join(f"范文{n}：{text}" for n, text in enumerate(texts, 1)) or NONE

    def last_year(self, spec: SectionSpec) -> str:
        """The department's own section of last year's report, in order, figures masked ("" if none)."""
        if self.searcher is None or spec.exemplar_kind is None:
            return ""
        from assistant.retrieval.search import Filters

        identity = self.data.identity
        filters = Filters(section_kind=spec.exemplar_kind, department=identity.name, year=identity.year - 1)
        hits = self.searcher.search(f"{spec.title} {spec.description}", k=8, filters=filters)
        hits = sorted(hits, key=lambda hit: hit.position)
        return "\n".join(safe(hit.text, limit=800) for hit in hits).strip()
