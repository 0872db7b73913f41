"""claimkit's hand-written LaTeX cleanup, BibTeX parser and HTTP client beside the libraries
people would reach for, on the same inputs: speed, and what each says about bad input.

* LaTeX to text: :func:`claimkit.clean.clean_text` vs ``pylatexenc`` (``LatexNodes2Text``);
* BibTeX: :func:`claimkit.sources.bibtex.parse_bibtex` vs ``bibtexparser`` 2 (``parse_string``);
* HTTP: :class:`claimkit.fetch.Client` vs ``httpx`` with ``httpx-retries``, against local
  servers started here (fast, 404, redirect loop, slow drip, huge body, refused).

The libraries are not claimkit dependencies: ``pip install pylatexenc "bibtexparser>=2" httpx
httpx-retries`` first (a missing one is skipped). Figures and the decision: docs/libraries.md.

    python benchmarks/libraries.py
    python benchmarks/libraries.py --part latex --abstracts 20000
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
LATEX_SAMPLES = [
    r"We achieve a $2.5\times$ speed-up and $\sim$40\% fewer FLOPs on \textbf{GLUE} (Nystr\"om attention).",
    r"Our 1.2B-parameter model reaches 39.8\% on HumanEval, outperforming \emph{GPT-3.5} by 6.5\,pp.",
    r"Training takes $10^{3}$ GPU hours on 8 V100s; see \href{https://x.org}{our code} and \url{https://y.org}.",
    r"\textit{SpecX} reduces latency by 26--85\% ($p<0.01$) with \methodname{} at $\leq 3$ ms.",
]
HOSTILE = {"\\( * 50000": "\\(" * 50_000, "\\textbf{ nested 8000": "\\textbf{" * 8_000 + "x" + "}" * 8_000,
           "$$\\ * 30000": "$$\\" * 30_000}


def abstracts(count: int) -> list[str]:
    """Seed abstracts and LaTeX samples, repeated to ``count`` (the 200k-abstract path, in small)."""
    lines = (ROOT / "data" / "seed_papers.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["abstract"] for line in lines if line.strip()] + LATEX_SAMPLES * 10
    return (texts * (count // len(texts) + 1))[:count]


def rate(function: Callable[[str], object], texts: list[str]) -> str:
    """Texts per second, and the texts on which ``function`` raised."""
    failed: list[str] = []
    start = time.perf_counter()
    for text in texts:
        try:
            function(text)
        except Exception as err:  # noqa: BLE001
            failed.append(f"{type(err).__name__} on {text[:60]!r}")
    per_second = len(texts) / (time.perf_counter() - start)
    return f"{per_second:,.0f}/s" + (f" ({len(failed)} raised, first: {failed[0]})" if failed else "")


def timed(function: Callable[[], object], limit: float = 120.0) -> str:
    start = time.perf_counter()
    try:
        result = function()
    except Exception as err:  # noqa: BLE001 (what each library raises is part of the comparison)
        return f"{time.perf_counter() - start:.2f} s, raised {type(err).__name__}: {' '.join(str(err).split())[:160]}"
    note = f", returned {result}" if isinstance(result, str) else ""
    return f"{time.perf_counter() - start:.2f} s{note}"


def compare_latex(count: int) -> None:
    from claimkit.clean import clean_text

    print("## LaTeX to text")
    try:
        from pylatexenc.latex2text import LatexNodes2Text
    except ImportError:
        print("pylatexenc not installed: skipped\n")
        return
    converter = LatexNodes2Text()
    texts = abstracts(count)
    print(f"{count:,} abstracts: clean_text {rate(clean_text, texts)}; pylatexenc {rate(converter.latex_to_text, texts)}")
    for sample in LATEX_SAMPLES:
        print(f"  input      {sample}\n  clean_text {clean_text(sample)}\n  pylatexenc {_latex2text(converter, sample)}")
    for name, text in HOSTILE.items():
        print(f"  {name}: clean_text {timed(lambda: clean_text(text))}; pylatexenc {timed(lambda: converter.latex_to_text(text))}")
    print()


def _one_line(error: object) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:140]


def _latex2text(converter: object, text: str) -> str:
    try:
        return " ".join(converter.latex_to_text(text).split())  # type: ignore[attr-defined]
    except Exception as err:  # noqa: BLE001
        return f"raised {type(err).__name__}: {err}"


def bibtex_file(entries: int) -> str:
    entry = ("@article{{key{i},\n  title = {{The {{GPT}} Paper {i}}},\n  author = {{M{{\\\"u}}ller, J{{\\\"u}}rgen and Ada Lovelace}},\n"
             "  journal = {{arXiv preprint arXiv:2401.{i:05d}}},\n  year = 2024, month = jan,\n"
             "  abstract = {{We get a $2.5\\times$ speed-up and 40\\% fewer FLOPs on GLUE. {filler}}}\n}}\n\n")
    return "".join(entry.format(i=i, filler="More words. " * 60) for i in range(entries))


BROKEN_BIBTEX = {
    "unbalanced braces": "@article{a,\n  title = {Open,\n  abstract = {x}\n\n@article{b, title={B}, abstract={y}}\n",
    "missing comma": "@article{a,\n  title = {A}\n  abstract = {x}\n}\n@article{b, title={B}, abstract={y}}\n",
    "no key": "@article{\n  title = {A},\n}\n",
}


def compare_bibtex(entries: int) -> None:
    from claimkit.sources.bibtex import parse_bibtex

    print("## BibTeX")
    try:
        import bibtexparser
    except ImportError:
        print("bibtexparser not installed: skipped\n")
        return
    text = bibtex_file(entries)
    ours = timed(lambda: list(parse_bibtex(text, "x.bib")))
    theirs = timed(lambda: bibtexparser.parse_string(text))
    print(f"{entries:,} entries ({len(text) / 1e6:.1f} MB): parse_bibtex {ours}; bibtexparser {theirs}")
    for name, broken in BROKEN_BIBTEX.items():
        errors = [str(item) for item in parse_bibtex(broken, "refs.bib") if not isinstance(item, dict)]
        library = bibtexparser.parse_string(broken)
        failed = [f"{type(block).__name__} at line {block.start_line + 1}: {_one_line(getattr(block, 'error', ''))}"
                  for block in library.failed_blocks]
        print(f"  {name}: parse_bibtex {errors or 'no error'}; bibtexparser {len(library.entries)} entries, failed {failed}")
    print()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?")[0]
        try:
            if path == "/ok":
                self._send(200, b"<feed>" + b"x" * 200_000 + b"</feed>")
            elif path == "/missing":
                self._send(404, b"not found")
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Length", "50")
                self.end_headers()
                for _ in range(50):  # 10 s in all
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif path == "/huge":
                self.send_response(200)
                self.end_headers()  # no Content-Length: read until the server closes
                block = b"x" * 2**20
                for _ in range(300):
                    self.wfile.write(block)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def compare_http(requests: int) -> None:
    from claimkit.fetch import Client

    print("## HTTP")
    try:
        import httpx
        from httpx_retries import Retry, RetryTransport
    except ImportError:
        print("httpx or httpx-retries not installed: skipped\n")
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{probe.getsockname()[1]}/x"
    ours = Client(cache_dir=None, delay=0.0, timeout=5.0, retries=1, backoff=0.01, max_bytes=64 * 2**20)
    theirs = httpx.Client(transport=RetryTransport(retry=Retry(total=1, backoff_factor=0.01)), timeout=5.0,
                          follow_redirects=True)

    def httpx_get(url: str) -> str:
        response = theirs.get(url)
        response.raise_for_status()
        return f"{len(response.content):,} bytes read"

    start = time.perf_counter()
    for _ in range(requests):
        ours.get(f"{base}/ok", lambda body: body, cache=False)
    mine = requests / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(requests):
        httpx_get(f"{base}/ok")
    print(f"{requests} requests of 200 KB: claimkit Client {mine:,.0f}/s, httpx {requests / (time.perf_counter() - start):,.0f}/s")
    for name, url in (("404", f"{base}/missing"), ("redirect loop", f"{base}/loop"), ("refused", refused),
                      ("50 bytes, one each 0.2 s (10 s), timeout 5 s", f"{base}/drip"), ("300 MB body, limit 64 MB", f"{base}/huge")):
        print(f"  {name}:\n    claimkit {timed(lambda: ours.get(url, lambda body: body, cache=False))}"
              f"\n    httpx    {timed(lambda: httpx_get(url), limit=30)}")
    server.shutdown()
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("latex", "bibtex", "http"), action="append", help="only these parts")
    parser.add_argument("--abstracts", type=int, default=20_000, help="abstracts for the LaTeX rates (default 20,000)")
    parser.add_argument("--entries", type=int, default=2_000, help="BibTeX entries (default 2,000)")
    parser.add_argument("--requests", type=int, default=200, help="HTTP requests for the rate (default 200)")
    args = parser.parse_args(argv)
    parts = args.part or ["latex", "bibtex", "http"]
    if "latex" in parts:
        compare_latex(args.abstracts)
    if "bibtex" in parts:
        compare_bibtex(args.entries)
    if "http" in parts:
        compare_http(args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
