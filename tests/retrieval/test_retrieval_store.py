"""The embedding interface (chromadb + langchain) and the store, embedded and on a real Chroma server."""

from __future__ import annotations

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.retrieval.embeddings import Usem3Embeddings, mask_digits
from assistant.retrieval.ingest import ingest
from assistant.retrieval.store import CorpusStore, make_client


def test_one_object_is_a_langchain_embeddings_and_a_chromadb_function(usem3):
    assert isinstance(usem3, Embeddings)
    query = usem3.embed_query("三公经费支出情况")
    documents = usem3.embed_documents(["三公经费支出情况", "会议费和培训费"])
    assert len(query) == 512 and len(documents) == 2 and isinstance(query[0], float)
    assert np.allclose(query, documents[0], atol=1e-6)
    chroma = usem3(["三公经费支出情况"])  # chromadb calls the function on a list of documents
    assert np.allclose(chroma[0], query, atol=1e-6)
    chroma_query = usem3.embed_query(input=["三公经费支出情况"])  # and embed_query(input=...) for queries
    assert np.allclose(chroma_query[0], query, atol=1e-6)
    assert abs(np.linalg.norm(query) - 1) < 1e-5


def test_digits_are_masked_before_embedding(usem3):
    assert mask_digits("2024年会议费16730元，下降9.70%") == "#年会议费#元，下降#%"
    a, b = usem3.embed_documents(["2023年会议费18900元，下降9.70%。", "2024年会议费41300元，下降1.2%。"])
    assert np.allclose(a, b, atol=1e-6)  # paragraphs that differ only in their numbers embed alike


def test_the_embedding_function_config_round_trips(usem3):
    rebuilt = Usem3Embeddings.build_from_config(usem3.get_config())
    assert rebuilt.get_config() == {"threads": 1, "mask": True} and Usem3Embeddings.name() == "jixiao-usem3"


def test_a_reopened_collection_rebuilds_our_embedding_function(settings, usem3, small_corpus):
    store = CorpusStore.open(settings, usem3)
    ingest(small_corpus, store)
    # A new client, as another process would open it, without passing an embedding function: chromadb
    # builds ours from the persisted configuration (it is registered), and query_texts use it.
    collection = make_client(settings).get_collection(store.name)
    rebuilt = collection.configuration["embedding_function"]
    assert isinstance(rebuilt, Usem3Embeddings) and rebuilt.get_config() == usem3.get_config()
    result = collection.query(query_texts=["资助对象按月比对"], n_results=1)
    assert result["metadatas"][0][0]["section_kind"] == "下一步工作计划"
    assert result["ids"][0][0].startswith("hekou-jyj-2023.md#")


def test_chunk_metadata_is_stored_flat(store, small_corpus):
    ingest(small_corpus, store)
    ids, texts, metadatas = store.all_chunks()
    record = next(m for m, t in zip(metadatas, texts) if t.startswith("（2）会议费支出情况"))
    assert record["section_kind"] == "会议费培训费"
    assert record["section_path"] == ("二、部门整体支出管理及使用成效分析 › （一）基本支出情况 › "
                                      "1、“三公”经费的使用和管理情况 › （2）会议费支出情况")
    assert (record["department"], record["year"], record["place"]) == ("松林县人力资源和社会保障局", 2024, "示例省松林县")
    assert record["source"] == "songlin-rsj-2024.txt" and record["locator_unit"] == "行"
    assert len(record["file_hash"]) == 64
    files = store.file_records()
    assert files["songlin-rsj-2024.txt"].hash == record["file_hash"]
    assert sum(f.chunks for f in files.values()) == len(ids)


def test_store_revision_changes_on_every_write(store, small_corpus):
    empty = store.revision()
    ingest(small_corpus, store)
    after = store.revision()
    assert after != empty
    ingest(small_corpus, store)  # nothing changed: no write
    assert store.revision() == after
