"""Layout profiles (``checker/data/layout_profiles.yaml``): what the layout rules FMT101–FMT107
accept — GB/T 9704-2012 values with tolerances, and looser local variants."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


def normalize_font(name: str) -> str:
    return "".join(name.split()).casefold()


@dataclass(frozen=True)
class FontSpec:
    """Accepted East Asian fonts (``fonts[0]`` is the one to suggest) and the size."""

    fonts: tuple[str, ...]
    size_pt: float
    size_tolerance_pt: float

    def accepts_font(self, name: str) -> bool:
        return normalize_font(name) in {normalize_font(f) for f in self.fonts}

    def accepts_size(self, size_pt: float) -> bool:
        return abs(size_pt - self.size_pt) <= self.size_tolerance_pt + 1e-9


@dataclass(frozen=True)
class LayoutProfile:
    key: str
    name: str
    source: str
    page_mm: tuple[float, float]
    page_tolerance_mm: float
    margins_mm: dict[str, float]
    margin_tolerance_mm: float
    body: FontSpec
    title: FontSpec
    headings: dict[int, FontSpec]
    lines_per_page: float
    lines_tolerance: float
    line_pitch_pt: float  # the exact line spacing to suggest
    page_numbers: bool


@cache
def _raw() -> dict[str, Any]:
    from drafter.datafiles import load_data

    return load_data("layout_profiles.yaml")


def layout_profile_names() -> list[str]:
    return sorted(_raw()["profiles"])


def _merged(key: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    profiles = _raw()["profiles"]
    data = dict(profiles[key])
    parent = data.pop("extends", None)
    if parent and parent not in seen:
        base = _merged(parent, seen + (key,))
        base.update(data)
        data = base
    return data


def _locality_layout(name: str) -> str | None:
    """The layout profile a locality profile (profiles.yaml) names with ``layout:``."""
    from drafter.datafiles import load_data

    data = load_data("profiles.yaml") or {}
    entry = (data.get("profiles") or {}).get(name) or {}
    return entry.get("layout") if isinstance(entry, dict) else None


def _font_spec(raw: dict[str, Any], tolerance: float) -> FontSpec:
    return FontSpec(tuple(raw["fonts"]), float(raw["size_pt"]),
                    float(raw.get("size_tolerance_pt", tolerance)))


@cache
def load_layout_profile(name: str | None = None) -> LayoutProfile:
    """The layout profile for ``--profile name``: a layout profile of that name, else the one
    the locality profile of that name points to, else the default. Never raises for an
    unknown name: locality profile names are validated where they are loaded."""
    raw = _raw()
    key = raw["default"]
    if name and name in raw["profiles"]:
        key = name
    elif name:
        key = _locality_layout(name) or key
        key = key if key in raw["profiles"] else raw["default"]
    d = _merged(key)
    tol = float(d.get("size_tolerance_pt", 0.5))
    margins = {k: float(v) for k, v in d["margins_mm"].items() if k != "tolerance_mm"}
    return LayoutProfile(
        key=key, name=d["name"], source=" ".join(str(d["source"]).split()),
        page_mm=(float(d["page"]["width_mm"]), float(d["page"]["height_mm"])),
        page_tolerance_mm=float(d["page"].get("tolerance_mm", 2)),
        margins_mm=margins, margin_tolerance_mm=float(d["margins_mm"].get("tolerance_mm", 1)),
        body=_font_spec(d["body"], tol), title=_font_spec(d["title"], tol),
        headings={int(k): _font_spec(v, tol) for k, v in d["headings"].items()},
        lines_per_page=float(d["lines_per_page"]), lines_tolerance=float(d["lines_tolerance"]),
        line_pitch_pt=float(d["line_pitch_pt"]),
        page_numbers=bool(d.get("page_numbers", True)))
