"""Exemplar retrieval: a BM25 index (bm25s) over earlier reports' paragraphs, tokenised with
jieba (``drafter.text.segment``), one index per mandated section so a query about 不足 only finds
paragraphs about 不足."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.corpus.split import Passage

# Words that occur in nearly every paragraph of these reports; they carry no topic.
STOPWORDS = frozenset("""
的 了 和 与 及 等 对 在 是 为 将 把 以 于 并 由 从 向 中 上 下 其 该 各 有 无 不 也 又 都 还 更
我局 我们 进一步 加强 推进 推动 持续 不断 深入 全面 扎实 认真 积极 切实 着力 坚持 继续 强化 提升 完善 健全
工作 有关 相关 情况 方面 开展 落实 做好 抓好 一是 二是 三是 四是 五是 年度 全年 一年来
""".split())
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def tokenize(text: str) -> list[str]:
    """Content words of ``text``: jieba words without punctuation and stopwords."""
    from drafter.text.segment import cut

    return [w for w in cut(text) if _WORD.search(w) and w not in STOPWORDS]


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
