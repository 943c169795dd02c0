"""Read-only data files shipped with the package (lexicons, profiles, rule cases).

They are parsed with libyaml's C loader (PyYAML ``CSafeLoader``): ~10x faster than a
pure-Python parser, which matters for the cold start of ``drafter check`` (confusions.yaml
alone took ~300 ms with ruamel). Facts files, which need line numbers in error messages, use
ruamel.yaml instead (``drafter.facts.load``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any


def load_yaml_text(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return yaml.load(text, Loader=loader)


@cache
def load_data(name: str) -> Any:
    """Parse ``drafter/checker/data/<name>`` once per process; None when the file is empty."""
    res = files("drafter.checker").joinpath("data", name)
    return load_yaml_text(res.read_text(encoding="utf-8"))


def load_case_file(resource: Any) -> Any:
    return load_yaml_text(resource.read_text(encoding="utf-8"))
