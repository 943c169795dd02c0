"""Locality profiles (``checker/data/profiles.yaml``): deadlines and other local settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from drafter.errors import ConfigError


@dataclass(frozen=True)
class Deadline:
    """Deadlines of one unit type, as (month, day) of the year after the reporting year."""

    submit_by: tuple[int, int]
    publish_by: tuple[int, int]
    rule: str


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    deadlines: dict[str, Deadline]
    publish_rule: str
    source: str


def _md(s: str) -> tuple[int, int]:
    m, d = str(s).split("-")
    return int(m), int(d)


@cache
def _raw() -> dict[str, Any]:
    from drafter.datafiles import load_data

    return load_data("profiles.yaml")


def profile_names() -> list[str]:
    return sorted(_raw()["profiles"])


@cache
def load_profile(name: str | None = None) -> Profile:
    """The profile ``name`` (None → the default). Unknown names raise ConfigError."""
    raw = _raw()
    key = name or raw["default"]
    data = raw["profiles"].get(key)
    if data is None:
        # A layout profile name (layout_profiles.yaml, e.g. fangzheng) keeps the default
        # deadlines: --profile selects one name for both kinds of setting.
        from drafter.checker.layout_profiles import layout_profile_names

        if key in layout_profile_names():
            data = raw["profiles"][raw["default"]]
    if data is None:
        raise ConfigError(f"未知的地方口径配置“{key}”",
                          f"可用的配置：{'、'.join(profile_names())}（见 checker/data/profiles.yaml）")
    deadlines = {t: Deadline(_md(d["submit_by"]), _md(d["publish_by"]), d["rule"])
                 for t, d in data["deadlines"].items()}
    return Profile(key, data["name"], deadlines, data["publish_rule"], data["source"])


def local_profile(settings: Any) -> Profile:
    """The ``[profile]`` table of a drafter.toml (:class:`drafter.config.ProfileSettings`):
    its deadlines over those of its ``base`` profile."""
    base = load_profile(settings.base)
    deadlines = dict(base.deadlines)
    for kind, d in settings.deadlines.items():
        deadlines[kind] = Deadline(_md(d.submit_by), _md(d.publish_by),
                                   d.rule or base.deadlines.get(kind, Deadline((0, 0), (0, 0), "")).rule)
    return Profile("config", settings.name, deadlines, settings.publish_rule or base.publish_rule,
                   settings.source or base.source)


def active_profile(options: Any) -> Profile:
    """The profile a check runs with: ``--profile`` (``options.profile``) when named, else the
    ``[profile]`` table of the drafter.toml, else the default."""
    cfg = getattr(options, "config", None)
    if options.profile is None and cfg is not None and cfg.profile is not None:
        return local_profile(cfg.profile)
    return load_profile(options.profile)
