"""Hostile and broken input (issue 12) through the real ``claimkit`` command: each case is one line on
stderr with a documented exit code (README "Exit codes and limits"), no traceback, no lost data.

Tables of invocation -> exit code and message; real local servers for fetch, a real LocalCluster
for Dask, real tmpfs mounts for a full disk and a read-only directory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
import pytest

from claimkit.stream import read_claims

GOOD = {"title": "Fast", "abstract": "We are 2.5x faster than the baseline."}
OTHER = {"title": "Faster", "abstract": "It is 3x faster on 8 V100 GPUs."}
OLD_OUTPUT = b'{"previous": "run"}\n'


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def claimkit(*args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLAIMKIT_CACHE=str(cwd / "cache"))
    return subprocess.run(["claimkit", *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout, env=env)


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a failed run (and checks there is exactly one, no traceback)."""
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], result.stderr.decode("utf-8", "replace")
    return lines[0]


# --- input files: name -> bytes; the command; exit code; message ----------------------------------

PARQUET_INT_TITLE = "parquet: int title"
CASES = [
    # 1: the output is an input (same file, a symlink to it, a hard link, another path to it)
    ("output is the input", {"p.jsonl": jsonl(GOOD)}, ["extract", "p.jsonl", "-o", "p.jsonl"], 2,
     "claimkit: error: p.jsonl: the output is the input p.jsonl"),
    ("output is a symlink to the input", {"p.jsonl": jsonl(GOOD), "@link.jsonl": b"p.jsonl"},
     ["extract", "p.jsonl", "-o", "link.jsonl"], 2, "the output is the input p.jsonl"),
    ("output is a hard link to the input", {"p.jsonl": jsonl(GOOD), "=hard.jsonl": b"p.jsonl"},
     ["extract", "p.jsonl", "-o", "hard.jsonl"], 2, "the output is the input p.jsonl"),
    ("output is the input by another path", {"p.jsonl": jsonl(GOOD)}, ["extract", "./p.jsonl", "-o", "sub/../p.jsonl"],
     2, "the output is the input ./p.jsonl"),
    # 2: readers
    ("deeply nested JSON", {"deep.jsonl": b'{"title": "a", "abstract": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"},
     ["extract", "deep.jsonl", "-o", "out.jsonl"], 2, "deep.jsonl:1: broken JSON record (nested too deeply)"),
    ("integer of 5000 digits", {"big.jsonl": b'{"title": "a", "abstract": "b", "n": ' + b"9" * 5000 + b"}\n"},
     ["extract", "big.jsonl", "-o", "out.jsonl"], 2, "big.jsonl:1: broken JSON record (an integer with more than 4,300 digits)"),
    ("lone surrogate escape", {"s.jsonl": b'{"title": "a", "abstract": "2x faster \\ud800"}\n'},
     ["extract", "s.jsonl", "-o", "out.jsonl"], 2, "s.jsonl:1: broken JSON record (a lone surrogate escape (\\ud800)"),
    ("lone surrogate escape, two jobs", {"s.jsonl": jsonl(GOOD) + b'{"title": "a", "abstract": "\\udfff"}\n'},
     ["extract", "s.jsonl", "-o", "out.jsonl", "--jobs", "2"], 2, "s.jsonl:2: broken JSON record (a lone surrogate"),
    ("lone surrogate in Hugging Face JSON", {"d.json": b'[{"paper": {"id": "1", "title": "T", "summary": "\\ud800"}}]'},
     ["extract", "d.json", "-o", "out.jsonl"], 2, "d.json:1: broken JSON (a lone surrogate escape"),
    ("hf author name that is a number", {"d.json": json.dumps([{"paper": {
        "id": "2401.00001", "title": "T", "summary": "2x faster", "authors": [{"name": 5}, {"name": "Ada"}]}}]).encode()},
     ["extract", "d.json", "-o", "out.jsonl"], 0, ""),
    ("hf authors not a list", {"d.json": json.dumps([{"paper": {"id": "2401.00001", "title": "T", "summary": "2x",
                                                                 "authors": 7}}]).encode()},
     ["extract", "d.json", "-o", "out.jsonl"], 0, ""),
    # 3: eval --gold
    ("gold missing", {"p.jsonl": jsonl(GOOD)}, ["eval", "--gold", "nowhere.jsonl", "p.jsonl"], 2,
     "claimkit: error: nowhere.jsonl: No such file or directory"),
    ("gold is a directory", {"p.jsonl": jsonl(GOOD), "gold/x": b""}, ["eval", "--gold", "gold", "p.jsonl"], 2,
     "claimkit: error: gold: Is a directory"),
    ("gold is binary", {"p.jsonl": jsonl(GOOD), "g.jsonl": bytes(range(256))}, ["eval", "--gold", "g.jsonl", "p.jsonl"],
     2, "g.jsonl:1: binary data, not text"),
    ("gold is UTF-16", {"p.jsonl": jsonl(GOOD), "g.jsonl": '{"paper": "p"}\n'.encode("utf-16")},
     ["eval", "--gold", "g.jsonl", "p.jsonl"], 2, "g.jsonl: UTF-16 text; claimkit reads UTF-8"),
    ("gold without paper", {"p.jsonl": jsonl(GOOD), "g.jsonl": jsonl({"kind": "speedup", "low": 2, "high": 2})},
     ["eval", "--gold", "g.jsonl", "p.jsonl"], 2, "g.jsonl:1: gold claim without paper"),
    ("papers file as gold", {"p.jsonl": jsonl(GOOD)}, ["eval", "--gold", "p.jsonl", "p.jsonl"], 2,
     "p.jsonl:1: gold claim without paper, kind, low, high (a papers file?"),
    ("gold low is text", {"p.jsonl": jsonl(GOOD), "g.jsonl": jsonl({"paper": "x", "kind": "speedup", "low": "abc", "high": 2})},
     ["eval", "--gold", "g.jsonl", "p.jsonl"], 2, "g.jsonl:1: low must be a number, not 'abc'"),
    ("gold unknown kind", {"p.jsonl": jsonl(GOOD), "g.jsonl": jsonl({"paper": "x", "kind": "fast", "low": 1, "high": 2})},
     ["eval", "--gold", "g.jsonl", "p.jsonl"], 2, "g.jsonl:1: unknown kind 'fast'"),
    ("gold broken line", {"p.jsonl": jsonl(GOOD), "g.jsonl": b'{"paper": "x", "kind": "speedup", "low": 1, "high": 2}\n{"paper\n'},
     ["eval", "--gold", "g.jsonl", "p.jsonl"], 2, "g.jsonl:2: broken JSON record"),
    # 4: output paths
    ("output in a missing directory", {"p.jsonl": jsonl(GOOD)}, ["extract", "p.jsonl", "-o", "nodir/c.jsonl"], 3,
     "claimkit: error: nodir/c.jsonl: no such directory: nodir"),
    ("output is a directory", {"p.jsonl": jsonl(GOOD), "out.jsonl/x": b""}, ["extract", "p.jsonl", "-o", "out.jsonl"], 3,
     "claimkit: error: out.jsonl: is a directory"),
    ("fetch output in a missing directory", {}, ["fetch", "hf", "--date", "2024-12-02", "-o", "nodir/p.jsonl"], 3,
     "nodir/p.jsonl: no such directory: nodir"),
    # 5: fetch arguments, checked before any request
    ("fetch --retries -1", {}, ["fetch", "hf", "--date", "2024-12-02", "-o", "p.jsonl", "--retries", "-1"], 2,
     "claimkit: error: argument --retries: must be at least 0, not -1"),
    ("fetch --timeout -1", {}, ["fetch", "hf", "--date", "2024-12-02", "-o", "p.jsonl", "--timeout", "-1"], 2,
     "argument --timeout: must be above 0, not -1"),
    ("fetch --timeout nan", {}, ["fetch", "hf", "--date", "2024-12-02", "-o", "p.jsonl", "--timeout", "nan"], 2,
     "argument --timeout: must be above 0, not nan"),
    ("fetch --delay abc", {}, ["fetch", "arxiv", "--query", "x", "-o", "p.jsonl", "--delay", "abc"], 2,
     "argument --delay: expected a number, not 'abc'"),
    ("fetch file: base URL", {}, ["fetch", "hf", "--date", "2024-12-02", "-o", "p.jsonl", "--base-url", "file:///etc/passwd"],
     2, "argument --base-url: only http and https URLs are fetched, not 'file:'"),
    ("fetch gopher: base URL", {}, ["fetch", "arxiv", "--query", "x", "-o", "p.jsonl", "--base-url", "gopher://h/x"], 2,
     "argument --base-url: only http and https URLs are fetched, not 'gopher:'"),
    ("fetch bad date", {}, ["fetch", "hf", "--date", "yesterday", "-o", "p.jsonl"], 2,
     "claimkit: error: --date: expected a date like 2024-12-02, not 'yesterday'"),
    ("extract --jobs 0", {"p.jsonl": jsonl(GOOD)}, ["extract", "p.jsonl", "-o", "o.jsonl", "--jobs", "0"], 2,
     "argument --jobs: must be at least 1, not 0"),
    ("--scheduler with the local engine", {"p.jsonl": jsonl(GOOD)},
     ["extract", "p.jsonl", "-o", "o.jsonl", "--engine", "local", "--scheduler", "tcp://127.0.0.1:1"], 2,
     "claimkit: error: --scheduler: a scheduler address needs the dask engine"),
    # 7: a directory as input (FIFOs and /dev/stdin: below)
    ("input is a directory", {"d/x": b""}, ["extract", "d", "-o", "o.jsonl"], 2, "claimkit: error: d: Is a directory"),
    # 8: rows and lines everywhere
    ("csv: the line of a bad row", {"p.csv": b'title,abstract\n"A","multi\nline 2x"\n"B","x","extra"\n'},
     ["extract", "p.csv", "-o", "o.jsonl"], 2, "p.csv:4: row has 3 fields, the header has 2"),
    ("csv: a row without text", {"p.csv": b'id,title,abstract\n1,A,"2x\nfaster"\n\n2,,\n'},
     ["extract", "p.csv", "-o", "o.jsonl"], 2, "p.csv:5: record has neither title nor abstract"),
    (PARQUET_INT_TITLE, {}, ["extract", "p.parquet", "-o", "o.jsonl"], 2, "p.parquet: column 'title' holds int64, not text"),
    ("parquet: the row of a bad record", {}, ["extract", "mixed.parquet", "-o", "o.jsonl"], 2,
     "mixed.parquet: row 2: record has neither title nor abstract"),
    (".jsonl whose first line is a JSON array", {"a.jsonl": b'[1, 2]\n' + jsonl(GOOD)},
     ["extract", "a.jsonl", "-o", "o.jsonl"], 2, "a.jsonl:1: a JSON line must be an object, not list"),
    # 9: limits per text and per line
    ("abstract over 1,000,000 characters", {"l.jsonl": jsonl(GOOD, {"title": "T", "abstract": "(2x) " * 200_001})},
     ["extract", "l.jsonl", "-o", "o.jsonl"], 2, "l.jsonl:2: abstract has 1,000,005 characters, more than the limit of 1,000,000"),
    ("title over 1,000,000 characters, csv", {"l.csv": b"title,abstract\n" + b"1." * 500_001 + b",x\n"},
     ["extract", "l.csv", "-o", "o.jsonl"], 2, "l.csv:2: title has 1,000,002 characters, more than the limit of 1,000,000"),
    ("JSON line over 32 MiB", {"l.jsonl": jsonl(GOOD) + b'{"title": "' + b"x" * (33 * 2**20) + b'"}\n' + jsonl(OTHER)},
     ["extract", "l.jsonl", "-o", "o.jsonl"], 2, "l.jsonl:2: line is longer than 32 MiB"),
    ("JSON line over 32 MiB, skipped", {"l.jsonl": jsonl(GOOD) + b'{"title": "' + b"x" * (33 * 2**20) + b'"}\n' + jsonl(OTHER)},
     ["extract", "l.jsonl", "-o", "o.jsonl", "--on-error", "skip", "-q"], 0, "claimkit: skipped 1 bad record, first:"),
    # 17: duplicate paper ids
    ("duplicate paper id", {"p.jsonl": jsonl(dict(GOOD, id="2401.1"), dict(OTHER, id="2401.1"))},
     ["extract", "p.jsonl", "-o", "o.jsonl"], 2, "p.jsonl:2: paper id '2401.1' again (first at p.jsonl:1); ids must be unique"),
    ("duplicate paper id across inputs", {"a.jsonl": jsonl(dict(GOOD, id="x")), "b.csv": b"id,title,abstract\nx,B,3x faster\n"},
     ["extract", "a.jsonl", "b.csv", "-o", "o.jsonl"], 2, "b.csv:2: paper id 'x' again (first at a.jsonl:1)"),
    ("duplicate title without ids", {"p.jsonl": jsonl(GOOD, dict(GOOD, abstract="Other 3x."))},
     ["extract", "p.jsonl", "-o", "o.jsonl"], 2, "p.jsonl:2: paper id 't"),
    ("duplicate paper id, skipped", {"p.jsonl": jsonl(dict(GOOD, id="a"), dict(OTHER, id="a"), dict(OTHER, id="b"))},
     ["extract", "p.jsonl", "-o", "o.jsonl", "--on-error", "skip", "-q"], 0, "claimkit: skipped 1 bad record, first:"),
]


def make_files(folder: Path, files: dict[str, bytes], name: str) -> None:
    for relative, content in files.items():
        if relative.startswith("@"):
            (folder / relative[1:]).symlink_to(content.decode())
            continue
        if relative.startswith("="):
            os.link(folder / content.decode(), folder / relative[1:])
            continue
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / "sub").mkdir(exist_ok=True)
    if name == PARQUET_INT_TITLE:
        pd.DataFrame({"title": [1, 2], "abstract": ["2x", "3x"]}).to_parquet(folder / "p.parquet")
    if name.startswith("parquet: the row"):
        pd.DataFrame({"title": ["A", None], "abstract": ["2x faster", None]}).to_parquet(folder / "mixed.parquet")


@pytest.mark.parametrize("name, files, args, code, message", CASES, ids=[case[0] for case in CASES])
def test_hostile_input(tmp_path: Path, name: str, files: dict, args: list, code: int, message: str) -> None:
    make_files(tmp_path, files, name)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    result = claimkit(*args, cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    if code:
        assert message in one_line(result)
        assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "out.jsonl").is_file()
    else:
        assert message in stderr
    for path, content in before.items():  # no input was touched, whatever happened
        assert path.read_bytes() == content, path
    assert not list(tmp_path.rglob("*.part"))


# --- 7: streams ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content, code, message", [
    (jsonl(GOOD, OTHER), 0, ""),
    (jsonl(GOOD) + b'{"title": \n', 2, "claimkit: error: /dev/stdin:2: broken JSON record"),
    (b"title,abstract\nA,2x faster\n", 0, ""),
    (b"\x00\x01\x02", 2, "claimkit: error: /dev/stdin:1: binary data, not text"),
])
def test_dev_stdin_on_a_pipe_is_read_once_and_whole(tmp_path: Path, content: bytes, code: int, message: str) -> None:
    result = claimkit("extract", "/dev/stdin", "-o", "o.jsonl", "-q", cwd=tmp_path, stdin=content)
    assert result.returncode == code, result.stderr
    if code:
        assert one_line(result).startswith(message)
    else:
        assert len(read_claims(tmp_path / "o.jsonl")) >= 1


def test_a_fifo_is_detected_and_read(tmp_path: Path) -> None:
    fifo = tmp_path / "papers.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(jsonl(GOOD, OTHER)))
    writer.start()
    result = claimkit("extract", str(fifo), "-o", "o.jsonl", "-q", cwd=tmp_path)
    writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert set(read_claims(tmp_path / "o.jsonl")["title"]) == {"Fast", "Faster"}


# --- 4: a full disk and a read-only directory (real tmpfs mounts) -----------------------------------


@contextlib.contextmanager
def mounted(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_full_disk_is_one_line_and_keeps_the_old_output(tmp_path: Path, suffix: str) -> None:
    papers = tmp_path / "papers.jsonl"
    lines = (Path(__file__).parent.parent / "data" / "seed_papers.jsonl").read_bytes()
    papers.write_bytes(lines)
    with mounted(tmp_path / "disk", "size=64k") as disk:
        old = disk / f"claims.{suffix}"
        old.write_bytes(b"x" * 56_000)  # the old output; the new one will not fit beside it
        result = claimkit("extract", str(papers), "-o", str(old), "-q", cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert one_line(result) == f"claimkit: error: {old}: no space left on the device; the old output is unchanged"
        assert old.read_bytes() == b"x" * 56_000
        assert [p.name for p in disk.iterdir()] == [old.name]


def test_read_only_directory_is_one_line(tmp_path: Path) -> None:
    papers = tmp_path / "papers.jsonl"
    papers.write_bytes(jsonl(GOOD))
    with mounted(tmp_path / "ro", "ro,size=64k") as folder:
        result = claimkit("extract", str(papers), "-o", str(folder / "c.jsonl"), cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert one_line(result) == f"claimkit: error: {folder / 'c.jsonl'}: cannot write here (Read-only file system)"


# --- 14: mode and symlinks of an existing output -------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_replacing_an_output_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    (tmp_path / "p.jsonl").write_bytes(jsonl(GOOD))
    out = tmp_path / "c.csv"
    out.write_text("old")
    out.chmod(mode)
    assert claimkit("extract", "p.jsonl", "-o", "c.csv", "-q", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.read_text().startswith("paper,")


def test_a_symlinked_output_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "p.jsonl").write_bytes(jsonl(GOOD))
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "claims.jsonl"
    target.write_text("old")
    link = tmp_path / "claims.jsonl"
    link.symlink_to(target)
    assert claimkit("extract", "p.jsonl", "-o", "claims.jsonl", "-q", cwd=tmp_path).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert read_claims(target)["text"].tolist() == ["2.5x"]
    assert not list(tmp_path.rglob("*.part"))


# --- 15: SIGTERM and stale temporary files --------------------------------------------------------------


def big_input(folder: Path, papers: int = 60_000) -> Path:
    lines = (Path(__file__).parent.parent / "data" / "seed_papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    path = folder / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index in range(papers):
            out.write(json.dumps(dict(records[index % len(records)], id=f"p{index}")) + "\n")
    return path


@pytest.mark.parametrize("sig, code, message", [(signal.SIGTERM, 143, "claimkit: terminated"),
                                                (signal.SIGINT, 130, "claimkit: interrupted")])
def test_a_signal_mid_run_removes_the_temporary_file(tmp_path: Path, sig: int, code: int, message: str) -> None:
    source = big_input(tmp_path)
    out = tmp_path / "claims.parquet"
    out.write_bytes(OLD_OUTPUT)
    process = subprocess.Popen(["claimkit", "extract", str(source), "-o", str(out), "-q", "--chunk-size", "500"],
                               cwd=tmp_path, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".claims.parquet.*.part")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert list(tmp_path.glob(".claims.parquet.*.part")), "the run never started writing"
    time.sleep(0.5)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == code, stderr
    assert stderr.decode().splitlines() == [message]
    assert out.read_bytes() == OLD_OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "claims.parquet"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("part, removed", [
    (lambda: f".claims.jsonl.{dead_pid()}-abc123.part", True),  # its run was killed with -9
    (lambda: f".claims.jsonl.{os.getppid()}-abc123.part", False),  # its run is still going
    (lambda: f".other.jsonl.{dead_pid()}-abc123.part", False),  # another output's
    (lambda: ".claims.jsonl.notapid.part", False),  # not one of ours
])
def test_stale_temporary_files_of_the_output_are_removed_at_the_next_run(tmp_path: Path, part: Callable, removed: bool) -> None:
    (tmp_path / "p.jsonl").write_bytes(jsonl(GOOD))
    stale = tmp_path / part()
    stale.write_bytes(b"half a table")
    assert claimkit("extract", "p.jsonl", "-o", "claims.jsonl", "-q", cwd=tmp_path).returncode == 0
    assert stale.exists() != removed


# --- 16: CSV cells that a spreadsheet would run ---------------------------------------------------------


@pytest.mark.parametrize("title, cell", [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("'=already quoted", "''=already quoted"),
    ("Plain title", "Plain title"),
])
def test_csv_output_neutralizes_formulas_and_reads_back_exactly(tmp_path: Path, title: str, cell: str) -> None:
    (tmp_path / "p.jsonl").write_bytes(jsonl({"id": "=1+1", "title": title, "abstract": "We are 2.5x faster."}))
    assert claimkit("extract", "p.jsonl", "-o", "c.csv", "-q", cwd=tmp_path).returncode == 0
    raw = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False)
    assert set(raw["title"]) == {cell} and set(raw["paper"]) == {"'=1+1"}
    claims = read_claims(tmp_path / "c.csv")
    assert set(claims["title"]) == {title} and set(claims["paper"]) == {"=1+1"}


# --- 13: a slow and a huge server -------------------------------------------------------------------------


@dataclass
class Hostile:
    """A local server: /drip sends a byte every 0.1 s, /huge sends 200 MB, /loop redirects to itself."""

    hits: list = field(default_factory=list)

    def __post_init__(self) -> None:
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                try:
                    if self.path.startswith("/drip"):
                        self.send_response(200)
                        self.send_header("Content-Length", "1000")
                        self.end_headers()
                        for _ in range(1000):
                            self.wfile.write(b"[")
                            self.wfile.flush()
                            time.sleep(0.1)
                    elif self.path.startswith("/huge"):
                        self.send_response(200)
                        self.end_headers()
                        for _ in range(200):
                            self.wfile.write(b" " * 2**20)
                    elif self.path.startswith("/loop"):
                        self.send_response(302)
                        self.send_header("Location", self.path)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif self.path.startswith("/to-file"):
                        self.send_response(302)
                        self.send_header("Location", "file:///etc/passwd")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.server.shutdown()


@pytest.mark.parametrize("path, options, message, most_seconds", [
    ("/drip", ["--timeout", "1.5", "--retries", "1"], "timed out after 1.5 s after 2 attempts", 10),
    ("/huge", ["--max-bytes", "1000000"], "response is larger than the limit of 1,000,000 bytes (--max-bytes)", 30),
    ("/loop", [], "too many redirects (more than 10, or a loop)", 30),
    ("/to-file", [], "redirected to 'file:///etc/passwd': only http and https are followed", 30),
])
def test_fetch_holds_against_a_slow_a_huge_and_a_looping_server(tmp_path: Path, hostile: Hostile, path: str,
                                                                 options: list, message: str, most_seconds: float) -> None:
    started = time.monotonic()
    result = claimkit("fetch", "hf", "--date", "2024-12-02", "--base-url", f"{hostile.base}{path}", "--no-cache",
                      "--delay", "0", "-o", "p.jsonl", *options, cwd=tmp_path)
    assert time.monotonic() - started < most_seconds
    assert result.returncode == 4, result.stderr
    line = one_line(result)
    assert line.startswith(f"claimkit: error: {hostile.base}{path}") and line.endswith(message)
    assert not (tmp_path / "p.jsonl").exists()


def test_a_huge_body_is_refused_in_bounded_memory(hostile: Hostile) -> None:
    from claimkit.errors import FetchError
    from claimkit.fetch import Client

    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = Client(cache_dir=None, delay=0, retries=0, max_bytes=20 * 2**20)
    with pytest.raises(FetchError, match="larger than the limit of 20,971,520 bytes"):
        client.get(f"{hostile.base}/huge", lambda body: body, cache=False)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 60, f"peak RSS grew by {grown_mb:.0f} MB for a 200 MB body"


# --- 12: Dask binds to loopback, no dashboard unless asked ------------------------------------------------


@pytest.mark.parametrize("dashboard", [False, True])
def test_the_local_cluster_listens_on_loopback_only(dashboard: bool, capsys: pytest.CaptureFixture) -> None:
    import psutil

    from claimkit.scale import dask_client

    import urllib.error
    import urllib.request

    with dask_client(workers=1, dashboard=dashboard) as client:
        processes = [psutil.Process()] + psutil.Process().children(recursive=True)
        listening = {conn.laddr for process in processes for conn in process.net_connections(kind="inet")
                     if conn.status == psutil.CONN_LISTEN}
        scheduler = client.scheduler_info()
        http_port = scheduler["services"]["dashboard"]
        try:
            status = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/status", timeout=30).status
        except urllib.error.HTTPError as err:
            status = err.code
    assert listening, "nothing listening: the cluster did not start"
    assert {address.ip for address in listening} == {"127.0.0.1"}, listening
    assert scheduler["address"].startswith("tcp://127.0.0.1:")
    assert all(worker.startswith("tcp://127.0.0.1:") for worker in scheduler["workers"])
    assert http_port != 8787  # a free port, not the well-known one
    assert status == (200 if dashboard else 404)
    announced = f"claimkit: Dask dashboard at http://127.0.0.1:{http_port}/status" in capsys.readouterr().err
    assert announced == dashboard


# --- 20: an internal error is one line too ------------------------------------------------------------------


def test_an_internal_error_is_one_line_with_exit_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                                   tmp_path: Path) -> None:
    from claimkit import cli, scale

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(scale, "extract_to_file", broken)
    (tmp_path / "p.jsonl").write_bytes(jsonl(GOOD))
    assert cli.main(["extract", str(tmp_path / "p.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimkit: internal error: RuntimeError: a bug over two lines")
    assert "CLAIMKIT_TRACEBACK=1" in lines[0]


@pytest.mark.parametrize("name, code", [("InputError", 2), ("UsageError", 2), ("OutputError", 3), ("FetchError", 4)])
def test_each_error_type_has_its_documented_exit_code(name: str, code: int) -> None:
    from claimkit import errors

    error_type = getattr(errors, name)
    assert error_type.exit_code == code and issubclass(error_type, errors.ClaimkitError)
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert f"| {code} |" in readme and f"`{name}`" in readme
