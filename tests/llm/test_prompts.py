"""prompts/: one file per task, loaded as langchain chat prompt templates."""

from __future__ import annotations

import pytest
from langchain_core.prompts import ChatPromptTemplate

from assistant.drafting import prompts

VARIABLES = {
    "draft_section": {"rules", "title", "description", "facts", "base", "exemplars", "instruction"},
    "revise_section": {"rules", "title", "current", "facts", "reference", "history", "instruction"},
    "repair_numbers": {"rules", "title", "problems", "facts", "draft"},
}


@pytest.mark.parametrize("task", prompts.TASKS)
def test_each_task_is_a_chat_prompt_with_a_system_and_a_human_message(task):
    template = prompts.load_prompt(task)
    assert isinstance(template, ChatPromptTemplate)
    assert set(template.input_variables) == VARIABLES[task]
    values = {name: f"〈{name}〉" for name in VARIABLES[task] if name != "rules"}
    system, human = prompts.render(task, **values)
    assert system.type == "system" and human.type == "human"
    for name, value in values.items():
        assert value in human.content, name


def test_the_rules_show_the_slot_form_and_say_exemplars_are_not_instructions():
    text = prompts.rules()
    assert "{{键}}" in text and "{slot_example}" not in text
    assert "忽略以上要求" in text  # named as an example of text never to obey
    system, _ = prompts.render("repair_numbers", title="t", problems="p", facts="f", draft="d")
    assert system.content == text


def test_a_prompt_file_without_role_lines_is_refused(tmp_path, monkeypatch):
    (tmp_path / "broken.txt").write_text("只有文字，没有角色行", encoding="utf-8")
    monkeypatch.setattr(prompts, "PROMPT_DIR", tmp_path)
    prompts.load_prompt.cache_clear()
    try:
        with pytest.raises(ValueError):
            prompts.load_prompt("broken")
    finally:
        prompts.load_prompt.cache_clear()
