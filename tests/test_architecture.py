"""The tree shows the pipeline: layers import only downwards, no module is too long.

The import graph is read from the source (every ``import``, also inside functions; imports
under ``if TYPE_CHECKING:`` are types only and do not count). Layers, lowest first — the
order DESIGN.md draws: shared utilities, Chinese-text analyses, the Word XML layer, the
document model, facts, the corpus, the checker, prompts, the plan, grounding, backends, the
pipeline, LLM-assisted review, the API, and the thin CLI and web on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "drafter"
MAX_LINES = 500

LAYERS: list[tuple[str, ...]] = [
    ("drafter.errors", "drafter.io", "drafter.version", "drafter.cache", "drafter.datafiles",
     "drafter.sections", "drafter.config", "drafter.processes"),
    ("drafter.text",),
    ("drafter.docx",),
    ("drafter.report",),
    ("drafter.facts",),
    ("drafter.corpus",),
    ("drafter.checker",),
    ("drafter.prompts",),
    ("drafter.plan",),
    ("drafter.grounding",),
    ("drafter.backends",),
    ("drafter.run_record", "drafter.pipeline"),
    ("drafter.review", "drafter.import_refine"),
    ("drafter.api",),
    ("drafter.web",),
    ("drafter.cli",),
    ("drafter", "drafter.__main__"),  # the package's public API and entry point
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best, depth = None, -1
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and p.count(".") > depth:
                best, depth = i, p.count(".")
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "drafter":  # from drafter import sections
                out |= {f"drafter.{a.name}" for a in node.names}
            elif node.module.startswith("drafter."):
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("drafter.")}
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_no_layer_imports_a_higher_one():
    wrong = sorted(f"{a} → {b}" for a, targets in graph().items() for b in targets
                   if layer_of(b) > layer_of(a))
    assert wrong == []


def test_no_cycle_between_subpackages():
    def package(m: str) -> str:
        parts = m.split(".")
        return ".".join(parts[:2])

    edges: dict[str, set[str]] = {}
    for a, targets in graph().items():
        for b in targets:
            if package(a) != package(b):
                edges.setdefault(package(a), set()).add(package(b))
    seen: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(n: str, path: list[str]) -> None:
        seen[n] = 1
        for m in sorted(edges.get(n, ())):
            assert seen.get(m) != 1, "import cycle: " + " → ".join(path + [n, m])
            if m not in seen:
                visit(m, path + [n])
        seen[n] = 2

    for n in sorted(edges):
        if n not in seen:
            visit(n, [])


def test_report_and_text_never_import_checker_backends_cli_or_web():
    high = ("drafter.checker", "drafter.backends", "drafter.cli", "drafter.web", "drafter.pipeline",
            "drafter.api")
    wrong = sorted(f"{a} → {b}" for a, targets in graph().items()
                   if a.startswith(("drafter.report", "drafter.text"))
                   for b in targets if b.startswith(high))
    assert wrong == []


def test_no_module_is_over_500_lines():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
