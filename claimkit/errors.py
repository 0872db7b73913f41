"""The errors users see, one small hierarchy; each is one line and carries the CLI's exit code.

========================  ====  ==================================================================
error                     exit  when
========================  ====  ==================================================================
:class:`InputError`       2     an input file or record is bad: ``file:line: what``
:class:`UsageError`       2     a bad argument or option (``--since soon``, ``-o`` = an input, ...)
:class:`OutputError`      3     the output cannot be written (no such directory, disk full, ...)
:class:`FetchError`       4     a request failed for good (offline, timed out, HTTP 404, too large)
========================  ====  ==================================================================

The CLI also exits with 1 on an internal error (a bug: one line, the traceback with
``CLAIMKIT_TRACEBACK=1``), 130 on Ctrl-C and 143 on SIGTERM. All of them are
:class:`ClaimkitError`; the first two are also ``ValueError`` for callers that catch that.
"""

from __future__ import annotations

from typing import ClassVar


def one_line(value: object) -> str:
    """``str(value)`` with its runs of white space (newlines too) as single spaces."""
    return " ".join(str(value).split())


class ClaimkitError(Exception):
    """A failure users see: ``str(err)`` is one line naming what failed (file, option or URL)."""

    exit_code: ClassVar[int] = 1

    def __init__(self, source: object, message: str, line: int | None = None, *, row: int | None = None) -> None:
        self.source = str(source)
        self.line = line
        self.row = row
        self.message = message
        where = self.source if line is None else f"{self.source}:{line}"
        what = message if row is None else f"row {row}: {message}"
        super().__init__(f"{where}: {what}")


class InputError(ClaimkitError, ValueError):
    """Bad input: ``file:line: what`` (``file: row N: what`` for Parquet and DataFrame rows)."""

    exit_code = 2


class UsageError(ClaimkitError, ValueError):
    """A bad argument or option: ``--option: what``."""

    exit_code = 2


class OutputError(ClaimkitError):
    """The output cannot be written: ``path: why``. An existing output is left as it was."""

    exit_code = 3


class FetchError(ClaimkitError):
    """A request that failed for good: ``URL: why`` (offline, timed out, refused, HTTP error, too large)."""

    exit_code = 4


EXIT_CODES = {"success": 0, "internal error": 1, InputError.__name__: InputError.exit_code,
              UsageError.__name__: UsageError.exit_code, OutputError.__name__: OutputError.exit_code,
              FetchError.__name__: FetchError.exit_code, "interrupted (Ctrl-C)": 130, "terminated (SIGTERM)": 143}
