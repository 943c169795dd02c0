"""Generated documentation stays fresh: the README's rule table and its two commands."""

from __future__ import annotations

import re

from drafter.checker.docs import README_BEGIN, README_END, refresh_readme, rules_table_md
from tests.conftest import ROOT


def test_readme_rules_table_is_generated_from_the_registry():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_BEGIN in text and README_END in text
    assert refresh_readme(text) == text, "README rule table is stale: run `python -m drafter.checker.docs README.md`"
    assert rules_table_md().count("\n") >= 10


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    test_cmd = next(b for b in blocks if "pytest" in b).strip()
    assert test_cmd in ci.splitlines(), f"CI does not run the README test command: {test_cmd}"


def test_rules_json_lists_every_rule_with_its_examples(cli):
    import json

    out = cli("rules", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    from drafter.checker import all_rules

    assert [r["rule"] for r in data] == [r.id for r in all_rules()]
    assert all(r["examples"]["fail"] and r["examples"]["pass"] for r in data)
