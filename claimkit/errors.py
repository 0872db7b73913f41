"""The one error type users see: bad input, reported as ``file:line: what``."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input. ``str(err)`` is one line naming the file (and line, when known)."""

    def __init__(self, source: object, message: str, line: int | None = None) -> None:
        self.source = str(source)
        self.line = line
        self.message = message
        where = self.source if line is None else f"{self.source}:{line}"
        super().__init__(f"{where}: {message}")
