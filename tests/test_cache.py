"""The claims cache: where it lives, what it is keyed by, and that it never serves stale claims."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from claimkit import cache, corpus, extract_claims, read_papers
from claimkit.readers import with_paper_metadata


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def papers_file(tmp_path) -> Path:
    path = tmp_path / "papers.jsonl"
    read_papers(corpus.SEED_PAPERS).head(30).to_json(path, orient="records", lines=True)
    return path


def test_the_test_suite_never_uses_the_real_user_cache():
    folder = cache.cache_dir().resolve()
    assert os.environ.get(cache.CACHE_ENV)
    assert folder.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not folder.is_relative_to((Path.home() / ".cache").resolve())


@pytest.mark.parametrize("env, expected", [
    ({"CLAIMKIT_CACHE_DIR": "/x/claims", "XDG_CACHE_HOME": "/y"}, "/x/claims"),
    ({"XDG_CACHE_HOME": "/y"}, "/y/claimkit"),
    ({}, str(Path.home() / ".cache" / "claimkit")),
])
def test_cache_dir_follows_the_documented_environment(monkeypatch, env, expected):
    for name in ("CLAIMKIT_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cache.cache_dir() == Path(expected)


def test_first_load_extracts_and_says_so_then_the_cache_gives_the_same_tables(cache_dir, papers_file, capsys):
    first = cache.load_corpus([papers_file], progress=True)
    said = capsys.readouterr().err
    assert not first.cached and "extracting the claims of 30 papers" in said and str(cache_dir) in said
    papers = read_papers(papers_file)
    pd.testing.assert_frame_equal(first.claims, with_paper_metadata(extract_claims(papers), papers))
    second = cache.load_corpus([papers_file], progress=True)
    assert second.cached and "extracting" not in capsys.readouterr().err
    pd.testing.assert_frame_equal(second.claims, first.claims)
    pd.testing.assert_frame_equal(second.papers, first.papers)
    assert len(list(cache_dir.glob("claims-*.parquet"))) == 1


def test_a_changed_input_is_extracted_again(cache_dir, papers_file):
    cache.load_corpus([papers_file])
    with papers_file.open("a") as handle:
        handle.write('{"id": "new", "title": "New", "abstract": "We get a 3x speedup."}\n')
    again = cache.load_corpus([papers_file])
    assert not again.cached and "new" in set(again.claims["paper"])
    os.utime(papers_file, ns=(1, 1))  # same content, another modification time
    assert not cache.load_corpus([papers_file]).cached


def test_the_extractor_version_changes_with_a_vocabulary_or_rule(tmp_path, monkeypatch):
    package = Path(cache.__file__).parent
    copy = tmp_path / "claimkit"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    monkeypatch.setattr(cache, "_PACKAGE", copy)
    version = cache.extractor_version.__wrapped__
    before = version()
    assert version() == before  # stable
    vocabulary = copy / "vocab" / "benchmarks.txt"
    vocabulary.write_text(vocabulary.read_text() + "\nFooBench\n")
    assert version() != before
    vocabulary.write_text(vocabulary.read_text().removesuffix("\nFooBench\n"))
    assert version() == before
    (copy / "extract" / "kinds.py").write_text((copy / "extract" / "kinds.py").read_text() + "\n# a change\n")
    assert version() != before


def test_a_different_extractor_version_misses_the_cache(cache_dir, papers_file, monkeypatch):
    assert not cache.load_corpus([papers_file]).cached
    monkeypatch.setattr(cache, "extractor_version", lambda: "another-version")
    assert not cache.load_corpus([papers_file]).cached
    assert len(list(cache_dir.glob("claims-*.parquet"))) == 2


def test_a_damaged_entry_is_computed_again(cache_dir, papers_file):
    first = cache.load_corpus([papers_file])
    (claims_file,) = cache_dir.glob("claims-*.parquet")
    claims_file.write_bytes(claims_file.read_bytes()[:100])
    again = cache.load_corpus([papers_file])
    assert not again.cached
    pd.testing.assert_frame_equal(again.claims, first.claims)


def test_an_unwritable_cache_only_costs_speed(tmp_path, papers_file, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker))
    loaded = cache.load_corpus([papers_file], progress=True)
    assert not loaded.cached and len(loaded.claims) > 0
    assert "claims not cached" in capsys.readouterr().err


def test_only_the_most_recently_used_entries_are_kept(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    files = []
    for i in range(4):
        path = tmp_path / f"p{i}.jsonl"
        path.write_text(f'{{"id": "p{i}", "title": "T{i}", "abstract": "A {i + 2}x speedup."}}\n')
        files.append(path)
        cache.load_corpus([path])
        os.utime(next(cache_dir.glob(f"claims-{cache.cache_key([path])}.parquet")), (i, i))
    cache.prune(2)
    kept = {path.name for path in cache_dir.glob("claims-*.parquet")}
    assert kept == {f"claims-{cache.cache_key([path])}.parquet" for path in files[2:]}
    assert len(list(cache_dir.glob("papers-*.parquet"))) == 2


def test_a_missing_input_is_an_input_error(cache_dir, tmp_path):
    from claimkit.errors import InputError

    with pytest.raises(InputError, match="nope.jsonl"):
        cache.load_corpus([tmp_path / "nope.jsonl"])
