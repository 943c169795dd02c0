"""drafter — draft and check the annual 法治政府建设年度报告.

Public API (stable for tools built on top of the package)::

    from drafter import read_report, check_report, CheckOptions
"""

from drafter.checker import CheckOptions, check_report
from drafter.errors import DrafterError, FactsError, InputError, OutputError
from drafter.readers import read_report
from drafter.report import Report

__all__ = ["read_report", "check_report", "CheckOptions", "Report", "DrafterError",
           "InputError", "FactsError", "OutputError"]
__version__ = "0.1.0"
