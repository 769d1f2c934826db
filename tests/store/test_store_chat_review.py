"""Chat turns, comments and the review workflow (草稿 → 待审 → 退回/通过)."""

from __future__ import annotations

import pytest

from assistant.store import ChatMessage, Comment, InvalidValue, NotFound, StatusError, StatusEvent


def test_a_users_message_is_stored_before_the_model_answers(store, report, staff):
    asked = store.add_message(report.id, "overview", "user", "请把第二段写得更简洁", author_id=staff.id)
    assert isinstance(asked, ChatMessage)
    assert (asked.role, asked.status, asked.author_id) == ("user", "ok", staff.id)
    assert store.messages(report.id, "overview") == [asked]


def test_a_failed_reply_keeps_the_question_and_the_last_good_draft(store, report, staff):
    draft = store.add_section_version(report.id, "overview", "好的草稿", source="generate", drafter="template")
    asked = store.add_message(report.id, "overview", "user", "改写", author_id=staff.id)
    reply = store.add_message(report.id, "overview", "assistant", "", status="pending")
    failed = store.finish_message(reply.id, status="failed", error="模型服务暂时不可用")
    assert (failed.status, failed.error, failed.version_id) == ("failed", "模型服务暂时不可用", None)
    assert [m.id for m in store.messages(report.id, "overview")] == [asked.id, reply.id]
    assert store.messages(report.id, "overview")[0].content == "改写"
    assert store.latest_section(report.id, "overview") == draft


def test_a_finished_reply_points_at_its_version(store, report):
    reply = store.add_message(report.id, "overview", "assistant", "已改写", status="pending")
    version = store.add_section_version(report.id, "overview", "新稿", source="chat", drafter="llm",
                                        message_id=reply.id)
    done = store.finish_message(reply.id, status="ok", version_id=version.id)
    assert (done.status, done.version_id, done.error) == ("ok", version.id, None)


def test_messages_are_per_section_oldest_first_and_limit_keeps_the_last(store, report):
    for index in range(5):
        store.add_message(report.id, "overview", "user" if index % 2 == 0 else "assistant", f"第{index}条")
    store.add_message(report.id, "issues", "note", "另一节")
    assert [m.content for m in store.messages(report.id, "overview")] == [f"第{i}条" for i in range(5)]
    assert [m.content for m in store.messages(report.id, "overview", limit=2)] == ["第3条", "第4条"]
    assert [m.role for m in store.messages(report.id, "issues")] == ["note"]


def test_recent_messages_gives_each_sections_last_turns_in_one_call(store, report):
    for n in range(5):
        store.add_message(report.id, "plans", "user", f"计划{n}")
    store.add_message(report.id, "overview", "user", "概况")
    recent = store.recent_messages(report.id, 3)
    assert [m.content for m in recent["plans"]] == ["计划2", "计划3", "计划4"]
    assert [m.content for m in recent["overview"]] == ["概况"]
    assert recent["plans"] == store.messages(report.id, "plans", limit=3)


def test_message_role_and_status_are_checked(store, report):
    with pytest.raises(InvalidValue, match="消息角色"):
        store.add_message(report.id, "overview", "system", "x")
    with pytest.raises(InvalidValue, match="消息状态"):
        store.add_message(report.id, "overview", "user", "x", status="done")
    with pytest.raises(NotFound, match="未找到消息"):
        store.finish_message(999, status="ok")


def test_comments_on_the_report_and_on_sections(store, report, reviewer):
    general = store.add_comment(report.id, reviewer.id, "整体较好")
    on_section = store.add_comment(report.id, reviewer.id, "<script>alert(1)</script> 数字需核对", kind="issues")
    assert isinstance(general, Comment) and general.kind is None
    assert store.comments(report.id) == [general, on_section]
    assert store.comments(report.id, "issues") == [on_section]
    assert on_section.text == "<script>alert(1)</script> 数字需核对"


def test_review_workflow_submit_return_resubmit_approve(store, report, staff, reviewer):
    assert store.set_status(report.id, "submitted", staff.id).status == "submitted"
    returned = store.set_status(report.id, "returned", reviewer.id, comment="三公经费说明不足")
    assert (returned.status, returned.status_label) == ("returned", "退回")
    store.set_status(report.id, "submitted", staff.id)
    assert store.set_status(report.id, "approved", reviewer.id).status_label == "通过"
    events = store.status_events(report.id)
    assert all(isinstance(event, StatusEvent) for event in events)
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "approved")]
    assert events[1].comment == "三公经费说明不足" and events[1].author_id == reviewer.id


@pytest.mark.parametrize("path, to_status", [
    ([], "approved"), ([], "returned"), ([], "draft"),
    (["submitted"], "submitted"), (["submitted"], "draft"),
    (["submitted", "approved"], "submitted"), (["submitted", "approved"], "returned"),
    (["submitted", "returned"], "approved"),
])
def test_transitions_outside_the_workflow_are_refused_in_chinese(store, report, staff, reviewer, path, to_status):
    for step in path:
        store.set_status(report.id, step, staff.id if step == "submitted" else reviewer.id)
    before = store.get_report(report.id)
    with pytest.raises(StatusError, match="不能改为") as caught:
        store.set_status(report.id, to_status, reviewer.id)
    assert "“" in caught.value.message
    assert store.get_report(report.id) == before
    assert len(store.status_events(report.id)) == len(path)


def test_only_reviewers_decide_and_only_staff_submit(store, report, staff, reviewer):
    with pytest.raises(StatusError, match="只有填报人员"):
        store.set_status(report.id, "submitted", reviewer.id)
    store.set_status(report.id, "submitted", staff.id)
    with pytest.raises(StatusError, match="只有审核人员"):
        store.set_status(report.id, "approved", staff.id)


def test_unknown_status_is_refused(store, report, staff):
    with pytest.raises(StatusError, match="未知的报告状态"):
        store.set_status(report.id, "published", staff.id)
