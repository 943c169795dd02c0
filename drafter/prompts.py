"""The one prompt loader: every prompt and sentence pattern is a data file
``prompts/<folder>/<name>.yaml`` (DESIGN.md "Prompts"; STYLE.md: no prose in Python).

Folders: ``template/`` (the offline template backend's sentence patterns), ``llm/`` (the LLM
backend's system, section and repair prompts), ``review/`` (LLM-assisted review), ``corpus/``
(``drafter corpus add --llm``: better labels for an imported report). Each file
declares the variables it uses (``variables: {name: 说明}``): loading fails with
"未声明的变量：a, b" when a text uses an undeclared one, and filling fails with
"缺少变量：a, b" when a value is missing — so an edited prompt can never send a literal
``{facts}`` to a model or print one in a draft.

A slot may hold several variants (a list; an entry may be ``{text: …, min_year: 2020}``):
:meth:`PromptFile.choose` picks one deterministically from a seed (same facts → same draft)
and rotates by an index, so consecutive items do not read as a form.

The files ship inside the installed package as ``drafter.prompt_files`` (setup.py); in a
source checkout they are read from the top-level ``prompts/`` folder.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from drafter.errors import ConfigError

FOLDERS = ("template", "llm", "review", "corpus")
# Keys of a prompt file that hold no text to fill.
_META_KEYS = ("variables", "source")
_FMT = string.Formatter()


def prompts_dir() -> Any:
    """The prompts folder: the installed ``drafter.prompt_files`` package, else the source tree."""
    try:
        from importlib.resources import files

        res = files("drafter.prompt_files")
        if res.joinpath("template").is_dir():
            return res
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[1] / "prompts"


def variables_of(text: str) -> set[str]:
    """The ``{name}`` variables a text uses; ConfigError for an unbalanced brace."""
    try:
        return {name for _, name, _, _ in _FMT.parse(text) if name}
    except ValueError as e:
        raise ConfigError(f"提示词模板格式错误（{e}）：文字中的花括号应写作 {{{{ 或 }}}}") from None


@dataclass(frozen=True)
class PromptFile:
    """One validated prompt file: ``variables`` it declares, ``data`` its slots."""

    folder: str
    name: str
    variables: dict[str, str]
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"prompts/{self.folder}/{self.name}.yaml"

    def raw(self, slot: str) -> Any:
        """The value of ``slot`` (dotted: ``headings.measures``)."""
        node: Any = self.data
        for part in slot.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"{self.where}：缺少模板项“{slot}”", "请对照 prompts/README.md 补齐")
            node = node[part]
        return node

    def get(self, slot: str, default: Any = None) -> Any:
        """The value of ``slot``, or ``default`` when the file has none."""
        try:
            return self.raw(slot)
        except ConfigError:
            return default

    def variants(self, slot: str, year: int | None = None) -> list[str]:
        """The variants of ``slot``; those with ``min_year`` above ``year`` are left out."""
        node = self.raw(slot)
        out = []
        for v in node if isinstance(node, list) else [node]:
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
            raise ConfigError(f"{self.where}：“{slot}”没有可用的句式")
        h = int(hashlib.sha1(f"{seed}|{self.name}.{slot}".encode()).hexdigest()[:8], 16)
        return vs[(h + index) % len(vs)]

    def fill(self, pattern: str, **values: Any) -> str:
        """``pattern`` with its variables filled; a variable without a value (or None) is an error."""
        missing = sorted(variables_of(pattern) - {k for k, v in values.items() if v is not None})
        if missing:
            raise ConfigError(f"{self.where}：“{pattern[:20]}…”缺少变量：" + ", ".join(missing))
        return pattern.format(**values)

    def render(self, slot: str, seed: str = "", index: int = 0, **values: Any) -> str:
        """Choose a variant of ``slot`` (skipping those with ``min_year`` above
        ``values["year"]``) and fill it. A slot with one text is simply filled."""
        year = values.get("year")
        return self.fill(self.choose(slot, seed, index, year if isinstance(year, int) else None),
                         **values)

    def text(self, slot: str, **values: Any) -> str:
        """The single text of ``slot``, filled (the llm and review prompts' fields)."""
        template = self.raw(slot)
        if not isinstance(template, str):
            raise ConfigError(f"{self.where}：“{slot}”应为一段文字", "请重新安装 drafter")
        return self.fill(template, **values)


def prompt_file(folder: str, name: str, data: Any) -> PromptFile:
    """Validate loaded data: a ``variables`` mapping declaring every ``{name}`` used."""
    where = f"prompts/{folder}/{name}.yaml"
    if not isinstance(data, dict) or not isinstance(data.get("variables"), dict):
        raise ConfigError(f"{where}：缺少 variables 声明")
    used: set[str] = set()
    for key, value in data.items():
        if key not in _META_KEYS:
            _collect(value, used)
    undeclared = sorted(used - set(data["variables"]))
    if undeclared:
        raise ConfigError(f"{where}：使用了未声明的变量：" + ", ".join(undeclared))
    return PromptFile(folder, name, {str(k): str(v) for k, v in data["variables"].items()},
                      {k: v for k, v in data.items() if k != "variables"})


def _collect(node: Any, used: set[str]) -> None:
    if isinstance(node, str):
        used |= variables_of(node)
    elif isinstance(node, dict):
        for k, v in node.items():
            if k != "min_year":
                _collect(v, used)
    elif isinstance(node, list):
        for v in node:
            _collect(v, used)


@cache
def load_prompt(folder: str, name: str) -> PromptFile:
    """``prompts/<folder>/<name>.yaml``, validated (declared variables only)."""
    import yaml  # PyYAML: libyaml's C loader reads these read-only files in ~1 ms

    where = f"prompts/{folder}/{name}.yaml"
    if folder not in FOLDERS:
        raise ValueError(f"unknown prompt folder: {folder}")
    try:
        text = prompts_dir().joinpath(folder, f"{name}.yaml").read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise ConfigError(f"缺少提示词文件 {where}", "请重新安装 drafter") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}：YAML 语法错误（{e}）") from None
    return prompt_file(folder, name, data)


def load_patterns(name: str) -> PromptFile:
    """The template backend's sentence patterns ``prompts/template/<name>.yaml``."""
    return load_prompt("template", name)
