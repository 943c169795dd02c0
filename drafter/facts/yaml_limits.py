"""Bounded YAML for files users supply (facts files): no "billion laughs", no stack overflow.

YAML aliases (``*a``) refer to an anchored node (``&a``) without copying it, so a few
kilobytes of nested aliases stand for billions of values once the document is turned into
plain data (and validated, and drafted from). ruamel.yaml composes such a document cheaply —
every alias is the one shared node — so the bound is applied right there, before anything is
expanded: :class:`BoundedComposer` counts the values the document *stands for* (each node
once per path that reaches it, memoised per node, so the count itself is linear in the
document) and refuses a document over :data:`MAX_NODES` values or :data:`MAX_CHARS`
characters of text, or one whose alias refers to its own ancestor (a cycle). Nesting is
bounded by ruamel's own ``max_depth`` (:data:`MAX_DEPTH`), which stops composing before
Python's recursion limit would.

A real facts file has a few hundred to a few thousand values nested four or five deep.
"""

from __future__ import annotations

from typing import Any

MAX_NODES = 200_000  # values after expanding aliases; a full facts file has ~2,000
MAX_CHARS = 4_000_000  # characters of text after expanding aliases (the file itself ≤ 2 MB)
MAX_DEPTH = 40  # nesting levels; a facts file uses five


class YamlTooLarge(Exception):
    """The document stands for too much data; ``line`` (1-based) is where, ``what`` says
    what (Chinese)."""

    def __init__(self, what: str, line: int):
        super().__init__(what)
        self.what = what
        self.line = line


def bounded_yaml() -> Any:
    """A ruamel.yaml round-trip loader (line numbers kept) with the bounds of this module."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Composer = BoundedComposer
    yaml.max_depth = MAX_DEPTH
    return yaml


def _composer_class() -> Any:
    from ruamel.yaml.composer import Composer

    return Composer


def expanded_size(root: Any) -> tuple[int, int]:
    """(values, characters) that the node graph under ``root`` stands for when every alias is
    expanded; YamlTooLarge as soon as either passes its bound or a node contains itself.

    Iterative (no recursion) and memoised per node: linear in the number of distinct nodes."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    done: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in done:
            continue
        if isinstance(node, ScalarNode):
            done[key] = (1, len(node.value or ""))
            continue
        kids = [x for pair in node.value for x in pair] if isinstance(node, MappingNode) \
            else list(node.value)
        if not children_done:
            if key in on_path:
                raise YamlTooLarge("别名引用了包含它自身的内容（循环引用）", _line(node))
            on_path.add(key)
            stack.append((node, True))
            for kid in kids:
                if id(kid) in on_path:
                    raise YamlTooLarge("别名引用了包含它自身的内容（循环引用）", _line(kid))
                if id(kid) not in done:
                    stack.append((kid, False))
            continue
        on_path.discard(key)
        values = 1 + sum(done[id(k)][0] for k in kids)
        chars = sum(done[id(k)][1] for k in kids)
        if values > MAX_NODES:
            raise YamlTooLarge(f"锚点和别名（& 与 *）展开后数据过多（超过 {MAX_NODES:,} 项），"
                               "可能是恶意构造的文件", _line(node))
        if chars > MAX_CHARS:
            raise YamlTooLarge(f"锚点和别名（& 与 *）展开后文字过多（超过 {MAX_CHARS:,} 字），"
                               "可能是恶意构造的文件", _line(node))
        done[key] = (values, chars)
    return done[id(root)]


def _line(node: Any) -> int:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else 1


class BoundedComposer(_composer_class()):  # type: ignore[misc]
    """ruamel's composer, checking each document's expanded size before it is constructed."""

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None:
            expanded_size(node)
        return node
