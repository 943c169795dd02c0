"""The one generator seam: a backend turns a section spec into the section's paragraphs.

Everything around it — facts, plan, numbering of the level-1 headings, title, 主送机关, lead,
署名, date, checking, writing — is the pipeline's and the same for every backend. Tests and
other backends (``llm``) plug in here; the registry maps a name to an import path so a backend
that is not installed costs nothing and fails with a clear message.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from drafter.errors import ConfigError

if TYPE_CHECKING:
    from drafter.plan import SectionSpec

# name -> "module:attribute" of a Backend class (constructed with keyword ``model``).
BACKENDS: dict[str, str] = {
    "template": "drafter.backends.template:TemplateBackend",
    "llm": "drafter.backends.llm:LLMBackend",
}


@runtime_checkable
class Backend(Protocol):
    """Drafts one section.

    ``draft_section(spec)`` returns the section's body paragraphs in order — （一） headings,
    paragraphs, and a visible 【待补充：…】 marker for facts that are missing — without the
    level-1 heading (the pipeline writes it). It must not invent numbers: figures come only
    from ``spec`` (already rendered text).
    """

    name: str

    def draft_section(self, spec: "SectionSpec") -> list[str]: ...


# Optional extensions a backend may offer; the pipeline uses them when present:
#   draft_sections(specs) -> list[list[str]]   all sections at once (llm: concurrently)
#   report() -> dict, summary_lines() -> list[str]   what it did, for the run report / stdout


def get_backend(name: str, model: str | None = None, **options: Any) -> Backend:
    """The backend registered as ``name``; ConfigError (exit 2) when unknown or not installed.

    ``options`` (concurrency, cache, run_dir …) go to the backends whose constructor takes
    them; the others ignore them."""
    target = BACKENDS.get(name)
    if target is None:
        raise ConfigError(f"未知的起草方式“{name}”", "可选：" + "、".join(BACKENDS))
    mod_name, _, attr = target.partition(":")
    try:
        mod = import_module(mod_name)
    except ModuleNotFoundError as e:
        if e.name != mod_name:
            if name == "llm":
                raise ConfigError("大模型起草所需的依赖未安装",
                                  '请运行 pip install "drafter[llm]"，或使用默认的 --backend template') from None
            raise
        raise ConfigError(f"尚未配置“{name}”起草方式（缺少模块 {mod_name}）",
                          "请使用默认的 --backend template") from None
    cls = getattr(mod, attr)
    if options:
        import inspect

        accepted = inspect.signature(cls).parameters
        options = {k: v for k, v in options.items() if k in accepted}
    return cls(model=model, **options)
