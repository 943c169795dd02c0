"""Sentence planning for one item: its statements as connected prose or as a 一是…二是… run,
its remaining figures, and its outcome as the closing sentence.

- The first sentence gets an opener from ``openers.yaml`` (per section, and only before the
  kind of statement it fits: 我局 before a verb phrase, 全年 before a count), unless the book
  says it is used up; a paragraph whose opening clause already appeared gets a fallback opener.
- Each later sentence gets a connector only when the relation to the sentence before licenses
  one (``connectors.yaml``), at most one per paragraph, none before a continuation.
- A run lists three to five statements that are all verb phrases (a statement continuing the
  one before joins its entry); more than five statements become two paragraphs.
- The outcome closes the item, led by “通过……，” when it states a result.

Statements are never rewritten, only joined: every fact stays verbatim in the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafter.backends.template.book import OpenerBook, rotation
from drafter.backends.template.sentences import Cues
from drafter.plan import ItemSpec
from drafter.text.numerals import ordinal_text
from drafter.prompts import PromptFile, variables_of


@dataclass
class Composer:
    """Composes items for one report (or one section) against one :class:`OpenerBook`."""

    seed: str
    year: int
    short: str
    cues: Cues
    book: OpenerBook
    openers: PromptFile
    connectors: PromptFile
    lists: PromptFile

    # -- an item --------------------------------------------------------------------------------

    def item(self, key: str, item: ItemSpec, index: int, prev_list: bool = False,
             lead: str = "") -> tuple[list[str], bool]:
        """The paragraphs of an item (``lead``, e.g. a run-in heading, before the first) and
        whether it was written as a 一是… run."""
        statements = list(item.statements)
        groups = self._groups(statements)
        paras: list[str] = []
        listed = False
        for g, group in enumerate(groups):
            entries = self._entries(group)
            as_list = (self._listable(entries) and not prev_list and not listed
                       and key in ("measures", "other", "leadership"))
            if as_list:
                body = self._run(entries)
                listed = True
            else:
                prev = groups[g - 1][-1] if g else None
                body = self._prose(key, group, index, prev)
            paras.append(body)
        tail = self._metrics(item.metrics, index, bool(statements))
        tail += self._outcome(item, index)
        if paras:
            paras[-1] += tail
        elif tail:
            paras.append(tail)
        if paras:
            paras[0] = lead + paras[0]
        for p in paras:
            self.book.record(p)
        return paras, listed

    # -- prose ----------------------------------------------------------------------------------

    def _prose(self, key: str, statements: list[str], index: int, before: str | None) -> str:
        """Statements as sentences: an opener on the first (or a connector when ``before``,
        the item's previous sentence, exists), connectors by relation on the rest."""
        out: list[str] = []
        connected = False
        for k, s in enumerate(statements):
            prev = statements[k - 1] if k else before
            self._note_time(s)
            if prev is None:
                prefix = self._paragraph_opener(key, s, index)
            elif connected:
                prefix = ""
            else:
                prefix = self._connector(prev, s, index + k)
                connected = bool(prefix)
            out.append(f"{prefix}{s}。")
        return "".join(out)

    def _paragraph_opener(self, key: str, s: str, index: int) -> str:
        kind = self.cues.kind(s)
        if kind in ("time", "linked"):
            return ""
        options = self._opener_options(f"paragraph.{key}")
        for i in rotation(self.seed, f"paragraph.{key}", index, len(options)):
            text, before, time = options[i]
            if self._fits(before, s, kind) and self._free(text, s, time):
                self.book.use_word(text, time)
                return text
        # The paragraph would open like one before it: a fallback opener makes it differ (its
        # own word limit yields here; what a reader sees repeating is the opening clause).
        if not self.book.opener_ok(s):
            for text, _, time in self._opener_options("fallback"):
                if kind == "verb" and self.short not in s[:12] and self.book.opener_ok(text + s) \
                        and (not time or self.book.word_ok(text, time)):
                    self.book.use_word(text, time)
                    return text
        return ""

    def _opener_options(self, slot: str) -> list[tuple[str, str, bool]]:
        out = []
        for v in self.openers.get(slot) or []:
            entry = v if isinstance(v, dict) else {"text": v}
            text = self.openers.fill(str(entry.get("text", "")), year=self.year, short=self.short)
            out.append((text, str(entry.get("before", "verb")), entry.get("family") == "time"))
        return out

    def _fits(self, before: str, s: str, kind: str) -> bool:
        if before == "any":
            return True
        if kind != "verb" or s.startswith(self.short) or self.short in s[:12]:
            return False
        if before == "figures":
            return self.cues.has_figure(s)
        return not s.startswith(("将", "要"))

    def _free(self, prefix: str, s: str, time: bool) -> bool:
        return self.book.word_ok(prefix, time) and self.book.opener_ok(prefix + s)

    def _connector(self, prev: str, s: str, index: int) -> str:
        relation = self.cues.relation(prev, s)
        for name in self._licensing(relation):
            texts = self._texts(name)
            time = name == "figures"
            # The no-connector choice competes with the connectors, so not every addition
            # gets one: ["", 同时, 此外, …] rotated.
            options = [""] + texts if name == "addition" else texts
            for i in rotation(self.seed, f"connector.{name}", index, len(options)):
                c = options[i]
                if not c:
                    return ""
                if self.book.word_ok(c, time) and self.book.opener_ok(c + s):
                    self.book.use_word(c, time)
                    return c
        return ""

    def _licensing(self, relation: str) -> list[str]:
        """Connector groups whose ``applies_to`` includes ``relation`` (figures before addition)."""
        rel = self.connectors.get("relations") or {}
        names = [n for n, r in rel.items() if relation in (r.get("applies_to") or [])]
        return sorted(names, key=lambda n: n != relation)

    def _texts(self, name: str, **values: Any) -> list[str]:
        texts = (self.connectors.get("relations") or {}).get(name, {}).get("connectors") or []
        return [self.connectors.fill(t, **values) for t in texts if variables_of(t) <= set(values)]

    def _note_time(self, s: str) -> None:
        w = self.cues.time_start(s)
        if w:
            self.book.use_time(w)

    # -- 一是…二是… --------------------------------------------------------------------------

    def _entries(self, statements: list[str]) -> list[str]:
        """List entries: a statement that continues the one before joins its entry."""
        out: list[str] = []
        for k, s in enumerate(statements):
            if out and self.cues.relation(statements[k - 1], s) in ("continuation", "linked"):
                out[-1] += "，" + s
            else:
                out.append(self.cues.without_self(s))
        return out

    def _listable(self, entries: list[str]) -> bool:
        lo, hi = int(self.lists.get("min_items", 3)), int(self.lists.get("max_items", 5))
        return (lo <= len(entries) <= hi and all(self.cues.verb_initial(e) for e in entries)
                and not any("一是" in e or "二是" in e for e in entries))

    def _run(self, entries: list[str]) -> str:
        sep = "。" if any("。" in e or "；" in e for e in entries) else str(self.lists.raw("separator"))
        for e in entries:
            self._note_time(e)
        items = [self.lists.fill(self.lists.raw("item"), ordinal=ordinal_text(k + 1), text=e)
                 for k, e in enumerate(entries)]
        return sep.join(items) + "。"

    def _groups(self, statements: list[str]) -> list[list[str]]:
        """All statements, or two groups when there are more than a run may hold: split at
        the relation boundary nearest the middle that is not a continuation."""
        hi = int(self.lists.get("max_items", 5))
        n = len(statements)
        if n <= hi:
            return [statements] if statements else []
        cuts = [b for b in range(2, n - 1)
                if self.cues.relation(statements[b - 1], statements[b]) not in ("continuation", "linked")]
        b = min(cuts, key=lambda c: (abs(c - n / 2), c)) if cuts else (n + 1) // 2
        return [statements[:b], statements[b:]]

    # -- figures and outcome ----------------------------------------------------------------------

    def _metrics(self, metrics: list[str], index: int, after: bool) -> str:
        """Figures not stated in a statement, as one sentence (figures → 全年…, else a
        licensed addition connector when a sentence precedes)."""
        text = _join_metrics(metrics)
        if not text:
            return ""
        for name in ("figures", "addition") if after else ("figures",):
            options = self._texts(name)
            for i in rotation(self.seed, f"metrics.{name}", index, len(options)):
                c = options[i]
                if self.book.word_ok(c, name == "figures") and self.book.opener_ok(c + text):
                    self.book.use_word(c, name == "figures")
                    return f"{c}{text}。"
        return f"{text}。"

    def _outcome(self, item: ItemSpec, index: int) -> str:
        outcome = item.outcome
        if not outcome:
            return ""
        if (not item.statements and not item.metrics) or outcome.startswith(("通过", "经过")) \
                or not self.cues.is_result(outcome):
            return f"{outcome}。"
        means = self.cues.means(item.title)
        options = self._texts("result", **({"means": means} if means else {}))
        if len(item.statements) < 2:
            options = [o for o in options if "上述" not in o]
        for i in rotation(self.seed, "connector.result", index, len(options)):
            c = options[i]
            if self.book.word_ok(c) and self.book.opener_ok(c + outcome):
                self.book.use_word(c)
                return f"{c}{outcome}。"
        return f"{outcome}。"


def _join_metrics(metrics: list[str]) -> str:
    """Figures joined by ，— or by ；after one with a 其中 clause, so its parts stay its own."""
    out = ""
    for i, m in enumerate(metrics):
        if i:
            out += "；" if "其中" in metrics[i - 1] else "，"
        out += m
    return out
