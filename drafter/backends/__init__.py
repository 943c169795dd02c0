"""Drafting backends behind one seam (``base.Backend``): ``template`` (default, offline,
deterministic) and ``llm`` (when installed). ``get_backend(name)`` resolves one by name."""

from drafter.backends.base import BACKENDS, Backend, get_backend

__all__ = ["Backend", "BACKENDS", "get_backend"]
