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

Title and abstract of the formats that carry markup (``arxiv``, ``atom``, ``hf``, ``bibtex``:
LaTeX, HTML entities, hard line breaks) go through :func:`claimkit.clean.clean_text`; JSONL,
CSV, Parquet, the page dump and DataFrames are taken verbatim (claimkit's own tables, and the
seed gold's offsets point into the raw JSONL text). ``clean=True`` / ``False`` forces it
either way. The text kept in the papers table is what the claims' offsets point into. A paper keeps its arXiv id (or the input's id) as ``paper``; otherwise
the id is derived from its title, so the same paper gets the same id from any source.
Metadata becomes columns: ``arxiv_id``, ``url``, ``published`` (``YYYY-MM-DD``), ``authors``
(``"; "``-separated), ``categories`` (space-separated, primary first), ``upvotes``, ...

Bad input raises :class:`~claimkit.errors.InputError` naming file and line (or record).
With ``on_error="skip"`` bad records are skipped instead; the table's
``attrs["skipped"]`` counts them and ``attrs["skipped_errors"]`` holds the first few messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, Union

import pandas as pd

from .clean import clean_text
from .errors import InputError, UsageError
from .sources.arxiv_snapshot import looks_like_snapshot, snapshot_record
from .sources.atom import looks_like_atom, parse_atom
from .sources.bibtex import looks_like_bibtex, parse_bibtex
from .sources.filters import DateLike, filter_papers, with_paper_metadata
from .sources.hf import looks_like_hf, parse_hf
from .sources.policy import BadRecords, OnError, ReadOptions, ReadReport, one_run, reading, settings
from .sources.tables import Located, csv_items, frame_items, jsonl_items, page_items, parquet_items, read_text
from .sources.text import BadJson, Item, error_at, first_line, iter_json_lines, parse_json, read_bytes, read_head, spooled
from .table import PAPER_COLUMNS

Source = Union[str, Path, pd.DataFrame]

__all__ = [
    "read_papers", "iter_papers", "detect_format", "filter_papers", "with_paper_metadata", "reading", "ReadReport", "paper_id_from_title",
    "papers_from_frame", "papers_from_records", "papers_from_items", "iter_jsonl_records", "read_text",
    "FORMATS", "READERS",
]

_ID_KEYS = ("id", "paper", "paper_id", "arxiv_id")
_ABSTRACT_KEYS = ("abstract", "summary")
_COUNT_COLUMNS = ("upvotes", "num_comments")  # integers that may be missing
_WHITESPACE = b"\xef\xbb\xbf \t\r\n"
SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
    ".pq": "parquet", ".txt": "page", ".bib": "bibtex", ".xml": "atom", ".atom": "atom",
}
MAX_TEXT_CHARS = 1_000_000  # per title or abstract (arXiv caps abstracts at 1,920): longer is a bad record, not a slow run
CLEANED = frozenset({"arxiv", "atom", "hf", "bibtex"})  # cleaned by default (clean=None)
STREAMED = frozenset({"jsonl", "arxiv"})  # line-based: read in bounded memory by iter_papers


def paper_id_from_title(title: str) -> str:
    """A stable id from a title: case, spacing and punctuation do not change it.

    >>> paper_id_from_title("Attention Is All You Need") == paper_id_from_title(" attention is  all you need.")
    True
    """
    key = " ".join(re.findall(r"\w+", title.lower()))
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def read_papers(source: Source, format: str | None = None, *, categories: str | Iterable[str] | None = None,
                since: DateLike = None, until: DateLike = None, on_error: OnError | None = None,
                clean: bool | None = None) -> pd.DataFrame:
    """Read papers from a file of any supported format, or from a DataFrame.

    ``categories``, ``since`` and ``until`` keep only matching papers (see
    :func:`filter_papers`); on streamed formats they are applied while reading.
    ``on_error``: ``"raise"`` (default) or ``"skip"``. ``clean``: None cleans the formats in
    :data:`CLEANED`, True or False forces it. Arguments left None take the defaults of an
    enclosing :func:`reading` block.
    """
    given: dict[str, Any] = dict(categories=categories, since=since, until=until, on_error=on_error, clean=clean)
    if isinstance(source, pd.DataFrame):
        options, bad = settings(False, **given)
        records = list(_records(frame_items(source, "<DataFrame>"), "<DataFrame>", options, bad))
        return _papers_table(records, "<DataFrame>", options, bad)
    path = Path(source)
    with _readable(path) as local:
        return _read_file(local, path, _format_of(local, format, path), given)


def _read_file(local: Path, label: Path, fmt: str, given: dict) -> pd.DataFrame:
    """The papers of ``local`` (``label`` is the name errors give: a stream is read from a copy)."""
    options, bad = settings(fmt in CLEANED, **given)
    records = list(_records(_file_items(local, fmt, label), label, options, bad))
    return _papers_table(records, label, options, bad)


def iter_papers(source: Source, format: str | None = None, chunk_size: int = 10_000, *,
                categories: str | Iterable[str] | None = None, since: DateLike = None, until: DateLike = None,
                on_error: OnError | None = None, clean: bool | None = None) -> Iterator[pd.DataFrame]:
    """Papers tables of at most ``chunk_size`` rows; JSONL and the arXiv snapshot are streamed.

    Options as in :func:`read_papers`. Each chunk's ``attrs["skipped"]`` counts the bad records
    skipped since the previous chunk.
    """
    given: dict[str, Any] = dict(categories=categories, since=since, until=until, on_error=on_error, clean=clean)
    if isinstance(source, pd.DataFrame):
        yield from _chunks_of(read_papers(source, **given), chunk_size)
        return
    path = Path(source)
    with _readable(path) as local:
        fmt = _format_of(local, format, path)
        if fmt not in STREAMED:
            yield from _chunks_of(_read_file(local, path, fmt, given), chunk_size)
            return
        options, bad = settings(fmt in CLEANED, **given)
        chunk, read, reported = [], 0, 0
        for record in _records(_file_items(local, fmt, path), path, options, bad):
            chunk.append(record)
            read += 1
            if len(chunk) == chunk_size:
                yield _chunk_table(chunk, path, options, bad, reported)
                chunk, reported = [], bad.report.skipped
        if chunk or not read:
            yield _chunk_table(chunk, path, options, bad, reported)


def _chunks_of(papers: pd.DataFrame, chunk_size: int) -> Iterator[pd.DataFrame]:
    for begin in range(0, len(papers), chunk_size):
        chunk = papers.iloc[begin : begin + chunk_size].reset_index(drop=True)
        chunk.attrs = dict(papers.attrs) if begin == 0 else {"skipped": 0, "skipped_errors": []}
        yield chunk


def _chunk_table(records: list[dict], source: object, options: ReadOptions, bad: BadRecords,
                 reported: int) -> pd.DataFrame:
    """A streamed chunk; its attrs count only the records skipped since the previous chunk."""
    papers = _papers_table(records, source, options, bad)
    papers.attrs.update(skipped=bad.report.skipped - reported, skipped_errors=bad.report.first[reported:])
    return papers


def papers_from_items(items: Iterable[Item], source: object, format: str, *, clean: bool | None = None,
                      on_error: OnError | None = None) -> pd.DataFrame:
    r"""A papers table from records a format module produced from bytes (e.g. a fetched page).

    >>> from claimkit.sources.hf import parse_hf
    >>> data = b'[{"paper": {"id": "2401.00001", "title": "A", "summary": "50\\\\% faster", "upvotes": 3}}]'
    >>> papers_from_items(parse_hf(data, "mem"), "mem", "hf")[["paper", "abstract", "upvotes"]].values.tolist()
    [['2401.00001', '50% faster', 3]]
    """
    options, bad = settings(format in CLEANED, clean=clean, on_error=on_error)
    records = list(_records(((None, item) for item in items), source, options, bad))
    return _papers_table(records, source, options, bad)


def detect_format(path: Path, label: object = None) -> str:
    """The format of ``path``: by content (a CSV header naming ``title``), else by suffix, else ``page``.

    A JSON list is Hugging Face JSON unless the suffix says JSON lines (``.jsonl``, ``.ndjson``):
    there a first line ``[...]`` is a bad line 1. ``label`` names the file in errors and gives
    the suffix (a stream is detected from a copy).
    """
    name = Path(str(label)) if label is not None else path
    head = read_head(path, label=label)
    start = head.lstrip(_WHITESPACE)
    if head.startswith(b"PAR1"):
        return "parquet"
    if looks_like_atom(head):
        return "atom"
    if looks_like_hf(head):
        return "jsonl" if SUFFIXES.get(name.suffix.lower()) == "jsonl" and name.suffix.lower() != ".json" else "hf"
    if start[:1] == b"{":
        return "arxiv" if _first_line_is_snapshot(path) else "jsonl"
    if looks_like_bibtex(head):
        return "bibtex"
    first = start.split(b"\n", 1)[0].lower()
    if b"," in first and b"title" in first:
        return "csv"
    return SUFFIXES.get(name.suffix.lower(), "page")


def _format_of(path: Path, format: str | None, label: object = None) -> str:
    fmt = format or detect_format(path, label)
    if fmt not in FORMATS:
        raise UsageError("--format" if format else (label or path), f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    return fmt


def _first_line_is_snapshot(path: Path) -> bool:
    try:
        record = parse_json(first_line(path).decode("utf-8-sig", "replace"))
    except BadJson:
        return False  # a broken first line: the JSONL reader reports it with its line number
    return isinstance(record, dict) and looks_like_snapshot(record)


@contextlib.contextmanager
def _readable(path: Path) -> Iterator[Path]:
    """``path``, or the copy of a stream (a FIFO, ``/dev/stdin``); errors keep naming ``path``."""
    with spooled(path) as local:
        if local == path:
            yield local
            return
        try:
            yield local
        except InputError as err:
            raise _relabel(err, local, path) from None


def _relabel(err: InputError, local: Path, label: Path) -> InputError:
    if err.source != str(local):
        return err
    return type(err)(label, err.message, err.line, row=err.row)


def _file_items(local: Path, fmt: str, label: Path) -> Iterator[Located]:
    items = FORMATS[fmt](local)
    if local == label:
        return items
    return ((where, _relabel(item, local, label) if isinstance(item, InputError) else item) for where, item in items)


def _records(items: Iterator[Located], source: object, options: ReadOptions, bad: BadRecords) -> Iterator[dict]:
    """Normalized (and cleaned) records that pass the filter and have a new id; bad ones go to ``bad``."""
    for where, item in items:
        if isinstance(item, InputError):
            bad.add(item)
            continue
        if options.keep and not options.keep.keeps(item.get("categories"), item.get("published")):
            continue  # before cleanup: a filtered snapshot read skips most of the work
        try:
            record = _normalize_record(item, source, where, options.clean)
        except InputError as err:
            bad.add(err)
            continue
        first = bad.seen.first_seen(record["paper"], source, where)
        if first is not None:
            bad.add(error_at(source, f"paper id {record['paper']!r} again (first at {first}); ids must be unique", where))
            continue
        yield record


def _papers_table(records: list[dict], source: object, options: ReadOptions, bad: BadRecords) -> pd.DataFrame:
    if not records:
        what = "no papers match the filters" if options.keep else "no papers found"
        raise InputError(source, what + bad.report.note())
    papers = papers_from_records(records, source)
    papers.attrs.update(skipped=bad.report.skipped, skipped_errors=list(bad.report.first))
    return papers


# The formats with a module in claimkit.sources: path -> (line or None, record or error) items.

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


FORMATS: dict[str, Callable[[Path], Iterator[Located]]] = {
    "jsonl": jsonl_items,
    "arxiv": _snapshot_items,
    "atom": _atom_items,
    "hf": _hf_items,
    "bibtex": _bibtex_items,
    "csv": csv_items,
    "parquet": parquet_items,
    "page": page_items,
}
READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    name: (lambda path, name=name: read_papers(path, format=name)) for name in FORMATS
}


# Helpers kept for callers of the first readers API.

def iter_jsonl_records(path: Path) -> Iterator[dict]:
    """Normalized (uncleaned) records of a JSONL file, streamed; the first bad line raises."""
    for number, item in iter_json_lines(path):
        if isinstance(item, InputError):
            raise item
        yield _normalize_record(item, path, number, clean=False)


def papers_from_frame(frame: pd.DataFrame, source: object) -> pd.DataFrame:
    """Check and normalize (without cleanup) a DataFrame that has title and abstract columns."""
    return papers_from_records([_normalize_record(r, source, None, clean=False) for _, r in frame_items(frame, source)], source)


def _normalize_record(record: dict, source: object, where: int | None, clean: bool = True) -> dict:
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
            raise error_at(source, f"{key} must be text, not {type(value).__name__}", where)
        _check_text(value, key, source, where)
        record[key] = clean_text(value) if clean else value
    if not record["title"].strip() and not record["abstract"].strip():
        raise error_at(source, "record has neither title nor abstract", where)
    paper = next((record[k] for k in _ID_KEYS if record.get(k) not in (None, "")), None)
    record["paper"] = _paper_id(paper, source, where) if paper is not None else paper_id_from_title(record["title"])
    return record


def _check_text(value: str, key: str, source: object, where: int | None) -> None:
    """A bad record for a text over :data:`MAX_TEXT_CHARS` or with a lone surrogate (not writable)."""
    if len(value) > MAX_TEXT_CHARS:
        raise error_at(source, f"{key} has {len(value):,} characters, more than the limit of {MAX_TEXT_CHARS:,}", where)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise error_at(source, f"{key} holds a lone surrogate (\\u{ord(value[err.start]):04x}), not Unicode text", where) from None


def _paper_id(value: object, source: object, where: int | None) -> str:
    if isinstance(value, (dict, list)):
        raise error_at(source, f"the paper id must be text or a number, not {type(value).__name__}", where)
    paper = str(value)
    _check_text(paper, "the paper id", source, where)
    return paper


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


def read_sources(sources: Sequence[Source], format: str | None = None) -> pd.DataFrame:
    """Several inputs as one papers table, in order; a paper id may appear only once in all of them."""
    with one_run():
        frames = [read_papers(source if isinstance(source, pd.DataFrame) else Path(source), format=format)
                  for source in sources]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
