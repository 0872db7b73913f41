"""The explorer in a real browser: Debian's Chromium, driven by Playwright, against JupyterLab and Voila.

Each test starts its server on 127.0.0.1 on a free port (JupyterLab with a token), opens the
explorer notebook, waits for the widgets, changes the benchmark filter and checks that the
count and the benchmark chart follow; the JupyterLab test also pages the table with Next,
clicks a chart bar and saves
``docs/screenshots/explorer.png`` for the README. Without /usr/bin/chromium they skip, unless
CLAIMKIT_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pandas as pd
import pytest

from claimkit import corpus, extract_claims, read_papers
from claimkit.explore import EXPLORER_NOTEBOOK

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = corpus.DATA_DIR.parent / "docs" / "screenshots" / "explorer.png"
WAIT_MS = 120_000  # kernel start + extraction + widget rendering on a slow 2-core runner
# Voila 0.5's own "lab" template links Font Awesome's CSS from jsdelivr (icons only). It is
# blocked like every outside request, so the explorer is shown working without it; it is just
# not counted against claimkit.
VOILA_TEMPLATE_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"


def require_browser() -> None:
    """Skip when there is no Chromium or Playwright, except in CI (CLAIMKIT_REQUIRE_BROWSER=1)."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package is not installed")
    if missing:
        reason = "browser tests need Chromium and Playwright: " + "; ".join(missing)
        if os.environ.get("CLAIMKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (CLAIMKIT_REQUIRE_BROWSER=1)")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, timeout: float, server: subprocess.Popen, log: Path) -> None:
    """Poll ``url`` until it answers 200; fail early with the server log if the server died."""
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            pytest.fail(f"server exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"server did not answer {url} in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def start_server(command: list[str], workdir: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    log = workdir / "server.log"
    handle = log.open("wb")
    server = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=workdir, env=env)
    handle.close()
    return server, log


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def server_env(workdir: Path) -> dict[str, str]:
    """Keep runtime files, settings and workspaces in ``workdir``, not in $HOME or the repo."""
    settings = workdir / "settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))  # render every cell, on screen or not
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))  # offline, no pop-up
    return dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
                JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"))


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    """What the notebook will show: the extractor's claims on the embedded corpus."""
    return extract_claims(read_papers(corpus.DEFAULT_PAGE))


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A page that may only talk to 127.0.0.1: anything else is blocked, and fails the test (no CDN)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    outside: list[str] = []

    def local_only(route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            if not route.request.url.startswith(VOILA_TEMPLATE_CDN):
                outside.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), local_only)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not outside, f"the explorer reached outside the machine (no CDN allowed): {outside[:5]}"


@pytest.fixture
def jupyterlab(tmp_path_factory, browser) -> Iterator[tuple[str, str]]:
    """JupyterLab on a copy of the explorer notebook (autosave must not touch the repo): (url, token)."""
    workdir = tmp_path_factory.mktemp("lab")
    root = workdir / "root"  # only the notebook in the file browser: settings and logs live beside it
    root.mkdir()
    shutil.copy2(EXPLORER_NOTEBOOK, root / EXPLORER_NOTEBOOK.name)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
               "--ServerApp.allow_root=True"]
    server, log = start_server(command, workdir, server_env(workdir))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}", 60, server, log)
        yield f"http://127.0.0.1:{port}", token
    finally:
        stop_server(server)


@pytest.fixture
def voila(tmp_path_factory, browser) -> Iterator[str]:
    """``voila notebooks/01-explore-claims.ipynb``, as the README runs it: the base url."""
    workdir = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = [sys.executable, "-m", "voila", str(EXPLORER_NOTEBOOK), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1"]
    server, log = start_server(command, workdir, server_env(workdir))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/voila/static/voila.js", 60, server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


def top_benchmark(claims: pd.DataFrame) -> tuple[str, int]:
    counts = claims.loc[claims["benchmark"] != "", "benchmark"].value_counts()
    assert len(counts), "the extractor should name benchmarks in the embedded corpus"
    return str(counts.index[0]), int(counts.iloc[0])


def bars(page, chart: str):
    """The bars Vega drew (SVG renderer) in the explorer chart with CSS class ``chart``."""
    return page.locator(f".{chart} .mark-rect path")


def check_benchmark_filter(page, claims: pd.DataFrame) -> None:
    """The page shows the whole table; typing a benchmark narrows count and chart to it."""
    from playwright.sync_api import expect

    total = len(claims)
    count = page.locator(".claimkit-count .widget-html-content")
    expect(count).to_contain_text(f"{total:,} of {total:,} claims", timeout=WAIT_MS)
    named = claims.loc[claims["benchmark"] != "", "benchmark"].nunique()
    expect(bars(page, "claimkit-chart-benchmarks")).to_have_count(min(named, 15), timeout=WAIT_MS)

    benchmark, matching = top_benchmark(claims)
    box = page.locator(".claimkit-benchmark input")
    box.fill(benchmark)
    box.press("Enter")
    expect(count).to_contain_text(f"{matching:,} of {total:,} claims", timeout=30_000)
    expect(bars(page, "claimkit-chart-benchmarks")).to_have_count(1, timeout=30_000)
    label = bars(page, "claimkit-chart-benchmarks").first.get_attribute("aria-label") or ""
    assert benchmark in label
    expect(page.locator(".claimkit-table tbody tr")).to_have_count(min(matching, 20))


def save_screenshot(page, explorer) -> None:
    """The README's picture: JupyterLab with the explorer's filters, count and charts in view."""
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    explorer.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)  # let the scroll settle before the capture
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_explorer_in_jupyterlab(page, jupyterlab, claims):
    from playwright.sync_api import expect

    url, token = jupyterlab
    page.goto(f"{url}/lab/tree/{EXPLORER_NOTEBOOK.name}?token={token}", timeout=WAIT_MS)
    page.wait_for_function("() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel",
                           timeout=WAIT_MS)
    page.evaluate("async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    explorer = page.locator(".claimkit-explorer")
    expect(explorer).to_be_visible(timeout=WAIT_MS)
    expect(bars(page, "claimkit-chart-kinds")).to_have_count(claims["kind"].nunique(), timeout=WAIT_MS)
    save_screenshot(page, explorer)

    check_benchmark_filter(page, claims)

    # A click on a chart bar comes back to Python as a selection and sets the kind filter.
    page.locator(".claimkit-explorer button", has_text="reset filters").click()
    total = len(claims)
    count = page.locator(".claimkit-count .widget-html-content")
    expect(count).to_contain_text(f"{total:,} of {total:,} claims", timeout=30_000)

    # Paging: Next shows the second page of the table; a filter change goes back to page 1.
    indicator = page.locator(".claimkit-page .widget-html-content")
    expect(indicator).to_have_text(f"rows 1–{min(total, 20)} of {total:,}", timeout=30_000)
    expect(page.locator(".claimkit-prev")).to_be_disabled()
    assert total > 20, "the embedded corpus should fill more than one page"
    page.locator(".claimkit-next").click()
    expect(indicator).to_have_text(f"rows 21–{min(total, 40)} of {total:,}", timeout=30_000)
    expect(page.locator(".claimkit-prev")).to_be_enabled()
    expect(page.locator(".claimkit-table tbody tr")).to_have_count(min(total, 40) - 20)

    kind = claims["kind"].astype("str").value_counts().index[-1]
    page.locator(f".claimkit-chart-kinds .mark-rect path[aria-label*='kind: {kind}']").click()
    expected = int((claims["kind"] == kind).sum())
    expect(count).to_contain_text(f"{expected:,} of {total:,} claims", timeout=30_000)
    expect(page.locator(".claimkit-kind select")).to_have_values([re.compile(rf"^{re.escape(kind)} \(")])
    expect(indicator).to_have_text(f"rows 1–{min(expected, 20)} of {expected:,}", timeout=30_000)


def test_explorer_in_voila(page, voila, claims):
    page.goto(voila + "/", timeout=WAIT_MS)
    check_benchmark_filter(page, claims)
