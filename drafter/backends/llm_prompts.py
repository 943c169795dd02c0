"""The LLM backend's prompts: data files under ``prompts/llm/``, loaded and validated here.

Each file declares the variables it uses (``variables: {name: 说明}``). Loading fails with
"未声明的变量：a, b" when a template uses an undeclared one; rendering fails with
"缺少变量：a, b" when a declared variable has no value — so a prompt edit can never send a
literal ``{facts}`` to a model. ``system.yaml`` is shared; ``<section key>.yaml`` holds the
section's ``purpose``, its ``user`` template and ``requires`` (extra grounding checks);
``repair.yaml`` is the follow-up message of the repair round.

:func:`section_messages` turns a :class:`drafter.plan.SectionSpec` into the variables: the
section's facts as structured data (YAML), the sub-headings to use, retrieved exemplar
paragraphs quoted as reference material, and last year's plans to answer.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from drafter.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from drafter.plan import SectionSpec

_FMT = string.Formatter()
NONE = "（无）"


@dataclass(frozen=True)
class PromptFile:
    name: str
    variables: dict[str, str]
    data: dict[str, Any]

    def render(self, field: str, **values: Any) -> str:
        """Fill template ``field``; every declared variable it uses must have a value."""
        template = self.data.get(field)
        if not isinstance(template, str):
            raise ConfigError(f"prompts/llm/{self.name}.yaml：缺少“{field}”", "请重新安装 drafter")
        missing = sorted(_variables(template) - {k for k, v in values.items() if v is not None})
        if missing:
            raise ConfigError(f"prompts/llm/{self.name}.yaml：缺少变量：" + ", ".join(missing))
        return template.format(**values)

    @property
    def requires(self) -> dict[str, Any]:
        return dict(self.data.get("requires") or {})


def _variables(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in _FMT.parse(text) if name}
    except ValueError as e:  # an unbalanced brace
        raise ConfigError(f"提示词模板格式错误（{e}）：文字中的花括号应写作 {{{{ 或 }}}}") from None


def _prompts_root() -> Any:
    from drafter.backends.patterns import _prompts_dir

    return _prompts_dir()


@cache
def load_prompt(name: str) -> PromptFile:
    """``prompts/llm/<name>.yaml``, validated (declared variables only)."""
    import yaml

    res = _prompts_root().joinpath("llm", f"{name}.yaml")
    try:
        data = yaml.safe_load(res.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"缺少提示词文件 prompts/llm/{name}.yaml", "请重新安装 drafter") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"prompts/llm/{name}.yaml：YAML 语法错误（{e}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("variables"), dict):
        raise ConfigError(f"prompts/llm/{name}.yaml：缺少 variables 声明")
    used: set[str] = set()
    for key, value in data.items():
        if key not in ("variables", "requires") and isinstance(value, str):
            used |= _variables(value)
    undeclared = sorted(used - set(data["variables"]))
    if undeclared:
        raise ConfigError(f"prompts/llm/{name}.yaml：使用了未声明的变量：" + ", ".join(undeclared))
    return PromptFile(name, {str(k): str(v) for k, v in data["variables"].items()}, data)


# -- from a section spec to messages ----------------------------------------------------

# Sections whose one item is written as a plain paragraph, without a （一） heading (as the
# template backend does: a heading numbered （一） with no （二） reads as a mistake).
_SINGLE_ITEM_PLAIN = ("leadership", "other")


def subheadings(spec: "SectionSpec") -> list[str]:
    """The numbered sub-headings the section must use: （一）title per titled item."""
    from drafter.plan import cn_ordinal

    titles = [it.title for it in spec.items if it.title]
    if spec.key in _SINGLE_ITEM_PLAIN and len(spec.items) == 1:
        return []
    return [f"（{cn_ordinal(i)}）{t}" for i, t in enumerate(titles, start=1)]


def facts_data(spec: "SectionSpec") -> list[dict[str, Any]]:
    """The section's items as plain data (what the model may use, nothing else)."""
    given = subheadings(spec)
    heads = iter(given)
    out = []
    for it in spec.items:
        d: dict[str, Any] = {}
        if it.title:
            if given:
                d["小标题"] = next(heads)
            else:
                d["主题"] = it.title
        if it.problem:
            d["不足"] = it.problem
            d["原因"] = list(it.causes)
        if it.statements:
            d["事实"] = list(it.statements)
        if it.metrics:
            d["数据"] = list(it.metrics)
        out.append(d)
    return out


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000).strip()


_BLOCK_TAG = re.compile(r"[<＜〈《]\s*/?\s*参考材料\s*[>＞〉》]")


def _exemplars(spec: "SectionSpec") -> str:
    if not spec.exemplars:
        return NONE
    lines = ["<参考材料>"]
    for i, ex in enumerate(spec.exemplars, start=1):
        year = f"{ex.year}年报告" if ex.year else "往年报告"
        # Earlier reports are untrusted: a passage may not close the block and pose as instructions.
        text = _BLOCK_TAG.sub("", " ".join(ex.text.split()))
        lines.append(f"[{i}]（{year}）" + text)
    lines.append("</参考材料>")
    return "\n".join(lines)


def _previous_plans(spec: "SectionSpec") -> str:
    if not spec.previous_plans:
        return NONE
    lines = []
    for p in spec.previous_plans:
        state = "事实材料中有对应事项" if p.answered_by else "事实材料中未见落实情况，不要编造"
        lines.append(f"{p.number}. {p.text}（{state}）")
    return "\n".join(lines)


def section_values(spec: "SectionSpec") -> dict[str, Any]:
    heads = subheadings(spec)
    return {
        "unit": spec.unit, "short": spec.short, "year": spec.year, "next_year": spec.next_year,
        "heading": spec.numbered_heading,
        "facts": _yaml(facts_data(spec)) if spec.items else NONE,
        "subheadings": "\n".join(heads) if heads else "（无：本部分不设小标题）",
        "exemplars": _exemplars(spec),
        "previous_plans": _previous_plans(spec),
    }


def section_messages(spec: "SectionSpec") -> list[tuple[str, str]]:
    """[("system", …), ("user", …)] for one section."""
    values = section_values(spec)
    section = load_prompt(spec.key)
    values["purpose"] = section.render("purpose", **values)
    system = load_prompt("system").render("text", **values)
    return [("system", system), ("user", section.render("user", **values))]


def repair_message(spec: "SectionSpec", problems: list[str]) -> str:
    text = "\n".join(f"{i}. {p}" for i, p in enumerate(problems, start=1))
    return load_prompt("repair").render("user", heading=spec.numbered_heading, problems=text)
