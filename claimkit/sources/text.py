"""Bytes -> text and JSON lines, with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Union

from ..errors import InputError

Item = Union[dict, InputError]  # a record, or the error of a bad one (for on_error="skip")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an InputError for a missing or unreadable file."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


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
    if b"\x00" in data:
        raise InputError(source, "binary data, not text", line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text (byte {err.start})", line=line) from None


def iter_json_lines(path: Path) -> Iterator[tuple[int, Item]]:
    """``(line number, object or error)`` for each non-blank line, streamed (bounded memory)."""
    read_head(path)  # a missing file fails here, with its name
    seen_text = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen_text = True
            yield number, _parse_json_line(raw, path, number)
    if not seen_text:
        raise InputError(path, "file is empty")


def _parse_json_line(raw: bytes, path: Path, number: int) -> Item:
    if b"\x00" in raw:
        return InputError(path, "binary data, not text", line=number)
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError as err:
        return InputError(path, f"not UTF-8 text (byte {err.start} of the line)", line=number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return InputError(path, f"broken JSON record ({err.msg}, column {err.pos + 1})", line=number)
    if not isinstance(record, dict):
        return InputError(path, f"a JSON line must be an object, not {type(record).__name__}", line=number)
    return record


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of ``path`` (for format detection)."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


def first_line(path: Path, limit: int = 1 << 20) -> bytes:
    """The first non-blank line (at most ``limit`` bytes): snapshot lines run to kilobytes."""
    try:
        with path.open("rb") as handle:
            while raw := handle.readline(limit):
                if raw.strip():
                    return raw
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    return b""
