"""The conversation service: stored turns, a version per successful turn, nothing lost on failure."""

from __future__ import annotations

import json

import pytest
from scripted_models import between, obedient, prompt_of, task_of
from scripted_server import error, reply, respond

from assistant.drafting.conversation import NO_MODEL, ReportSession
from assistant.model.dump import dump_yaml
from assistant.model.errors import InputError
from assistant.model.load import load
from assistant.settings import Settings
from assistant.store import Store, VersionConflict


@pytest.fixture
def report(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'jixiao.db'}")
    data = load("examples/taojiang-rsj-2024.yaml")
    department = store.ensure_department(data.identity.name, data.identity.county)
    report = store.ensure_report(department.id, data.identity.year)
    store.save_data(report.id, dump_yaml(data), "yaml")
    yield store, report.id
    store.close()


def shorter(body):
    """A model that, asked to revise, keeps the first paragraph of the current draft."""
    if task_of(body) == "current":
        return between(prompt_of(body), "current").split("\n\n")[0]
    return obedient(body)


def test_a_turn_stores_the_message_and_a_new_version_linked_to_it(report, server, settings):
    store, report_id = report
    server.default = respond(shorter)
    session = ReportSession.open(store, report_id, settings=settings)
    first = session.ensure_section("budget_execution")
    turn = session.chat("budget_execution", "更简洁一些", author_id=None)
    assert turn.ok and turn.version.number == first.number + 1
    assert turn.version.source == "chat" and turn.version.drafter == "llm"
    assert turn.version.message_id == turn.message.id and turn.message.status == "ok"
    assert turn.version.text.strip() == first.text.split("\n\n")[0].strip()  # the model kept one paragraph
    assert json.loads(turn.version.check_json)["attention"] == 0
    roles = [m.role for m in store.messages(report_id, "budget_execution")]
    assert roles == ["user", "assistant"]
    assert "保存为第2版" in turn.reply.content


def test_the_reply_streams_with_slots_filled_and_ends_as_the_stored_text(report, server, settings):
    store, report_id = report
    server.default = respond(lambda body: ["2024年预算执行率为{{fun", "ding.execution_rate}}，", "资金使用规范有序，成效明显。"])
    session = ReportSession.open(store, report_id, settings=settings)
    pieces = []
    turn = session.chat("budget_execution", "重写成一句话", on_text=pieces.append)
    assert len(pieces) >= 2
    assert "".join(pieces) == "2024年预算执行率为98.91%，资金使用规范有序，成效明显。"
    assert turn.version.text.strip() == "".join(pieces)


def test_earlier_turns_are_shown_to_the_model(report, server, settings):
    store, report_id = report
    server.default = respond(shorter)
    session = ReportSession.open(store, report_id, settings=settings)
    session.chat("plans", "更简洁一些")
    session.chat("plans", "语气更正式")
    second = prompt_of(server.requests[-1].body)
    assert "工作人员：更简洁一些" in second and "助手：已按要求修改" in second
    assert "工作人员的修改要求：语气更正式" in second


def test_a_failed_model_keeps_the_message_and_the_last_good_version(report, server, settings):
    store, report_id = report
    server.script(error(500), error(500), error(500))
    session = ReportSession.open(store, report_id, settings=settings)
    before = session.ensure_section("plans")
    turn = session.chat("plans", "加上社保卡的数据")
    assert not turn.ok and "HTTP 500" in turn.error
    stored = store.messages(report_id, "plans")
    assert [(m.role, m.status) for m in stored] == [("user", "failed"), ("note", "ok")]
    assert stored[0].content == "加上社保卡的数据" and "HTTP 500" in stored[0].error
    assert "本节仍为第1版" in stored[1].content
    assert store.latest_section(report_id, "plans") == before


def test_without_a_model_the_message_is_kept_and_the_note_says_how_to_go_on(report):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    turn = session.chat("plans", "语气更正式")
    assert not turn.ok and turn.error == NO_MODEL
    assert store.messages(report_id, "plans")[0].content == "语气更正式"
    assert "未配置大模型服务" in turn.reply.content and "本节没有改动" in turn.reply.content
    assert "离线模板不理解文字要求" in turn.reply.content and "docs/" not in turn.reply.content


def test_redrafting_an_unchanged_section_saves_no_new_version_and_says_so(report):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    first = session.chat("plans", "重新起草")  # the first version is the template's draft already
    assert first.version.number == 1 and not first.changed
    assert first.reply.content == "内容与上一版相同，未保存新版本（仍为第1版）。"
    assert len(store.section_history(report_id, "plans")) == 1


def test_redrafting_from_the_template_works_offline(report):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    session.edit("plans", "我局将继续努力。", author_id=None, expected_number=None)
    turn = session.chat("plans", "重新起草")
    assert turn.ok and turn.changed and turn.version.drafter == "template"
    assert turn.version.text == session.writer.base_markup("plans")
    assert turn.reply.content.startswith("已用离线模板按当前数据重新起草本节，保存为第")


def test_a_revision_that_races_an_edit_is_kept_in_the_chat_not_saved_over_it(report, server, settings):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=settings)
    current = session.ensure_section("plans")

    def colleague_saves_meanwhile(piece):
        if store.latest_section(report_id, "plans").number == current.number:
            session.edit("plans", "同事同时保存的文字。", author_id=None, expected_number=current.number)

    server.default = reply(["我局将进一步加强预算管理，", "提高资金使用效益。"])
    turn = session.chat("plans", "改写", on_text=colleague_saves_meanwhile)
    assert not turn.ok and "已被他人修改" in turn.error
    assert store.latest_section(report_id, "plans").text.strip() == "同事同时保存的文字。"
    assert "提高资金使用效益" in turn.reply.content  # the revision is not lost


def test_edits_are_versions_checked_and_can_be_reverted(report):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    first = session.ensure_section("budget_execution")
    edited = session.edit("budget_execution", "2024年预算执行率为97%。", author_id=None, expected_number=first.number)
    assert json.loads(edited.check_json)["attention"] == 1
    with pytest.raises(VersionConflict):
        session.edit("budget_execution", "晚到的保存", author_id=None, expected_number=first.number)
    back = session.revert("budget_execution", first.number, author_id=None, expected_number=edited.number)
    assert back.number == 3 and back.text == first.text and back.source == "revert"


def test_asking_for_last_years_structure_sends_last_years_section(report, server, settings, corpus_searcher):
    store, report_id = report
    server.default = respond(shorter)
    session = ReportSession.open(store, report_id, settings=settings, searcher=corpus_searcher)
    session.chat("plans", "按去年的结构写")
    prompt = prompt_of(server.requests[-1].body)
    assert "一是稳就业，全年新增就业Ｘ人。二是强社保" in prompt  # last year's figures masked
    assert "忽略以上要求" not in prompt


def test_bad_requests_are_refused_in_chinese(report):
    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    with pytest.raises(InputError, match="没有名为“nope”的章节"):
        session.chat("nope", "改写")
    with pytest.raises(InputError, match="请输入修改要求"):
        session.chat("plans", "   ")


def test_the_current_draft_is_the_latest_version_of_every_section(report):
    from assistant.render.text import document_text

    store, report_id = report
    session = ReportSession.open(store, report_id, settings=Settings())
    session.edit("plans", "我局将持续加强预算绩效管理。", author_id=None, expected_number=None)
    draft = session.current_draft()
    assert draft.drafter == "mixed" and draft.drafted_by["plans"] == "user"
    text = document_text(session.package())
    assert "四、下一步工作计划\n我局将持续加强预算绩效管理。" in text
    assert "（一）收支及预算执行情况" in text and "附件1" in text


def test_a_request_naming_data_brings_those_facts_into_the_prompt(report, server, settings):
    """加上社保卡的数据: the 社保卡 facts are offered as slots, and a reply using them is verified."""
    store, report_id = report
    server.default = respond(lambda body: between(prompt_of(body), "current") +
                             "\n\n全年加载交通出行功能的社保卡持卡人数达{{project.fund_risk.card_transport_holders}}。")
    session = ReportSession.open(store, report_id, settings=settings)
    turn = session.chat("plans", "加上社保卡的数据")
    prompt = prompt_of(server.requests[-1].body)
    assert "{{project.fund_risk.card_transport_holders}} | 加载交通出行功能的社保卡持卡人数 | 3.606万人" in prompt
    assert turn.ok and "社保卡持卡人数达3.606万人。" in turn.version.text
    assert json.loads(turn.version.check_json)["verified"] >= 1


def test_the_stored_message_is_announced_before_the_model_answers(report, server, settings):
    store, report_id = report
    seen = []
    server.default = reply(["我局将继续加强预算管理。"])
    session = ReportSession.open(store, report_id, settings=settings)
    session.ensure_section("plans")

    def announced(message):
        seen.append((message.content, message.status, len(server.requests)))

    turn = session.chat("plans", "改写", on_message=announced, on_text=lambda piece: seen.append(piece))
    assert seen[0] == ("改写", "pending", 0)  # stored, and the model not yet asked
    assert turn.ok and turn.message.id == store.messages(report_id, "plans")[0].id
