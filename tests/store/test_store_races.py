"""Two people saving at the same moment: exactly one wins, the other gets a VersionConflict (no lost update)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from assistant.store import Store, VersionConflict


def _race(store, monkeypatch, save, writers: int = 2):
    """Run `save` in `writers` threads that have all read the latest number before any of them inserts,
    so the database's unique constraint (not the check in Python) has to settle it."""
    barrier = threading.Barrier(writers, timeout=30)
    read_latest = Store._latest_number
    waited = threading.local()

    def latest_then_wait(self, session, row_type, scope):
        number = read_latest(self, session, row_type, scope)
        if not getattr(waited, "done", False):  # only the first read; the conflict's re-read goes on
            waited.done = True
            barrier.wait()
        return number

    monkeypatch.setattr(Store, "_latest_number", latest_then_wait)

    def attempt(index):
        try:
            return save(index)
        except VersionConflict as conflict:
            return conflict

    with ThreadPoolExecutor(writers) as pool:
        results = list(pool.map(attempt, range(writers)))
    monkeypatch.setattr(Store, "_latest_number", read_latest)
    return results


def test_two_simultaneous_section_saves_one_wins(store, report, monkeypatch):
    store.add_section_version(report.id, "overview", "v1", source="generate", drafter="template")
    results = _race(store, monkeypatch, lambda i: store.add_section_version(
        report.id, "overview", f"writer {i}", source="edit", drafter="human", expected_number=1))
    saved = [r for r in results if not isinstance(r, VersionConflict)]
    conflicts = [r for r in results if isinstance(r, VersionConflict)]
    assert len(saved) == 1 and len(conflicts) == 1
    assert conflicts[0].current == 2 and "第2版" in conflicts[0].message
    history = store.section_history(report.id, "overview")
    assert [v.number for v in history] == [1, 2] and history[-1].text == saved[0].text


def test_two_simultaneous_data_saves_one_wins(store, report, monkeypatch):
    results = _race(store, monkeypatch, lambda i: store.save_data(report.id, f"d{i}", "yaml", expected_number=0))
    assert sorted(type(r).__name__ for r in results) == ["DataVersion", "VersionConflict"]
    assert len(store.data_history(report.id)) == 1


def test_simultaneous_saves_without_a_check_all_land_with_distinct_numbers(store, report, monkeypatch):
    results = _race(store, monkeypatch, lambda i: store.add_section_version(
        report.id, "overview", f"writer {i}", source="generate", drafter="template"), writers=3)
    assert sorted(r.number for r in results) == [1, 2, 3]


def test_many_threads_share_one_store(store, report):
    def save(index):
        return store.add_message(report.id, "overview", "user", f"消息{index}").id

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(save, range(40)))
    assert len(set(ids)) == 40 and len(store.messages(report.id, "overview")) == 40
