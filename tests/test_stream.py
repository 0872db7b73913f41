"""Streaming writers: same table as write_claims in every format, and atomic on failure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow.parquet as pq
import pytest

from claimkit import corpus
from claimkit.cli import main
from claimkit.io import write_claims
from claimkit.readers import read_papers
from claimkit.stream import claims_arrow_schema, open_claims_writer, read_claims, write_claims_chunks
from claimkit.table import claims_frame, empty_claims

sys.path.insert(0, str(Path(__file__).parent))  # worker processes import the toy by name
from _toy_extractor import toy_extract  # noqa: E402

FORMATS = ("jsonl", "csv", "parquet")


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return read_papers(corpus.SEED_PAPERS)


@pytest.fixture(scope="module")
def whole(papers: pd.DataFrame) -> pd.DataFrame:
    return toy_extract(papers)


def claims_chunks(papers: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    """Toy claims chunk by chunk: each chunk has its own ``unit`` categories, some none."""
    return [toy_extract(papers.iloc[i : i + size].reset_index(drop=True)) for i in range(0, len(papers), size)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("size", [1, 13, 1000])
def test_streamed_file_reads_back_as_write_claims(tmp_path, papers, whole, fmt, size):
    chunks = claims_chunks(papers, size)
    assert any(c.empty for c in chunks) or size > 1  # size 1 gives empty chunks, which must fit
    rows = write_claims_chunks(chunks, tmp_path / f"streamed.{fmt}")
    write_claims(whole, tmp_path / f"whole.{fmt}")
    assert rows == len(whole) > 0
    streamed, written = read_claims(tmp_path / f"streamed.{fmt}"), read_claims(tmp_path / f"whole.{fmt}")
    pd.testing.assert_frame_equal(streamed, written)
    pd.testing.assert_frame_equal(streamed, whole)  # read_claims restores every dtype
    if fmt != "parquet":  # text formats: byte for byte what write_claims writes
        assert (tmp_path / f"streamed.{fmt}").read_bytes() == (tmp_path / f"whole.{fmt}").read_bytes()


@pytest.mark.parametrize(("row_group_rows", "groups"), [(100, 5), (65_536, 1)])
def test_parquet_gathers_chunks_into_row_groups_under_one_schema(tmp_path, papers, whole, row_group_rows, groups):
    chunks = claims_chunks(papers, 13)  # 14 chunks, each with its own unit categories
    out = tmp_path / "claims.parquet"
    with open_claims_writer(out) as writer:
        writer.row_group_rows = row_group_rows
        for chunk in chunks:
            writer.write(chunk)
    parquet = pq.ParquetFile(out)
    sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.metadata.num_row_groups)]
    assert len(sizes) == groups and sum(sizes) == len(whole)
    assert all(size >= row_group_rows for size in sizes[:-1])
    assert parquet.schema_arrow.equals(claims_arrow_schema())
    pd.testing.assert_frame_equal(read_claims(out), whole)
    units = pd.read_parquet(out)["unit"]  # dictionaries of all row groups, united by pyarrow
    assert set(units.cat.categories) == set(whole["unit"].astype(str))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("chunks", [[], [empty_claims(), empty_claims()]], ids=["no-chunks", "empty-chunks"])
def test_no_claims_gives_the_same_empty_table_as_write_claims(tmp_path, fmt, chunks):
    write_claims_chunks(chunks, tmp_path / f"streamed.{fmt}")
    write_claims(empty_claims(), tmp_path / f"whole.{fmt}")
    streamed = read_claims(tmp_path / f"streamed.{fmt}")
    pd.testing.assert_frame_equal(streamed, read_claims(tmp_path / f"whole.{fmt}"))
    pd.testing.assert_frame_equal(streamed, empty_claims())


def test_ids_that_look_like_numbers_stay_text(tmp_path):
    claims = claims_frame({"paper": ["2401.10000"], "title": ["t"], "field": ["abstract"], "start": [0],
                           "end": [3], "text": ["10x"], "kind": ["speedup"], "low": [10.0], "high": [10.0],
                           "unit": ["x"], "qualifier": [""], "metric": [""], "benchmark": [""],
                           "baseline": [""], "sentence": ["10x faster"]})
    for fmt in FORMATS:
        write_claims_chunks([claims], tmp_path / f"c.{fmt}")
        pd.testing.assert_frame_equal(read_claims(tmp_path / f"c.{fmt}"), claims)


def failing_chunks(chunks: list[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The chunks, then an error, as when extraction breaks half way through a run."""
    yield from chunks
    raise RuntimeError("extractor broke")


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_leaves_existing_output_untouched_and_no_temp_files(tmp_path, papers, fmt):
    out = tmp_path / f"claims.{fmt}"
    out.write_bytes(b"previous good output")
    with pytest.raises(RuntimeError, match="extractor broke"):
        write_claims_chunks(failing_chunks(claims_chunks(papers, 50)), out)
    assert out.read_bytes() == b"previous good output"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_failure_inside_the_writer_block_removes_the_temp_file(tmp_path, papers):
    out = tmp_path / "claims.parquet"
    with pytest.raises(KeyboardInterrupt):
        with open_claims_writer(out) as writer:
            writer.write(toy_extract(papers))
            raise KeyboardInterrupt  # Ctrl-C mid-run
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_record_late_in_the_input_keeps_the_old_output(tmp_path, capsys):
    source = tmp_path / "papers.jsonl"
    lines = corpus.SEED_PAPERS.read_text(encoding="utf-8").splitlines()
    source.write_text("\n".join(lines + ["{broken json"]) + "\n", encoding="utf-8")
    out = tmp_path / "claims.parquet"
    out.write_bytes(b"previous good output")
    assert main(["extract", str(source), "-o", str(out), "--chunk-size", "20", "-q"]) == 2
    assert f"papers.jsonl:{len(lines) + 1}" in capsys.readouterr().err
    assert out.read_bytes() == b"previous good output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.parquet", "papers.jsonl"]
