"""Arithmetic inside the text: 其中 sums, stated differences and percentages, direction words, ratios."""

from decimal import Decimal

from assistant.checking import check_text
from assistant.figures.ledger import Ledger

EMPTY = Ledger()  # no table: only the text's own arithmetic can speak


def relations(text, ledger=EMPTY, check=None):
    return [f for f in check_text(text, ledger) if f.check != "number" and (check is None or f.check == check)]


def number(text, piece, ledger=EMPTY):
    return next(f for f in check_text(text, ledger) if f.check == "number" and f.text == piece)


def test_a_total_equal_to_its_parts_after_其中_is_verified_with_a_span_over_the_relation():
    text = "养老保险方面，参保人数597464人，其中：机保26479人；城乡居保460272人；企保110713人。"
    (finding,) = relations(text, check="sum")
    assert finding.status == "verified"
    assert text[finding.start:finding.end] == "597464人，其中：机保26479人；城乡居保460272人；企保110713人"
    assert finding.value == Decimal(597464) and finding.expected == "597464人"
    assert finding.related == ((text.index("597464"), text.index("597464") + 7), (text.index("26479"), text.index("26479") + 6),
                               (text.index("460272"), text.index("460272") + 7), (text.index("110713"), text.index("110713") + 7))


def test_a_broken_其中_sum_is_a_mismatch_with_the_computed_total():
    text = "参保人数597464人，其中：机保26479人；城乡居保460272人；企保110718人。"
    (finding,) = relations(text, check="sum")
    assert finding.status == "mismatch" and finding.expected == "597469人"
    assert "不符" in finding.message


def test_parts_exceeding_their_total_are_a_mismatch():
    (finding,) = relations("共有干职工104人，其中在职人员74人，退休人员40人。", check="sum")
    assert finding.status == "mismatch" and finding.expected == "114人"


def test_an_incomplete_其中_list_is_not_an_error():
    text = "2024年公用经费支出172.40万元；其中，办公经费90.30万元，水费、电费、差旅费48.12万元，会议费、培训费3.21万元。"
    assert relations(text, check="sum") == []


def test_the_parts_stop_where_they_add_up():
    text = "建成高标准农田30500亩，其中新建21800亩、改造提升8700亩；新增和改善灌溉面积2.46万亩。"
    (finding,) = relations(text, check="sum")
    assert finding.status == "verified" and finding.formula == "21800亩 + 8700亩"


def test_a_stated_difference_and_percentage_agree_with_the_two_values_they_relate():
    text = "2024年会议费支出16730元，2023年会议费支出19268元，比上年减少2538元，下降13.17%。"
    difference, percent = relations(text)
    assert (difference.check, difference.status, difference.expected) == ("difference", "verified", "-2538元")
    assert difference.formula == "16730元 − 19268元"
    assert (percent.check, percent.status, percent.expected) == ("percent", "verified", "-13.17%")


def test_a_wrong_difference_is_a_mismatch():
    text = "2024年会议费支出16730元，2023年会议费支出19268元，比上年减少2583元，下降13.17%。"
    difference, percent = relations(text)
    assert difference.status == "mismatch" and difference.expected == "-2538元"
    assert percent.status == "verified"


def test_a_wrong_percentage_is_a_mismatch():
    text = "上年政府采购金额32.17万元，本年35.15万元，比上年增加2.98万元，增长8.26%。"
    percent = relations(text, check="percent")[0]
    assert percent.status == "mismatch" and percent.expected == "9.26%"


def test_a_difference_against_the_budget_uses_the_budget_of_the_sentence():
    text = "我局“三公”经费年初预算160000元，全年实际支出60158元，低于年初预算99842元。"
    (finding,) = relations(text, check="difference")
    assert finding.status == "verified" and finding.formula == "60158元 − 160000元"


def test_a_wrong_direction_word_between_two_values_is_a_mismatch():
    (finding,) = relations("足额发放率由92.4%下降至99%。", check="direction")
    assert finding.status == "mismatch" and finding.expected == "增加"
    assert "下降至" in finding.message and finding.text == "92.4%下降至99%"
    (finding,) = relations("足额发放率由92.4%提升至99%。", check="direction")
    assert finding.status == "verified"


def test_percentage_points_after_a_change_of_rate_are_its_difference():
    text = "足额发放率由92.4%提升至99%，提高6.6个百分点。"
    points = [f for f in relations(text) if f.check == "difference"]
    assert points[0].status == "verified" and points[0].expected == "6.6个百分点"
    wrong = [f for f in relations("足额发放率由92.4%提升至99%，提高7.6个百分点。") if f.check == "difference"]
    assert wrong[0].status == "mismatch"


def test_a_rate_equal_to_a_ratio_of_the_counts_before_it_is_verified():
    text = "立案后调解118件，裁决71件，调解率62.4%。"
    (finding,) = relations(text, check="ratio")
    assert finding.status == "verified" and finding.formula == "118件 ÷ (118件 + 71件) × 100%"


def test_a_relation_of_verified_numbers_verifies_a_number_the_ledger_lacks(example_ledger):
    text = "将城乡居民养老保险待遇足额发放率由92.4%提升至99%，提高6.6个百分点。"
    points = number(text, "6.6个百分点", example_ledger)
    assert points.status == "verified" and points.formula == "99% − 92.4%"


def test_relations_of_a_clean_draft_all_hold(example_ledger):
    text = ("2024年，我局“三公”经费年初预算160000元，全年实际支出60158元，低于年初预算99842元；"
            "上年支出99898元，本年比上年减少39740元，下降39.78%。")
    found = relations(text, example_ledger)
    assert {f.check for f in found} == {"difference", "percent"}
    assert all(f.status == "verified" for f in found)
