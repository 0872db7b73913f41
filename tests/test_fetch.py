"""Fetchers against a real HTTP server on 127.0.0.1 serving recorded responses (never the internet):
paging, pacing, caching, 503 then success, timeouts, malformed XML, offline, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest

from claimkit.errors import InputError, UsageError
from claimkit.fetch import FetchError, fetch_arxiv, fetch_hf
from claimkit.readers import read_papers

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "fetch"
HF_RESPONSE = DATA / "hf-daily-papers-2024-12-02.json"
FAST = {"delay": 0.0, "timeout": 5.0, "retries": 2, "backoff": 0.01}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: longer than the client's timeout = a timeout


@dataclass
class Request:
    path: str
    query: dict[str, str]
    at: float


class Recorded:
    """A local server: ``app(path, query) -> Reply`` decides each answer; ``requests`` logs them."""

    def __init__(self) -> None:
        self.app: Callable[[str, dict[str, str]], Reply] = lambda path, query: Reply(404, b"not found")
        self.requests: list[Request] = []
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                recorded.requests.append(Request(url.path, query, time.monotonic()))
                reply = recorded.app(url.path, query)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def serve(self, app: Callable[[str, dict[str, str]], Reply]) -> None:
        self.app = app


@pytest.fixture
def server() -> Iterator[Recorded]:
    recorded = Recorded()
    recorded.thread.start()
    yield recorded
    recorded.server.shutdown()
    recorded.server.server_close()


def arxiv_pages(path: str, query: dict[str, str]) -> Reply:
    """The recorded arXiv answers, by ``start``: 5 results in pages of 2."""
    page = RECORDED / f"arxiv-start-{query.get('start', '0')}.xml"
    if path != "/api/query" or not page.exists():
        return Reply(400, b"bad request")
    return Reply(200, page.read_bytes(), {"Content-Type": "application/atom+xml"})


def replies(*sequence: Reply | Callable) -> Callable[[str, dict[str, str]], Reply]:
    """Answer with ``sequence`` in turn, then keep answering like its last element."""
    remaining = list(sequence)

    def app(path: str, query: dict[str, str]) -> Reply:
        reply = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return reply(path, query) if callable(reply) else reply

    return app


# --- paging and pacing ----------------------------------------------------------------------

def test_pages_through_all_results_with_a_delay_between_requests(server: Recorded, tmp_path: Path) -> None:
    server.serve(arxiv_pages)
    papers = fetch_arxiv("cat:cs.LG", max_results=50, page_size=2, base_url=f"{server.base}/api/query",
                         cache_dir=tmp_path, **{**FAST, "delay": 0.3})
    assert papers["paper"].tolist() == ["2401.08123", "2403.01234", "2406.14567", "2311.17890", "2412.00001"]
    assert [(r.query["start"], r.query["max_results"]) for r in server.requests] == [("0", "2"), ("2", "2"), ("4", "2")]
    assert {r.query["search_query"] for r in server.requests} == {"cat:cs.LG"}
    assert server.requests[0].query["sortBy"] == "submittedDate"
    gaps = [b.at - a.at for a, b in zip(server.requests, server.requests[1:])]
    assert min(gaps) >= 0.28, gaps  # arXiv asks for a pause between requests
    last = papers.iloc[-1]
    assert last["abstract"].startswith("4-bit weights cut serving cost by 60% ") and "1.8×" in last["abstract"]
    assert (last["published"], last["categories"], last["authors"]) == ("2024-12-01", "cs.LG", "Priya Raman")
    assert papers.attrs["requests"] == 3


def test_stops_at_max_results(server: Recorded) -> None:
    server.serve(arxiv_pages)
    papers = fetch_arxiv("cat:cs.LG", max_results=3, page_size=2, base_url=f"{server.base}/api/query",
                         cache_dir=None, **FAST)
    assert len(papers) == 3
    assert [(r.query["start"], r.query["max_results"]) for r in server.requests] == [("0", "2"), ("2", "1")]


# --- cache ----------------------------------------------------------------------------------

def test_cache_avoids_refetching(server: Recorded, tmp_path: Path) -> None:
    server.serve(arxiv_pages)
    arguments = dict(max_results=10, page_size=2, base_url=f"{server.base}/api/query", cache_dir=tmp_path / "cache", **FAST)
    first = fetch_arxiv("cat:cs.LG", **arguments)
    assert len(server.requests) == 3 and len(list((tmp_path / "cache").glob("*.body"))) == 3
    again = fetch_arxiv("cat:cs.LG", **arguments)
    assert len(server.requests) == 3  # nothing fetched
    assert again.attrs == {**again.attrs, "requests": 0, "cache_hits": 3}
    assert again.equals(first)
    fetch_arxiv("cat:cs.LG", **{**arguments, "max_age": 0.0})  # too old: fetched again
    assert len(server.requests) == 6
    fetch_arxiv("cat:cs.LG", **{**arguments, "cache_dir": None})
    assert len(server.requests) == 9


# --- failures -------------------------------------------------------------------------------

def test_503_then_success(server: Recorded) -> None:
    server.serve(replies(Reply(503, b"busy", {"Retry-After": "0"}), arxiv_pages))
    papers = fetch_arxiv("cat:cs.LG", max_results=2, page_size=2, base_url=f"{server.base}/api/query", cache_dir=None, **FAST)
    assert len(papers) == 2
    assert len(server.requests) == 2  # the 503, then the retry


def test_an_empty_page_inside_the_results_is_asked_again(server: Recorded, tmp_path: Path) -> None:
    empty = (RECORDED / "arxiv-start-4.xml").read_text(encoding="utf-8")
    empty = empty[: empty.index("  <entry>")] + "</feed>\n"  # totalResults 5, no entries
    server.serve(replies(Reply(200, empty.encode()), arxiv_pages))
    papers = fetch_arxiv("cat:cs.LG", max_results=2, page_size=2, base_url=f"{server.base}/api/query",
                         cache_dir=tmp_path, **FAST)
    assert len(papers) == 2 and len(server.requests) == 2
    assert len(list(tmp_path.glob("*.body"))) == 1  # only the full page was cached


def test_a_query_without_results(server: Recorded) -> None:
    page = (RECORDED / "arxiv-start-0.xml").read_text(encoding="utf-8")
    nothing = page[: page.index("  <entry>")].replace(">5</opensearch:totalResults>", ">0</opensearch:totalResults>") + "</feed>\n"
    server.serve(replies(Reply(200, nothing.encode())))
    with pytest.raises(FetchError, match=r": no papers match 'ti:nothing'$"):
        fetch_arxiv("ti:nothing", base_url=f"{server.base}/api/query", cache_dir=None, **FAST)
    assert len(server.requests) == 1


def test_503_until_retries_run_out(server: Recorded) -> None:
    server.serve(replies(Reply(503, b"busy")))
    with pytest.raises(FetchError) as caught:
        fetch_arxiv("cat:cs.LG", max_results=2, base_url=f"{server.base}/api/query", cache_dir=None, **{**FAST, "retries": 1})
    message = str(caught.value)
    assert message.startswith(f"{server.base}/api/query?search_query=cat%3Acs.LG")
    assert message.endswith(": HTTP 503 Service Unavailable after 2 attempts") and "\n" not in message
    assert len(server.requests) == 2


def test_client_error_is_not_retried(server: Recorded) -> None:
    server.serve(replies(Reply(400, b"bad query")))
    with pytest.raises(FetchError, match=r": HTTP 400 Bad Request$"):
        fetch_arxiv("cat:cs.LG", base_url=f"{server.base}/api/query", cache_dir=None, **FAST)
    assert len(server.requests) == 1


def test_timeout_then_success(server: Recorded) -> None:
    server.serve(replies(lambda path, query: Reply(**{**vars(arxiv_pages(path, query)), "delay": 2.0}), arxiv_pages))
    papers = fetch_arxiv("cat:cs.LG", max_results=2, page_size=2, base_url=f"{server.base}/api/query",
                         cache_dir=None, **{**FAST, "timeout": 0.3})
    assert len(papers) == 2 and len(server.requests) == 2


def test_timeout_gives_a_clear_error(server: Recorded) -> None:
    server.serve(replies(Reply(200, b"", delay=2.0)))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r": timed out after 0.3 s after 2 attempts$"):
        fetch_arxiv("cat:cs.LG", base_url=f"{server.base}/api/query", cache_dir=None, **{**FAST, "timeout": 0.3, "retries": 1})
    assert time.monotonic() - started < 1.9


def test_malformed_xml_is_an_error_and_is_not_cached(server: Recorded, tmp_path: Path) -> None:
    server.serve(replies(Reply(200, (RECORDED / "arxiv-truncated.xml").read_bytes()), arxiv_pages))
    arguments = dict(max_results=2, page_size=2, base_url=f"{server.base}/api/query", cache_dir=tmp_path, **FAST)
    with pytest.raises(InputError, match=r"max_results=2&sortBy=submittedDate&sortOrder=descending:\d+: malformed XML"):
        fetch_arxiv("cat:cs.LG", **arguments)
    assert not list(tmp_path.glob("*.body"))
    assert len(fetch_arxiv("cat:cs.LG", **arguments)) == 2  # the next run fetches again
    assert len(server.requests) == 2


def test_connection_refused_is_reported(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"cannot connect \(Connection refused\) after 2 attempts$"):
        fetch_arxiv("cat:cs.LG", base_url=f"http://127.0.0.1:{port}/api/query", cache_dir=None, **{**FAST, "retries": 1})


def test_offline_is_one_clear_line_without_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    # The only stand-in in this file: a real failed DNS lookup would need the network.
    def no_dns(*args: object, **kwargs: object) -> list:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError) as caught:
        fetch_arxiv("cat:cs.LG", cache_dir=None, **FAST)
    assert str(caught.value).endswith(": cannot reach export.arxiv.org (Name or service not known); are you offline?")


# --- Hugging Face -----------------------------------------------------------------------------

def test_fetch_hf_daily_papers_and_cache_a_past_day(server: Recorded, tmp_path: Path) -> None:
    server.serve(lambda path, query: Reply(200, HF_RESPONSE.read_bytes()) if path == "/api/daily_papers" else Reply(404))
    papers = fetch_hf("2024-12-02", base_url=f"{server.base}/api/daily_papers", cache_dir=tmp_path, **FAST)
    assert len(papers) == 15 and papers["upvotes"].sum() == 117
    assert server.requests[0].query == {"date": "2024-12-02"}
    fetch_hf(dt.date(2024, 12, 2), base_url=f"{server.base}/api/daily_papers", cache_dir=tmp_path, **FAST)
    assert len(server.requests) == 1  # a past day's list is final: served from the cache
    today = dt.datetime.now(dt.timezone.utc).date()
    for _ in range(2):  # today's list still grows: always refetched
        fetch_hf(today, base_url=f"{server.base}/api/daily_papers", cache_dir=tmp_path, **FAST)
    assert len(server.requests) == 3


def test_fetch_hf_rejects_a_bad_date() -> None:
    with pytest.raises(UsageError, match="--date: expected a date like 2024-12-02, not 'yesterday'"):
        fetch_hf("yesterday", cache_dir=None)


# --- CLI --------------------------------------------------------------------------------------

def claimkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["claimkit", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_fetch_arxiv_then_extract(server: Recorded, tmp_path: Path) -> None:
    server.serve(arxiv_pages)
    fetch_args = ["fetch", "arxiv", "--query", "cat:cs.LG", "--max", "5", "--page-size", "2", "--delay", "0",
                  "--base-url", f"{server.base}/api/query", "--cache-dir", str(tmp_path / "cache"), "-o", "papers.jsonl"]
    first = claimkit(*fetch_args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr.strip() == "fetched 5 papers (3 requests, 0 from cache) -> papers.jsonl"
    papers = read_papers(tmp_path / "papers.jsonl")
    assert papers["paper"].tolist()[0] == "2401.08123"
    assert {"arxiv_id", "url", "published", "authors", "categories"} <= set(papers.columns)
    again = claimkit(*fetch_args, cwd=tmp_path)
    assert again.stderr.strip() == "fetched 5 papers (0 requests, 3 from cache) -> papers.jsonl"
    extracted = claimkit("extract", "papers.jsonl", "-o", "claims.jsonl", "-q", "--category", "cs.CL", cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    titles = {json.loads(line)["title"] for line in (tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
    assert titles == {"SpecX: Speculative Decoding for Fast LLM Inference"}


def test_cli_fetch_hf(server: Recorded, tmp_path: Path) -> None:
    server.serve(lambda path, query: Reply(200, HF_RESPONSE.read_bytes()))
    result = claimkit("fetch", "hf", "--date", "2024-12-02", "--base-url", f"{server.base}/api/daily_papers",
                      "--no-cache", "-o", "hf.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    papers = read_papers(tmp_path / "hf.csv")
    assert len(papers) == 15 and papers["upvotes"].astype(int).tolist()[:3] == [20, 18, 14]


def test_cli_fetch_failure_leaves_the_output_alone(server: Recorded, tmp_path: Path) -> None:
    server.serve(replies(Reply(503, b"busy")))
    output = tmp_path / "papers.jsonl"
    output.write_text("previous run\n", encoding="utf-8")
    result = claimkit("fetch", "arxiv", "--query", "all:x", "--retries", "0", "--no-cache",
                      "--base-url", f"{server.base}/api/query", "-o", str(output), cwd=tmp_path)
    assert result.returncode == 4  # FetchError: the network or the server failed
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"claimkit: error: {server.base}/api/query?search_query=all%3Ax")
    assert result.stderr.strip().endswith(": HTTP 503 Service Unavailable")
    assert output.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers.jsonl"]
