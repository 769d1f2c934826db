"""The searcher's index is kept on disk per store revision: a new process answers from it without
reading the collection back, a write makes it obsolete, a damaged file only costs a rebuild."""

from __future__ import annotations

from assistant.retrieval.search import Searcher
from assistant.retrieval.store import CorpusStore, make_client


class CountingStore(CorpusStore):
    """The real store, counting how often every chunk is read back (what the snapshot saves)."""

    reads = 0

    def all_chunks(self):
        type(self).reads += 1
        return super().all_chunks()


def _store(settings, usem3):
    return CountingStore(make_client(settings), usem3, settings.collection, settings.data_dir / "keyword-index")


def _add(store, source, texts):
    vectors = store.embeddings.embed(texts)
    ids = [f"{source}#{i}" for i in range(len(texts))]
    metadatas = [{"source": source, "section_path": "三公经费", "section_kind": "sangong", "department": "甲局",
                  "year": 2023, "position": i, "block_type": "paragraph"} for i in range(len(texts))]
    store.replace_file(source, "h-" + source, ids, texts, metadatas, vectors)


def test_a_new_searcher_answers_from_the_snapshot_and_a_write_replaces_it(settings, usem3):
    store = _store(settings, usem3)
    _add(store, "a.md", ["公务接待费下降主要是严格执行接待标准", "会议费比上年减少"])
    CountingStore.reads = 0
    first = Searcher(store).search("公务接待", k=1, mode="keyword")
    assert CountingStore.reads == 1 and first[0].text.startswith("公务接待费")
    files = sorted(path.suffix for path in store.snapshot_dir.iterdir())
    assert files == [".json", ".npz"]

    again = Searcher(store).search("公务接待", k=1, mode="keyword")  # another process, in effect
    assert CountingStore.reads == 1 and [h.id for h in again] == [h.id for h in first]

    _add(store, "b.md", ["培训费用于业务骨干培训"])
    assert Searcher(store).search("培训", k=1, mode="keyword")[0].source == "b.md"
    assert CountingStore.reads == 2
    assert len(list(store.snapshot_dir.iterdir())) == 2  # the old revision's pair is gone


def test_a_damaged_snapshot_is_rebuilt(settings, usem3):
    store = _store(settings, usem3)
    _add(store, "a.md", ["政府采购严格按计划执行"])
    Searcher(store).index()
    for path in store.snapshot_dir.glob("*.npz"):
        path.write_bytes(b"not an archive")
    CountingStore.reads = 0
    assert Searcher(store).search("政府采购", k=1, mode="keyword")[0].source == "a.md"
    assert CountingStore.reads == 1
