"""The number-aware diff: numbers are changed whole, never split mid-digit; the HTML escapes everything."""

from __future__ import annotations

from assistant.render.diff import DiffOp, diff_stats, diff_texts, number_spans, render_html


def _changes(ops):
    return [(o.op, o.text) for o in ops if o.op != "equal"]


def _sides(ops):
    old = "".join(o.text for o in ops if o.op != "insert")
    new = "".join(o.text for o in ops if o.op != "delete")
    return old, new


def test_a_changed_number_is_one_whole_deletion_and_one_whole_insertion():
    ops = diff_texts("全年支出3669万元。", "全年支出3720万元。")
    assert _changes(ops) == [("delete", "3669万元"), ("insert", "3720万元")]
    assert "3669" in ops[1].text and "3720" in ops[2].text


def test_numbers_sharing_digits_are_not_split():
    # raw diff-match-patch would keep the shared "3" and "1,2" and cut the rest
    for old, new in (("3669", "3720"), ("1,234.5万元", "1,284.5万元"), ("98.91%", "98.19%"), ("三千人", "三万人")):
        ops = diff_texts(f"金额为{old}，", f"金额为{new}，")
        assert _changes(ops) == [("delete", old), ("insert", new)], (old, new)


def test_unchanged_numbers_stay_equal_and_sides_rebuild_exactly():
    a = "2023年预算执行率98.91%，支出1,234.5万元，共三千人参训。"
    b = "2024年预算执行率98.91%，支出1,234.5万元，共三千二百人参训，增加200人。"
    ops = diff_texts(a, b)
    assert _sides(ops) == (a, b)
    equal = "".join(o.text for o in ops if o.op == "equal")
    assert "98.91%" in equal and "1,234.5万元" in equal
    assert ("delete", "2023年") in _changes(ops) and ("insert", "2024年") in _changes(ops)


def test_chinese_text_edits():
    ops = diff_texts("加强预算管理，提高资金使用效益。", "进一步加强预算绩效管理，提高资金使用效益。")
    assert _sides(ops) == ("加强预算管理，提高资金使用效益。", "进一步加强预算绩效管理，提高资金使用效益。")
    inserted = "".join(o.text for o in ops if o.op == "insert")
    assert "进一步" in inserted and "绩效" in inserted
    assert not any(o.op == "delete" for o in ops)


def test_identical_texts_are_one_equal_op():
    text = "本年度共开展培训12期，培训1,200人次。"
    assert diff_texts(text, text) == [DiffOp("equal", text)]
    assert diff_stats(diff_texts(text, text))["changed"] == 0


def test_empty_sides():
    assert diff_texts("", "") == []
    assert diff_texts("", "新增3人") == [DiffOp("insert", "新增3人")]
    assert diff_texts("删去98.91%", "") == [DiffOp("delete", "删去98.91%")]
    assert diff_stats(diff_texts("", "新增3人")) == {"inserted": 4, "deleted": 0, "changed": 1}


def test_private_use_characters_in_the_input_survive():
    a, b = "甲\ue000乙12", "甲\ue000丙13"
    assert _sides(diff_texts(a, b)) == (a, b)


def test_html_escapes_everything_and_marks_changes():
    ops = diff_texts("说明<script>alert(1)</script>", "说明<img src=x onerror=alert(2)>&")
    html = str(render_html(ops))
    assert "<script" not in html and "<img" not in html
    assert "script&gt;alert(1)&lt;/script&gt;" in html and "img src=x" in html and "&amp;" in html
    assert html.count("<del>") == 1 and html.count("<ins>") == 1


def test_html_of_a_number_change():
    html = str(render_html(diff_texts("支出3669万元", "支出3720万元")))
    assert html == "支出<del>3669万元</del><ins>3720万元</ins>"


def test_number_spans_cover_mentions_years_and_bare_digits():
    text = "2024年支出1,234.5万元，编号A7"
    spans = [text[s:e] for s, e in number_spans(text)]
    assert spans == ["2024年", "1,234.5万元", "7"]
