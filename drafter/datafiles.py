"""Read-only data files shipped with the package (lexicons, profiles, rule cases).

Shared lexicons (law titles, placeholders, role words, surnames, section vocabulary) live in
``drafter/data/``; the checker's own (confusions, institutions, profiles…) in
``drafter/checker/data/``. :func:`load_data` looks in that order.

They are parsed with libyaml's C loader (PyYAML ``CSafeLoader``): ~10x faster than a
pure-Python parser, which matters for the cold start of ``drafter check`` (confusions.yaml
alone took ~300 ms with ruamel). Facts files, which need line numbers in error messages, use
ruamel.yaml instead (``drafter.facts.load``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

# The package's own folders (a regular, unpacked installation): plain paths spare a start-up
# the ~20 ms importlib.resources and its zipfile support cost.
_SHARED = Path(__file__).resolve().parent / "data"
_CHECKER = Path(__file__).resolve().parent / "checker" / "data"


def load_yaml_text(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return yaml.load(text, Loader=loader)


def data_file(name: str) -> Path:
    """The path of data file ``name``: ``drafter/data/<name>``, else ``drafter/checker/data/<name>``."""
    shared = _SHARED / name
    return shared if shared.is_file() else _CHECKER / name


@cache
def load_data(name: str) -> Any:
    """Parse data file ``name`` (see :func:`data_file`) once per process; None when empty.

    The parsed form is kept on disk (:mod:`drafter.cache`), so a new process reads it instead
    of parsing the YAML again while the file is unchanged."""
    from drafter.cache import cached

    raw = data_file(name).read_bytes()
    return cached(name, raw, lambda: load_yaml_text(raw.decode("utf-8")))


def load_case_file(resource: Any) -> Any:
    return load_yaml_text(resource.read_text(encoding="utf-8"))
