"""Writers for the claims table: format from the suffix, written atomically.

Output goes to a temporary file ``.NAME.PID-XXXX.part`` beside the target and is renamed over
it only when the whole table is written, so a failure never leaves a partial file or replaces a
good one. The rules every writer follows:

* **checked first**: :func:`check_output` refuses a missing directory, a directory, and an output
  that is one of the inputs (also through a symlink or a hard link) before any work;
* **one line on failure**: an ``OSError`` while writing (read-only directory, full disk) is an
  :class:`~claimkit.errors.OutputError` naming the path and the reason; the old output stays;
* **mode kept**: replacing a file keeps its permission bits (a 0600 output stays 0600); a new
  file gets ``0666 & ~umask``;
* **symlinks written through**: an output that is a symlink is left a symlink and the file it
  points to is replaced (as ``sed -i --follow-symlinks`` does);
* **no litter**: the temporary file is removed on any error, Ctrl-C or SIGTERM (the CLI turns
  SIGTERM into an exception); one left by ``kill -9`` is removed by the next run that writes the
  same output, once the process that made it is gone.
* **CSV cells are not formulas**: text cells that start with ``= + - @``, a tab or a carriage
  return get a leading ``'`` (OWASP's advice against CSV injection); :func:`unguard_csv_cell`
  undoes it, and claimkit's readers do so when they read a CSV back.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .errors import InputError, OutputError, UsageError

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[A-Za-z0-9_]+\.part$")
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")


def output_format(path: str | Path) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from the suffix, else an InputError."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(path, f"unknown output format {suffix or '(no suffix)'!r}; use .jsonl, .csv or .parquet")
    return FORMATS[suffix]


def check_output(path: str | Path, inputs: Iterable[object] = ()) -> str:
    """The output format of ``path``, after checking it can be written; before any work.

    A missing or non-directory parent, a directory as output, and an output that is one of
    ``inputs`` (same file by any path) are refused.
    """
    fmt = output_format(path)
    target = _real_target(Path(path))
    if target.is_dir():
        raise OutputError(path, "is a directory")
    parent = target.parent
    if not parent.exists():
        raise OutputError(path, f"no such directory: {parent}")
    if not parent.is_dir():
        raise OutputError(path, f"not a directory: {parent}")
    for source in inputs:
        if isinstance(source, (str, Path)) and _same_file(Path(source), target):
            raise UsageError(path, f"the output is the input {source}; write the claims to another file")
    return fmt


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False  # either does not exist (yet): they cannot be the same file


def _real_target(path: Path) -> Path:
    """Where the bytes go: through a symlink (a dangling one too) to the file it names."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def output_errors(path: str | Path) -> Iterator[None]:
    """Turn an ``OSError`` of writing ``path`` into one :class:`OutputError` line."""
    try:
        yield
    except OutputError:
        raise
    except OSError as err:
        raise OutputError(path, _reason(err)) from None


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "no space left on the device; the old output is unchanged"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write here ({err.strerror})"
    text = err.strerror or str(err) or type(err).__name__
    return text.splitlines()[0] if text else type(err).__name__


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success only."""
    target = _real_target(Path(path))
    parent = target.parent if str(target.parent) else Path(".")
    with output_errors(path):
        remove_stale_parts(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".part", dir=parent)
        os.close(handle)
        os.chmod(temporary, _mode_for(target))  # mkstemp makes 0600
    try:
        yield Path(temporary)
        with output_errors(path):
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(target: Path) -> int:
    """The old file's permission bits, else the usual ones for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by runs that were killed; return them.

    A file counts as stale when the process whose id is in its name no longer runs (a part
    of a run that is still writing the same output is left alone).
    """
    removed = []
    parent = target.parent if str(target.parent) else Path(".")
    with contextlib.suppress(OSError):
        for candidate in parent.glob(f".{glob_escape(target.name)}.*.part"):
            match = _PART.match(candidate.name)
            if match and match.group("name") == target.name and not process_running(int(match.group("pid"))):
                with contextlib.suppress(OSError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def process_running(pid: int) -> bool:
    """True while process ``pid`` runs (another user's counts): whose temporary files are not stale."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def guard_csv_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, with a leading ``'``.

    >>> guard_csv_cell('=HYPERLINK("http://x")'), guard_csv_cell("-3.2%"), guard_csv_cell("ok"), guard_csv_cell(2.5)
    ('\\'=HYPERLINK("http://x")', "'-3.2%", 'ok', 2.5)
    """
    if isinstance(value, str) and value and _FORMULA_START.match(value):
        return "'" + value
    return value


def unguard_csv_cell(value: object) -> object:
    """Undo :func:`guard_csv_cell` (it is a bijection: ``'=x`` was written as ``''=x``).

    >>> unguard_csv_cell("'=1+1"), unguard_csv_cell("''=x"), unguard_csv_cell("'quoted'")
    ('=1+1', "'=x", "'quoted'")
    """
    if isinstance(value, str) and value[:1] == "'" and _GUARDED.match(value):
        return value[1:]
    return value


def guard_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`guard_csv_cell` applied to its text columns (numbers untouched)."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and pd.api.types.is_string_dtype(column.dtype):
            hit = column.str.match(_FORMULA_START, na=False)  # a column operation: no call per cell
            if hit.any():
                columns[name] = column.mask(hit, "'" + column)
        elif column.dtype == object:  # any values: only the strings among them are cells to guard
            text = column.map(guard_csv_cell)
            if not text.equals(column):
                columns[name] = text
        elif isinstance(column.dtype, pd.CategoricalDtype):
            categories = column.cat.categories
            if any(isinstance(c, str) and _FORMULA_START.match(c) for c in categories):
                columns[name] = column.cat.rename_categories([guard_csv_cell(c) for c in categories])
    return frame.assign(**columns) if columns else frame


def unguard_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`unguard_csv_cell` on every cell of a frame read from CSV as text (``dtype=str``)."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        hit = column.str.match(_GUARDED, na=False)
        if hit.any():
            columns[name] = column.mask(hit, column.str.slice(1))
    return frame.assign(**columns) if columns else frame


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write ``frame`` to ``path`` (no atomicity, OSError as is: see :func:`write_claims`)."""
    if fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif fmt == "csv":
        guard_csv_frame(frame).to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write any table to ``path`` (.jsonl, .csv or .parquet), atomically."""
    fmt = check_output(path)
    with atomic_path(path) as temporary, output_errors(path):
        write_frame(frame, temporary, fmt)


def write_claims(claims: pd.DataFrame, path: str | Path) -> None:
    """Write the claims table to ``path`` (.jsonl, .csv or .parquet), atomically."""
    write_table(claims, path)
