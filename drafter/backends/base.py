"""The one generator seam: a backend turns a section spec into the section's paragraphs.

Everything around it — facts, plan, numbering of the level-1 headings, title, 主送机关, lead,
署名, date, grounding, checking, writing — is the pipeline's and the same for every backend.
A backend declares what it can do in class attributes (capabilities, not probed with
``hasattr``) and reports progress as events (:class:`DraftEvents`), which the CLI turns into a
progress bar and the web page into its job status. The registry maps a name to an import path,
so a backend that is not installed costs nothing and fails with a clear message.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping

from drafter.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from drafter.grounding import SectionGrounding
    from drafter.plan import SectionSpec

# name -> "module:attribute" of a Backend class (constructed with keyword ``model``).
BACKENDS: dict[str, str] = {
    "template": "drafter.backends.template:TemplateBackend",
    "llm": "drafter.backends.llm:LLMBackend",
}


class DraftEvents:
    """What a draft reports while it runs. Every method is a no-op here; the CLI's progress bar
    (:mod:`drafter.cli.progress`) and the web job (:mod:`drafter.web.jobs`) implement them.

    ``stage`` names a pipeline stage (读取事实、制定提纲 / 起草各部分 / 核查 / 审核草稿 / 写出);
    the ``section_*`` events concern one mandated section by its key: started, text received
    (``characters`` more), a status line (修正中, "HTTP 429，2.0 秒后重试"), done with a state
    (通过, 修正后通过, 改用模板 …).
    """

    def stage(self, name: str) -> None:
        """A pipeline stage begins."""

    def sections_planned(self, specs: "list[SectionSpec]") -> None:
        """The sections about to be drafted, in order."""

    def section_started(self, key: str) -> None:
        """A section is being drafted."""

    def section_progress(self, key: str, characters: int) -> None:
        """``characters`` more characters of a section's text have arrived."""

    def section_status(self, key: str, state: str) -> None:
        """A section's state changed (修正中, a retry …)."""

    def section_done(self, key: str, state: str) -> None:
        """A section is finished; ``state`` says how (已起草, 通过, 改用模板 …)."""


class Backend(ABC):
    """Drafts sections. Subclasses set ``name`` and their capabilities:

    - ``uses_exemplars``: reads ``spec.exemplars`` (the plan may skip retrieval otherwise);
    - ``concurrent``: drafts all sections at once (:meth:`draft_sections` is overridden);
    - ``repairs``: uses the grounding checks it is given to repair or replace its own text.

    ``draft_section(spec)`` returns the section's body paragraphs in order — （一） headings,
    paragraphs, and a visible 【待补充：…】 marker for facts that are missing — without the
    level-1 heading (the pipeline writes it). It must not invent numbers: figures come only
    from ``spec`` (already rendered text); the pipeline's grounding stage checks that.
    """

    name: ClassVar[str]
    uses_exemplars: ClassVar[bool] = True
    concurrent: ClassVar[bool] = False
    repairs: ClassVar[bool] = False

    @abstractmethod
    def draft_section(self, spec: "SectionSpec") -> list[str]:
        """The paragraphs of one section."""

    def draft_sections(self, specs: "list[SectionSpec]", events: DraftEvents,
                       grounding: "Mapping[str, SectionGrounding] | None" = None,
                       idle: Callable[[], None] | None = None) -> list[list[str]]:
        """The paragraphs of every section, in order; one after another by default.

        ``idle`` is work of the pipeline's later stages (loading the checker's lexicons …) that
        a backend waiting on the network may run meanwhile, in a thread; it is safe to ignore:
        the pipeline does the same work itself later."""
        out = []
        for spec in specs:
            events.section_started(spec.key)
            out.append(self.draft_section(spec))
            events.section_done(spec.key, "已起草")
        return out

    def report(self) -> dict[str, Any] | None:
        """What the backend did, for ``run-report.json`` (None: nothing beyond the sections)."""
        return None

    def summary_lines(self) -> list[str]:
        """Lines for the command's output (Chinese): calls, repaired or fallen-back sections."""
        return []


def get_backend(name: str, model: str | None = None, **options: Any) -> Backend:
    """The backend registered as ``name``; ConfigError (exit 2) when unknown or not installed.

    ``options`` (concurrency, cache, run_dir, env …) go to the backends whose constructor takes
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
