"""The template backend (default, offline, deterministic): :class:`TemplateBackend` in
:mod:`.backend`; sentence planning in :mod:`.compose` (openers, connectors, 一是… runs,
outcomes), the relation between statements in :mod:`.sentences`, opener counting in :mod:`.book`.
All wording is data in ``prompts/template/``."""

from drafter.backends.template.backend import TemplateBackend

__all__ = ["TemplateBackend"]
