"""The corpus: a unit's earlier reports and facts, ``corpus/<unit-slug>/<year>/``.

``store.py`` finds and loads the years, ``split.py`` cuts an earlier report into its mandated
sections and last year's planned items, ``retrieval.py`` finds exemplar paragraphs per section
with a jieba-tokenised BM25 index (bm25s).
"""

from drafter.corpus.store import Corpus, YearEntry, find_corpus_root

__all__ = ["Corpus", "YearEntry", "find_corpus_root"]
