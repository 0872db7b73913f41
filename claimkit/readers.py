"""Readers: every input format -> one papers table (``paper``, ``title``, ``abstract`` + metadata).

The format is chosen by suffix, then by content. A paper keeps the input's id when it has
one; otherwise its id is derived from its title, so the same paper gets the same id from
any source. Bad input raises :class:`~claimkit.errors.InputError` naming file and line.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Callable, Iterator, Union

import pandas as pd

from .errors import InputError
from .table import PAPER_COLUMNS

Source = Union[str, Path, pd.DataFrame]

_DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(, \d{4})?$")
_ID_KEYS = ("id", "paper", "paper_id", "arxiv_id")
_ABSTRACT_KEYS = ("abstract", "summary")


def paper_id_from_title(title: str) -> str:
    """A stable id from a title: case, spacing and punctuation do not change it.

    >>> paper_id_from_title("Attention Is All You Need") == paper_id_from_title(" attention is  all you need.")
    True
    """
    key = " ".join(re.findall(r"\w+", title.lower()))
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def read_papers(source: Source, format: str | None = None) -> pd.DataFrame:
    """Read papers from a path (page dump, JSONL, CSV, Parquet) or a DataFrame."""
    if isinstance(source, pd.DataFrame):
        return papers_from_frame(source, "<DataFrame>")
    path = Path(source)
    fmt = format or detect_format(path)
    try:
        reader = READERS[fmt]
    except KeyError:
        raise InputError(path, f"unknown format {fmt!r} (known: {', '.join(sorted(READERS))})") from None
    return reader(path)


def detect_format(path: Path) -> str:
    """The format of ``path``: by suffix, else by its first bytes."""
    suffix = path.suffix.lower()
    by_suffix = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                 ".pq": "parquet", ".txt": "page"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = _read_head(path)
    if head.startswith(b"PAR1"):
        return "parquet"
    first = head.lstrip()[:1]
    if first == b"{":
        return "jsonl"
    first_line = head.split(b"\n", 1)[0].lower()
    if b"," in first_line and b"title" in first_line:
        return "csv"
    return "page"


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


def read_text(path: Path) -> str:
    """The whole file as UTF-8 text, or an InputError for a missing, empty or binary file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    if not data.strip():
        raise InputError(path, "file is empty")
    if b"\x00" in data:
        raise InputError(path, "binary data, not text", line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8 text (byte {err.start})", line=line) from None


def read_page(path: Path) -> pd.DataFrame:
    """A raw page dump: header lines up to the first date line, then title / abstract lines."""
    lines = [line.strip() for line in read_text(path).splitlines()]
    start = next((i + 1 for i, line in enumerate(lines) if _DATE_LINE.match(line)), 0)
    rows, pending = [], None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line or _DATE_LINE.match(line):
            continue
        if pending is None:
            pending = (number, line)
        else:
            rows.append({"title": pending[1], "abstract": line})
            pending = None
    if pending is not None:
        raise InputError(path, "title without an abstract (truncated page?)", line=pending[0])
    return papers_from_records(rows, path)


def read_jsonl(path: Path) -> pd.DataFrame:
    """JSON lines, one paper per line; extra fields are kept as columns."""
    return papers_from_records(list(iter_jsonl_records(path)), path)


def iter_jsonl_records(path: Path) -> Iterator[dict]:
    """Normalized records of a JSONL file, streamed line by line (bounded memory)."""
    _read_head(path)  # a missing file fails here, with its name
    seen_text = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if b"\x00" in raw:
                raise InputError(path, "binary data, not text", line=number)
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise InputError(path, f"not UTF-8 text (byte {err.start} of the line)", line=number) from None
            if not line.strip():
                continue
            seen_text = True
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(path, f"broken JSON record ({err.msg})", line=number) from None
            if not isinstance(record, dict):
                raise InputError(path, "a JSON line must be an object", line=number)
            yield _normalize_record(record, path, number)
    if not seen_text:
        raise InputError(path, "file is empty")


def iter_papers(source: Source, format: str | None = None, chunk_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """Papers tables of at most ``chunk_size`` rows; JSONL is streamed, other formats are split."""
    if isinstance(source, pd.DataFrame) or (format or detect_format(Path(source))) != "jsonl":
        papers = read_papers(source, format=format)
        for begin in range(0, len(papers), chunk_size):
            yield papers.iloc[begin : begin + chunk_size].reset_index(drop=True)
        return
    path = Path(source)
    chunk: list[dict] = []
    for record in iter_jsonl_records(path):
        chunk.append(record)
        if len(chunk) == chunk_size:
            yield papers_from_records(chunk, path)
            chunk = []
    if chunk:
        yield papers_from_records(chunk, path)


def read_csv(path: Path) -> pd.DataFrame:
    """CSV with ``title`` and ``abstract`` (or ``summary``) columns."""
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(path, f"unreadable CSV ({str(err).splitlines()[0]})") from None
    return papers_from_frame(frame, path)


def read_parquet(path: Path) -> pd.DataFrame:
    """Parquet with ``title`` and ``abstract`` columns."""
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types for a broken file
        raise InputError(path, f"unreadable Parquet ({str(err).splitlines()[0]})") from None
    return papers_from_frame(frame, path)


def papers_from_frame(frame: pd.DataFrame, source: object) -> pd.DataFrame:
    """Check and normalize a DataFrame that has title and abstract columns."""
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if isinstance(c, str)})
    if "abstract" not in frame.columns and "summary" in frame.columns:
        frame = frame.rename(columns={"summary": "abstract"})
    missing = [c for c in ("title", "abstract") if c not in frame.columns]
    if missing:
        raise InputError(source, f"no {' or '.join(missing)} column (columns: {', '.join(map(str, frame.columns))})")
    records = frame.to_dict("records")
    return papers_from_records([_normalize_record(r, source, None) for r in records], source)


def _normalize_record(record: dict, source: object, line: int | None) -> dict:
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
        record[key] = value
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
    return frame.reset_index(drop=True)


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
}
