"""drafter — draft and check the annual 法治政府建设年度报告.

Public API (stable for tools built on top of the package)::

    from drafter import read_report, check_report, CheckOptions
"""

from drafter import version as _version
from drafter.errors import DrafterError, FactsError, InputError, OutputError

__version__ = _version.__version__
__all__ = ["read_report", "check_report", "CheckOptions", "Report", "DrafterError",
           "InputError", "FactsError", "OutputError", "load_facts", "draft"]

# Where each name of the API lives. They are imported on first use, so that importing the
# package (every `drafter` command does) compiles no pattern and loads no lexicon before the
# command has set up the pattern cache (drafter.cache), and `drafter check` does not pay for
# pydantic and the pipeline.
_LAZY = {"read_report": "drafter.report.readers", "check_report": "drafter.checker",
         "CheckOptions": "drafter.checker", "Report": "drafter.report",
         "load_facts": "drafter.facts", "draft": "drafter.pipeline"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'drafter' has no attribute {name!r}")
