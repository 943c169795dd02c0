"""drafter — draft and check the annual 法治政府建设年度报告.

Public API (stable for tools built on top of the package)::

    from drafter import read_report, check_report, CheckOptions
"""

from drafter.checker import CheckOptions, check_report
from drafter.errors import DrafterError, FactsError, InputError, OutputError
from drafter.report.readers import read_report
from drafter.report import Report
from drafter import version as _version

__version__ = _version.__version__
__all__ = ["read_report", "check_report", "CheckOptions", "Report", "DrafterError",
           "InputError", "FactsError", "OutputError", "load_facts", "draft"]


def __getattr__(name: str):
    # Loaded on first use, so `drafter check` does not pay for pydantic and the pipeline.
    if name == "load_facts":
        from drafter.facts import load_facts

        return load_facts
    if name == "draft":
        from drafter.pipeline import draft

        return draft
    raise AttributeError(f"module 'drafter' has no attribute {name!r}")
