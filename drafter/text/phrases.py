"""Many fixed phrases found in a text in one pass (Aho–Corasick, ``ahocorasick-rs``).

A lexicon of a thousand entries (the confusion list: 间题, 部暑, 认真的组织 …) searched entry by
entry costs a thousand scans of the report; the automaton finds every occurrence of every
entry in one scan, overlapping occurrences included, in the time of a few scans.
"""

from __future__ import annotations

from typing import Iterable


class PhraseIndex:
    """Every occurrence of any of ``phrases`` in a text.

    ``phrases`` keep their order (an occurrence names its phrase by index); empty strings are
    never found; repeated phrases are each reported.
    """

    def __init__(self, phrases: Iterable[str]):
        self.phrases: tuple[str, ...] = tuple(phrases)
        self._keys = [i for i, p in enumerate(self.phrases) if p]
        self._ac = None
        if self._keys:
            import ahocorasick_rs

            self._ac = ahocorasick_rs.AhoCorasick([self.phrases[i] for i in self._keys])

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(phrase index, start, end) of every occurrence in ``text``, overlaps included, in
        no particular order: the automaton's own tuples, for set operations."""
        if self._ac is None or not text:
            return []
        found = self._ac.find_matches_as_indexes(text, overlapping=True)
        if len(self._keys) == len(self.phrases):  # no empty phrase: indexes are the same
            return found
        keys = self._keys
        return [(keys[k], s, e) for k, s, e in found]

    def find_all(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, phrase index) of every occurrence in ``text``, overlaps included,
        ordered by start, then longer first, then phrase order."""
        # Sorted as plain tuples (start, -end, index): the order of (start, longer first,
        # phrase order) without a key function per occurrence.
        found = sorted((s, -e, k) for k, s, e in self.matches(text))
        return [(s, -e, k) for s, e, k in found]
