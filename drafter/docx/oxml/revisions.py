"""Tracked changes (修订): the w:ins / w:del elements, built and read.

Owns w:ins and w:del around runs (with w:author, w:date, w:id), w:delText,
w:delInstrText, and w:revisionView in the settings part.

Building: :func:`insertion` (new text as an inserted run), :func:`deletion` (a deleted copy
of a run, or deleted text), :func:`mark_deleted` (an existing run turned into a deletion
where it stands), :func:`next_revision_id`, :func:`show_insertions_deletions` (whether Word
and LibreOffice open the document showing the markup or the text as if accepted).
Reading: :func:`accepted_text` and :func:`rejected_text` of a paragraph — what Word shows
after "accept all" and after "reject all" (the reader, :mod:`drafter.docx.oxml.read`,
reads documents as accepted). Paragraph-mark revisions (w:pPr/w:rPr/w:ins) and formatting
revisions (w:rPrChange) are neither built nor resolved here.

A revision paragraph looks like::

    <w:p><w:r><w:t>全年办理</w:t></w:r>
      <w:del w:id="1" w:author="drafter" w:date="2024-03-01T09:00:00Z">
        <w:r><w:rPr>…</w:rPr><w:delText>318</w:delText></w:r></w:del>
      <w:ins w:id="2" w:author="drafter" w:date="2024-03-01T09:00:00Z">
        <w:r><w:rPr>…</w:rPr><w:t>381</w:t></w:r></w:ins>
      <w:r><w:t>件</w:t></w:r></w:p>
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from drafter.docx.oxml.elements import get_or_add, set_attrs
from drafter.docx.oxml.ns import W, XML_SPACE, to_int
from drafter.docx.oxml.read import TextCollector

_ID = f"{W}id"
_RENAMED = {f"{W}t": f"{W}delText", f"{W}instrText": f"{W}delInstrText"}


def revision_date(when: datetime | str | None) -> str | None:
    """w:date (ST_DateTime, UTC, whole seconds: "2024-03-01T09:00:00Z") of ``when``; a naive
    datetime is taken as UTC; a string is used as it is; None stays None (no w:date)."""
    if when is None or isinstance(when, str):
        return when
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(tag: str, attrs: dict[str, str] | None = None):
    from docx.oxml.parser import OxmlElement

    return OxmlElement(f"w:{tag}", attrs)


def _mark(tag: str, author: str, date: datetime | str | None, rev_id: int):
    attrs = {_ID: str(rev_id), f"{W}author": author}
    stamp = revision_date(date)
    if stamp is not None:
        attrs[f"{W}date"] = stamp
    return _element(tag, attrs)


def _text_run(text: str, rpr, tag: str):
    r = _element("r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = _element(tag, {XML_SPACE: "preserve"})
    t.text = text
    r.append(t)
    return r


def insertion(text: str, rpr=None, *, author: str, date: datetime | str | None = None,
              id: int):
    """A new w:ins holding one run of ``text`` (w:t) formatted with a copy of ``rpr`` (a
    w:rPr element, e.g. the neighbouring run's; None: no run properties)."""
    ins = _mark("ins", author, date, id)
    ins.append(_text_run(text, rpr, "t"))
    return ins


def deletion(run_or_text, rpr=None, *, author: str, date: datetime | str | None = None,
             id: int):
    """A new w:del holding the deleted run: a copy of the w:r ``run_or_text`` (its w:rPr kept,
    w:t → w:delText, w:instrText → w:delInstrText; ``rpr`` is ignored), or one run of the
    text ``run_or_text`` formatted with a copy of ``rpr``. A run passed in is not changed."""
    d = _mark("del", author, date, id)
    if isinstance(run_or_text, str):
        d.append(_text_run(run_or_text, rpr, "delText"))
    else:
        d.append(_deleted_copy(run_or_text))
    return d


def _deleted_copy(r):
    new = copy.deepcopy(r)
    for el in new.iter(*_RENAMED):
        el.tag = _RENAMED[el.tag]
        el.set(XML_SPACE, "preserve")
    return new


def mark_deleted(r, *, author: str, date: datetime | str | None = None, id: int):
    """Turn the w:r ``r`` into a tracked deletion where it stands (it is replaced by a w:del
    holding its deleted copy); returns the w:del."""
    d = deletion(r, author=author, date=date, id=id)
    r.addprevious(d)
    r.getparent().remove(r)
    return d


def next_revision_id(root) -> int:
    """One more than the largest w:id under ``root`` (0 when there is none): revision ids
    must not repeat within a document, and Word shares the numbering with comments and
    bookmarks."""
    ids = [to_int(el.get(_ID), -1) for el in root.iter() if isinstance(el.tag, str)
           and el.get(_ID) is not None]
    return max(ids, default=-1) + 1


def accepted_text(p) -> str:
    """The text of paragraph ``p`` with every tracked change accepted (what the reader sees)."""
    return TextCollector().paragraph_text(p)


def rejected_text(p) -> str:
    """The text of paragraph ``p`` with every tracked change rejected (the original)."""
    return TextCollector(rejected=True).paragraph_text(p)


def show_insertions_deletions(settings_root, show: bool) -> None:
    """w:revisionView/@w:insDel of the w:settings element: False opens the document showing
    the text as if every change were accepted (the changes stay in the file, and Word's
    "all markup" view brings them back); True (the default when absent) shows the markup."""
    set_attrs(get_or_add(settings_root, "revisionView"), insDel="1" if show else "0")
