"""The generated form: every field round-trips, saves are versions, conflicts keep the user's input."""

import re

from assistant.model.load import load
from assistant.model.schema import DepartmentYear
from assistant.web.forms import build_form, parse_form
from tests.web.conftest import EXAMPLE, ROOT


def _fields(nodes, out=None):
    out = {} if out is None else out
    for node in nodes:
        if node.kind in {"group", "items"}:
            _fields(node.children, out)
        elif node.kind == "table":
            for row in node.rows:
                _fields(row, out)
        else:
            out[node.name] = node.value
    return out


def _all_nodes(nodes):
    for node in nodes:
        yield node
        yield from _all_nodes(node.children)
        for row in node.rows:
            yield from _all_nodes(row)


def _node(nodes, name):
    return next(node for node in _all_nodes(nodes) if node.name == name)


def test_every_field_of_both_examples_round_trips_through_the_form():
    for name in ("taojiang-rsj-2024.yaml", "demo-shuili-2024.yaml"):
        data = load(ROOT / "examples" / name)
        assert DepartmentYear.model_validate(parse_form(_fields(build_form(data.model_dump())))) == data


def test_form_fields_carry_chinese_titles_and_finding_paths():
    form = build_form(load(EXAMPLE).model_dump())
    assert [node.title for node in form] == ["单位信息", "附件1 基础数据表", "附件2 绩效自评表", "自评报告"]
    fields = _fields(form)
    assert fields["self_assessment.indicators[0].level1"] == "产出指标"
    assert fields["basic_data.sangong.total.budget"] == "16"


def test_numbers_are_kept_as_typed():
    fields = _fields(build_form(load(EXAMPLE).model_dump()))
    fields["basic_data.procurement.final"] = "1,234.50"
    data = DepartmentYear.model_validate(parse_form(fields))
    assert str(data.basic_data.procurement.final) == "1234.50"


def test_sangong_is_typed_once_in_yuan_and_the_attachment_figure_in_wan_follows():
    form = build_form(load(EXAMPLE).model_dump())
    cell = _node(form, "basic_data.sangong.reception.final")
    assert cell.derived_from == "narrative.sangong.reception.final" and "折算" in cell.help
    fields = _fields(form)
    fields["narrative.sangong.reception.final"] = "61,234"
    fields["narrative.sangong.total.final"] = "61234"
    data = DepartmentYear.model_validate(parse_form(fields))
    assert str(data.basic_data.sangong.reception.final) == "6.12"  # 61234 元 ÷ 10000, 四舍五入到 2 位
    assert str(data.basic_data.sangong.total.budget) == "16"  # unchanged figures keep their written digits
    assert data.basic_data.sangong.vehicle.final is None  # 0 元 leaves the form's blank cell blank


def test_options_and_metric_keys_are_shown_in_chinese_and_posted_as_codes():
    form = build_form(load(EXAMPLE).model_dump())
    direction = _node(form, "self_assessment.indicators[0].direction")
    assert ("reverse", "反向（越低越好）") in direction.options and all(
        "一" <= label[0] <= "鿿" for _, label in direction.options)
    fields = _fields(form)
    summary = next(v for k, v in fields.items() if k.endswith("summary") and "参保人数" in v)
    assert "{养老保险参保人数}" in summary and "pension_insured" not in summary
    relation = next(v for k, v in fields.items() if k.endswith("sum_of") and v)
    assert not any(c.isascii() and c.isalpha() for c in relation)
    key = next(n for n in _all_nodes(form) if n.name.endswith("metrics[0].key"))
    assert key.kind == "hidden"
    assert _node(form, "self_assessment.indicators[0].name").kind == "textarea"


def test_a_new_metric_row_gets_a_key_and_texts_may_cite_it_by_label():
    fields = _fields(build_form(load(EXAMPLE).model_dump()))
    blank = next(k for k, v in fields.items() if k.startswith("narrative.target_metrics[") and k.endswith(".label")
                 and not v).rsplit(".", 1)[0]
    fields.update({f"{blank}.label": "新建就业见习基地", f"{blank}.value": "3", f"{blank}.unit": "个"})
    fields["narrative.output_targets"] += "\n新建就业见习基地{新建就业见习基地}。"
    data = DepartmentYear.model_validate(parse_form(fields))
    added = next(m for m in data.narrative.target_metrics if m.label == "新建就业见习基地")
    assert added.key == "m1" and data.narrative.output_targets[-1] == "新建就业见习基地{m1}。"


def _page_fields(html):
    fields = dict(re.findall(r'<input name="([^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        # As a browser posts it: the selected option, or else the first one; its value, or else its text.
        choices = re.findall(r"<option([^>]*)>([^<]*)</option>", options)
        attributes, text = next((choice for choice in choices if "selected" in choice[0]), choices[0])
        value = re.search(r'value="([^"]*)"', attributes)
        fields[name] = value.group(1) if value else text
    import html as html_lib
    return {k: html_lib.unescape(v) for k, v in fields.items()}


def test_saving_the_form_makes_a_new_version_and_a_stale_save_is_a_conflict_that_keeps_the_input(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    page = client.get(f"/reports/{report}/data").text
    fields = _page_fields(page)
    fields.update({"csrf_token": client.csrf, "expected_number": "1", "identity.preparer": "张三"})
    saved = client.post(f"/reports/{report}/data", data=fields)
    assert saved.status_code == 200 and "已保存为第2版" in saved.text
    assert "preparer: 张三" in site.store.latest_data(report).text

    fields.update({"expected_number": "1", "identity.preparer": "李四"})  # based on version 1, now stale
    conflict = client.post(f"/reports/{report}/data", data=fields)
    assert conflict.status_code == 409 and "其他人保存了第2版" in conflict.text
    assert 'value="李四"' in conflict.text and 'name="expected_number" value="2"' in conflict.text
    assert site.store.latest_data(report).number == 2


def test_bad_input_is_shown_next_to_its_field_and_nothing_typed_is_lost(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    fields = _page_fields(client.get(f"/reports/{report}/data").text)
    fields.update({"csrf_token": client.csrf, "basic_data.staffing.authorized": "八十三",
                   "identity.preparer": "王五"})
    response = client.post(f"/reports/{report}/data", data=fields)
    assert response.status_code == 422
    assert "编制数：应为整数" in response.text and 'value="八十三"' in response.text and 'value="王五"' in response.text
    field_block = response.text.split('id="f-basic_data-staffing-authorized"')[1][:600]
    assert "应为整数" in field_block
    assert site.store.latest_data(report).number == 1


def test_findings_appear_next_to_their_fields(site):
    client = site.login("staff_a")
    api = client.get(f"/api/reports/{site.reports['a'].id}/data").json()
    finding = next(f for f in api["findings"] if f["path"].count(".") >= 2)
    page = client.get(f"/reports/{site.reports['a'].id}/data").text
    anchor = "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", finding["path"])
    assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page


def test_an_untouched_form_of_a_new_year_saves_its_blank_add_rows_are_ignored(site):
    client = site.login("staff_a")
    created = client.post("/reports", data={"year": "2025", "csrf_token": client.csrf}, follow_redirects=False)
    url = created.headers["location"]
    fields = _page_fields(client.get(url).text)
    assert fields["self_assessment.indicators[0].level1"] == ""  # the add row offers no 一级指标 by default
    fields["csrf_token"] = client.csrf
    saved = client.post(url, data=fields)
    assert saved.status_code == 200 and "已保存为第1版" in saved.text
    report = site.store.find_report(site.reports["a"].department_id, 2025)
    assert "indicators: []" in site.store.latest_data(report.id).text
