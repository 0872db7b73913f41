"""Writers for the claims table: format from the suffix, written atomically.

Output goes to a temporary file beside the target and is renamed over it only when the
whole table is written, so a failure never leaves a partial file or replaces a good one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import InputError

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def output_format(path: str | Path) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from the suffix, else an InputError."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(path, f"unknown output format {suffix or '(no suffix)'!r}; use .jsonl, .csv or .parquet")
    return FORMATS[suffix]


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success only."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write ``frame`` to ``path`` (no atomicity: see :func:`write_claims`)."""
    if fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write any table to ``path`` (.jsonl, .csv or .parquet), atomically."""
    fmt = output_format(path)
    with atomic_path(path) as temporary:
        write_frame(frame, temporary, fmt)


def write_claims(claims: pd.DataFrame, path: str | Path) -> None:
    """Write the claims table to ``path`` (.jsonl, .csv or .parquet), atomically."""
    write_table(claims, path)
