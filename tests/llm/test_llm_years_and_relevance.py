"""Issue 13 in the LLM drafter, against the scripted server: a model that writes a wrong work year has
it repaired or marked, never shipped silently; a reply that does not address its section falls back."""

from __future__ import annotations

import json
import re

from scripted_models import between, obedient, prompt_of, task_of
from scripted_server import respond
from test_cli_llm import EXAMPLE, jixiao, llm_env

from assistant.drafting.llm_drafter import SectionWriter
from assistant.pipeline import compute

WRONG_YEAR = re.compile(r"(?<!\d)2024年，")


def wrong_work_year(body):
    """A model that opens each paragraph of its drafts "2022年，" where the data says 2024 — and keeps
    doing so when asked to repair."""
    task = task_of(body)
    text = between(prompt_of(body), "repair" if task == "repair" else task) if task != "other" else ""
    return WRONG_YEAR.sub("2022年，", text) if task in ("draft", "repair") else obedient(body)


def repairing_model(body):
    """Writes the wrong year first and follows the repair prompt's 应写“2024年”."""
    if task_of(body) == "draft":
        return WRONG_YEAR.sub("2022年，", between(prompt_of(body), "draft"))
    prompt = prompt_of(body)
    draft = between(prompt, "repair")
    for wrong, right in re.findall(r"“(\d{4}年)”年份有误.*?应写“(\d{4}年)”", prompt):
        draft = draft.replace(wrong, right)
    return draft


def test_generate_never_ships_a_wrong_work_year_unmarked(server, tmp_path):
    server.default = respond(wrong_work_year)
    text_out = tmp_path / "report.txt"
    result = jixiao("generate", EXAMPLE, "-o", str(tmp_path / "report.docx"), "--text", str(text_out),
                    "--drafter", "llm", "--json", env=llm_env(server, tmp_path))
    report = json.loads(result.stdout)
    text = text_out.read_text(encoding="utf-8")
    assert report["drafted_by"]["budget_execution"] == "llm"
    assert "〔待核：“2022年”年份疑误，应为2024年〕" in text
    unmarked = [m.start() for m in re.finditer("2022年", text) if not text[max(0, m.start() - 5):m.start()].endswith("〔待核：“")]
    assert unmarked == [], [text[p - 20:p + 20] for p in unmarked]
    assert any("年份疑误" in note for note in report["notes"])
    repairs = [r for r in server.requests if "年份有误" in prompt_of(r.body)]
    assert repairs and "应写“2024年”" in prompt_of(repairs[0].body)


def test_a_model_that_follows_the_repair_ships_the_reports_year(server, settings):
    seed = compute(EXAMPLE)
    server.default = respond(repairing_model)
    result = SectionWriter(seed.data, seed.ledger, seed.findings, settings=settings).draft("budget_execution")
    assert result.drafter == "llm" and result.rounds == 1 and not result.marked
    assert "2022年" not in result.markup and "2024年，" in result.markup


def test_a_reply_that_repeats_another_section_falls_back_with_a_note(server, settings):
    seed = compute(EXAMPLE)
    first = {}

    def copycat(body):
        text = between(prompt_of(body), "draft") if task_of(body) == "draft" else obedient(body)
        return first.setdefault("reply", text)  # every section gets the first section's text

    server.default = respond(copycat)
    writer = SectionWriter(seed.data, seed.ledger, seed.findings, settings=settings)
    assert writer.draft("budget_execution").drafter == "llm"
    again = writer.draft("procurement")
    assert again.drafter == "template" and again.markup == writer.base_markup("procurement")
    assert again.note == "大模型的回复与“（一）收支及预算执行情况”一节相同，没有写本节"


def test_a_reply_about_nothing_of_the_section_falls_back_with_a_note(server, settings):
    seed = compute(EXAMPLE)
    server.default = respond(lambda body: "我局高度重视党风廉政建设，扎实推进作风建设，干部队伍精神面貌焕然一新。")
    result = SectionWriter(seed.data, seed.ledger, seed.findings, settings=settings).draft("meetings_training")
    assert result.drafter == "template"
    assert result.note == "大模型的回复与本节无关（没有本节的数据，也没有本节标题中的关键词）"


def test_a_reply_with_the_sections_title_words_but_no_figures_is_kept(server, settings):
    seed = compute(EXAMPLE)
    server.default = respond(lambda body: "下一步，我局将围绕就业优先和社保惠民制定工作计划，逐项抓好落实。")
    result = SectionWriter(seed.data, seed.ledger, seed.findings, settings=settings).draft("plans")
    assert result.drafter == "llm" and result.note is None
