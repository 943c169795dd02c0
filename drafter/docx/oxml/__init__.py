"""The raw WordprocessingML of drafter: every lxml element and w: namespace lives here.

One module per element or concept (after python-docx's own ``oxml/``); helpers take and
return lxml elements, python-docx objects stay outside; lengths are python-docx ``Length``
values (``Pt``, ``Mm``, ``Twips``), converted to attribute units only in :mod:`.units`.

- :mod:`.ns` — namespaces, :func:`~.ns.qn`, the safe XML parser, w:val / on-off values
- :mod:`.units` — Length ↔ twips and half-points
- :mod:`.elements` — child order of w:rPr/w:pPr/w:sectPr/w:style, w: attributes
- :mod:`.parts` — the main-document relationship, entity references, fontTable, app.xml,
  settings
- :mod:`.read` — the document-order walk of w:body and what text a w:p shows
- :mod:`.numbering` — numbering definitions and a paragraph's list
- :mod:`.styles` — style lookup (w:basedOn) and the writer's style edits
- :mod:`.formatting` — the effective font, size and line spacing Word shows (layout rules)
- :mod:`.write` — run and paragraph properties, fonts with w:eastAsia, docGrid, PAGE field
- :mod:`.runs` — run content as the reader counts it, splitting a run
- :mod:`.comments` — comment range markers and reference runs
- :mod:`.revisions` — tracked insertions and deletions (w:ins / w:del), accepted and
  rejected text
"""
