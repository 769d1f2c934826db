"""Departments, users and reports: ensure-style creation, look-ups, ordering, Chinese errors."""

from __future__ import annotations

import dataclasses
from datetime import timezone

import pytest

from assistant.store import STATUS_LABELS, Department, Duplicate, InvalidValue, NotFound, Report, User


def test_ensure_department_returns_the_same_department_twice(store):
    first = store.ensure_department("桃江县财政局", "桃江县")
    again = store.ensure_department("桃江县财政局", "桃江县")
    assert isinstance(first, Department) and first == again
    assert store.get_department(first.id) == first


def test_departments_are_listed_by_county_then_name(store):
    store.ensure_department("安化县教育局", "安化县")
    store.ensure_department("桃江县财政局", "桃江县")
    store.ensure_department("安化县财政局", "安化县")
    assert [d.name for d in store.list_departments()] == sorted(
        ["安化县教育局", "安化县财政局", "桃江县财政局"], key=lambda name: (name[:3], name))


def test_unknown_department_is_not_found_in_chinese(store):
    with pytest.raises(NotFound, match="未找到部门"):
        store.get_department(999)


def test_create_and_find_user(store, department):
    user = store.create_user("wangwu", "hash-1", "staff", department.id)
    assert isinstance(user, User)
    assert (user.username, user.role, user.department_id) == ("wangwu", "staff", department.id)
    assert user.created_at.tzinfo is not None and user.created_at.utcoffset().total_seconds() == 0
    assert store.get_user(user.id) == user
    assert store.find_user("wangwu") == user
    assert store.find_user("nobody") is None


def test_a_user_name_is_taken_only_once(store):
    store.create_user("zhaoliu", "h", "reviewer")
    with pytest.raises(Duplicate, match="已被使用"):
        store.create_user("zhaoliu", "h", "reviewer")


def test_user_role_must_be_staff_or_reviewer(store):
    with pytest.raises(InvalidValue, match="用户角色"):
        store.create_user("admin", "h", "admin")


def test_user_of_an_unknown_department_is_refused(store):
    with pytest.raises(NotFound):
        store.create_user("ghost", "h", "staff", 12345)


def test_set_password_replaces_the_hash(store, staff):
    changed = store.set_password(staff.id, "hash-2")
    assert changed.password_hash == "hash-2" and store.get_user(staff.id).password_hash == "hash-2"
    with pytest.raises(NotFound, match="未找到用户"):
        store.set_password(999, "x")


def test_ensure_report_creates_one_draft_per_department_and_year(store, department):
    report = store.ensure_report(department.id, 2024)
    assert isinstance(report, Report)
    assert (report.status, report.status_label) == ("draft", "草稿")
    assert store.ensure_report(department.id, 2024) == report
    assert store.find_report(department.id, 2024) == report
    assert store.find_report(department.id, 2023) is None
    assert store.get_report(report.id) == report


def test_unknown_report_is_not_found_in_chinese(store):
    with pytest.raises(NotFound, match="未找到报告（编号 42）"):
        store.get_report(42)


def test_reports_are_listed_newest_year_first_then_department(store):
    a = store.ensure_department("安化县财政局", "安化县")
    b = store.ensure_department("桃江县财政局", "桃江县")
    made = [store.ensure_report(b.id, 2023), store.ensure_report(a.id, 2024), store.ensure_report(b.id, 2024)]
    listed = store.list_reports()
    assert [(r.year, r.department_id) for r in listed] == [(2024, a.id), (2024, b.id), (2023, b.id)]
    assert {r.id for r in listed} == {r.id for r in made}
    assert [r.year for r in store.list_reports(b.id)] == [2024, 2023]


def test_records_are_frozen(store, report):
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.status = "approved"


def test_timestamps_are_utc(store, report):
    assert report.created_at.tzinfo == timezone.utc
    assert store.get_report(report.id).updated_at.tzinfo == timezone.utc


def test_status_labels_are_the_chinese_words_of_the_workflow():
    assert STATUS_LABELS == {"draft": "草稿", "submitted": "待审", "returned": "退回", "approved": "通过"}
