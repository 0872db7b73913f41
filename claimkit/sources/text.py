"""Bytes -> text and JSON lines, with errors that name the file and line (or row).

Limits that keep a hostile file from costing more than its size: a JSON line longer than
:data:`MAX_LINE_BYTES` is a bad record (read past in bounded memory); JSON nested deeper than
Python's recursion limit, an integer of more than 4,300 digits and a lone surrogate escape
(``"\\ud800"``, which no UTF-8 writer can write) are bad records, not crashes.

Every reader opens files through :func:`open_bytes`, so gzip-compressed inputs (``.jsonl.gz``,
or any gzip data, told by its first bytes) are read as their decompressed content; broken gzip
data is an error naming the file (and line).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zlib
from pathlib import Path
from typing import IO, Callable, Iterator, Union

from ..errors import InputError

Item = Union[dict, InputError]  # a record, or the error of a bad one (for on_error="skip")
MAX_LINE_BYTES = 32 * 2**20  # a JSON line; a paper's record is a few KB, its texts at most 1M characters each
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Row(int):
    """A 1-based row of a table without lines (Parquet, a DataFrame): errors say ``row N``."""


def error_at(source: object, message: str, where: int | None) -> InputError:
    """An InputError at a line, a :class:`Row`, or the whole file (None)."""
    if isinstance(where, Row):
        return InputError(source, message, row=int(where))
    return InputError(source, message, line=where)


GZIP_MAGIC = b"\x1f\x8b"


def open_bytes(path: Path) -> IO[bytes]:
    """``path`` opened for reading bytes, decompressed on the fly when it holds gzip data."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if gzipped else path.open("rb")


@contextlib.contextmanager
def reading_errors(label: object, line: Callable[[], int | None] = lambda: None) -> Iterator[None]:
    """Turn an unreadable file or broken gzip data into an InputError naming the file (and line)."""
    try:
        yield
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:  # truncated or corrupt compressed data
        raise InputError(label, f"broken gzip data ({err})", line=line()) from None
    except OSError as err:
        raise InputError(label, err.strerror or str(err), line=line()) from None


def read_bytes(path: Path) -> bytes:
    """The file's (decompressed) bytes, or an InputError for a missing or unreadable file."""
    with reading_errors(path), open_bytes(path) as handle:
        return handle.read()


def decode_text(data: bytes, source: object) -> str:
    """UTF-8 text (BOM allowed), or an InputError for empty, binary or non-UTF-8 data.

    >>> decode_text(b"\\xef\\xbb\\xbfhi", "x")
    'hi'
    >>> decode_text(b"ok\\n\\xff", "f.bib")
    Traceback (most recent call last):
    claimkit.errors.InputError: f.bib:2: not UTF-8 text (byte 3)
    """
    if not data.strip():
        raise InputError(source, "file is empty")
    if data[:2] in _UTF16_BOMS:
        raise InputError(source, "UTF-16 text; claimkit reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)")
    if b"\x00" in data:
        raise InputError(source, "binary data, not text", line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text (byte {err.start})", line=line) from None


def iter_json_lines(path: Path, label: object = None, empty_ok: bool = False) -> Iterator[tuple[int, Item]]:
    """``(line number, object or error)`` for each non-blank line, streamed (bounded memory).

    ``label`` names the file in errors (default: ``path``); a file of no records is an error
    unless ``empty_ok``.
    """
    label = path if label is None else label
    head = read_head(path, label=label)  # a missing file fails here, with its name
    if head[:2] in _UTF16_BOMS:
        raise InputError(label, "UTF-16 text; claimkit reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)")
    seen_text, number = False, 0
    with reading_errors(label, lambda: number + 1), open_bytes(path) as handle:
        for number, raw in enumerate(_bounded_lines(handle), start=1):
            if raw is None:
                seen_text = True
                yield number, InputError(label, f"line is longer than {MAX_LINE_BYTES // 2**20} MiB", line=number)
                continue
            if not raw.strip():
                continue
            seen_text = True
            yield number, _parse_json_line(raw, label, number)
    if not seen_text and not empty_ok:
        raise InputError(label, "file is empty")


def _bounded_lines(handle: object) -> Iterator[bytes | None]:
    """Lines of a binary file; None for a line longer than MAX_LINE_BYTES, which is skipped."""
    while raw := handle.readline(MAX_LINE_BYTES + 1):  # type: ignore[attr-defined]
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(2**20)) and not rest.endswith(b"\n"):  # type: ignore[attr-defined]
                pass
            yield None
        else:
            yield raw


def _parse_json_line(raw: bytes, path: object, number: int) -> Item:
    if b"\x00" in raw:
        return InputError(path, "binary data, not text", line=number)
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError as err:
        return InputError(path, f"not UTF-8 text (byte {err.start} of the line)", line=number)
    try:
        record = parse_json(line)
    except BadJson as err:
        return InputError(path, f"broken JSON record ({err})", line=number)
    if not isinstance(record, dict):
        return InputError(path, f"a JSON line must be an object, not {type(record).__name__}", line=number)
    return record


class BadJson(ValueError):
    """Why a JSON text cannot be read, in words; ``lineno`` when the decoder knows it."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def parse_json(text: str) -> object:
    r"""``json.loads(text)``, with every way it can fail as a :class:`BadJson` of one line.

    >>> parse_json('{"a": ' + "[" * 100000 + "]" * 100000 + "}")
    Traceback (most recent call last):
    claimkit.sources.text.BadJson: nested too deeply
    >>> parse_json('"\\ud800"')
    Traceback (most recent call last):
    claimkit.sources.text.BadJson: a lone surrogate escape (\ud800) is not Unicode text
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadJson(f"{err.msg}, column {err.colno}", err.lineno) from None
    except RecursionError:
        raise BadJson("nested too deeply") from None
    except ValueError:  # the only other ValueError: an integer longer than Python converts
        raise BadJson(f"an integer with more than {sys.get_int_max_str_digits():,} digits") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        _check_unicode(value, text)
    return value


def _check_unicode(value: object, text: str) -> None:
    """BadJson for a string holding a lone surrogate (valid pairs were joined by the decoder)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as err:
                code = ord(item[err.start])
                raise BadJson(f"a lone surrogate escape (\\u{code:04x}) is not Unicode text", _lone_escape_line(text)) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _lone_escape_line(text: str) -> int | None:
    """The line of the first surrogate escape that is not half of a pair."""
    pair_end = -1
    for match in _SURROGATE_ESCAPE.finditer(text):
        if match.start() < pair_end:
            continue  # the low half of a pair
        high = text[match.start() + 3].lower() in "89ab"
        low_next = _SURROGATE_ESCAPE.match(text, match.start() + 6)
        if high and low_next and text[match.start() + 9].lower() in "cdef":
            pair_end = match.start() + 12
            continue
        return text.count("\n", 0, match.start()) + 1
    return None


def read_head(path: Path, size: int = 4096, label: object = None) -> bytes:
    """The first ``size`` (decompressed) bytes of ``path`` (for format detection)."""
    with reading_errors(path if label is None else label), open_bytes(path) as handle:
        return handle.read(size)


def is_stream(path: Path) -> bool:
    """True for a FIFO, ``/dev/stdin`` on a pipe, a character device: what cannot be read twice."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # missing: the reader reports it
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def spooled(path: Path) -> Iterator[Path]:
    """``path`` itself for a regular file; for a stream, a temporary copy removed afterwards.

    Format detection reads the head, and some formats read twice: a pipe can be read only once.
    Binary data (a NUL in the first 4 KB, as from ``/dev/zero``) fails before copying.
    """
    if not is_stream(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="claimkit-stream-") as folder:
        copy = Path(folder) / (path.name or "stream")
        try:
            with path.open("rb") as source, copy.open("wb") as target:
                head = source.read(4096)
                if b"\x00" in head:
                    raise InputError(path, "binary data, not text", line=head[: head.index(b"\x00")].count(b"\n") + 1)
                target.write(head)
                shutil.copyfileobj(source, target, 2**20)
        except OSError as err:
            raise InputError(path, err.strerror or str(err)) from None
        yield copy


def first_line(path: Path, limit: int = 1 << 20) -> bytes:
    """The first non-blank line (at most ``limit`` bytes): snapshot lines run to kilobytes."""
    with reading_errors(path), open_bytes(path) as handle:
        while raw := handle.readline(limit):
            if raw.strip():
                return raw
    return b""
