"""Lengths as python-docx ``Length`` values (``Pt``, ``Mm``, ``Twips``, ``Emu``) and the
integers WordprocessingML attributes hold.

Owns no element: every conversion between a length and an attribute value goes through
here, so no other module multiplies by 20 or 2. Twentieths of a point (twips) are the unit of
w:spacing/@w:line, w:ind, w:pgMar, w:docGrid/@w:linePitch and run w:spacing; half-points the
unit of w:sz/w:szCs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - python-docx is imported where a document is handled
    from docx.shared import Length


def twips(length: Length) -> int:
    """``length`` in twentieths of a point, rounded (python-docx's ``Length.twips``)."""
    return length.twips


def half_points(length: Length) -> int:
    """``length`` in half-points (w:sz), rounded."""
    return round(length.pt * 2)


def from_twips(value: int) -> Length:
    """A twips attribute value as a Length."""
    from docx.shared import Twips

    return Twips(value)


def from_half_points(value: int) -> Length:
    """A half-points attribute value (w:sz) as a Length."""
    from docx.shared import Pt

    return Pt(value / 2)


def times(length: Length, factor: float) -> Length:
    """``length`` × ``factor`` (an indent of 2 characters of 16 pt is ``times(Pt(16), 2)``)."""
    from docx.shared import Pt

    return Pt(length.pt * factor)
