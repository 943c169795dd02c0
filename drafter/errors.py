"""The exception hierarchy. The CLI turns every DrafterError into one Chinese line and exit 2.

Foreign errors (OSError, zipfile.BadZipFile, YAML errors, pydantic ValidationError …) are
translated into these at the seam where they enter, so no traceback ever reaches a user.
"""

from __future__ import annotations


class DrafterError(Exception):
    """A problem the user can fix: bad input, bad usage, an unwritable output.

    ``message`` says what went wrong and where (file, line, field); ``hint`` says what to do.
    Both are in Chinese because users read them.
    """

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        text = self.message if not self.hint else f"{self.message}（{self.hint}）"
        return " ".join(text.split("\n"))


class InputError(DrafterError):
    """A report or other input file cannot be read (missing, wrong type, bad encoding…)."""


class FactsError(DrafterError):
    """A facts file is invalid (syntax, missing field, wrong type, inconsistent figures)."""


class OutputError(DrafterError):
    """An output cannot be written (exists without --force, folder missing, not writable)."""


class ConfigError(DrafterError):
    """The environment or options are incomplete (e.g. no LLM endpoint configured)."""


class BackendError(DrafterError):
    """A drafting backend failed in a way the user must act on (endpoint down, …)."""


class Cancelled(DrafterError):
    """The work was stopped on purpose before it finished (the server is shutting down)."""
