"""Hybrid search, filters, the exemplar API for drafters, and the real corpus once."""

from __future__ import annotations

import pytest
from retrieval_helpers import CORPUS

from assistant.retrieval import search as search_module
from assistant.retrieval.ingest import ingest
from assistant.retrieval.keyword import KeywordIndex, bigrams, expand_query
from assistant.retrieval.search import Filters, Searcher, exemplars
from assistant.retrieval.store import CorpusStore
from assistant.settings import Settings


@pytest.fixture
def searcher(store, small_corpus):
    ingest(small_corpus, store)
    return Searcher(store)


def test_bigrams_skip_digits_and_punctuation():
    assert bigrams("2024年“三公”经费") == ["三公", "经费"]
    assert bigrams("三公经费") == ["三公", "公经", "经费"]
    assert bigrams("预算执行率98.18%") == ["预算", "算执", "执行", "行率"]


def test_short_forms_are_searched_with_their_full_form(searcher):
    assert expand_query("公车费用") == "公车费用 公务用车"
    hit = searcher.search("公车", k=1, mode="keyword")[0]
    assert "公务用车" in hit.text


def test_bm25_prefers_the_document_with_the_rarer_term():
    index = KeywordIndex(["公务接待费比上年减少", "会议费比上年减少", "培训费比上年增加"])
    ranked = index.top("公务接待比上年", 3)
    assert ranked[0][0] == 0 and len(ranked) == 3
    assert index.top("完全无关的词语", 3) == []


def test_hybrid_search_finds_the_paragraph_and_says_where_it_is(searcher):
    hit = searcher.search("三公经费为什么比上年少", k=3)[0]
    assert hit.section_kind == "三公经费"
    assert hit.vector_rank is not None and hit.keyword_rank is not None
    citation = hit.citation()
    assert hit.department in citation and f"{hit.year}年" in citation and hit.source in citation


def test_a_paraphrase_is_found_by_the_vectors(searcher):
    # "招待来客的开支" shares no bigram with "公务接待"; the encoder still relates them.
    hit = searcher.search("招待来客的开支少了", k=1, mode="vector")[0]
    assert hit.section_kind == "三公经费" and "公务接待" in hit.text
    assert hit.keyword_rank is None


def test_filters_on_section_department_and_year(searcher):
    hits = searcher.search("经费支出比上年减少", k=10, filters=Filters(section_kind="会议费培训费"))
    assert hits and {h.section_kind for h in hits} == {"会议费培训费"}
    hits = searcher.search("经费支出比上年减少", k=10, filters=Filters(department="教育局"))
    assert hits and {h.department for h in hits} == {"河口县教育局"}
    hits = searcher.search("经费支出比上年减少", k=10, filters=Filters(department="教育局", year=2024))
    assert hits and {(h.department, h.year) for h in hits} == {("河口县教育局", 2024)}
    assert searcher.search("经费", k=5, filters=Filters(department="不存在的局")) == []


def test_the_report_being_drafted_is_excluded(searcher):
    hits = searcher.search("三公经费", k=20, filters=Filters(exclude=("河口县教育局", 2024)))
    assert hits and ("河口县教育局", 2024) not in {(h.department, h.year) for h in hits}
    assert ("河口县教育局", 2023) in {(h.department, h.year) for h in hits}  # the same department's last year stays


def test_exemplars_come_from_other_departments_or_years_and_flag_their_numbers(searcher):
    found = exemplars("三公经费", "三公经费支出比上年减少的原因", "河口县教育局", 2024, k=3, searcher=searcher)
    assert 1 <= len(found) <= 3
    for exemplar in found:
        assert (exemplar.department, exemplar.year) != ("河口县教育局", 2024)
        assert exemplar.section_kind == "三公经费" and exemplar.numbers_not_this_year is True
        assert exemplar.citation.startswith(f"{exemplar.department} {exemplar.year}年")
    best = found[0]
    assert "3.86万元" in best.text and {"3.86万元", "4.20万元", "8.10%"} <= set(best.numbers)
    assert all("|" not in e.text for e in found)  # paragraphs, not tables


def test_a_store_change_refreshes_the_keyword_index(store, small_corpus):
    ingest(small_corpus, store)
    searcher = Searcher(store)
    assert not searcher.search("防汛抗旱物资储备", k=3, mode="keyword")
    (small_corpus / "hekou-slj-2023.md").write_text(
        "---\ndepartment: 河口县水利局\nyear: 2023\n---\n一、项目支出情况\n"
        "防汛抗旱物资储备项目支出86.50万元，采购冲锋舟2艘、救生衣400件。\n", encoding="utf-8")
    ingest(small_corpus, store)
    assert searcher.search("防汛抗旱物资储备", k=3, mode="keyword")[0].department == "河口县水利局"


@pytest.fixture(scope="module")
def corpus_searcher(tmp_path_factory, usem3):
    store = CorpusStore.open(Settings(data_dir=tmp_path_factory.mktemp("corpus-index")), usem3)
    report = ingest(CORPUS, store)
    assert report.skipped == [] and report.files >= 15
    return Searcher(store)


def test_the_real_corpus_answers_sensibly(corpus_searcher):
    index = corpus_searcher.index()
    assert len({m["department"] for m in index.metadatas}) >= 6
    assert {m["year"] for m in index.metadatas} >= {2022, 2023, 2024}
    assert corpus_searcher.search("三公经费比上年减少的原因", k=1)[0].section_kind == "三公经费"
    assert corpus_searcher.search("存在的主要问题", k=1)[0].section_kind == "存在问题"
    found = exemplars("下一步工作计划", "下一步就业工作打算", "桃江县人力资源和社会保障局", 2024, k=5,
                      searcher=corpus_searcher)
    assert len(found) == 5 and all(e.source != "taojiang-rsj-2024.txt" for e in found)
    assert {e.section_kind for e in found} == {"下一步工作计划"}


@pytest.mark.parametrize("filters", [
    Filters(section_kind="存在问题"), Filters(department="教育局", year=2023),
    Filters(exclude=("河口县教育局", 2024), block_type="paragraph"),
])
def test_chromadb_where_and_the_in_memory_filter_agree(searcher, monkeypatch, filters):
    oversampled = searcher.search("资金拨付和项目进度", k=5, filters=filters, mode="vector")
    monkeypatch.setattr(search_module, "MAX_OVERSAMPLE", 0)  # every filter goes to chromadb's where
    where = searcher.search("资金拨付和项目进度", k=5, filters=filters, mode="vector")
    assert oversampled and [h.id for h in where] == [h.id for h in oversampled]
