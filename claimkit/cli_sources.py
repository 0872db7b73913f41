"""CLI pieces for inputs: reader options (``--on-error``, ``--category``, ``--since``, ...) and
the ``claimkit fetch`` command. Kept out of :mod:`claimkit.cli` so that file stays a thin shell.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from . import fetch
from .errors import UsageError
from .io import atomic_path, check_output, output_errors, write_frame
from .readers import ReadReport, reading


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that reads papers accepts."""
    group = parser.add_argument_group("reading")
    group.add_argument("--on-error", choices=("raise", "skip"), default=None,
                       help="on a bad record: stop with its file:line (raise, default) or skip it and report")
    group.add_argument("--category", action="append", metavar="CAT",
                       help="keep papers in an arXiv category (cs.LG) or archive (cs); repeat or comma-separate")
    group.add_argument("--since", metavar="DATE", help="keep papers published on or after DATE (2024-12-01)")
    group.add_argument("--until", metavar="DATE", help="keep papers published on or before DATE")
    group.add_argument("--clean", action=argparse.BooleanOptionalAction, default=None,
                       help="LaTeX/HTML/line-break cleanup (default: on for arxiv, atom, hf, bibtex)")


@contextlib.contextmanager
def reading_from_args(args: argparse.Namespace) -> Iterator[ReadReport]:
    """Apply the reader options of ``args`` to every read inside; report skipped records on stderr."""
    with reading(categories=getattr(args, "category", None), since=getattr(args, "since", None),
                 until=getattr(args, "until", None), on_error=getattr(args, "on_error", None),
                 clean=getattr(args, "clean", None)) as report:
        yield report
    if report.skipped:
        print("claimkit: " + report.summary(), file=sys.stderr)


def add_fetch_command(commands: argparse._SubParsersAction) -> None:
    """``claimkit fetch arxiv|hf ... -o OUT``."""
    parser = commands.add_parser("fetch", help=command_fetch.__doc__, description=command_fetch.__doc__)
    sources = parser.add_subparsers(dest="source", required=True)

    arxiv = sources.add_parser("arxiv", help="the arXiv API (3 s between requests)",
                               description="Fetch papers from the public arXiv API, paging with 3 s between requests.")
    arxiv.add_argument("--query", required=True, help='arXiv search_query, e.g. "cat:cs.LG AND ti:speculative"')
    arxiv.add_argument("--max", type=positive_int, default=100, dest="max_results", metavar="N", help="at most N papers (default 100)")
    arxiv.add_argument("--page-size", type=positive_int, default=fetch.ARXIV_PAGE_SIZE, metavar="N", help="papers per request")
    arxiv.add_argument("--base-url", type=http_url, default=fetch.ARXIV_API, help=argparse.SUPPRESS)
    _add_network_options(arxiv, delay=3.0)

    hf = sources.add_parser("hf", help="Hugging Face daily papers of a date",
                            description="Fetch the Hugging Face daily papers of one date.")
    hf.add_argument("--date", required=True, help="the day, e.g. 2024-12-02")
    hf.add_argument("--base-url", type=http_url, default=fetch.HF_DAILY_API, help=argparse.SUPPRESS)
    _add_network_options(hf, delay=0.0)


def _add_network_options(parser: argparse.ArgumentParser, delay: float) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="papers table: .jsonl, .csv or .parquet")
    parser.add_argument("--cache-dir", default=None, metavar="DIR", help=f"response cache (default {fetch.default_cache_dir()})")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--refresh", action="store_true", help="refetch even when cached")
    parser.add_argument("--delay", type=bounded(float, 0), default=delay, metavar="S",
                        help=f"seconds between requests (default {delay:g})")
    parser.add_argument("--timeout", type=bounded(float, 0, strict=True), default=fetch.DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds a request may take in all: connect, headers and body (default {fetch.DEFAULT_TIMEOUT:g})")
    parser.add_argument("--retries", type=bounded(int, 0), default=3, metavar="N",
                        help="retries on timeouts, resets, 429 and 5xx (default 3)")
    parser.add_argument("--max-bytes", type=positive_int, default=fetch.MAX_BODY_BYTES, metavar="N",
                        help=f"refuse a response larger than N bytes (default {fetch.MAX_BODY_BYTES:,})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    parser.set_defaults(run=command_fetch)


def http_url(text: str) -> str:
    """An argparse type: an http:// or https:// URL (file:, ftp:, gopher: ... are refused at once)."""
    try:
        return fetch.checked_url(text)
    except UsageError as err:
        raise argparse.ArgumentTypeError(err.message) from None


def command_fetch(args: argparse.Namespace) -> int:
    """Fetch papers from arXiv or Hugging Face into a papers table (cached, written atomically)."""
    fmt = check_output(args.output)  # a bad suffix or directory fails before any request
    cache_dir = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else fetch.default_cache_dir()
    client = fetch.Client(cache_dir=cache_dir, delay=args.delay, timeout=args.timeout, retries=args.retries,
                          max_bytes=args.max_bytes,
                          max_age=0.0 if args.refresh else fetch.ARXIV_MAX_AGE if args.source == "arxiv" else None)
    if args.source == "arxiv":
        papers = fetch.fetch_arxiv(args.query, args.max_results, base_url=args.base_url,
                                   page_size=args.page_size, client=client)
    else:
        papers = fetch.fetch_hf(args.date, base_url=args.base_url, client=client)
    write_papers(papers, args.output, fmt)
    if not args.quiet:
        print(f"fetched {len(papers)} papers ({client.requests} requests, {client.cache_hits} from cache)"
              f" -> {args.output}", file=sys.stderr)
    return 0


def write_papers(papers: pd.DataFrame, path: str | Path, fmt: str) -> None:
    """Write a papers table atomically (a failed run never leaves a partial file)."""
    with atomic_path(path) as temporary, output_errors(path):
        write_frame(papers, temporary, fmt)


def bounded(kind: Callable[[str], float], minimum: float, strict: bool = False) -> Callable[[str], float]:
    """An argparse type: ``kind(text)`` (int or float), finite, at least ``minimum`` (above it when ``strict``)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {'an integer' if kind is int else 'a number'}, not {text!r}") from None
        if not math.isfinite(value) or value < minimum or (strict and value == minimum):
            raise argparse.ArgumentTypeError(f"must be {'above' if strict else 'at least'} {minimum:g}, not {text}")
        return value

    parse.__name__ = getattr(kind, "__name__", "number")  # argparse names the type in its message
    return parse


positive_int = bounded(int, minimum=1)


