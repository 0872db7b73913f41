"""Engines: chunked, --jobs 2 and Dask give exactly the claims of one whole-table extraction.

Each equality is checked twice: with the real extractor (whose claims must be non-empty, or the
test proves nothing) and with a toy extractor whose ``unit`` categories differ per chunk.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Iterator

import dask.dataframe as dd
import pandas as pd
import pytest

from claimkit import corpus, scale
from claimkit.cli import main, summarize
from claimkit.extract import extract_claims
from claimkit.io import write_claims
from claimkit.readers import read_papers
from claimkit.stream import read_claims

sys.path.insert(0, str(Path(__file__).parent))  # worker processes import the toy by name
from _toy_extractor import toy_extract  # noqa: E402

SEED = str(corpus.SEED_PAPERS)


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return read_papers(SEED)


@pytest.fixture(scope="module")
def expected(papers: pd.DataFrame) -> pd.DataFrame:
    """The real extractor on the whole table: what every engine must reproduce."""
    claims = extract_claims(papers)
    assert len(claims) > 0, "the extractor finds no claims in the seed papers: equality would be vacuous"
    return claims


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """One LocalCluster with 2 worker processes for the whole module (startup takes seconds)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def run_engine(paper_source: object, extract: object = None, chunk_size: int = 25, **engine: object) -> pd.DataFrame:
    chunks = scale.iter_paper_chunks([paper_source], chunk_size=chunk_size)
    return scale.concat_claims([r.claims for r in scale.iter_claims(chunks, extract=extract, **engine)])


# --- the real extractor ------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [1, 7, 100, 10_000])
def test_chunk_boundaries_do_not_change_the_claims(expected, chunk_size):
    pd.testing.assert_frame_equal(run_engine(SEED, chunk_size=chunk_size), expected)


def test_extract_claims_chunked_takes_a_path_or_a_papers_table(papers, expected):
    pd.testing.assert_frame_equal(scale.extract_claims_chunked(SEED, chunk_size=50), expected)
    pd.testing.assert_frame_equal(scale.extract_claims_chunked(papers, chunk_size=50), expected)


def test_two_processes_give_the_same_claims(expected):
    pd.testing.assert_frame_equal(run_engine(SEED, jobs=2), expected)


def test_dask_engine_gives_the_same_claims(expected, cluster):
    pd.testing.assert_frame_equal(run_engine(SEED, engine="dask", scheduler=cluster.scheduler_address), expected)


def test_extract_claims_dask_gives_the_same_claims(papers, expected, cluster):
    from distributed import Client

    with Client(cluster):
        lazy = scale.extract_claims_dask(dd.from_pandas(papers, npartitions=4))
        assert list(lazy.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(scale.collect_claims(lazy), expected)
        # a plain compute gives the same rows (only the index and category order may differ)
        computed = lazy.compute().reset_index(drop=True)
        pd.testing.assert_frame_equal(computed, expected, check_categorical=False)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_streaming_output_equals_write_claims_of_the_whole_table(tmp_path, expected, fmt):
    write_claims(expected, tmp_path / f"whole.{fmt}")
    out = tmp_path / f"cli.{fmt}"
    assert main(["extract", SEED, "-o", str(out), "--chunk-size", "30", "-q"]) == 0
    pd.testing.assert_frame_equal(read_claims(out), read_claims(tmp_path / f"whole.{fmt}"))


@pytest.mark.parametrize("options", [["--jobs", "2"], ["--scheduler", "{address}"], ["--engine", "dask", "--jobs", "1"]],
                         ids=["jobs-2", "dask-scheduler", "dask-localcluster"])
def test_cli_engines_write_the_same_file_as_the_default(tmp_path, expected, cluster, options):
    options = [o.format(address=cluster.scheduler_address) for o in options]
    assert main(["extract", SEED, "-o", str(tmp_path / "default.parquet"), "-q"]) == 0
    assert main(["extract", SEED, "-o", str(tmp_path / "engine.parquet"), "--chunk-size", "40", "-q", *options]) == 0
    default, engine = read_claims(tmp_path / "default.parquet"), read_claims(tmp_path / "engine.parquet")
    assert len(default) == len(expected) > 0
    pd.testing.assert_frame_equal(engine, default)


# --- the toy extractor: the machinery, whatever the real extractor finds ----------------------


@pytest.fixture(scope="module")
def toy_expected(papers: pd.DataFrame) -> pd.DataFrame:
    return toy_extract(papers)


@pytest.mark.parametrize(("engine", "chunk_size"), [({}, 1), ({}, 30), ({"jobs": 2}, 1), ({"jobs": 2}, 30),
                                                    ({"engine": "dask"}, 30)],  # dask: ~50 ms a chunk
                         ids=["serial-1", "serial-30", "jobs-2-1", "jobs-2-30", "dask-30"])
def test_engines_keep_rows_order_and_dtypes(toy_expected, cluster, engine, chunk_size):
    if engine.get("engine") == "dask":
        engine = dict(engine, scheduler=cluster.scheduler_address)
    got = run_engine(SEED, extract=toy_extract, chunk_size=chunk_size, **engine)
    assert len(got) == len(toy_expected) > 0
    pd.testing.assert_frame_equal(got, toy_expected)


def test_extract_claims_dask_normalizes_raw_partitions(cluster, toy_expected):
    from distributed import Client

    raw = pd.read_json(SEED, lines=True, dtype=False)  # ``id`` instead of ``paper``
    with Client(cluster):
        lazy = scale.extract_claims_dask(dd.from_pandas(raw, npartitions=3), toy_extract)
        pd.testing.assert_frame_equal(scale.collect_claims(lazy), toy_expected)


def test_streaming_run_summary_matches_the_whole_table_summary(tmp_path, papers, toy_expected):
    stats = scale.extract_to_file([SEED], tmp_path / "c.jsonl", chunk_size=20, extract=toy_extract, progress=False)
    assert stats.summary() == summarize(papers, toy_expected)


def test_results_come_back_in_order_with_bounded_work_in_flight():
    submitted: list[int] = []

    class Done:
        def __init__(self, value: int) -> None:
            self.value = value

        def result(self) -> int:
            return self.value

        def cancel(self) -> bool:
            return True

    def submit(chunk: pd.DataFrame) -> Done:
        submitted.append(len(chunk))
        return Done(len(chunk))

    chunks = (pd.DataFrame({"a": range(n)}) for n in range(1, 9))
    results = scale.ordered_results(chunks, submit, max_in_flight=3)
    first = next(results)
    assert first.papers == 1 and len(submitted) == 3  # only three chunks read ahead
    assert [r.claims for r in results] == list(range(2, 9))


# --- progress bar ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_on_a_terminal_for_a_large_input_unless_quiet(tmp_path, monkeypatch, quiet):
    monkeypatch.setattr(scale, "LARGE_INPUT_BYTES", 1000)  # the seed file counts as large
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    scale.extract_to_file([SEED], tmp_path / "c.csv", chunk_size=50, extract=toy_extract, progress=not quiet)
    if quiet:
        assert terminal.getvalue() == ""
    else:
        assert "174/174" in terminal.getvalue() and "papers/s" in terminal.getvalue()


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "LARGE_INPUT_BYTES", 1000)
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    scale.extract_to_file([SEED], tmp_path / "c.csv", extract=toy_extract)
    assert pipe.getvalue() == ""


def test_estimate_papers_counts_jsonl_records():
    assert scale.estimate_papers([SEED]) == 174
    assert scale.estimate_papers([SEED, str(corpus.DEFAULT_PAGE)]) is None  # a page dump cannot tell


def test_scheduler_needs_the_dask_engine():
    with pytest.raises(Exception, match="needs the dask engine"):
        scale.resolve_engine("local", "tcp://127.0.0.1:8786")
    assert scale.resolve_engine(None, "tcp://127.0.0.1:8786") == "dask"
    assert scale.resolve_engine(None, None) == "local"
