"""Exemplar retrieval: a BM25 index (bm25s) over earlier reports' paragraphs, tokenised with
jieba (``drafter.text.segment``), one index per mandated section so a query about 不足 only finds
paragraphs about 不足."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

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
        """Up to ``k`` passages of section ``key`` most similar to ``query`` (score > 0).

        The answer is kept in the user's cache (``retrieval``, :mod:`drafter.cache`), keyed by
        the query, ``k``, the section's passages and the versions of bm25s and rjieba: a
        re-run with the same facts and corpus neither imports bm25s (and numpy, ~0.25 s) nor
        segments the corpus. One entry per section key and corpus."""
        group = self._groups.get(key)
        if not group:
            return []
        return [Hit(group[i], score) for i, score in self._search_cached(key, query, k)]

    def _search_cached(self, key: str, query: str, k: int) -> list[tuple[int, float]]:
        import hashlib
        import json

        from drafter.cache import cached, user_data_dirs

        texts = [p.text for p in self._groups[key]]
        corpus = hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        source = json.dumps({"query": query, "k": k, "passages": corpus.hexdigest(),
                             "versions": _versions()}, ensure_ascii=False)
        found = cached(f"search-{key}-{corpus.hexdigest()[:16]}", source.encode("utf-8", "surrogatepass"),
                       lambda: self._search(key, query, k), dirs=user_data_dirs("retrieval"))
        return [(int(i), float(s)) for i, s in found]

    def _search(self, key: str, query: str, k: int) -> list[tuple[int, float]]:
        group = self._groups[key]
        q = tokenize(query)
        if not q:
            return []
        retriever = self._index(key)
        k = min(k, len(group))
        docs, scores = retriever.retrieve([q], k=k, show_progress=False)
        return [(int(i), float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]


@cache
def _versions() -> tuple[str, ...]:
    """The versions of what ranks the passages (the BM25 library, the segmenter)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("bm25s", "rjieba"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return tuple(out)
