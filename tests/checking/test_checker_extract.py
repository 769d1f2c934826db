"""Extraction: every numeric mention with its span, value, unit and modifiers; non-claims with a reason."""

from decimal import Decimal

import pytest

from assistant.checking import extract
from assistant.checking.lexicon import PROTECTED_TERMS_ENV, direction_words


def claims(text):
    mentions, _ = extract(text)
    return mentions


def only(text):
    found = claims(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def ignored(text):
    _, items = extract(text)
    return {(item.text, item.reason) for item in items}


def test_span_covers_the_number_with_its_unit_in_code_points():
    text = "2024年公用经费支出172.40万元，比上年减少121.65万元。"
    mention = claims(text)[0]
    assert (mention.start, mention.end) == (text.index("172.40"), text.index("万元") + 2)
    assert mention.text == "172.40万元" and text[mention.start:mention.end] == mention.text
    assert mention.value == Decimal("172.40") and mention.ulp == Decimal("0.01") and mention.unit.name == "万元"


@pytest.mark.parametrize("text, value, unit", [
    ("共计１２３４５元", "12345", "元"),             # full-width digits
    ("累计1,234,567.89元", "1234567.89", "元"),     # thousands separators
    ("比上年-2538元", "-2538", "元"),               # a written sign
    ("调解率62％", "62", "%"),                      # full-width percent
    ("达到百分之九十五", "95", "%"),                 # 百分之 + Chinese numeral
    ("百分之5的家庭", "5", "%"),
    ("提高2.5个百分点", "2.5", "个百分点"),          # percentage points are not %
    ("受益人口2.35万人", "2.35", "万人"),            # multiplier + unit
    ("持卡人数为3.606万人", "3.606", "万人"),
    ("提供就业岗位1万个", "1", "万个"),
    ("新增恢复库容86.5万立方米", "86.5", "万立方米"),  # a multiplier before any unit of the table
    ("完成培训三千五百人次", "3500", "人次"),         # Chinese numerals with units
    ("下属机构十三个", "13", "个"),
    ("投入两万元", "20000", "元"),
    ("面积三点五平方米", "3.5", "㎡"),               # 点 decimals and a unit alias
    ("批复规模1200.00m²", "1200.00", "㎡"),
])
def test_numbers_are_read_in_every_written_form(text, value, unit):
    mention = only(text)
    assert mention.value == Decimal(value)
    assert mention.unit.name == unit


def test_a_multiplier_without_unit_scales_a_bare_number():
    mention = only("惠及群众1.2万")
    assert mention.unit is None and mention.multiplier == 10000 and mention.value * mention.multiplier == 12000


@pytest.mark.parametrize("text, word, kind", [
    ("累计发放宣传单40000余份", "余", "some_more"),
    ("参会100多人", "多", "some_more"),
    ("支出约4817.1万元", "约", "about"),
    ("认证人数超1万人", "超", "at_least"),
    ("参保人数超过5万人", "超过", "at_least"),
    ("近3000人参加", "近", "nearly"),
    ("不足50人", "不足", "at_most"),
    ("覆盖1万人以上", "以上", "threshold"),
    ("控制在5%以内", "以内", "threshold"),
    ("不少于260个", "不少于", "threshold"),
    ("1万余人", "余", "some_more"),
])
def test_approximation_words_are_kept_with_the_number(text, word, kind):
    mention = only(text)
    assert mention.approx == word and mention.approx_kind == kind
    assert word in mention.text


@pytest.mark.parametrize("text, low, high, unit", [
    ("每户3-5个", "3", "5", "个"),
    ("每年3至5个", "3", "5", "个"),
    ("增长3%-5%", "3", "5", "%"),
])
def test_ranges_are_one_mention_with_both_ends(text, low, high, unit):
    mention = only(text)
    assert (mention.value, mention.upper, mention.unit.name) == (Decimal(low), Decimal(high), unit)


@pytest.mark.parametrize("text, comparator", [("参训率≧90%", ">="), ("参训率≥90%", ">="), ("投诉率≤5%", "<="),
                                              ("满意度＞85%", ">"), ("事故=0起", "=")])
def test_comparison_signs_are_kept(text, comparator):
    mention = only(text)
    assert mention.comparator == comparator and mention.text[0] in "≧≥≤＞="


def test_a_direction_word_signs_the_number_it_stands_before():
    found = claims("比上年减少2538元，下降13.17%；低于年初预算2.60万元；本年比上年增加2.98万元")
    assert [(m.text, m.sign, m.direction_word) for m in found] == [
        ("2538元", -1, "减少"), ("13.17%", -1, "下降"), ("2.60万元", -1, "低于"), ("2.98万元", 1, "增加")]


def test_a_level_verb_names_a_new_level_not_a_change():
    _, second = claims("足额发放率由92.4%提升至99%")
    assert second.sign is None and second.level


def test_a_comparative_without_reference_is_a_comparison_sign():
    assert only("投诉率低于5%").comparator == "<"


@pytest.mark.parametrize("text, reason", [
    ("2024年，我局", "年份"),
    ("2024年度部门整体支出", "年份"),
    ("12月份认证人数超1万人", "日期"),
    ("填报日期：2025年4月24日", "日期"),
    ("2025-04-24", "日期"),
    ("（财预〔2020〕10号）", "文号"),
    ("联系电话：8882400", "电话号码"),
    ("电话0737-0000000", "电话号码"),
    ("一是以“温暖服务”化解", "列表序号"),
    ("（一）部门基本情况", "列表序号"),
    ("（1)“三公”经费", "列表序号"),
    ("1、贯彻执行有关政策", "列表序号"),
    ("13.有关职责分工", "列表序号"),
    ("①实行“先申报，后开支”", "列表序号"),
    ("1.1 政府采购金额与年初预算对比", "列表序号"),
    ("现状如下：\n2.3.1　项目支出情况", "列表序号"),
    ("在全市排名第一", "序数"),
    ("附件1", "附件、表格编号"),
])
def test_non_claims_are_ignored_with_their_reason(text, reason):
    found = ignored(text)
    assert any(r == reason for _, r in found), found


@pytest.mark.parametrize("term", ["三公经费", "“411”监管机制", "“311”就业服务", "十大民生实事", "三年行动", "两金三制",
                                  "两网化", "第一季度", "八项规定"])
def test_numbered_names_of_policies_are_protected_terms(term):
    text = f"严格执行{term}的要求"
    mentions, items = extract(text)
    assert not mentions
    assert any(item.text.strip("“”") in term or term in item.text for item in items), items
    assert all(item.reason.startswith(("固定名称", "名称中的编号", "序数")) for item in items)


def test_a_figure_at_the_start_of_a_line_is_not_a_heading_number():
    mentions, _ = extract("1.1万元用于设备购置。\n2.5%的增幅")
    assert [m.text for m in mentions] == ["1.1万元", "2.5%"]


def test_quotes_are_optional_in_protected_terms():
    _, items = extract('严格执行"411"监管机制')
    assert items and items[0].reason.startswith("固定名称")


def test_users_extend_the_protected_terms_with_their_own_file(tmp_path, monkeypatch):
    assert claims("开展“五个一”活动三项")  # 三项 is a count before the user's term exists
    user_file = tmp_path / "terms.txt"
    user_file.write_text("# 本单位的固定说法\n活动三项\n", encoding="utf-8")
    monkeypatch.setenv(PROTECTED_TERMS_ENV, str(user_file))
    mentions, items = extract("开展“五个一”活动三项")
    assert not mentions and any(item.reason == "固定名称：活动三项" for item in items)


def test_chinese_numerals_without_a_unit_are_words_not_numbers():
    assert claims("一般公共预算统一进一步推进，社保服务进万家，千方百计，十分重要") == []


def test_a_lone_zero_is_a_word():
    assert claims("实现全年基金要情零记录") == []


def test_yaml_front_matter_is_metadata_not_text():
    text = "---\nyear: 2024\nsource: 单位报送\n---\n支出99万元"
    mentions, items = extract(text)
    assert [m.text for m in mentions] == ["99万元"] and not items


def test_direction_words_are_exposed_with_their_polarity():
    table = direction_words()
    assert table["增加"] == 1 and table["减少"] == -1 and table["低于"] == -1 and table["持平"] == 0
