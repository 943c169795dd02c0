"""Sentence patterns of the template backend, loaded from ``prompts/template/*.yaml``.

The patterns are data (STYLE.md: no prose in Python). Each file declares the variables its
patterns may use; loading fails with "未声明的变量：a, b" when a pattern uses another, and
filling fails with "缺少变量：a, b" when a value is missing. A slot may hold several variants;
:meth:`PatternSet.choose` picks one deterministically (same facts → same draft) and rotates
by item so consecutive paragraphs do not read as a form.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from drafter.errors import ConfigError

_FMT = string.Formatter()


def _prompts_dir() -> Any:
    """The prompts folder: the installed ``drafter.prompts`` package, else the source tree."""
    try:
        from importlib.resources import files

        res = files("drafter.prompts")
        if res.joinpath("template").is_dir():
            return res
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "prompts"


def variables_of(text: str) -> set[str]:
    return {name for _, name, _, _ in _FMT.parse(text) if name}


@dataclass(frozen=True)
class PatternSet:
    name: str
    variables: dict[str, str]
    data: dict[str, Any]

    def raw(self, slot: str) -> Any:
        node: Any = self.data
        for part in slot.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"prompts/template/{self.name}.yaml：缺少模板项“{slot}”",
                                  "请对照 prompts/README.md 补齐")
            node = node[part]
        return node

    def variants(self, slot: str, year: int | None = None) -> list[str]:
        node = self.raw(slot)
        items = node if isinstance(node, list) else [node]
        out = []
        for v in items:
            if isinstance(v, dict):
                if year is not None and year < int(v.get("min_year", 0)):
                    continue
                out.append(str(v["text"]))
            else:
                out.append(str(v))
        return out

    def choose(self, slot: str, seed: str, index: int = 0, year: int | None = None) -> str:
        """One variant of ``slot``: a stable hash of (seed, slot) plus ``index`` picks it."""
        vs = self.variants(slot, year)
        if not vs:
            raise ConfigError(f"prompts/template/{self.name}.yaml：“{slot}”没有可用的句式")
        h = int(hashlib.sha1(f"{seed}|{self.name}.{slot}".encode()).hexdigest()[:8], 16)
        return vs[(h + index) % len(vs)]

    def fill(self, pattern: str, **values: Any) -> str:
        missing = sorted(variables_of(pattern) - values.keys())
        if missing:
            raise ConfigError(f"prompts/template/{self.name}.yaml：句式“{pattern[:20]}…”缺少变量："
                              + ", ".join(missing))
        return pattern.format(**values)

    def render(self, slot: str, seed: str, index: int = 0, **values: Any) -> str:
        """Choose a variant of ``slot`` (those with ``min_year`` above ``values["year"]`` are
        skipped) and fill it."""
        year = values.get("year")
        return self.fill(self.choose(slot, seed, index, year if isinstance(year, int) else None),
                         **values)


@cache
def load_patterns(name: str) -> PatternSet:
    """``prompts/template/<name>.yaml`` validated: every ``{variable}`` used is declared."""
    import yaml  # PyYAML: libyaml's C loader reads these read-only files in ~1 ms

    res = _prompts_dir().joinpath("template", f"{name}.yaml")
    try:
        text = res.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise ConfigError(f"缺少模板文件 prompts/template/{name}.yaml", "请重新安装 drafter") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"prompts/template/{name}.yaml：YAML 语法错误（{e}）") from None
    return pattern_set(name, data)


def pattern_set(name: str, data: Any) -> PatternSet:
    """Validate loaded pattern data: a ``variables`` mapping declaring every ``{name}`` used."""
    if not isinstance(data, dict) or not isinstance(data.get("variables"), dict):
        raise ConfigError(f"prompts/template/{name}.yaml：缺少 variables 声明")
    declared = set(data["variables"])
    used: set[str] = set()
    _collect(data, used, skip="variables")
    undeclared = sorted(used - declared)
    if undeclared:
        raise ConfigError(f"prompts/template/{name}.yaml：模板使用了未声明的变量：" + ", ".join(undeclared))
    return PatternSet(name, dict(data["variables"]), {k: v for k, v in data.items() if k != "variables"})


def _collect(node: Any, used: set[str], skip: str | None = None) -> None:
    if isinstance(node, str):
        used |= variables_of(node)
    elif isinstance(node, dict):
        for k, v in node.items():
            if k != skip and k != "min_year":
                _collect(v, used)
    elif isinstance(node, list):
        for v in node:
            _collect(v, used)
