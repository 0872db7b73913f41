"""Readers: every input format -> one papers table (``paper``, ``title``, ``abstract`` + metadata).

The single entry point is :func:`read_papers` (or :func:`iter_papers` for chunks). The format
is detected from the content (suffix only when the content does not tell), ``format=``
overrides it:

=========  ==================================================  ========
format     what                                                streamed
=========  ==================================================  ========
jsonl      JSON lines, one paper per line                      yes
arxiv      arXiv OAI metadata snapshot (JSON lines)            yes
atom       arXiv API Atom feed (:mod:`.sources.atom`)
hf         Hugging Face daily-papers API JSON (:mod:`.sources.hf`)
bibtex     BibTeX with ``abstract`` fields (:mod:`.sources.bibtex`)
csv        CSV with ``title`` and ``abstract`` (or ``summary``)
parquet    Parquet with ``title`` and ``abstract``
page       the raw trending-papers page dump
=========  ==================================================  ========

Title and abstract of every source go through :func:`claimkit.clean.clean_text` (LaTeX,
HTML entities, hard line breaks) unless ``clean=False``; the cleaned text is what the claims'
offsets point into. A paper keeps its arXiv id (or the input's id) as ``paper``; otherwise
the id is derived from its title, so the same paper gets the same id from any source.
Metadata becomes columns: ``arxiv_id``, ``url``, ``published`` (``YYYY-MM-DD``), ``authors``
(``"; "``-separated), ``categories`` (space-separated, primary first), ``upvotes``, ...

Bad input raises :class:`~claimkit.errors.InputError` naming file and line (or record).
With ``on_error="skip"`` bad records are skipped instead; the table's
``attrs["skipped"]`` counts them and ``attrs["skipped_errors"]`` holds the first few messages.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Union

import pandas as pd

from .clean import clean_text
from .errors import InputError
from .sources.arxiv_snapshot import looks_like_snapshot, snapshot_record
from .sources.atom import looks_like_atom, parse_atom
from .sources.bibtex import looks_like_bibtex, parse_bibtex
from .sources.filters import DateLike, PaperFilter, filter_papers
from .sources.hf import looks_like_hf, parse_hf
from .sources.text import Item, decode_text, first_line, iter_json_lines, read_bytes, read_head
from .table import PAPER_COLUMNS

Source = Union[str, Path, pd.DataFrame]
OnError = Literal["raise", "skip"]
Located = tuple[Union[int, None], Item]  # (line or None, record or the error of a bad one)

__all__ = [
    "read_papers", "iter_papers", "detect_format", "filter_papers", "paper_id_from_title",
    "papers_from_frame", "papers_from_records", "iter_jsonl_records", "FORMATS", "READERS",
]

_DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(, \d{4})?$")
_ID_KEYS = ("id", "paper", "paper_id", "arxiv_id")
_ABSTRACT_KEYS = ("abstract", "summary")
_COUNT_COLUMNS = ("upvotes", "num_comments")  # integers that may be missing
_WHITESPACE = b"\xef\xbb\xbf \t\r\n"
SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
    ".pq": "parquet", ".txt": "page", ".bib": "bibtex", ".xml": "atom", ".atom": "atom",
}
STREAMED = frozenset({"jsonl", "arxiv"})  # line-based: read in bounded memory by iter_papers
MAX_REPORTED = 5


def paper_id_from_title(title: str) -> str:
    """A stable id from a title: case, spacing and punctuation do not change it.

    >>> paper_id_from_title("Attention Is All You Need") == paper_id_from_title(" attention is  all you need.")
    True
    """
    key = " ".join(re.findall(r"\w+", title.lower()))
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Skipped:
    """Bad records: raised at once (``on_error="raise"``) or counted and skipped."""

    on_error: OnError = "raise"
    count: int = 0
    first: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.on_error not in ("raise", "skip"):
            raise InputError("--on-error", f"expected 'raise' or 'skip', not {self.on_error!r}")

    def add(self, error: InputError) -> None:
        if self.on_error == "raise":
            raise error
        self.count += 1
        if len(self.first) < MAX_REPORTED:
            self.first.append(str(error))

    def note(self) -> str:
        """``" (3 bad records skipped; first: ...)"`` or ""."""
        return f" ({self.count} bad records skipped; first: {self.first[0]})" if self.count else ""


@dataclass(frozen=True)
class ReadOptions:
    """What every reader applies to its records: cleanup, filters, the bad-record policy."""

    clean: bool = True
    keep: PaperFilter = PaperFilter()
    on_error: OnError = "raise"


def read_papers(source: Source, format: str | None = None, *, categories: str | Iterable[str] | None = None,
                since: DateLike = None, until: DateLike = None, on_error: OnError = "raise",
                clean: bool = True) -> pd.DataFrame:
    """Read papers from a file of any supported format, or from a DataFrame.

    ``categories``, ``since`` and ``until`` keep only matching papers (see
    :func:`filter_papers`); on streamed formats they are applied while reading.
    """
    options = ReadOptions(clean, PaperFilter.of(categories, since, until), on_error)
    skipped = Skipped(on_error)
    label = "<DataFrame>" if isinstance(source, pd.DataFrame) else Path(source)
    records = list(_records(_items(source, format), label, options, skipped))
    return _papers_table(records, label, options, skipped)


def iter_papers(source: Source, format: str | None = None, chunk_size: int = 10_000, *,
                categories: str | Iterable[str] | None = None, since: DateLike = None,
                until: DateLike = None, on_error: OnError = "raise", clean: bool = True) -> Iterator[pd.DataFrame]:
    """Papers tables of at most ``chunk_size`` rows; JSONL and the arXiv snapshot are streamed.

    Each chunk's ``attrs["skipped"]`` counts the bad records skipped since the previous chunk.
    """
    options = ReadOptions(clean, PaperFilter.of(categories, since, until), on_error)
    if isinstance(source, pd.DataFrame) or _format_of(Path(source), format) not in STREAMED:
        papers = read_papers(source, format, categories=categories, since=since, until=until,
                             on_error=on_error, clean=clean)
        for begin in range(0, len(papers), chunk_size):
            chunk = papers.iloc[begin : begin + chunk_size].reset_index(drop=True)
            chunk.attrs = dict(papers.attrs) if begin == 0 else {"skipped": 0, "skipped_errors": []}
            yield chunk
        return
    path, skipped, chunk, read = Path(source), Skipped(on_error), [], 0
    for record in _records(_items(path, format), path, options, skipped):
        chunk.append(record)
        read += 1
        if len(chunk) == chunk_size:
            yield _papers_table(chunk, path, options, skipped)
            chunk, skipped = [], Skipped(on_error)
    if chunk or not read:
        yield _papers_table(chunk, path, options, skipped)


def detect_format(path: Path) -> str:
    """The format of ``path``: by content, else by suffix, else CSV or page by the first line."""
    head = read_head(path)
    start = head.lstrip(_WHITESPACE)
    if head.startswith(b"PAR1"):
        return "parquet"
    if looks_like_atom(head):
        return "atom"
    if looks_like_hf(head):
        return "hf"
    if start[:1] == b"{":
        return "arxiv" if _first_line_is_snapshot(path) else "jsonl"
    if looks_like_bibtex(head):
        return "bibtex"
    if path.suffix.lower() in SUFFIXES:
        return SUFFIXES[path.suffix.lower()]
    first = start.split(b"\n", 1)[0].lower()
    if b"," in first and b"title" in first:
        return "csv"
    return "page"


def _format_of(path: Path, format: str | None) -> str:
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(path, f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return fmt


def _first_line_is_snapshot(path: Path) -> bool:
    try:
        record = json.loads(first_line(path))
    except ValueError:
        return False  # a broken first line: the JSONL reader reports it with its line number
    return isinstance(record, dict) and looks_like_snapshot(record)


def _items(source: Source, format: str | None) -> Iterator[Located]:
    if isinstance(source, pd.DataFrame):
        return _frame_items(source, "<DataFrame>")
    path = Path(source)
    return FORMATS[_format_of(path, format)](path)


def _records(items: Iterator[Located], source: object, options: ReadOptions, skipped: Skipped) -> Iterator[dict]:
    """Normalized, cleaned records that pass the filter; bad ones go to ``skipped``."""
    for line, item in items:
        if isinstance(item, InputError):
            skipped.add(item)
            continue
        try:
            record = _normalize_record(item, source, line, options.clean)
        except InputError as err:
            skipped.add(err)
            continue
        if options.keep and not options.keep.keeps(record.get("categories"), record.get("published")):
            continue
        yield record


def _papers_table(records: list[dict], source: object, options: ReadOptions, skipped: Skipped) -> pd.DataFrame:
    if not records:
        what = "no papers match the filters" if options.keep else "no papers found"
        raise InputError(source, what + skipped.note())
    papers = papers_from_records(records, source)
    papers.attrs.update(skipped=skipped.count, skipped_errors=list(skipped.first))
    return papers


# Formats: path -> (line or None, record or error) items. File-level problems raise.

def _jsonl_items(path: Path) -> Iterator[Located]:
    yield from iter_json_lines(path)


def _snapshot_items(path: Path) -> Iterator[Located]:
    for number, item in iter_json_lines(path):
        yield number, item if isinstance(item, InputError) else snapshot_record(item, path, number)


def _atom_items(path: Path) -> Iterator[Located]:
    for item in parse_atom(read_bytes(path), path).items:
        yield None, item


def _hf_items(path: Path) -> Iterator[Located]:
    for item in parse_hf(read_bytes(path), path):
        yield None, item


def _bibtex_items(path: Path) -> Iterator[Located]:
    for item in parse_bibtex(read_text(path), path):
        yield (item.line if isinstance(item, InputError) else None), item


def _page_items(path: Path) -> Iterator[Located]:
    """A raw page dump: header lines up to the first date line, then title / abstract lines."""
    lines = [line.strip() for line in read_text(path).splitlines()]
    start = next((i + 1 for i, line in enumerate(lines) if _DATE_LINE.match(line)), 0)
    pending = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line or _DATE_LINE.match(line):
            continue
        if pending is None:
            pending = (number, line)
        else:
            yield pending[0], {"title": pending[1], "abstract": line}
            pending = None
    if pending is not None:
        yield pending[0], InputError(path, "title without an abstract (truncated page?)", line=pending[0])


def _csv_items(path: Path) -> Iterator[Located]:
    try:
        frame = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(path, f"unreadable CSV ({str(err).splitlines()[0]})") from None
    return _frame_items(frame, path)


def _parquet_items(path: Path) -> Iterator[Located]:
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types for a broken file
        raise InputError(path, f"unreadable Parquet ({str(err).splitlines()[0]})") from None
    return _frame_items(frame, path)


def _frame_items(frame: pd.DataFrame, source: object) -> Iterator[Located]:
    """Rows of a frame that has title and abstract (or summary) columns."""
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if isinstance(c, str)})
    if "abstract" not in frame.columns and "summary" in frame.columns:
        frame = frame.rename(columns={"summary": "abstract"})
    missing = [c for c in ("title", "abstract") if c not in frame.columns]
    if missing:
        raise InputError(source, f"no {' or '.join(missing)} column (columns: {', '.join(map(str, frame.columns))})")
    return ((None, record) for record in frame.to_dict("records"))


FORMATS: dict[str, Callable[[Path], Iterator[Located]]] = {
    "jsonl": _jsonl_items,
    "arxiv": _snapshot_items,
    "atom": _atom_items,
    "hf": _hf_items,
    "bibtex": _bibtex_items,
    "csv": _csv_items,
    "parquet": _parquet_items,
    "page": _page_items,
}
READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    name: (lambda path, name=name: read_papers(path, format=name)) for name in FORMATS
}


# Helpers kept for callers of the first readers API.

def read_text(path: Path) -> str:
    """The whole file as UTF-8 text, or an InputError for a missing, empty or binary file."""
    return decode_text(read_bytes(path), path)


def iter_jsonl_records(path: Path) -> Iterator[dict]:
    """Normalized (uncleaned) records of a JSONL file, streamed; the first bad line raises."""
    for number, item in iter_json_lines(path):
        if isinstance(item, InputError):
            raise item
        yield _normalize_record(item, path, number, clean=False)


def papers_from_frame(frame: pd.DataFrame, source: object) -> pd.DataFrame:
    """Check and normalize (without cleanup) a DataFrame that has title and abstract columns."""
    return papers_from_records([_normalize_record(r, source, None, clean=False) for _, r in _frame_items(frame, source)], source)


def _normalize_record(record: dict, source: object, line: int | None, clean: bool = True) -> dict:
    record = dict(record)
    if "abstract" not in record:
        for key in _ABSTRACT_KEYS:
            if key in record:
                record["abstract"] = record.pop(key)
                break
    for key in ("title", "abstract"):
        value = record.get(key)
        if value is None or (isinstance(value, float) and value != value):
            value = ""
        if not isinstance(value, str):
            raise InputError(source, f"{key} must be text, not {type(value).__name__}", line=line)
        record[key] = clean_text(value) if clean else value
    if not record["title"].strip() and not record["abstract"].strip():
        raise InputError(source, "record has neither title nor abstract", line=line)
    paper = next((record[k] for k in _ID_KEYS if record.get(k) not in (None, "")), None)
    record["paper"] = str(paper) if paper is not None else paper_id_from_title(record["title"])
    return record


def papers_from_records(records: list[dict], source: object) -> pd.DataFrame:
    """Papers table from normalized records: paper, title, abstract first, metadata after."""
    if not records:
        raise InputError(source, "no papers found")
    frame = pd.DataFrame.from_records(records)
    if "paper" not in frame.columns:
        frame["paper"] = [paper_id_from_title(t) for t in frame["title"]]
    extra = [c for c in frame.columns if c not in PAPER_COLUMNS and c not in _ID_KEYS[:1]]
    frame = frame[list(PAPER_COLUMNS) + extra]
    for column in PAPER_COLUMNS:
        frame[column] = frame[column].astype("str")
    for column in _COUNT_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame.reset_index(drop=True)
