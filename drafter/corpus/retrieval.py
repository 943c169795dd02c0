"""Exemplar retrieval: a BM25 index (bm25s) over earlier reports' paragraphs, tokenised with
jieba (``drafter.text.segment``), one index per mandated section so a query about 不足 only finds
paragraphs about 不足."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.corpus.split import Passage
from drafter.text.segment import tokenize

@dataclass
class Hit:
    passage: Passage
    score: float


class ExemplarIndex:
    """BM25 over passages, grouped by section key. Build once per run; search per section."""

    def __init__(self, passages: list[Passage]):
        self._groups: dict[str, list[Passage]] = {}
        for p in passages:
            self._groups.setdefault(p.key, []).append(p)
        self._indexes: dict[str, object] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._groups.values())

    def _index(self, key: str):
        if key not in self._indexes:
            import bm25s

            docs = [tokenize(p.text) or ["<empty>"] for p in self._groups[key]]
            retriever = bm25s.BM25()
            retriever.index(docs, show_progress=False)
            self._indexes[key] = retriever
        return self._indexes[key]

    def search(self, key: str, query: str, k: int = 3) -> list[Hit]:
        """Up to ``k`` passages of section ``key`` most similar to ``query`` (score > 0)."""
        group = self._groups.get(key)
        q = tokenize(query)
        if not group or not q:
            return []
        retriever = self._index(key)
        k = min(k, len(group))
        docs, scores = retriever.retrieve([q], k=k, show_progress=False)
        out = [Hit(group[int(i)], float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]
        return out
