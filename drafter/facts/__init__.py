"""Facts: the year's figures and statements a report is drafted from.

``load_facts(path) -> Facts`` reads and validates a facts file (YAML; .xlsx when
``drafter.facts.xlsx`` is present); ``Facts`` is the pydantic model (``model.py``);
``Renderer`` turns metrics and ``{id}`` placeholders into text (``render.py``).
The schema is documented in docs/facts-schema.md.
"""

from drafter.facts.load import load_facts, parse_facts
from drafter.facts.model import (
    SECTION_KEYS,
    Document,
    Facts,
    Item,
    Metric,
    Organisation,
    Person,
    Sections,
    ShortcomingItem,
    Unit,
)
from drafter.facts.render import Renderer, format_number, format_quantity

__all__ = ["load_facts", "parse_facts", "Facts", "Unit", "Metric", "Person", "Organisation",
           "Document", "Item", "ShortcomingItem", "Sections", "SECTION_KEYS", "Renderer", "format_number",
           "format_quantity"]
