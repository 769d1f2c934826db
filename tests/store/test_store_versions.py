"""Data and section versions: numbering, history, and the conflict check that prevents lost updates."""

from __future__ import annotations

import pytest

from assistant.store import DataVersion, InvalidValue, NotFound, SectionVersion, VersionConflict

CHINESE = "2024年，我局部门整体支出3,669.72万元，执行率98.91%；“三公”经费6.02万元。\n第二段：〔待核：原文“2023年11月”〕😀"


def test_data_versions_are_numbered_from_one(store, report, staff):
    first = store.save_data(report.id, "identity: {}", "yaml", author_id=staff.id, note="初稿")
    second = store.save_data(report.id, "{}", "json", expected_number=1)
    assert isinstance(first, DataVersion)
    assert (first.number, first.format, first.author_id, first.note) == (1, "yaml", staff.id, "初稿")
    assert second.number == 2
    assert store.latest_data(report.id) == second
    assert [v.number for v in store.data_history(report.id)] == [1, 2]


def test_no_data_yet(store, report):
    assert store.latest_data(report.id) is None and store.data_history(report.id) == []


def test_stale_data_save_is_a_conflict(store, report):
    store.save_data(report.id, "a", "yaml", expected_number=0)
    with pytest.raises(VersionConflict) as caught:
        store.save_data(report.id, "b", "yaml", expected_number=0)
    assert caught.value.current == 1
    assert "第1版" in caught.value.message and "刷新" in caught.value.message
    assert [v.text for v in store.data_history(report.id)] == ["a"]


def test_saving_data_moves_the_report_forward(store, report):
    store.save_data(report.id, "a", "xlsx-derived")
    assert store.get_report(report.id).updated_at > report.updated_at


def test_data_of_an_unknown_report_is_refused(store):
    with pytest.raises(NotFound, match="未找到报告"):
        store.save_data(77, "a", "yaml")


def test_section_versions_are_numbered_per_kind(store, report):
    a1 = store.add_section_version(report.id, "overview", "一", source="generate", drafter="template")
    b1 = store.add_section_version(report.id, "issues", "问题", source="generate", drafter="template")
    a2 = store.add_section_version(report.id, "overview", "二", source="edit", drafter="human", expected_number=1)
    assert isinstance(a1, SectionVersion)
    assert (a1.number, b1.number, a2.number) == (1, 1, 2)
    assert store.latest_section(report.id, "overview") == a2
    assert store.latest_sections(report.id) == {"overview": a2, "issues": b1}
    assert [v.text for v in store.section_history(report.id, "overview")] == ["一", "二"]
    assert store.section_version(report.id, "overview", 1) == a1


def test_section_numbers_are_per_report(store, department, report):
    other = store.ensure_report(department.id, 2025)
    store.add_section_version(report.id, "overview", "一", source="generate", drafter="template")
    assert store.add_section_version(other.id, "overview", "一", source="generate", drafter="template").number == 1


def test_section_version_keeps_every_field(store, report, staff):
    message = store.add_message(report.id, "overview", "assistant", "改好了")
    version = store.add_section_version(report.id, "overview", CHINESE, source="chat", drafter="llm",
                                        author_id=staff.id, message_id=message.id,
                                        check_json='{"findings": [], "说明": "无"}', expected_number=0)
    again = store.section_version(report.id, "overview", 1)
    assert again == version
    assert (again.text, again.source, again.drafter, again.author_id, again.message_id) == (
        CHINESE, "chat", "llm", staff.id, message.id)
    assert again.check_json == '{"findings": [], "说明": "无"}'


def test_chinese_text_round_trips_exactly(store, report):
    store.save_data(report.id, CHINESE, "yaml")
    store.add_section_version(report.id, "概况", CHINESE * 50, source="import", drafter="docx")
    assert store.latest_data(report.id).text == CHINESE
    assert store.latest_section(report.id, "概况").text == CHINESE * 50


def test_stale_section_save_is_a_conflict_with_the_current_number(store, report):
    for number in range(3):
        store.add_section_version(report.id, "overview", f"v{number + 1}", source="edit", drafter="human")
    with pytest.raises(VersionConflict) as caught:
        store.add_section_version(report.id, "overview", "old", source="edit", drafter="human", expected_number=2)
    assert caught.value.current == 3
    assert caught.value.message == "本节已被他人修改（当前为第3版），请刷新后再保存"
    assert store.latest_section(report.id, "overview").text == "v3"


def test_expecting_a_version_of_an_empty_section_is_a_conflict(store, report):
    with pytest.raises(VersionConflict) as caught:
        store.add_section_version(report.id, "overview", "x", source="edit", drafter="human", expected_number=1)
    assert caught.value.current == 0


def test_no_sections_yet(store, report):
    assert store.latest_section(report.id, "overview") is None
    assert store.latest_sections(report.id) == {}
    assert store.section_history(report.id, "overview") == []


def test_missing_section_version_is_not_found_in_chinese(store, report):
    with pytest.raises(NotFound, match="第5版"):
        store.section_version(report.id, "overview", 5)


def test_section_source_must_be_known(store, report):
    with pytest.raises(InvalidValue, match="版本来源"):
        store.add_section_version(report.id, "overview", "x", source="paste", drafter="human")
