"""Live fetch: the arXiv API and the Hugging Face daily-papers API -> papers tables.

Standard library only (urllib; ``docs/libraries.md`` compares httpx). Every response is cached
on disk by URL, so a repeated run does not refetch; network requests are spaced ``delay``
seconds apart (arXiv asks for 3 s); timeouts, connection resets, 429 and 5xx answers are
retried with exponential backoff. Limits that hold against any server:

* ``timeout`` is a deadline for the whole request (connect, headers, body), not per read: a
  watchdog shuts the socket when it passes, so a server that drips one byte a second fails;
* a body larger than ``max_bytes`` (:data:`MAX_BODY_BYTES`) is refused, from its
  Content-Length or as soon as that many bytes arrived, so memory stays bounded;
* only ``http`` and ``https`` URLs are fetched, redirects too, and at most
  :data:`MAX_REDIRECTS` of them.

A failure is one :class:`~claimkit.errors.FetchError` line naming the URL (exit 4); a response
that is not what was asked for (malformed XML) is an :class:`~claimkit.errors.InputError`
(exit 2). ``base_url`` points the same code at a local server in tests.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import hashlib
import http.client
import math
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

import pandas as pd

from .errors import FetchError, InputError, UsageError, one_line
from .readers import papers_from_items
from .sources.atom import AtomFeed, parse_atom
from .sources.hf import parse_hf

ARXIV_API = "https://export.arxiv.org/api/query"
HF_DAILY_API = "https://huggingface.co/api/daily_papers"
USER_AGENT = "claimkit/0.1 (numeric claims from paper abstracts)"
ARXIV_PAGE_SIZE = 100  # arXiv returns at most 2000 per request; small pages fail less
ARXIV_MAX_AGE = 24 * 3600.0  # query results change as papers appear: refetch after a day
MAX_RETRY_AFTER = 60.0
RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = 60.0  # seconds for a whole request; an arXiv page of 100 papers takes 1-5 s
MAX_BODY_BYTES = 64 * 2**20  # the largest arXiv page (2,000 papers) is about 8 MB
MAX_REDIRECTS = 10
SCHEMES = ("http", "https")
_READ_SIZE = 64 * 1024

__all__ = ["Client", "FetchError", "fetch_arxiv", "fetch_hf", "checked_url", "default_cache_dir", "make_client"]


def checked_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host, else a UsageError (no file:, ftp:, gopher: ...).

    >>> checked_url("file:///etc/passwd")
    Traceback (most recent call last):
    claimkit.errors.UsageError: file:///etc/passwd: only http and https URLs are fetched, not 'file:'
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise UsageError(url, f"only http and https URLs are fetched, not {parts.scheme + ':' if parts.scheme else 'a URL without a scheme'!r}")
    if not parts.hostname:
        raise UsageError(url, "the URL names no host")
    return url


def default_cache_dir() -> Path:
    """``$CLAIMKIT_CACHE``, else ``$XDG_CACHE_HOME/claimkit/http``, else ``~/.cache/claimkit/http``."""
    if os.environ.get("CLAIMKIT_CACHE"):
        return Path(os.environ["CLAIMKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claimkit" / "http"


CacheDir = Union[str, Path, None]
_DEFAULT = Path("<default cache>")  # sentinel: resolve default_cache_dir() at call time


@dataclass
class Client:
    """GET with a disk cache, polite spacing, timeouts and retries with backoff."""

    cache_dir: Path | None = None
    delay: float = 3.0
    timeout: float = DEFAULT_TIMEOUT
    retries: int = 3
    backoff: float = 2.0
    max_age: float | None = None
    sleep: Callable[[float], None] = time.sleep
    max_bytes: int = MAX_BODY_BYTES
    requests: int = 0  # network requests made (retries included)
    cache_hits: int = 0
    _last_request: float | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Arguments are checked here, before any request (the CLI checks them in argparse)."""
        for name, low, strict in (("delay", 0, False), ("timeout", 0, True), ("retries", 0, False),
                                  ("backoff", 0, False), ("max_bytes", 1, False)):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < low or (strict and value == low):
                raise UsageError(name, f"must be {'above' if strict else 'at least'} {low}, not {value!r}")

    def get(self, url: str, parse: Callable[[bytes], object], *, cache: bool = True,
            complete: Callable[[object], bool] = lambda result: True) -> object:
        """``parse(body)`` of ``url``: from the cache when fresh, else fetched, parsed, then cached.

        Only a response that parses and is ``complete`` is cached, so a malformed answer is
        fetched again next time; an incomplete one is retried like a 503 and returned as is
        when the retries run out.
        """
        checked_url(url)
        cached = self._cached(url) if cache else None
        if cached is not None:
            self.cache_hits += 1
            return parse(cached)
        for attempt in range(self.retries + 1):
            body = self._fetch(url)
            result = parse(body)
            if complete(result):
                if cache:
                    self._store(url, body)
                break
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        return result

    def _fetch(self, url: str) -> bytes:
        for attempt in range(self.retries + 1):
            self._wait_turn()
            try:
                return self._request(url)
            except _Retryable as problem:
                if attempt == self.retries:
                    attempts = f" after {attempt + 1} attempts" if attempt else ""
                    raise FetchError(url, f"{problem}{attempts}") from None
                self.sleep(max(problem.retry_after or 0.0, self.backoff * 2**attempt))
        raise AssertionError("unreachable")

    def _request(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        self.requests += 1
        deadline = _Deadline(self.timeout)
        try:
            with _opener(deadline).open(request, timeout=self.timeout) as response:
                return _read_body(response, self.max_bytes, deadline, url)
        except urllib.error.HTTPError as err:
            if err.code in RETRIED_STATUS:
                raise _Retryable(f"HTTP {err.code} {one_line(err.reason)}", _retry_after(err.headers.get("Retry-After"))) from None
            raise FetchError(url, f"HTTP {err.code} {one_line(err.reason)}") from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, socket.gaierror):  # no DNS: offline, retrying will not help
                host = urllib.parse.urlsplit(url).hostname
                raise FetchError(url, f"cannot reach {host} ({err.reason.strerror or err.reason}); are you offline?") from None
            if isinstance(err.reason, TimeoutError) or deadline.expired:
                raise _Retryable(f"timed out after {self.timeout:g} s") from None
            raise _Retryable(f"cannot connect ({one_line(getattr(err.reason, 'strerror', None) or err.reason)})") from None
        except (TimeoutError, http.client.HTTPException, ConnectionError, OSError) as err:
            if isinstance(err, TimeoutError) or deadline.expired:  # the watchdog shut the socket
                raise _Retryable(f"timed out after {self.timeout:g} s") from None
            raise _Retryable(f"connection failed ({err.__class__.__name__}: {one_line(err)})") from None
        finally:
            deadline.cancel()
            self._last_request = time.monotonic()

    def _wait_turn(self) -> None:
        """Sleep so that requests start at least ``delay`` seconds apart."""
        if self._last_request is not None and self.delay > 0:
            remaining = self.delay - (time.monotonic() - self._last_request)
            if remaining > 0:
                self.sleep(remaining)

    def _path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".body")

    def _cached(self, url: str) -> bytes | None:
        path = self._path(url)
        if path is None or not path.exists():
            return None
        if self.max_age is not None and time.time() - path.stat().st_mtime > self.max_age:
            return None
        return path.read_bytes()

    def _store(self, url: str, body: bytes) -> None:
        """Write the cache entry atomically: a killed run never leaves half a response."""
        path = self._path(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)


class _Deadline:
    """A deadline for one request: when it passes, every socket it watches is shut down.

    Socket timeouts bound each read, not the request: a server that sends a byte a second
    never trips them. Shutting the socket from a timer thread wakes the blocked read at once.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown: an SSLSocket's would tear down its state under the reader
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


class _Watched:
    """A connection whose socket ``deadline`` shuts when it passes."""

    def __init__(self, *args: object, deadline: _Deadline, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._deadline.watch(self.sock)  # type: ignore[attr-defined]


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    pass


class _Handler(urllib.request.HTTPSHandler):
    """http and https through connections that obey a deadline."""

    http_request = urllib.request.AbstractHTTPHandler.do_request_

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTP, deadline=self._deadline), req)  # type: ignore[arg-type]

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPS, deadline=self._deadline), req,  # type: ignore[arg-type]
                            context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only, at most MAX_REDIRECTS; a loop is one line, not urllib's three."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("Location") or headers.get("URI")
        if location and urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, location)).scheme.lower() not in SCHEMES:
            raise FetchError(req.full_url, f"redirected to {location!r}: only http and https are followed")
        try:
            return super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as err:
            if "redirect" in str(err.msg).lower() or "infinite loop" in str(err.msg):
                raise FetchError(req.full_url, f"too many redirects (more than {MAX_REDIRECTS}, or a loop)") from None
            raise

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener without file:, ftp: or data: handlers, whose sockets obey ``deadline``."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.UnknownHandler(), urllib.request.HTTPDefaultErrorHandler(), _Redirects(),
                    urllib.request.HTTPErrorProcessor(), _Handler(deadline)):
        opener.add_handler(handler)
    return opener


def _read_body(response: http.client.HTTPResponse, max_bytes: int, deadline: _Deadline, url: str) -> bytes:
    """The body, read a chunk at a time; FetchError once it passes ``max_bytes``."""
    declared = response.headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(url, f"response of {int(declared):,} bytes is larger than the limit of {max_bytes:,} (--max-bytes)")
    chunks, size = [], 0
    while chunk := response.read1(_READ_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"response is larger than the limit of {max_bytes:,} bytes (--max-bytes)")
        chunks.append(chunk)
    if deadline.expired:
        raise TimeoutError("deadline")
    if declared and declared.strip().isdigit() and size < int(declared):
        raise http.client.IncompleteRead(b"", int(declared) - size)
    return b"".join(chunks)


class _Retryable(Exception):
    """A failure worth another try (timeout, reset, 429, 5xx)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), capped."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def make_client(cache_dir: CacheDir | Path = _DEFAULT, **settings: object) -> Client:
    """A client with the default cache directory unless ``cache_dir`` is given (None: no cache)."""
    directory = default_cache_dir() if cache_dir == _DEFAULT else (Path(cache_dir) if cache_dir else None)
    return Client(cache_dir=directory, **settings)  # type: ignore[arg-type]


def fetch_arxiv(query: str, max_results: int = 100, *, base_url: str = ARXIV_API, page_size: int = ARXIV_PAGE_SIZE,
                sort_by: str = "submittedDate", cache_dir: CacheDir = _DEFAULT, delay: float = 3.0,
                timeout: float = DEFAULT_TIMEOUT, retries: int = 3, backoff: float = 2.0,
                max_age: float | None = ARXIV_MAX_AGE, client: Client | None = None) -> pd.DataFrame:
    """Papers matching an arXiv API ``search_query`` (``"cat:cs.LG AND ti:speculative"``), newest first.

    Pages of ``page_size`` until ``max_results`` papers or the end of the results; requests
    are ``delay`` seconds apart. ``attrs`` of the table: ``requests`` and ``cache_hits``.
    """
    if max_results < 1 or page_size < 1:
        raise UsageError(base_url, "max_results and page_size must be at least 1")
    checked_url(base_url)
    client = client or make_client(cache_dir, delay=delay, timeout=timeout, retries=retries,
                                   backoff=backoff, max_age=max_age)
    items: list = []
    for start in range(0, max_results, page_size):
        size = min(page_size, max_results - start)
        url = _arxiv_url(base_url, query, start, size, sort_by)
        # arXiv now and then answers an empty page in the middle of the results: ask again
        feed = client.get(url, lambda body, url=url: parse_atom(body, url),
                          complete=lambda feed, start=start: bool(feed.items) or not _more_results(feed, start))
        items += feed.items
        if len(feed.items) < size or (feed.total_results is not None and start + size >= feed.total_results):
            break
    if not items:
        raise FetchError(_arxiv_url(base_url, query, 0, page_size, sort_by), f"no papers match {query!r}")
    return _with_stats(papers_from_items(_first_of_each(items)[:max_results], f"arXiv query {query!r}", "atom"), client)


def _first_of_each(items: list) -> list:
    """Items without the papers the API repeated on a later page (new submissions shift pages)."""
    seen: set[str] = set()
    unique = []
    for item in items:
        paper = item.get("paper") if isinstance(item, dict) else None
        if paper is not None and paper in seen:
            continue
        if paper is not None:
            seen.add(paper)
        unique.append(item)
    return unique


def _more_results(feed: AtomFeed, start: int) -> bool:
    """True when the feed says results exist at ``start`` (an empty page there is a glitch)."""
    return feed.total_results is not None and feed.total_results > start


def _arxiv_url(base_url: str, query: str, start: int, size: int, sort_by: str) -> str:
    params = {"search_query": query, "start": start, "max_results": size}
    if sort_by:
        params.update(sortBy=sort_by, sortOrder="descending")
    return f"{base_url}?{urllib.parse.urlencode(params)}"


def fetch_hf(date: str | dt.date, *, base_url: str = HF_DAILY_API, cache_dir: CacheDir = _DEFAULT,
             delay: float = 0.0, timeout: float = DEFAULT_TIMEOUT, retries: int = 3, backoff: float = 2.0,
             client: Client | None = None) -> pd.DataFrame:
    """The Hugging Face daily papers of ``date`` (``YYYY-MM-DD``), with upvotes.

    A past day's list is final and cached for good; today's and yesterday's are still
    changing and always refetched.
    """
    day = _parse_day(date, "--date")
    checked_url(base_url)
    client = client or make_client(cache_dir, delay=delay, timeout=timeout, retries=retries, backoff=backoff)
    url = f"{base_url}?{urllib.parse.urlencode({'date': day.isoformat()})}"
    settled = day < dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    items = client.get(url, lambda body: list(parse_hf(body, url)), cache=settled)
    if not items:
        raise FetchError(url, f"no daily papers for {day.isoformat()}")
    return _with_stats(papers_from_items(items, url, "hf"), client)


def _parse_day(date: str | dt.date, source: str) -> dt.date:
    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise UsageError(source, f"expected a date like 2024-12-02, not {date!r}") from None


def _with_stats(papers: pd.DataFrame, client: Client) -> pd.DataFrame:
    papers.attrs.update(requests=client.requests, cache_hits=client.cache_hits)
    return papers
