"""The core formats: JSON lines, CSV, Parquet, DataFrames and the raw trending-papers page dump.

Each yields ``(line, Row or None, record or InputError)`` pairs: CSV records carry the line
they start on (quoted fields may span lines), Parquet and DataFrame records their 1-based
:class:`~claimkit.sources.text.Row`. A missing title/abstract column, or a Parquet column of
the wrong type, is a file-level error.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from pathlib import Path
from typing import Iterator, Union

import pandas as pd

from ..errors import InputError
from ..io import unguard_csv_cell
from .text import Item, Row, decode_text, iter_json_lines, read_bytes

Located = tuple[Union[int, None], Item]  # (line, a Row or None; the record or the error of a bad one)
TEXT_COLUMNS = ("title", "abstract")

_DATE_LINE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(, \d{4})?$")


def read_text(path: Path) -> str:
    """The whole file as UTF-8 text, or an InputError for a missing, empty or binary file."""
    return decode_text(read_bytes(path), path)


def jsonl_items(path: Path) -> Iterator[Located]:
    """JSON lines, one paper per line, streamed."""
    yield from iter_json_lines(path)


def page_items(path: Path) -> Iterator[Located]:
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


def csv_items(path: Path) -> Iterator[Located]:
    """CSV with ``title`` and ``abstract`` (or ``summary``) columns; each record with its first line.

    Cells claimkit guarded against spreadsheet formulas (``'=...``) are read back as written.
    """
    rows, lines = _csv_rows(read_text(path), path)
    if not rows:
        raise InputError(path, "file is empty")
    header = _header([name.strip() for name in rows[0]], path)  # a missing column fails before the rows
    return _csv_records(header, rows[1:], lines[1:], path)


def _csv_rows(text: str, path: Path) -> tuple[list[list[str]], list[int]]:
    """Non-blank rows and the line each starts on."""
    rows, lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    with _field_limit(sys.maxsize // 2):  # size limits are per text, in the reader, with a line
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append(row)
                    lines.append(start)
                start = reader.line_num + 1
        except csv.Error as err:
            raise InputError(path, f"unreadable CSV ({err})", line=start) from None
    return rows, lines


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _csv_records(header: list[str], rows: list[list[str]], lines: list[int], path: Path) -> Iterator[Located]:
    for line, row in zip(lines, rows):
        if len(row) > len(header):
            yield line, InputError(path, f"row has {len(row)} fields, the header has {len(header)}", line=line)
            continue
        cells = [unguard_csv_cell(cell) for cell in row] + [""] * (len(header) - len(row))
        yield line, dict(zip(header, cells))


def parquet_items(path: Path) -> Iterator[Located]:
    """Parquet with ``title`` and ``abstract`` text columns; records numbered by row."""
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types for a broken file
        raise InputError(path, f"unreadable Parquet ({str(err).splitlines()[0]})") from None
    frame = _columns(frame, path)
    for name in TEXT_COLUMNS:
        dtype = frame[name].dtype
        if not (pd.api.types.is_string_dtype(dtype) or dtype == object or frame[name].isna().all()):
            raise InputError(path, f"column {name!r} holds {dtype}, not text")
    return frame_items(frame, path)


def _columns(frame: pd.DataFrame, source: object) -> pd.DataFrame:
    """``frame`` with lower-case column names, ``summary`` as ``abstract``; InputError without them."""
    return frame.rename(columns=_renamed(list(frame.columns), source))


def _header(names: list[str], source: object) -> list[str]:
    """A CSV header as :func:`_columns` names the columns of a frame."""
    renamed = _renamed(names, source)
    return [renamed.get(name, name) for name in names]


def _renamed(names: list, source: object) -> dict:
    """Each name's lower-case form, ``summary`` as ``abstract``; InputError without title and abstract."""
    lower = {c: c.strip().lower() for c in names if isinstance(c, str)}
    present = set(lower.values()) | {c for c in names if not isinstance(c, str)}
    if "abstract" not in present and "summary" in present:
        lower = {c: "abstract" if low == "summary" else low for c, low in lower.items()}
        present = set(lower.values())
    missing = [c for c in TEXT_COLUMNS if c not in present]
    if missing:
        raise InputError(source, f"no {' or '.join(missing)} column (columns: {', '.join(map(str, names))})")
    return lower


def frame_items(frame: pd.DataFrame, source: object) -> Iterator[Located]:
    """Rows of a frame that has title and abstract (or summary) columns, any case; numbered by Row."""
    frame = _columns(frame, source)
    return ((Row(number), record) for number, record in enumerate(frame.to_dict("records"), start=1))
