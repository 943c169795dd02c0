"""Package discovery, kept here because pyproject.toml cannot express it: the top-level
``prompts/`` folder (data files the drafting backends read) ships inside the installed package
as ``drafter.prompt_files`` (DESIGN.md "Prompts"). Everything else is configured in pyproject.toml."""

from pathlib import Path

from setuptools import find_packages, setup

PROMPTS = Path(__file__).resolve().parent / "prompts"
prompt_packages = ["drafter.prompt_files"] + sorted(
    "drafter.prompt_files." + ".".join(d.relative_to(PROMPTS).parts)
    for d in PROMPTS.rglob("*") if d.is_dir() and not d.name.startswith((".", "__")))

setup(
    packages=find_packages(include=["drafter", "drafter.*", "evaluations", "evaluations.*"])
    + prompt_packages,
    package_dir={"drafter.prompt_files": "prompts"},  # its data files: [tool.setuptools.package-data]
)
