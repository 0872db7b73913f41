"""Extraction at scale: chunks of papers in, claims chunks out, in input order.

Three engines give the same claims (same rows, order and dtypes) as
``extract_claims(read_papers(...))``, because the extractor is a pure function of the papers
table and each chunk keeps its papers in order:

* ``local`` with ``jobs=1`` (default): one chunk after another in this process;
* ``local`` with ``jobs=N``: N worker processes (``ProcessPoolExecutor``);
* ``dask``: ``map_partitions`` on a ``distributed`` cluster, a ``LocalCluster`` by default or
  an existing scheduler (whose workers must have claimkit installed).

Only a few chunks are in flight at once, so memory stays flat on any input size;
:func:`extract_to_file` streams them into an atomic writer (:mod:`claimkit.stream`).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from .errors import InputError, UsageError, one_line
from .io import check_output
from .readers import STREAMED, Source, detect_format, iter_papers, read_papers
from .sources.policy import one_run
from .sources.text import is_stream, open_bytes, reading_errors
from .table import CLAIM_COLUMNS, KINDS, empty_claims

if TYPE_CHECKING:  # dask is imported only when the dask engine runs (it is slow to import)
    import dask.dataframe as dd
    from distributed import Client

    from .corrections import Corrections, Stale

DEFAULT_CHUNK_SIZE = 10_000
ENGINES = ("local", "dask")
LARGE_INPUT_BYTES = 5_000_000  # about 4,000 abstracts: below this a progress bar only flickers
IN_FLIGHT_PER_WORKER = 2  # one chunk computing, one queued: workers never idle, memory bounded

Extractor = Callable[[pd.DataFrame], pd.DataFrame]


class _Future(Protocol):
    def result(self) -> Any: ...

    def cancel(self) -> bool: ...


@dataclass
class ChunkResult:
    """The claims of one chunk and how many papers the chunk held."""

    papers: int
    claims: pd.DataFrame


# --- one chunk -----------------------------------------------------------------------------


def extract_chunk(papers: pd.DataFrame, extract: Extractor | None = None) -> pd.DataFrame:
    """Claims of one papers chunk (a raw frame with title/abstract columns is normalized first)."""
    if extract is None:
        from .extract import extract_claims as extract  # looked up per call: tests may patch it
    if papers.empty:
        return empty_claims()
    if "paper" not in papers.columns:
        papers = read_papers(papers)
    return extract(papers.reset_index(drop=True)).reset_index(drop=True)


def iter_paper_chunks(sources: Iterable[Source], format: str | None = None,
                      chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[pd.DataFrame]:
    """Papers chunks of every source in turn (a chunk never spans two sources); ids unique in all."""
    with one_run():
        for source in sources:
            yield from iter_papers(source, format=format, chunk_size=chunk_size)


# --- engines -------------------------------------------------------------------------------


def resolve_engine(engine: str | None, scheduler: str | None) -> str:
    """The engine to run: as asked, else ``dask`` when a scheduler address is given, else ``local``."""
    if engine is None:
        return "dask" if scheduler else "local"
    if scheduler and engine != "dask":
        raise UsageError("--scheduler", f"a scheduler address needs the dask engine, not {engine!r}")
    return engine


def iter_claims(paper_chunks: Iterable[pd.DataFrame], *, jobs: int | None = None, engine: str = "local",
                scheduler: str | None = None, extract: Extractor | None = None,
                dashboard: bool = False) -> Iterator[ChunkResult]:
    """Claims of each papers chunk, in input order, on the chosen engine.

    ``jobs`` is the number of local processes (``local``) or of LocalCluster workers (``dask``,
    default: one per core). ``extract`` must be picklable for ``jobs > 1`` and for dask.
    """
    if engine not in ENGINES:
        raise UsageError("--engine", f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs", f"must be at least 1, not {jobs}")
    if engine == "dask":
        yield from _dask_claims(paper_chunks, scheduler, jobs, extract, dashboard)
    elif (jobs or 1) > 1:
        yield from _process_claims(paper_chunks, jobs or 1, extract)
    else:
        for papers in paper_chunks:
            yield ChunkResult(len(papers), extract_chunk(papers, extract))


def _process_claims(paper_chunks: Iterable[pd.DataFrame], jobs: int,
                    extract: Extractor | None) -> Iterator[ChunkResult]:
    # spawn, not fork: forking a process that runs threads (tqdm, a Dask client) can deadlock.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        yield from ordered_results(paper_chunks, lambda papers: pool.submit(extract_chunk, papers, extract),
                                   max_in_flight=jobs * IN_FLIGHT_PER_WORKER)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ordered_results(paper_chunks: Iterable[pd.DataFrame], submit: Callable[[pd.DataFrame], _Future],
                    max_in_flight: int) -> Iterator[ChunkResult]:
    """Submit chunks, at most ``max_in_flight`` at a time, and yield their results in order."""
    pending: collections.deque[tuple[int, _Future]] = collections.deque()
    try:
        for papers in paper_chunks:
            pending.append((len(papers), submit(papers)))
            if len(pending) >= max_in_flight:
                count, future = pending.popleft()
                yield ChunkResult(count, future.result())
        while pending:
            count, future = pending.popleft()
            yield ChunkResult(count, future.result())
    finally:
        for _, future in pending:  # on error or early close: drop work nobody will read
            future.cancel()


def extract_claims_dask(papers: dd.DataFrame, extract: Extractor | None = None) -> dd.DataFrame:
    """The claims of a Dask papers DataFrame, lazily: one claims partition per papers partition.

    Partitions should be papers tables (as from :func:`~claimkit.readers.read_papers`); raw
    frames with ``title`` and ``abstract`` columns are normalized per partition. The index
    restarts in each partition, and Dask unites ``unit`` categories in order of appearance:
    :func:`collect_claims` computes the exact single-process table.
    """
    return papers.map_partitions(extract_chunk, extract, meta=empty_claims(), align_dataframes=False)


def collect_claims(claims: dd.DataFrame) -> pd.DataFrame:
    """Compute a Dask claims DataFrame into the table ``extract_claims`` gives for all papers."""
    import dask

    return concat_claims(dask.compute(*claims.to_delayed()))


LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None,
                processes: bool = True, dashboard: bool = False) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster closed on exit.

    The LocalCluster's scheduler and workers listen on 127.0.0.1 only, and it has no dashboard
    (an unauthenticated web page) unless ``dashboard``; then it is on 127.0.0.1 too.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as err:
            raise UsageError("--scheduler", f"cannot reach the Dask scheduler {scheduler} ({one_line(err) or type(err).__name__})") from None
        with client:
            yield client
        return
    # one thread per worker: the extractor is pure Python, threads would only share the GIL
    import dask

    # The scheduler always runs an HTTP server (metrics, /info, the dashboard): on 127.0.0.1, a
    # free port, and with no pages at all unless the dashboard is asked for.
    routes: dict[str, list] = {} if dashboard else {"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}
    with dask.config.set(routes), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, host=LOOPBACK,
                         dashboard_address=f"{LOOPBACK}:0", scheduler_kwargs={"dashboard": dashboard},
                         silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        if dashboard:
            print(f"claimkit: Dask dashboard at {client.dashboard_link}", file=sys.stderr)
        yield client


def _dask_claims(paper_chunks: Iterable[pd.DataFrame], scheduler: str | None, workers: int | None,
                 extract: Extractor | None, dashboard: bool = False) -> Iterator[ChunkResult]:
    import dask.dataframe as dd

    with dask_client(scheduler, workers, dashboard=dashboard) as client:
        # all worker threads (scheduler_info() lists only the first few workers of a big cluster)
        worker_count = max(1, sum(client.nthreads().values()))

        def submit(papers: pd.DataFrame) -> _Future:
            # The chunk goes to a worker first so the task graph stays small.
            partition = dd.from_delayed([client.scatter(papers)], meta=papers.iloc[:0], verify_meta=False)
            return client.compute(extract_claims_dask(partition, extract))

        yield from ordered_results(paper_chunks, submit, max_in_flight=worker_count * IN_FLIGHT_PER_WORKER)


# --- whole tables --------------------------------------------------------------------------


def concat_claims(chunks: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One claims table from chunks, with the dtypes one whole-table extraction would give.

    ``pd.concat`` turns categoricals whose categories differ into plain strings; their
    categories are united instead, sorted when every chunk's were sorted (pandas' default)
    and in order of first appearance otherwise.
    """
    chunks = [chunk for chunk in chunks if len(chunk)]
    if not chunks:
        return empty_claims()
    frame = pd.concat(chunks, ignore_index=True)
    for name in CLAIM_COLUMNS:
        dtypes = [chunk[name].dtype for chunk in chunks]
        if isinstance(dtypes[0], pd.CategoricalDtype) and any(d != dtypes[0] for d in dtypes):
            frame[name] = _united_categorical([chunk[name] for chunk in chunks])
    return frame


def _united_categorical(columns: list[pd.Series]) -> pd.Categorical:
    sort = all(list(c.cat.categories) == sorted(c.cat.categories) for c in columns)
    return union_categoricals(columns, sort_categories=sort, ignore_order=True)


def extract_claims_chunked(papers: Source, *, chunk_size: int = DEFAULT_CHUNK_SIZE, jobs: int | None = None,
                           engine: str = "local", scheduler: str | None = None) -> pd.DataFrame:
    """``extract_claims(read_papers(papers))`` computed chunk by chunk on the chosen engine."""
    chunks = iter_paper_chunks([papers], chunk_size=chunk_size)
    results = iter_claims(chunks, jobs=jobs, engine=engine, scheduler=scheduler)
    return concat_claims([result.claims for result in results])


# --- streaming to a file -------------------------------------------------------------------


@dataclass
class RunStats:
    """Running totals of a streaming run, small whatever the input size."""

    papers: int = 0
    claims: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    reviews: dict[str, int] = field(default_factory=dict)  # rows per review, with corrections
    stale: list[Stale] = field(default_factory=list)  # decisions that found no claim
    decisions_in_scope: set[int] = field(default_factory=set)  # decisions on papers of the input
    _paper_hashes: list[np.ndarray] = field(default_factory=list, repr=False)

    def correct(self, result: ChunkResult, papers: pd.DataFrame, corrections: Corrections) -> ChunkResult:
        """The chunk's claims with ``corrections`` applied; counts what they did."""
        corrected = corrections.apply(result.claims, papers)
        for review, count in corrected.reviews.items():
            self.reviews[review] = self.reviews.get(review, 0) + count
        self.stale += corrected.stale
        self.decisions_in_scope |= corrected.in_scope
        return ChunkResult(result.papers, corrected.claims)

    def add(self, result: ChunkResult) -> None:
        """Count one chunk's papers and claims."""
        self.papers += result.papers
        self.claims += len(result.claims)
        for kind, count in result.claims["kind"].value_counts(sort=False).items():
            self.kinds[str(kind)] = self.kinds.get(str(kind), 0) + int(count)
        # 8-byte hashes instead of ids: a paper's claims may span chunks (or inputs).
        ids = np.asarray(result.claims["paper"].unique(), dtype=object)
        self._paper_hashes.append(pd.util.hash_array(ids))

    @property
    def papers_with_claims(self) -> int:
        return int(np.unique(np.concatenate(self._paper_hashes)).size) if self._paper_hashes else 0

    def summary(self) -> str:
        """The same lines as ``claimkit.cli.summarize`` for the whole table."""
        lines = [f"{self.claims} claims from {self.papers_with_claims} of {self.papers} papers"]
        lines += [f"  {kind:<11}{count:>6}" for kind, count in self.kinds.items()]
        return "\n".join(lines)


def extract_to_file(sources: Sequence[Source], output: str | Path, *, format: str | None = None,
                    chunk_size: int = DEFAULT_CHUNK_SIZE, jobs: int | None = None, engine: str = "local",
                    scheduler: str | None = None, progress: bool = True,
                    extract: Extractor | None = None, dashboard: bool = False,
                    corrections: Corrections | None = None) -> RunStats:
    """Stream the claims of ``sources`` into ``output`` (.jsonl, .csv, .parquet), atomically.

    ``progress`` allows a tqdm bar on stderr; it shows only for a large input on a terminal.
    ``dashboard`` turns on the Dask dashboard of a LocalCluster (on 127.0.0.1).
    ``corrections`` (:class:`claimkit.corrections.Corrections`) are applied to each chunk in
    this process (the workers only extract); the output then has a ``review`` column, and the
    stats list the decisions that found no claim.
    """
    from .stream import open_claims_writer

    check_output(output, sources)  # a bad suffix or path, or an output that is an input, fails before any work
    stats = RunStats()
    chunks = iter_paper_chunks(sources, format, chunk_size)
    in_flight: collections.deque[pd.DataFrame] = collections.deque()  # papers of chunks not yet written
    if corrections is not None:
        chunks = _remembered(chunks, in_flight)
    results = iter_claims(chunks, jobs=jobs, engine=engine, scheduler=scheduler, extract=extract, dashboard=dashboard)
    with progress_bar(sources, format, progress) as bar, \
            open_claims_writer(output, reviewed=corrections is not None) as writer, contextlib.closing(results):
        for result in results:
            if corrections is not None:  # results come in input order, so the oldest chunk is theirs
                result = stats.correct(result, in_flight.popleft(), corrections)
            writer.write(result.claims)
            stats.add(result)
            bar.update(result.papers)
    return stats


def _remembered(chunks: Iterable[pd.DataFrame], memory: collections.deque) -> Iterator[pd.DataFrame]:
    """``chunks``, each also appended to ``memory`` (bounded: the engines keep few in flight)."""
    for chunk in chunks:
        memory.append(chunk)
        yield chunk


# --- progress ------------------------------------------------------------------------------


def progress_bar(sources: Sequence[Source], format: str | None = None, enabled: bool = True) -> Any:
    """A tqdm bar in papers (rate, and ETA when the total is known), or a disabled one.

    Shown only when ``enabled``, stderr is a terminal and the input is large.
    """
    from tqdm import tqdm

    show = enabled and sys.stderr.isatty() and input_bytes(sources) >= LARGE_INPUT_BYTES
    total = estimate_papers(sources, format) if show else None
    return tqdm(total=total, disable=not show, unit=" papers", unit_scale=True, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def input_bytes(sources: Sequence[Source]) -> int:
    """Total size of the file sources (DataFrames count as small)."""
    return sum(os.path.getsize(s) for s in sources if not isinstance(s, pd.DataFrame) and os.path.isfile(s))


def estimate_papers(sources: Sequence[Source], format: str | None = None) -> int | None:
    """About how many papers ``sources`` hold, cheaply; None when a source cannot tell."""
    total = 0
    for source in sources:
        count = _estimate_source(source, format)
        if count is None:
            return None
        total += count
    return total


def _estimate_source(source: Source, format: str | None) -> int | None:
    if isinstance(source, pd.DataFrame):
        return len(source)
    path = Path(source)
    if is_stream(path):
        return None  # detection would consume a pipe's head
    try:
        fmt = format or detect_format(path)
        if fmt in STREAMED:  # one record a line (JSONL, the arXiv snapshot)
            return count_lines(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except (OSError, InputError, ValueError):
        pass  # the reader reports a bad input properly; a progress total is not worth failing for
    return None


def count_lines(path: Path) -> int:
    """Lines of a file, counted in 1 MiB blocks (a JSONL file's records, give or take blank lines)."""
    lines, last = 0, b"\n"
    with reading_errors(path), open_bytes(path) as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")
