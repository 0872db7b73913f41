"""The explorer in a real browser: Debian's Chromium, driven by Playwright, against the server
``claimkit explore`` starts (JupyterLab with Voila's server extension) on the default corpus.

The Voila test measures launch to usable (the command started, with a warm cache, until the
dashboard shows its count; the best of two launches when the first misses the target, since
other sessions share the machine), filters the claims, opens a paper, the leaderboard (picking a
benchmark in another spelling, downloading it) and the trends, and saves the README's
screenshots of the dashboard and the leaderboard. The JupyterLab test runs the user's copy of
notebook 01, checks that the view stays at the top after Run All, clicks through the same
views and saves ``docs/screenshots/explorer.png``. The page may only talk to 127.0.0.1: any
other request (a CDN) fails the test. Without /usr/bin/chromium they skip, unless
CLAIMKIT_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pandas as pd
import pytest

from claimkit import charts, corpus
from claimkit import leaderboard as lb
from claimkit.cache import load_corpus
from claimkit.explore import EXPLORER_NOTEBOOK
from claimkit.explore.launch import free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = corpus.DATA_DIR.parent / "docs" / "screenshots"
WAIT_MS = 120_000  # kernel start + widget rendering on a slow, shared 2-core runner
LAUNCH_TO_USABLE_S = 15.0  # the target, with a warm cache


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


def lab_settings(workdir: Path) -> dict[str, str]:
    """JupyterLab settings and workspaces in ``workdir``, not in $HOME: every cell rendered (so
    locators find outputs off screen), no news pop-up."""
    settings = workdir / "settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return {"JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces")}


@dataclass
class Explore:
    """``claimkit explore`` running: when it started, its port and token, what it printed, and
    how busy the machine was with other work then (runnable processes per core)."""

    process: subprocess.Popen
    started: float
    port: int
    notebooks: Path
    busy: float
    lines: list[str] = field(default_factory=list)
    token: str = ""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    """What the explorer shows: the default corpus's claims (this also warms the cache)."""
    charts.enable_offline_charts()  # the chart bundle is cached too
    return load_corpus([corpus.DEFAULT_CORPUS]).claims


def start_explore(workdir: Path, *args: str, env: dict[str, str] | None = None) -> Explore:
    """``claimkit explore --no-browser`` on the default corpus (or ``args``: inputs, options), as a
    person starts it (with ``env`` added to the environment); its URL printed."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(os.environ, **lab_settings(workdir), **(env or {}))
    busy = os.getloadavg()[0] / (os.cpu_count() or 1)  # other work on the machine, before ours starts
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "claimkit.cli", "explore", "--no-browser", "--port", str(port),
                                "--notebooks", str(workdir / "notebooks"), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               cwd=workdir)  # not the repository: "-m claimkit.cli" must import what PYTHONPATH names
    server = Explore(process, started, port, workdir / "notebooks", busy)
    threading.Thread(target=lambda: server.lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
    deadline = time.monotonic() + 120
    while not server.token and time.monotonic() < deadline and process.poll() is None:
        found = [re.search(r"token=([0-9a-f]+)", line) for line in server.lines if "explorer: http" in line]
        server.token = found[0].group(1) if found else ""
        time.sleep(0.1)
    if not server.token:
        stop_explore(server)
        pytest.fail("claimkit explore did not start:\n" + "".join(server.lines[-40:]))
    return server


def stop_explore(server: Explore) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def explore(tmp_path_factory, claims) -> Iterator[Explore]:
    require_browser()
    server = start_explore(tmp_path_factory.mktemp("explore"))
    try:
        yield server
    finally:
        stop_explore(server)


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
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    outside: list[str] = []

    def local_only(route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^https?://"), local_only)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not outside, f"the explorer reached outside the machine (no CDN allowed): {outside[:5]}"


def count(page):
    return page.locator(".claimkit-count .widget-html-content")


def open_tab(page, name: str) -> None:
    page.locator(".claimkit-tabs .lm-TabBar-tab", has_text=re.compile(rf"^{name}$")).click()


def benchmark_family(claims: pd.DataFrame, typed: str) -> int:
    """Claims whose benchmark key contains what was typed (the explorer's rule, for names without spaces)."""
    return int(claims["benchmark_key"].str.casefold().str.contains(typed.casefold(), regex=False).sum())


def click_through(page, claims: pd.DataFrame) -> None:
    """Filters, a paper, the leaderboard, the trends and a download: the same in Voila and JupyterLab."""
    from playwright.sync_api import expect

    total = len(claims)
    expect(count(page)).to_contain_text(f"{total:,} of {total:,} claims", timeout=WAIT_MS)
    box = page.locator(".claimkit-benchmark input")
    box.fill("AIME")  # reacts as one types: no Enter
    expect(count(page)).to_contain_text(f"{benchmark_family(claims, 'AIME'):,} of {total:,} claims", timeout=30_000)
    assert {"AIME 2024", "AIME 2025"} <= set(claims.loc[claims["benchmark_key"].str.contains("AIME"), "benchmark_key"])
    box.fill("")
    expect(count(page)).to_contain_text(f"{total:,} of {total:,} claims", timeout=30_000)
    page.locator(".claimkit-kind button", has_text=re.compile(r"^speedup")).click()
    page.locator(".claimkit-kind button", has_text=re.compile(r"^gain")).click()  # no Ctrl: a second chip adds
    both = int(claims["kind"].isin(["speedup", "gain"]).sum())
    expect(count(page)).to_contain_text(f"{both:,} of {total:,} claims", timeout=30_000)

    # A paper title in the table opens the paper view, its claims highlighted in the abstract.
    first = page.locator(".claimkit-table a[data-claimkit=paper]").first
    paper = first.get_attribute("data-value")
    first.click()
    view = page.locator(".claimkit-paper-view .claimkit-paper")
    expect(view).to_be_visible(timeout=30_000)
    expect(view.locator("mark")).to_have_count(int((claims["paper"] == paper).sum()), timeout=30_000)
    assert view.locator(f'a[href="https://arxiv.org/abs/{paper}"]').count() == 1

    # The leaderboard: a benchmark typed in another spelling, ranked rows, the best highlighted.
    open_tab(page, "leaderboard")
    picker = page.locator(".claimkit-board-benchmark input")
    expect(picker).to_be_visible(timeout=WAIT_MS)
    picker.fill("gsm-8k")
    picker.press("Enter")
    board = lb.leaderboard(claims, "GSM8K")
    expect(page.locator(".claimkit-board-status")).to_contain_text("GSM8K", timeout=30_000)
    rows = page.locator(".claimkit-board table.claimkit-board tbody tr")
    expect(rows).to_have_count(len(board), timeout=30_000)
    expect(page.locator(".claimkit-board tr.ck-best")).to_have_count(1)
    assert board.iloc[0]["method"] in page.locator(".claimkit-board tr.ck-best").inner_text()
    expect(page.locator(".claimkit-chart-sota .mark-symbol path, .claimkit-chart-sota .mark-line path").first)\
        .to_be_attached(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        page.locator(".claimkit-board-export button", has_text="CSV").click()
    exported = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()), dtype={"paper": str})
    assert exported["paper"].tolist() == board["paper"].tolist()
    assert exported["value"].tolist() == board["value"].tolist()

    # The trends: claims per month, values per quarter, benchmarks per quarter.
    open_tab(page, "trends")
    expect(page.locator(".claimkit-trends-note")).to_contain_text("have a publication date", timeout=WAIT_MS)
    expect(page.locator(".claimkit-chart-months .mark-rect path").first).to_be_attached(timeout=WAIT_MS)


def run_all_cells(page, attempts: int = 3) -> None:
    """Run > Run All Cells, as a person does; again if no cell started (a click while JupyterLab
    was still settling can close the menu instead)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        dialog = page.locator(".jp-Dialog")
        if dialog.count():  # e.g. "Select Kernel" when the session was not ready: take the default
            print(f"\nJupyterLab asked: {dialog.first.inner_text()!r}")
            dialog.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        item = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
        try:
            item.click(timeout=5_000)
            page.locator(".jp-InputArea-prompt", has_text=re.compile(r"\[(\*|\d+)\]")).first.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    pytest.fail("Run > Run All Cells started no cell")


def screenshot(page, name: str, element=None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    if element is not None:
        element.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)  # let the scroll and the charts settle
    page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def launch_to_usable(page, explore: Explore, total: int) -> tuple[float, float]:
    """Seconds from starting ``claimkit explore`` to its dashboard showing the count, and the time
    allowed: the target on a machine not busy with other work, stretched in proportion on a
    shared runner that is (more runnable processes than cores when the launch began)."""
    from playwright.sync_api import expect

    page.goto(explore.url(f"voila/render/{EXPLORER_NOTEBOOK.name}"), timeout=WAIT_MS)
    expect(count(page)).to_contain_text(f"{total:,} of {total:,} claims", timeout=WAIT_MS)
    usable = time.monotonic() - explore.started
    allowed = LAUNCH_TO_USABLE_S * max(1.0, explore.busy)
    print(f"\nlaunch to usable (warm cache): {usable:.1f} s; machine load per core {explore.busy:.2f}, "
          f"allowed {allowed:.1f} s")
    return usable, allowed


def test_the_dashboard_is_usable_within_seconds_and_every_view_works(page, explore, claims, tmp_path_factory):
    from playwright.sync_api import expect

    usable, allowed = launch_to_usable(page, explore, len(claims))
    if usable >= allowed:  # a burst of other work on a shared machine: the best of two launches counts
        again = start_explore(tmp_path_factory.mktemp("explore-again"))
        try:
            second = page.context.new_page()
            usable, allowed = min((usable, allowed), launch_to_usable(second, again, len(claims)))
            second.close()
        finally:
            stop_explore(again)
    assert usable < allowed, f"claimkit explore took {usable:.1f} s to a usable dashboard (allowed {allowed:.1f} s)"
    page.bring_to_front()
    expect(page.locator(".claimkit-links")).to_contain_text("02-compare-benchmark")
    expect(page.locator(".claimkit-chart-kinds .mark-rect path")).to_have_count(claims["kind"].nunique(),
                                                                               timeout=WAIT_MS)
    screenshot(page, "dashboard.png")
    click_through(page, claims)
    open_tab(page, "leaderboard")
    screenshot(page, "leaderboard.png", page.locator(".claimkit-leaderboard-view"))


def test_the_users_notebook_runs_in_jupyterlab_stays_at_the_top_and_every_view_works(page, explore, claims):
    from playwright.sync_api import expect

    page.goto(explore.url(f"lab/tree/{EXPLORER_NOTEBOOK.name}"), timeout=WAIT_MS)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
    expect(page.locator(".jp-Toolbar-kernelName").first).to_contain_text("Python", timeout=WAIT_MS)  # its kernel
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT_MS)
    run_all_cells(page)
    explorer = page.locator(".claimkit-explorer")
    expect(explorer).to_be_visible(timeout=WAIT_MS)
    expect(count(page)).to_contain_text(f"{len(claims):,} of {len(claims):,} claims", timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    top = explorer.bounding_box()["y"]
    assert 0 <= top < 900 / 2, f"after Run All the explorer starts at y={top}: not in view at the top"
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()  # fold the file browser
    screenshot(page, "explorer.png")
    click_through(page, claims)


def changed_extractor(folder: Path) -> dict[str, str]:
    """A copy of the package whose vocabulary no longer lists GSM8K (its claims then key as
    "gsm8k", found by the shape of the name): the environment that runs it, with its own cache."""
    import shutil

    import claimkit

    shutil.copytree(Path(claimkit.__file__).parent, folder / "claimkit", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copytree(corpus.DATA_DIR.parent / "notebooks", folder / "notebooks")  # the explorer serves them
    vocabulary = folder / "claimkit" / "vocab" / "benchmarks.txt"
    lines = vocabulary.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("GSM8K |")]
    assert len(kept) == len(lines) - 1
    vocabulary.write_text("".join(kept), encoding="utf-8")
    return {"PYTHONPATH": str(folder), "CLAIMKIT_PURE_PYTHON": "1", "CLAIMKIT_CACHE_DIR": str(folder / "cache")}


def best_row_shows(page, value: str) -> None:
    """The leaderboard tab on GSM8K: its best row is the corrected claim, marked as such."""
    from playwright.sync_api import expect

    open_tab(page, "leaderboard")
    picker = page.locator(".claimkit-board-benchmark input")
    expect(picker).to_be_visible(timeout=WAIT_MS)
    picker.fill("GSM8K")
    picker.press("Enter")
    best = page.locator(".claimkit-board tr.ck-best")
    expect(best).to_contain_text(value, timeout=30_000)
    expect(best).to_contain_text("✎ corrected")


def test_a_correction_made_in_the_explorer_survives_a_changed_extractor_and_shows_in_the_leaderboard(
        page, claims, tmp_path):
    """Review in the dashboard: a claim corrected with the ✎ button is in the corrections file at
    once and tops the GSM8K leaderboard; then an extractor with a changed vocabulary (GSM8K
    unlisted, in a temporary copy of the package) runs the explorer again on the same file: its
    claims differ, and the correction is still there, still the best row."""
    from playwright.sync_api import expect

    from claimkit.corrections import read_corrections
    from claimkit.stream import read_claims

    require_browser()
    corrections = tmp_path / "corrections.jsonl"
    board = lb.leaderboard(claims, "GSM8K")
    best = board.iloc[0]  # a paper's claimed score; corrected to beat every claim
    better = f"{best['value'] + 1.5:g}"
    server = start_explore(tmp_path / "first", "--corrections", str(corrections))
    try:
        page.goto(server.url(f"voila/render/{EXPLORER_NOTEBOOK.name}"), timeout=WAIT_MS)
        expect(count(page)).to_contain_text(f"{len(claims):,} of {len(claims):,} claims", timeout=WAIT_MS)
        page.locator(".claimkit-search input").fill(best["paper"])
        page.locator(".claimkit-benchmark input").fill("GSM8K")
        row = page.locator(".claimkit-table tbody tr", has_text=best["claim"]).first
        expect(row).to_be_visible(timeout=30_000)
        row.locator("button[data-claimkit='action:edit']").click()
        form = page.locator(".claimkit-edit-form")
        expect(form).to_be_visible(timeout=30_000)
        form.locator(".claimkit-edit-low input").fill(better)
        form.locator(".claimkit-edit-high input").fill(better)
        form.locator(".claimkit-edit-note input").fill("read again: the abstract's best")
        screenshot(page, "review.png", page.locator(".claimkit-explorer"))
        form.locator(".claimkit-edit-save").click()
        expect(page.locator(".claimkit-review-status")).to_contain_text("corrected", timeout=30_000)
        expect(count(page)).to_contain_text("1 reviewed (1 corrected)")
        expect(row).to_contain_text("✎ corrected")
        (decision,) = read_corrections(corrections)  # in the file at once
        assert (decision.action, decision.paper, decision.text, decision.values["low"], decision.note) == \
            ("edit", best["paper"], best["claim"], float(better), "read again: the abstract's best")
        best_row_shows(page, better)
    finally:
        stop_explore(server)

    env = changed_extractor(tmp_path / "changed")
    plain = tmp_path / "plain.parquet"
    done = subprocess.run([sys.executable, "-m", "claimkit.cli", "extract", str(corpus.DEFAULT_CORPUS), "-o", str(plain),
                           "-q"], env=dict(os.environ, **env), capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    changed = read_claims(plain)
    mine = changed[(changed["paper"] == best["paper"]) & (changed["text"] == best["claim"])]
    assert mine["benchmark_key"].tolist() == ["gsm8k"]  # the changed extractor reads this claim differently
    again = start_explore(tmp_path / "second", str(corpus.DEFAULT_CORPUS), "--corrections", str(corrections), env=env)
    try:
        page.goto(again.url(f"voila/render/{EXPLORER_NOTEBOOK.name}"), timeout=WAIT_MS)
        expect(count(page)).to_contain_text(f"{len(changed):,} of {len(changed):,} claims", timeout=WAIT_MS)
        expect(count(page)).to_contain_text("1 reviewed (1 corrected)")
        best_row_shows(page, better)
    finally:
        stop_explore(again)
    assert len(read_corrections(corrections)) == 1  # looking changed nothing
