"""Bad input through the real ``claimkit`` command: exit 2, one line naming the file (and line),
no traceback, no output written and an existing output left untouched."""

from __future__ import annotations

import gzip
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

GOOD = json.dumps({"title": "Fast", "abstract": "We are 2.5x faster than the baseline."})
GOOD2 = json.dumps({"title": "Faster", "abstract": "We are 3x faster than the baseline."})
OLD_OUTPUT = b'{"previous": "run"}\n'

# name, file name, content, what the one error line must say (after "claimkit: error: FILE")
BAD_INPUTS = [
    ("empty file", "empty.jsonl", b"", ": file is empty"),
    ("blank lines only", "blank.csv", b"\n \n", ": file is empty"),
    ("csv header, no papers", "header.csv", b"title,abstract\n", ": no papers found"),
    ("bibtex without entries", "refs.bib", b"% just a comment\n@comment{nothing here}\n", ": no papers found"),
    ("truncated jsonl record", "cut.jsonl", f"{GOOD}\n{GOOD2}\n{{\"title\": \"Cut\", \"abstr".encode(),
     ":3: broken JSON record"),
    ("jsonl line not an object", "list.jsonl", f"{GOOD}\n[1, 2]\n".encode(), ":2: a JSON line must be an object"),
    ("jsonl record without text", "notext.jsonl", f'{GOOD}\n{{"id": "x"}}\n'.encode(), ":2: record has neither title nor abstract"),
    ("csv without title/abstract", "cols.csv", b"name,text\nA,B\n", ": no title or abstract column (columns: name, text)"),
    ("binary garbage", "garbage.jsonl", bytes(range(256)) * 8, ":1: binary data, not text"),
    ("binary garbage, unknown suffix", "garbage.bin", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), ":3: binary data, not text"),
    ("non-UTF-8 jsonl", "latin1.jsonl", (GOOD + "\n" + json.dumps({"title": "Müller"}, ensure_ascii=False) + "\n").encode("latin-1"),
     ":2: not UTF-8 text"),
    ("non-UTF-8 csv", "latin1.csv", "title,abstract\nMüller,x\n".encode("latin-1"), ":2: not UTF-8 text"),
    ("snapshot with a broken line", "arxiv.json",
     b'{"id": "0704.0001", "title": "T", "abstract": "A", "versions": []}\n{"id": "0704.0002", "title"\n',
     ":2: broken JSON record"),
    ("malformed atom", "feed.xml", b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n</feed>\n',
     ":4: malformed XML"),
    ("broken hf json", "daily.json", b'[\n  {"paper": {"id": "1", "title": "T", "summary": "S"}},\n  {"paper": \n', ":4: broken JSON"),
    ("hf item without summary", "daily2.json", b'[{"paper": {"id": "2411.1", "title": "T"}}]', ": item 1 (id 2411.1): no title or summary text"),
    ("unbalanced bibtex", "open.bib", b"@article{a,\n  title = {Open,\n  abstract = {x}\n", ":2: broken BibTeX entry (unbalanced braces"),
    ("gzipped jsonl, broken record", "cut.jsonl.gz", gzip.compress(f"{GOOD}\n{{\"title\"\n".encode(), mtime=0),
     ":2: broken JSON record"),
    ("truncated gzip", "short.jsonl.gz", gzip.compress("".join(json.dumps({"title": f"Fast {i}", "abstract": f"{i}x faster."}) + "\n"
                                                     for i in range(4000)).encode(), mtime=0)[:300],
     "broken gzip data (Compressed file ended before the end-of-stream marker was reached)"),
    ("corrupt gzip", "bad.jsonl.gz", b"\x1f\x8bnot really gzip data at all", ": broken gzip data"),
]


def run_claimkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["claimkit", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@dataclass
class Case:
    source: Path
    existing: Path  # an output from an earlier run, which must survive
    fresh: Path  # an output that must not appear
    before: list[str]
    results: list[subprocess.CompletedProcess]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Every bad input run through the command (in parallel: each run starts Python and pandas)."""
    prepared = {}
    for name, filename, content, _ in BAD_INPUTS:
        folder = tmp_path_factory.mktemp("bad")
        source = folder / filename
        source.write_bytes(content)
        existing = folder / "old.jsonl"
        existing.write_bytes(OLD_OUTPUT)
        prepared[name] = Case(source, existing, folder / "new.jsonl", sorted(p.name for p in folder.iterdir()), [])
    # onto the existing output for every case; onto a new one for the first few (it is the same code path)
    runs = [(case, case.existing) for case in prepared.values()]
    runs += [(case, case.fresh) for case in list(prepared.values())[:4]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = pool.map(lambda run: run_claimkit("extract", str(run[0].source), "-o", str(run[1]), "-q",
                                                    cwd=run[0].source.parent), runs)
        for (case, _), result in zip(runs, results):
            case.results.append(result)
    return prepared


@pytest.mark.parametrize("name, message", [(case[0], case[3]) for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_cleanly(cases: dict[str, Case], name: str, message: str) -> None:
    case = cases[name]
    for result in case.results:
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert lines[0].startswith(f"claimkit: error: {case.source}"), lines[0]
        assert message in lines[0], lines[0]
        assert result.stdout == ""
    assert case.existing.read_bytes() == OLD_OUTPUT  # the good file from before is untouched
    assert sorted(p.name for p in case.source.parent.iterdir()) == case.before  # no output, no temp file left


def test_missing_input_file(tmp_path: Path) -> None:
    result = run_claimkit("extract", "nowhere.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "claimkit: error: nowhere.jsonl: No such file or directory"
    assert not (tmp_path / "out.jsonl").exists()


def test_on_error_skip_skips_bad_records_and_reports_them(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(f"{GOOD}\n{{\"title\": \n{GOOD.replace('Fast', 'Faster')}\n[1]\n", encoding="utf-8")
    output = tmp_path / "claims.jsonl"
    result = run_claimkit("extract", str(source), "-o", str(output), "-q", "--on-error", "skip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = result.stderr.splitlines()
    assert report[0] == "claimkit: skipped 2 bad records, first:"
    assert report[1].startswith(f"  {source}:2: broken JSON record")
    assert report[2].startswith(f"  {source}:4: a JSON line must be an object")
    claims = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted({c["title"] for c in claims}) == ["Fast", "Faster"]


def test_on_error_skip_with_nothing_left_is_still_an_error(tmp_path: Path) -> None:
    source = tmp_path / "allbad.jsonl"
    source.write_text('{"title": \n[1]\n', encoding="utf-8")
    result = run_claimkit("extract", str(source), "-o", "out.jsonl", "--on-error", "skip", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"claimkit: error: {source}: no papers found (2 bad records skipped; first: {source}:1: "
        "broken JSON record (Expecting value, column 11))"]


def test_filters_from_the_command_line(tmp_path: Path) -> None:
    snapshot = Path(__file__).parent / "data" / "formats" / "snapshot.json"
    output = tmp_path / "claims.jsonl"
    result = run_claimkit("extract", str(snapshot), "-o", str(output), "-q", "--category", "cs.CL,stat.ML",
                          "--since", "2023-11-01", "--until", "2024-01-31", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    titles = {json.loads(line)["title"] for line in output.read_text(encoding="utf-8").splitlines()}
    assert titles == {"SpecX: Speculative Decoding for Fast LLM Inference", "Nyström Attention on Commodity Hardware"}
    bad_date = run_claimkit("extract", str(snapshot), "-o", str(output), "--since", "soon", cwd=tmp_path)
    assert bad_date.returncode == 2
    assert bad_date.stderr.strip() == "claimkit: error: --since: expected a date like 2024-12-02, not 'soon'"
