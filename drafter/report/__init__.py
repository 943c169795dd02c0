"""The document model (``Report`` → ``Section`` → ``Paragraph``) and what builds it: the
structure parser, the readers (.txt/.md/.docx/.doc/.wps) and the report-level facts found in
a text (reporting year, 成文日期, unit). Readers, the drafter and the checker share it."""

from drafter.report.model import (CoverLetter, Enumeration, Heading, Paragraph, Presence,
                                  Report, Section, SectionKey, make_paragraphs)
from drafter.sections import KEYS as ALL_KEYS, MANDATED_KEYS

__all__ = ["ALL_KEYS", "MANDATED_KEYS", "CoverLetter", "Enumeration", "Heading", "Paragraph",
           "Presence", "Report", "Section", "SectionKey", "make_paragraphs"]
