"""Evaluations and benchmarks of drafter (``python -m evaluations`` or ``drafter eval``).

- :mod:`evaluations.mutations` / :mod:`evaluations.mutation_ops` — the mutation suite: one
  labelled defect at a time injected into the clean reports of ``cases/reports``;
- :mod:`evaluations.checker_eval` — recall per category, false alarms per clean report,
  precision, a per-rule table;
- :mod:`evaluations.drafting_eval` — drafting metrics per backend (template; llm against the
  scripted local server of the tests);
- :mod:`evaluations.prose_eval` — the template's prose: openers, connectors against their
  licensing relation, list length, sentence lengths, outcomes, citations; side-by-side pages
  (:mod:`evaluations.prose_page`) in ``evaluations/prose/``;
- :mod:`evaluations.bench` — wall times, throughput, memory;
- :mod:`evaluations.__main__` — runs them all, prints the tables and (``--write-results``)
  writes ``RESULTS.md`` with exactly what it printed.
"""
