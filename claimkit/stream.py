"""Incremental, atomic writers for the claims table, and a reader that restores its dtypes.

A streaming run appends one claims chunk at a time, so memory stays flat however large the
input. Like :func:`claimkit.io.write_claims`, output goes to a temporary file beside the
target and is renamed over it only when every chunk is written: on any error (or Ctrl-C) the
temporary file is removed and an existing output is left untouched.

The bytes match :func:`~claimkit.io.write_claims` for JSONL and CSV; Parquet gets row groups
of about :data:`ROW_GROUP_ROWS` claims under one fixed Arrow schema, so chunks with no rows or
with new ``unit`` categories still fit. :func:`read_claims` reads any of the three back with the documented
dtypes (see :mod:`claimkit.table`), so tables from either writer compare equal.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO, Iterable, Iterator, Protocol, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import InputError
from .io import atomic_path, check_output, guard_csv_frame, output_errors, output_format, unguard_csv_frame
from .names import benchmark_key
from .table import CLAIM_COLUMNS, REVIEW_COLUMN, REVIEWED_COLUMNS, STRING_COLUMNS, claim_dtypes, empty_claims

# Categoricals are written with int32 indices: wide enough for any number of units, and the
# same in every row group (pandas would pick int8 or int16 depending on the chunk). Values are
# plain strings, which is what a Parquet reader gives back for a dictionary column anyway.
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
ROW_GROUP_ROWS = 65_536  # claims per Parquet row group, about 20 MB in memory before it is written


class ClaimsWriter(Protocol):
    """Appends claims chunks to an open output file."""

    rows: int

    def write(self, claims: pd.DataFrame) -> None: ...

    def close(self) -> None: ...


def claims_arrow_schema(reviewed: bool = False) -> pa.Schema:
    """The fixed Arrow schema of the claims table (categoricals as string dictionaries), with the
    ``review`` column of a corrected table if ``reviewed``."""
    schema = pa.Schema.from_pandas(empty_claims(reviewed), preserve_index=False)
    fields = [pa.field(f.name, _DICTIONARY) if pa.types.is_dictionary(f.type) else f for f in schema]
    return pa.schema(fields, metadata=schema.metadata)


class JsonlClaimsWriter:
    """JSON lines, one claim per line; the same bytes as ``write_claims`` for the whole table."""

    def __init__(self, path: Path, reviewed: bool = False) -> None:
        self.rows = 0
        self.reviewed = reviewed
        self._handle: IO[str] = open(path, "w", encoding="utf-8", newline="")

    def write(self, claims: pd.DataFrame) -> None:
        if claims.empty:
            return  # pandas writes a lone newline for an empty frame: only once, at close
        text = claims.to_json(orient="records", lines=True, force_ascii=False)
        self._handle.write(text if text.endswith("\n") else text + "\n")
        self.rows += len(claims)

    def close(self) -> None:
        if self.rows == 0:
            self._handle.write(empty_claims(self.reviewed).to_json(orient="records", lines=True, force_ascii=False))
        self._handle.close()


class CsvClaimsWriter:
    """CSV with one header line, written with the first chunk (even an empty one)."""

    def __init__(self, path: Path, reviewed: bool = False) -> None:
        self.rows = 0
        self.reviewed = reviewed
        self._header_written = False
        self._handle: IO[str] = open(path, "w", encoding="utf-8", newline="")

    def write(self, claims: pd.DataFrame) -> None:
        guard_csv_frame(claims).to_csv(self._handle, index=False, header=not self._header_written)
        self._header_written = True
        self.rows += len(claims)

    def close(self) -> None:
        if not self._header_written:
            empty_claims(self.reviewed).to_csv(self._handle, index=False)
        self._handle.close()


class ParquetClaimsWriter:
    """Parquet under :func:`claims_arrow_schema`, in row groups of ``row_group_rows`` or more.

    Chunks are gathered until a row group is worth writing (the last one may be smaller):
    ``--chunk-size 100`` must not leave thousands of tiny row groups that are slow to read.
    """

    def __init__(self, path: Path, reviewed: bool = False, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.rows = 0
        self.row_group_rows = row_group_rows
        self._columns = list(REVIEWED_COLUMNS if reviewed else CLAIM_COLUMNS)
        self._schema = claims_arrow_schema(reviewed)
        self._writer = pq.ParquetWriter(path, self._schema)
        self._pending: list[pa.Table] = []
        self._pending_rows = 0

    def write(self, claims: pd.DataFrame) -> None:
        if claims.empty:
            return  # nothing to add: the schema is in the footer whatever happens
        table = pa.Table.from_pandas(claims[self._columns], preserve_index=False).cast(self._schema)
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self.row_group_rows:
            self._write_row_group()

    def _write_row_group(self) -> None:
        if self._pending:
            self._writer.write_table(pa.concat_tables(self._pending), row_group_size=self._pending_rows)
            self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        try:
            self._write_row_group()
        finally:
            self._writer.close()


WRITERS: dict[str, type] = {"jsonl": JsonlClaimsWriter, "csv": CsvClaimsWriter, "parquet": ParquetClaimsWriter}


@contextlib.contextmanager
def open_claims_writer(path: str | Path, reviewed: bool = False) -> Iterator[ClaimsWriter]:
    """A writer for ``path`` (format from the suffix); the file appears only on success.
    ``reviewed``: the chunks carry the ``review`` column of a corrected table.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "claims.csv"
    >>> with open_claims_writer(out) as writer:
    ...     writer.write(empty_claims())
    >>> out.read_text().startswith("paper,title,field,start")
    True
    """
    fmt = check_output(path)
    with atomic_path(path) as temporary:
        with output_errors(path):
            writer = cast(ClaimsWriter, _Guarded(WRITERS[fmt](temporary, reviewed), path))
        try:
            yield writer
        finally:
            with output_errors(path):
                writer.close()  # flushed and closed before the rename (or the removal)


class _Guarded:
    """A writer whose ``OSError`` (full disk, ...) is an OutputError naming the real output."""

    _writer: ClaimsWriter
    _path: str | Path

    def __init__(self, writer: ClaimsWriter, path: str | Path) -> None:
        object.__setattr__(self, "_writer", writer)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> object:  # rows, row_group_rows, ...: the writer's
        return getattr(self._writer, name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._writer, name, value)

    def write(self, claims: pd.DataFrame) -> None:
        with output_errors(self._path):
            self._writer.write(claims)

    def close(self) -> None:
        self._writer.close()


def write_claims_chunks(chunks: Iterable[pd.DataFrame], path: str | Path) -> int:
    """Write claims chunks to ``path`` one at a time, atomically; return the number of rows."""
    with open_claims_writer(path) as writer:
        for claims in chunks:
            writer.write(claims)
    return writer.rows


REQUIRED_CLAIM_COLUMNS = ("paper", "field", "start", "end", "text", "kind", "low", "high")


def read_claims(path: str | Path) -> pd.DataFrame:
    """A claims file (.jsonl, .csv, .parquet) back as a table with the documented dtypes (and
    the ``review`` column when the file has one: a corrected table).

    ``unit`` categories are the sorted distinct values, so the result does not depend on how
    the file was chunked or which writer wrote it.
    """
    fmt = output_format(path)
    if not Path(path).is_file():
        raise InputError(path, "is a directory" if Path(path).is_dir() else "no such file")
    try:
        if fmt == "parquet":
            frame = pd.read_parquet(path)
        elif fmt == "csv":
            frame = unguard_csv_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
        else:
            frame = _read_jsonl_claims(Path(path))
    except (ValueError, UnicodeDecodeError, pa.ArrowException) as err:
        raise InputError(path, f"not a readable claims file ({str(err).splitlines()[0][:120]})") from None
    missing = [name for name in REQUIRED_CLAIM_COLUMNS if name not in frame.columns]
    if missing and len(frame):
        raise InputError(path, f"not a claims table: no column {', '.join(missing)}")
    try:
        return restore_claim_dtypes(frame)
    except (ValueError, TypeError) as err:
        raise InputError(path, f"a claims column has values of the wrong type ({str(err).splitlines()[0][:120]})") from None


def _read_jsonl_claims(path: Path) -> pd.DataFrame:
    # dtype=False: ids such as "2401.12345" must stay text, not become floats.
    if not path.read_bytes().strip():
        return empty_claims()
    return pd.read_json(path, lines=True, dtype=False)


def restore_claim_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the claims columns, in order, cast to :func:`~claimkit.table.claim_dtypes`
    (``review`` kept when ``frame`` has it)."""
    dtypes = claim_dtypes()
    names = REVIEWED_COLUMNS if REVIEW_COLUMN in frame.columns else CLAIM_COLUMNS
    columns: dict[str, pd.Series] = {}
    for name in names:
        values = frame[name] if name in frame.columns else pd.Series([""] * len(frame), dtype=object)
        columns[name] = _cast_column(values, name, dtypes[name])
    if "benchmark_key" not in frame.columns:  # a table written before the key existed
        columns["benchmark_key"] = columns["benchmark"].map(benchmark_key).astype("str")
    return pd.DataFrame(columns, columns=list(names)).reset_index(drop=True)


def _cast_column(values: pd.Series, name: str, dtype: object) -> pd.Series:
    values = values.reset_index(drop=True)
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)  # re-derive categories below, whatever the file held
    if name in STRING_COLUMNS:
        return values.fillna("").astype("str")
    if dtype in ("int64", "float64"):
        # CSV holds numbers as text and an empty cell for a missing float.
        numbers = pd.to_numeric(values.replace("", np.nan), errors="raise")
        return numbers.astype(dtype)
    if isinstance(dtype, str) and dtype == "category":  # open categories (unit); not a fixed CategoricalDtype
        text = values.fillna("").astype("str")
        return text.astype(pd.CategoricalDtype(sorted(text.unique())))
    return values.fillna("").astype("str").astype(dtype)
