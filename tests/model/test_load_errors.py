"""Bad input gets one Chinese line that names the line, field or cell — never a traceback."""

import json

import pytest
import yaml

from assistant.model.errors import InputError
from assistant.model.load import load
from tests.conftest import EXAMPLE


def example_dict():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def message(path):
    with pytest.raises(InputError) as caught:
        load(path)
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_missing_file_is_named(tmp_path):
    assert "找不到数据文件" in message(tmp_path / "无此文件.yaml")


def test_malformed_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "坏.yaml", "identity:\n  county: 桃江县\n  name: [未闭合\nbasic_data: {}\n")
    text = message(path)
    assert "YAML 格式错误" in text and "第4行" in text


def test_malformed_json_names_line_and_column(tmp_path):
    path = write(tmp_path, "坏.json", '{\n  "identity": {\n    "county": "桃江县",\n  }\n}')
    assert "JSON 格式错误，位于第4行" in message(path)


def test_missing_required_field_names_its_chinese_path(tmp_path):
    data = example_dict()
    del data["identity"]["name"]
    text = message(write(tmp_path, "d.yaml", yaml.safe_dump(data, allow_unicode=True)))
    assert "单位信息 › 单位全称：缺少必填项" in text


def test_text_in_a_number_field_names_the_cell_and_the_value(tmp_path):
    data = example_dict()
    data["basic_data"]["sangong"]["total"]["budget"] = "十六万"
    text = message(write(tmp_path, "d.yaml", yaml.safe_dump(data, allow_unicode=True)))
    assert "附件1 基础数据表 › 三公经费 › 三公经费合计 › 本年预算数：应为数字（填写的是“十六万”）" in text


def test_negative_amount_is_refused(tmp_path):
    data = example_dict()
    data["narrative"]["projects"][1]["spending"] = -60
    text = message(write(tmp_path, "d.yaml", yaml.safe_dump(data, allow_unicode=True)))
    assert "自评报告 › 项目支出情况 › 第2项 › 支出数（万元）：不能为负数" in text


def test_misspelt_field_is_not_silently_dropped(tmp_path):
    data = example_dict()
    data["basic_data"]["procurment"] = {"final": 1}
    text = message(write(tmp_path, "d.yaml", yaml.safe_dump(data, allow_unicode=True)))
    assert "procurment：不是可识别的字段" in text


def test_wrong_literal_lists_the_allowed_values(tmp_path):
    data = example_dict()
    data["self_assessment"]["indicators"][0]["level1"] = "产出"
    text = message(write(tmp_path, "d.yaml", yaml.safe_dump(data, allow_unicode=True)))
    assert "绩效指标 › 第1项 › 一级指标" in text and "产出指标" in text


def test_non_utf8_file_is_explained(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("identity:\n  county: 桃江县\n".encode("gbk"))
    assert "不是 UTF-8 编码" in message(path)


def test_unsupported_suffix(tmp_path):
    assert "不支持的数据文件类型" in message(write(tmp_path, "d.txt", "x"))


def test_json_numbers_become_decimals_without_float(tmp_path):
    data = example_dict()
    data["identity"]["filled_on"] = "2025-04-24"
    text = json.dumps(data, ensure_ascii=False, default=str).replace('"final": 172.4', '"final": 172.40')
    loaded = load(write(tmp_path, "d.json", text))
    assert str(loaded.basic_data.public_funds.total.final) == "172.40"
