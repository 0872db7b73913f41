"""Claims of a corpus, extracted once and kept as Parquet in the user's cache directory.

``load_corpus(inputs)`` returns the papers and their claims (with the papers' metadata joined:
``published``, ``url``, ...). The first call on some inputs reads and extracts them (with a
progress bar when asked) and stores both tables; later calls read the two Parquet files back.

The cache directory is ``$CLAIMKIT_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/claimkit``,
else ``~/.cache/claimkit``. An entry is keyed by

* the extractor version: a hash of the package version and of the sources that turn a file
  into claims (readers, cleanup, extractor, vocabularies, table schema), so an edited rule or
  vocabulary never serves stale claims;
* the inputs: each file's absolute path, size and modification time.

The :data:`KEEP` most recently used entries are kept; older ones are deleted. A cache that
cannot be written (read-only home, full disk) costs only speed: the claims are computed anyway.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Sequence

import pandas as pd

from .errors import InputError
from .io import atomic_path

CACHE_ENV = "CLAIMKIT_CACHE_DIR"
#: How many cached corpora are kept (the least recently used go first).
KEEP = 8
_PACKAGE = Path(__file__).resolve().parent
# The sources whose change can change the claims of a file.
_EXTRACTOR_SOURCES = ("extract/*.py", "extract/*.c", "vocab/*.txt", "sources/*.py", "readers.py", "clean.py",
                      "names.py", "table.py", "vocab.py")
_CHUNK = 250  # papers per progress step


@dataclass(frozen=True)
class Corpus:
    """Papers and their claims; ``claims`` carries the papers' metadata columns."""

    papers: pd.DataFrame
    claims: pd.DataFrame
    cached: bool  # True when read back from the cache


def cache_dir() -> Path:
    """Where cached claims live (see the module docstring)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "claimkit"


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    """A short hash of the package version and the sources that produce claims."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("claimkit").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unversioned")
    for pattern in _EXTRACTOR_SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def input_signature(paths: Sequence[Path]) -> list[list]:
    """Each input's absolute path, size and modification time: what makes its claims change."""
    signature = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError as err:
            raise InputError(path, err.strerror or str(err)) from None
        signature.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return signature


def cache_key(paths: Sequence[Path]) -> str:
    """The cache entry's name for ``paths`` under the current extractor."""
    text = json.dumps([extractor_version(), input_signature(paths)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def entry_paths(key: str) -> tuple[Path, Path]:
    """The papers and claims Parquet files of a cache entry (beside them, ``claims-KEY.json``
    holds the counts :func:`cached_summary` reads)."""
    folder = cache_dir()
    return folder / f"papers-{key}.parquet", folder / f"claims-{key}.parquet"


def cached_summary(inputs: Sequence[str | Path]) -> dict | None:
    """The counts of a cached entry for ``inputs`` (papers, claims, papers with claims), or None
    when the cache does not hold them: a cheap check that reads no table."""
    papers_file, claims_file = entry_paths(cache_key([Path(item) for item in inputs]))
    summary_file = claims_file.with_suffix(".json")
    if not (papers_file.is_file() and claims_file.is_file() and summary_file.is_file()):
        return None
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def load_corpus(inputs: Sequence[str | Path], progress: bool = False) -> Corpus:
    """Papers and claims of ``inputs`` (files, read in order), from the cache when it has them.

    ``progress`` prints what happens on stderr and shows a bar while extracting.
    """
    from .sources.filters import with_paper_metadata

    paths = [Path(item) for item in inputs]
    key = cache_key(paths)
    papers_file, claims_file = entry_paths(key)
    cached = _read_entry(papers_file, claims_file)
    if cached is not None:
        papers, claims = cached
        if not claims_file.with_suffix(".json").is_file():  # an entry from before the counts were kept
            _write_summary(papers, claims, claims_file)
    else:
        papers, claims = extract_corpus(paths, progress)
        _write_entry(papers, claims, papers_file, claims_file, progress)
    return Corpus(papers, with_paper_metadata(claims, papers), cached is not None)


def extract_corpus(paths: Sequence[Path], progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``paths`` and extract their claims, chunk by chunk (a progress bar on stderr if asked)."""
    from tqdm import tqdm

    from .extract import extract_claims
    from .readers import read_sources
    from .scale import concat_claims

    papers = read_sources([str(path) for path in paths])
    if progress:
        print(f"claimkit: extracting the claims of {len(papers):,} papers (once: they are cached in "
              f"{cache_dir()})", file=sys.stderr)
    chunks = []
    with tqdm(total=len(papers), disable=not progress, unit=" papers", file=sys.stderr, leave=False) as bar:
        for begin in range(0, len(papers), _CHUNK):
            chunk = papers.iloc[begin:begin + _CHUNK]
            chunks.append(extract_claims(chunk))
            bar.update(len(chunk))
    return papers, concat_claims(chunks)


def _read_entry(papers_file: Path, claims_file: Path) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    from .stream import read_claims

    if not (papers_file.is_file() and claims_file.is_file()):
        return None
    try:
        papers = pd.read_parquet(papers_file)
        claims = read_claims(claims_file)
    except Exception:  # a damaged entry (disk trouble, killed writer): compute again
        return None
    for used in (papers_file, claims_file):
        used.touch()  # most recently used: kept longest
    return papers, claims


def _write_entry(papers: pd.DataFrame, claims: pd.DataFrame, papers_file: Path, claims_file: Path,
                 progress: bool) -> None:
    """Store an entry (papers first: an entry counts only once its claims file exists)."""
    try:
        papers_file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(papers_file) as temporary:
            papers.to_parquet(temporary, index=False)
        with atomic_path(claims_file) as temporary:
            claims.to_parquet(temporary, index=False)
        _write_summary(papers, claims, claims_file)
    except (OSError, ValueError, TypeError) as err:  # unwritable cache, or metadata Parquet cannot hold
        if progress:
            print(f"claimkit: note: claims not cached ({err})", file=sys.stderr)
        return
    prune(KEEP)


def corpus_summary(papers: pd.DataFrame, claims: pd.DataFrame) -> dict:
    """The counts a cache entry keeps beside its claims (:func:`cached_summary` reads them back)."""
    return {"papers": len(papers), "claims": len(claims), "papers_with_claims": int(claims["paper"].nunique())}


def _write_summary(papers: pd.DataFrame, claims: pd.DataFrame, claims_file: Path) -> None:
    """The entry's counts, beside its claims (read by :func:`cached_summary`)."""
    summary = corpus_summary(papers, claims)
    with contextlib.suppress(OSError), atomic_path(claims_file.with_suffix(".json")) as temporary:
        temporary.write_text(json.dumps(summary), encoding="utf-8")


def prune(keep: int = KEEP) -> None:
    """Delete all but the ``keep`` most recently used cache entries."""
    folder = cache_dir()
    entries = sorted(folder.glob("claims-*.parquet"), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        key = stale.name[len("claims-"):-len(".parquet")]
        for path in (*entry_paths(key), stale.with_suffix(".json")):
            path.unlink(missing_ok=True)
