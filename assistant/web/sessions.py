"""Conversation sessions of the web app: one `ReportSession` per (report, data version), kept in memory.

Opening a session builds the ledger, the data findings and the offline drafts (about 0.3 s), so pages
and chat turns reuse it. A new data version gives a new key: the old session of that report is dropped
when the new one is built. A session whose model went down (the drafter stops asking after a persistent
failure) is rebuilt on the next request, so a recovered endpoint is used again.

The corpus searcher (exemplars for the LLM drafter) is opened once, and only when an LLM is configured.
Section checks, and what pages derive from them, are memoised per section version (`Entry.memo`): a
version never changes, and the data version is part of the session's key.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from assistant.drafting.conversation import ReportSession, SectionCheck
from assistant.store import SectionVersion

_APP_LOCK = Lock()
_OPEN_LATER = object()


@dataclass
class Entry:
    session: ReportSession

    memos: dict[tuple[str, int], object] = field(default_factory=dict)

    def check(self, version: SectionVersion) -> SectionCheck:
        return self.memo("check", version, lambda: self.session.check(version.kind, version.text))

    def memo(self, what: str, version: SectionVersion, compute):
        """`compute()` once per section version (what a page derives from a version never changes)."""
        key = (what, version.id)
        found = self.memos.get(key)
        if found is None:
            found = self.memos[key] = compute()
        return found


class SessionCache:
    def __init__(self, store, settings, size: int = 16, searcher=_OPEN_LATER) -> None:
        """`searcher`: the corpus searcher to use (None: none); by default opened on first use."""
        self.store, self.settings, self.size = store, settings, size
        self._items: OrderedDict[tuple[int, int], Entry] = OrderedDict()
        self._lock = Lock()
        self._searcher, self._searcher_ready = (None, False) if searcher is _OPEN_LATER else (searcher, True)

    @property
    def llm_configured(self) -> bool:
        return self.settings.llm_configured

    def searcher(self):
        if not self.llm_configured:
            return None
        if not self._searcher_ready:
            from assistant.pipeline import corpus_searcher

            self._searcher, self._searcher_ready = corpus_searcher(self.settings), True
        return self._searcher

    def entry(self, report_id: int) -> Entry:
        """The session of the report's latest data; InputError when the report has no data."""
        latest = self.store.latest_data(report_id)
        number = latest.number if latest is not None else 0
        key = (report_id, number)
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and not self._went_down(entry):
                self._items.move_to_end(key)
                return entry
        session = ReportSession.open(self.store, report_id, settings=self.settings, searcher=self.searcher())
        entry = Entry(session)
        with self._lock:
            for stale in [k for k in self._items if k[0] == report_id]:
                del self._items[stale]
            self._items[(report_id, session.data_number)] = entry
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return entry

    def session(self, report_id: int) -> ReportSession:
        return self.entry(report_id).session

    def _went_down(self, entry: Entry) -> bool:
        return self.llm_configured and entry.session.writer.down is not None


def sessions_of(request) -> SessionCache:
    """The app's cache (created on first use)."""
    state = request.app.state
    with _APP_LOCK:
        cache = getattr(state, "report_sessions", None)
        if cache is None:
            cache = state.report_sessions = SessionCache(state.store, state.settings)
    return cache
