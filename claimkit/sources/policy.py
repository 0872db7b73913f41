"""How a read treats its records: cleanup, filters, and bad records (raise, or skip and report).

Options come from the arguments of a read, else from an enclosing :func:`reading` block, else
the defaults. The block exists for code that reads through layers it does not control: the
CLI sets ``--on-error``/``--category``/... once, and the streaming extract picks them up.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Literal

from ..errors import InputError, UsageError
from .filters import DateLike, PaperFilter
from .text import Row

OnError = Literal["raise", "skip"]
MAX_REPORTED = 5  # messages kept per report: the first few tell what is wrong


@dataclass
class ReadReport:
    """Bad records skipped: how many, and the first few messages."""

    skipped: int = 0
    first: list[str] = field(default_factory=list)

    def add(self, error: InputError) -> None:
        self.skipped += 1
        if len(self.first) < MAX_REPORTED:
            self.first.append(str(error))

    def summary(self) -> str:
        """Lines for stderr, or "".

        >>> report = ReadReport()
        >>> report.add(InputError("a.jsonl", "broken JSON record", line=3))
        >>> print(report.summary())
        skipped 1 bad record, first:
          a.jsonl:3: broken JSON record
        """
        if not self.skipped:
            return ""
        head = f"skipped {self.skipped} bad record{'s' if self.skipped != 1 else ''}, first:"
        return "\n".join([head] + [f"  {message}" for message in self.first])

    def note(self) -> str:
        """``" (3 bad records skipped; first: ...)"``, for an error that follows, or ""."""
        return f" ({self.skipped} bad records skipped; first: {self.first[0]})" if self.skipped else ""


class PaperIds:
    """Paper ids seen so far (in one read, or in every read of a :func:`reading` block).

    A second paper with an id already seen would get the first one's metadata wherever papers
    are joined by id (the explorer, ``claimkit eval``): it is a bad record, reported with where
    the first one was. Memory: about 100 bytes per paper.
    """

    def __init__(self) -> None:
        self._first: dict[str, int] = {}
        self._sources: list[str] = []

    def first_seen(self, paper: str, source: object, where: int | None) -> str | None:
        """None for a new id (now remembered); else where it was first seen (``file:line``)."""
        found = self._first.get(paper)
        if found is not None:
            return self._describe(found)
        label = str(source)
        if not self._sources or self._sources[-1] != label:
            self._sources.append(label)
        # source index, then line (or row, marked by the low bit): one small int per id
        row = isinstance(where, Row)
        self._first[paper] = ((len(self._sources) - 1) << 41) | ((where or 0) << 1) | row
        return None

    def _describe(self, packed: int) -> str:
        source = self._sources[packed >> 41]
        where, row = (packed >> 1) & ((1 << 40) - 1), packed & 1
        if not where:
            return source
        return f"{source}: row {where}" if row else f"{source}:{where}"


@dataclass
class BadRecords:
    """One read's bad records: raised at once, or skipped into its report and the block's."""

    on_error: OnError = "raise"
    report: ReadReport = field(default_factory=ReadReport)
    block: ReadReport | None = None  # the enclosing reading() block's report
    seen: PaperIds = field(default_factory=PaperIds)  # the block's, when there is one

    def __post_init__(self) -> None:
        _check_on_error(self.on_error)

    def add(self, error: InputError) -> None:
        if self.on_error == "raise":
            raise error
        self.report.add(error)
        if self.block is not None:
            self.block.add(error)


@dataclass(frozen=True)
class ReadOptions:
    """What a read applies to every record."""

    clean: bool = False
    keep: PaperFilter = PaperFilter()


_BLOCK: contextvars.ContextVar[tuple[dict, ReadReport, PaperIds] | None] = contextvars.ContextVar("reading", default=None)


@contextlib.contextmanager
def reading(*, categories: str | Iterable[str] | None = None, since: DateLike = None, until: DateLike = None,
            on_error: OnError | None = None, clean: bool | None = None) -> Iterator[ReadReport]:
    """Defaults for every read inside the block; the report counts all records skipped in it.

    Arguments given to a read still win over the block's.

    >>> import pandas as pd
    >>> from claimkit.readers import read_papers
    >>> frame = pd.DataFrame({"title": ["A", None], "abstract": ["2x faster", None]})
    >>> with reading(on_error="skip") as report:
    ...     papers = read_papers(frame)
    >>> len(papers), report.skipped, report.first
    (1, 1, ['<DataFrame>: record has neither title nor abstract'])
    """
    PaperFilter.of(categories, since, until)  # a bad date fails here, before any work
    if on_error is not None:
        _check_on_error(on_error)
    given = {"categories": categories, "since": since, "until": until, "on_error": on_error, "clean": clean}
    report = ReadReport()
    token = _BLOCK.set(({name: value for name, value in given.items() if value is not None}, report, PaperIds()))
    try:
        yield report
    finally:
        try:
            _BLOCK.reset(token)
        except ValueError:  # a generator holding the block was closed from another context
            _BLOCK.set(None)


@contextlib.contextmanager
def one_run() -> Iterator[None]:
    """Reads inside share one set of paper ids (a duplicate across files is found), unless an
    enclosing :func:`reading` block already gives them one."""
    if _BLOCK.get() is not None:
        yield
        return
    with reading():
        yield


def settings(cleaned_by_default: bool, **given: object) -> tuple[ReadOptions, BadRecords]:
    """The options of one read: its arguments, else the enclosing block's, else the defaults."""
    block, block_report, seen = _BLOCK.get() or ({}, None, PaperIds())
    value = lambda name: given[name] if given.get(name) is not None else block.get(name)
    clean = value("clean")
    keep = PaperFilter.of(value("categories"), value("since"), value("until"))
    options = ReadOptions(cleaned_by_default if clean is None else bool(clean), keep)
    return options, BadRecords(value("on_error") or "raise", block=block_report, seen=seen)


def _check_on_error(on_error: object) -> None:
    if on_error not in ("raise", "skip"):
        raise UsageError("--on-error", f"expected 'raise' or 'skip', not {on_error!r}")
