"""The core formats: JSON lines, CSV, Parquet, DataFrames and the raw trending-papers page dump.

Each yields ``(line or None, record or InputError)``; a missing title/abstract column is a
file-level error.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Iterator, Union

import pandas as pd

from ..errors import InputError
from .text import Item, decode_text, iter_json_lines, read_bytes

Located = tuple[Union[int, None], Item]  # (line or None, record or the error of a bad one)

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
    """CSV with ``title`` and ``abstract`` (or ``summary``) columns."""
    try:
        frame = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(path, f"unreadable CSV ({str(err).splitlines()[0]})") from None
    return frame_items(frame, path)


def parquet_items(path: Path) -> Iterator[Located]:
    """Parquet with ``title`` and ``abstract`` columns."""
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types for a broken file
        raise InputError(path, f"unreadable Parquet ({str(err).splitlines()[0]})") from None
    return frame_items(frame, path)


def frame_items(frame: pd.DataFrame, source: object) -> Iterator[Located]:
    """Rows of a frame that has title and abstract (or summary) columns, any case."""
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if isinstance(c, str)})
    if "abstract" not in frame.columns and "summary" in frame.columns:
        frame = frame.rename(columns={"summary": "abstract"})
    missing = [c for c in ("title", "abstract") if c not in frame.columns]
    if missing:
        raise InputError(source, f"no {' or '.join(missing)} column (columns: {', '.join(map(str, frame.columns))})")
    return ((None, record) for record in frame.to_dict("records"))
