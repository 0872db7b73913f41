"""The explorer's other views and its pieces, without a browser: leaderboard, trends and paper
tabs, sorting, row actions, downloads, clickable HTML, and the shape of the package."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from claimkit import leaderboard as lb
from claimkit import trends
from claimkit.explore import ChoiceChips, Explorer, HtmlView
from claimkit.explore import render
from claimkit.explore.explorer import TABS

sys.path.insert(0, str(Path(__file__).parent))
from _board import BOARD, claims_table  # noqa: E402


@pytest.fixture
def explorer() -> Explorer:
    return Explorer(BOARD)


def all_widgets(widget) -> list:
    children = getattr(widget, "children", ())
    return [widget] + [w for child in children for w in all_widgets(child)]


# -- tabs --------------------------------------------------------------------------------------

def test_only_the_claims_view_is_built_until_a_tab_is_opened(explorer):
    assert [explorer.tabs.get_title(i) for i in range(len(TABS))] == list(TABS)
    assert explorer.tabs.selected_index == 0
    assert explorer.leaderboard_view is explorer.trends_view is explorer.paper_view is None
    explorer.tabs.selected_index = TABS.index("trends")  # what a click on the tab sends
    assert explorer.trends_view is not None and explorer.trends_view in all_widgets(explorer)


def test_the_leaderboard_tab_shows_the_library_leaderboard(explorer):
    view = explorer.show_leaderboard()
    assert explorer.tabs.selected_index == TABS.index("leaderboard")
    assert view.benchmark == "GSM8K"  # the benchmark most papers claim scores on
    pd.testing.assert_frame_equal(view.board, lb.leaderboard(BOARD, "GSM8K"))
    table = view.table.value
    assert table.count('<tr class="ck-best">') == 1 and "AlphaMath" in table
    assert table.count('class="ck-other"') == int((~view.board["comparable"]).sum())
    assert "41% → 62%" in table and "another metric (pass@1)" in table
    assert "https://arxiv.org/abs/2401.00001" in table and "<mark>91.2%</mark>" in table
    assert "GSM8K" in view.status.value and "accuracy" in view.status.value
    assert len(view.chart.rows) == view.board["comparable"].sum()
    assert view.over_time.rows["record"].sum() == len(lb.best_over_time(view.board))


@pytest.mark.parametrize("typed, key", [("gsm-8k", "GSM8K"), ("math", "MATH"), ("GSM 8k", "GSM8K")])
def test_the_leaderboard_takes_any_spelling(explorer, typed, key):
    view = explorer.show_leaderboard()
    view.picker.value = typed
    assert view.benchmark == key and view.picker.value == view.labels[key]
    assert len(view.board) == len(lb.leaderboard(BOARD, key))


def test_an_unknown_benchmark_says_so_and_offers_the_nearest(explorer):
    view = explorer.show_leaderboard()
    view.picker.value = "GSM9K"
    assert view.benchmark == "" and view.board.empty
    assert "No score or gain claims on <b>GSM9K</b>" in view.status.value and 'data-value="GSM8K"' in view.status.value
    view.status.click("benchmark", "GSM8K")  # a suggestion is a click away
    assert view.benchmark == "GSM8K"


def test_the_metric_picker_reranks(explorer):
    view = explorer.show_leaderboard()
    view.metric_picker.value = "pass@1"
    assert view.board.loc[view.board["comparable"], "paper"].tolist()[0] == "2407.00007"
    view.metric_picker.value = "any"
    pd.testing.assert_frame_equal(view.board, lb.leaderboard(BOARD, "GSM8K", metric=""))


def test_the_leaderboard_follows_the_claims_views_benchmark(explorer):
    explorer.claims_view.benchmark_filter.value = "math"
    assert explorer.show_leaderboard().benchmark == "MATH"


def test_leaderboard_downloads_are_the_table_with_numbers_and_units_apart(explorer):
    view = explorer.show_leaderboard()
    name, mime, data = view.downloads[0].payload()
    assert (name, mime) == ("leaderboard-GSM8K.csv", "text/csv")
    back = pd.read_csv(io.BytesIO(data))
    assert back["value"].tolist() == view.board["value"].tolist() and list(back.columns) == list(lb.COLUMNS)
    name, mime, data = view.downloads[1].payload()
    assert name.endswith(".parquet") and pd.read_parquet(io.BytesIO(data))["unit"].tolist() == view.board["unit"].tolist()


def test_the_trends_follow_the_claims_views_filters(explorer):
    view = explorer.show_trends()
    assert view.tables["months"]["claims"].sum() == len(BOARD)
    assert "12 of the 12 matching claims have a publication date" in view.note.value
    explorer.claims_view.kind_filter.value = ("gain",)  # while the trends tab is open
    assert view.tables["months"]["claims"].sum() == (BOARD["kind"] == "gain").sum()
    pd.testing.assert_frame_equal(view.tables["benchmarks"], trends.benchmarks_per_quarter(BOARD[BOARD["kind"] == "gain"]))
    assert view.charts["months"].rows["claims"].sum() == 1


def test_trends_of_undated_claims_say_there_are_none(seed_claims):
    view = Explorer(seed_claims).show_trends()
    assert "no publication dates" in view.note.value and view.tables["months"].empty


def test_the_paper_view_highlights_every_claim_in_the_abstract():
    abstract = "FooNet reaches 91.2% on GSM8K and 3x faster decoding <b>bold</b>."
    papers = pd.DataFrame({"paper": ["2401.00001"], "title": ["FooNet: fast math"], "abstract": [abstract],
                           "published": ["2024-01-05"]})
    claims = claims_table([{"paper": "2401.00001", "text": "91.2%", "value": 91.2, "sentence": abstract},
                           {"paper": "2401.00001", "text": "3x", "value": 3.0, "kind": "speedup", "unit": "x",
                            "sentence": abstract}]).assign(title="FooNet: fast math")
    explorer = Explorer(claims, papers)
    explorer.claims_view.table.click("paper", "2401.00001")
    body = explorer.paper_view.body.value
    assert explorer.tabs.selected_index == TABS.index("paper")
    assert "FooNet reaches <mark>91.2%</mark> on GSM8K and <mark>3x</mark> faster" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body and "<b>bold</b>" not in body
    assert 'href="https://arxiv.org/abs/2401.00001"' in body and "2024-01-05" in body and "2 claims" in body


def test_without_papers_the_paper_view_shows_the_claims_sentences(seed_claims):
    explorer = Explorer(seed_claims)
    paper = seed_claims["paper"].iloc[0]
    explorer.show_paper(paper)
    for sentence, text in zip(seed_claims.loc[seed_claims["paper"] == paper, "sentence"],
                              seed_claims.loc[seed_claims["paper"] == paper, "text"]):
        assert html.escape(text) in explorer.paper_view.body.value
    explorer.show_paper("no-such-paper")
    assert "No paper <code>no-such-paper</code>" in explorer.paper_view.body.value


def test_a_paper_click_in_the_leaderboard_opens_the_paper(explorer):
    view = explorer.show_leaderboard()
    view.table.click("paper", "2408.00008")
    assert explorer.tabs.selected_index == TABS.index("paper") and explorer.paper_view.paper == "2408.00008"


# -- the claims table: sorting, compact rows, links, row actions, downloads --------------------------

@pytest.mark.parametrize("column, key", [
    ("high", lambda c: c["high"]), ("title", lambda c: c["title"].str.casefold()),
    ("kind", lambda c: c["kind"].astype(str)), ("published", lambda c: c["published"]),
])
def test_clicking_a_header_sorts_and_clicking_again_reverses(explorer, column, key):
    view = explorer.claims_view
    view.table.click("sort", column)
    assert view.sort == (column, True) and view.page == 1
    assert key(view.filtered).tolist() == sorted(key(BOARD))
    assert f'data-value="{column}">' in view.table.value and " ▲</th>" in view.table.value
    view.table.click("sort", column)
    assert view.sort == (column, False) and key(view.filtered).tolist() == sorted(key(BOARD), reverse=True)
    view.kind_filter.value = ("score",)  # the sort stays with the filters
    assert key(view.filtered).tolist() == sorted(key(BOARD[BOARD["kind"] == "score"]), reverse=True)


def test_rows_are_one_line_with_the_sentence_on_expand_and_links(explorer):
    row = BOARD.iloc[[0]]
    table = render.claims_table_html(row)
    assert "<details><summary>AlphaMath achieves <mark>91.2%</mark> on GSM8K.</summary>" in table
    assert 'data-claimkit="paper" data-value="2401.00001"' in table
    assert '<a class="ck-external" href="https://arxiv.org/abs/2401.00001" target="_blank" rel="noopener">' in table
    long = "x " * 200 + "FooNet reaches 91.2% here." + " y" * 200
    summary = render.snippet(long, "91.2%")
    assert summary.startswith("…") and summary.endswith("…") and len(summary) < sum(render.CONTEXT) + 40
    assert summary.index("<mark>") <= render.CONTEXT[0] + 1  # the claim is near the start: in view


def test_a_row_action_calls_back_with_the_claim_of_its_row(explorer):
    view = explorer.claims_view
    seen = []
    view.add_row_action("accept", "✓", seen.append)
    assert view.table.value.count('data-claimkit="action:accept"') == min(len(BOARD), view.page_size)
    view.kind_filter.value = ("gain",)
    position = re.search(r'data-claimkit="action:accept" data-value="(\d+)"', view.table.value).group(1)
    view.table.click("action:accept", position)
    assert len(seen) == 1 and seen[0]["kind"] == "gain" and seen[0]["text"] == "4.1%"
    view.table.click("action:reject", position)  # no such action: nothing happens
    assert len(seen) == 1


def test_the_claims_downloads_export_the_matching_claims(explorer):
    explorer.claims_view.kind_filter.value = ("score",)
    name, mime, data = explorer.export("csv")
    back = pd.read_csv(io.BytesIO(data))
    assert name == "claims.csv" and len(back) == (BOARD["kind"] == "score").sum()
    assert back["high"].dtype.kind == "f" and set(back["unit"].dropna()) <= {"%", "tokens"}
    name, _, data = explorer.downloads[1].payload()
    assert name == "claims.parquet" and len(pd.read_parquet(io.BytesIO(data))) == len(back)


def test_html_view_dispatches_clicks_by_event():
    view = HtmlView("<a data-claimkit='x'>x</a>")
    got = []
    view.on("paper", lambda value: got.append(("paper", value)))
    view.on("action:", lambda name, value: got.append((name, value)))
    view.click("paper", "p1")
    view.click("action:flag", "3")
    view.click("unknown", "z")
    assert got == [("paper", "p1"), ("flag", "3")]


def test_choice_chips_toggle_one_option_each_and_ignore_unknown_values():
    chips = ChoiceChips([("a (1)", "a"), ("b (2)", "b"), ("c (3)", "c")])
    changes = []
    chips.observe(lambda change: changes.append(change["new"]), names="value")
    chips.toggles[2].value = True
    chips.toggles[0].value = True
    assert chips.value == ("a", "c") and changes == [("c",), ("a", "c")]
    chips.value = ("b", "zzz")
    assert chips.value == ("b",) and [t.value for t in chips.toggles] == [False, True, False]


def test_no_view_uses_an_output_widget(explorer):
    """nbclient answers an Output widget's updates on the shell socket it waits on, and can stall
    until its cell timeout (how notebook 02 hung): the explorer renders without one."""
    explorer.show_leaderboard()
    explorer.show_trends()
    explorer.show_paper("2401.00001")
    assert not [w for w in all_widgets(explorer) if isinstance(w, widgets.Output)]


def test_the_launcher_imports_no_widgets_and_no_charts():
    code = ("import sys, claimkit.explore.launch, claimkit.cli; "
            "print(sorted(m for m in ('ipywidgets', 'altair', 'anywidget', 'claimkit.explore.widgets') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_notebook_links_name_each_notebook_as_dashboard_and_in_jupyterlab():
    links = render.notebook_links_html(["01-explore-claims.ipynb", "02-compare-benchmark.ipynb"],
                                       "01-explore-claims.ipynb")
    assert '<b>01-explore-claims</b>' in links
    assert 'href="/voila/render/02-compare-benchmark.ipynb"' in links
    assert 'href="/lab/tree/02-compare-benchmark.ipynb"' in links


def test_the_explorer_links_the_notebooks_beside_it_when_served(tmp_path, monkeypatch):
    for name in ("01-explore-claims.ipynb", "02-compare-benchmark.ipynb", "notes.ipynb"):
        (tmp_path / name).write_text("{}")
    monkeypatch.setenv("CLAIMKIT_SERVER_BASE_URL", "/")
    explorer = Explorer(BOARD, notebook=str(tmp_path / "01-explore-claims.ipynb"))
    header = explorer.children[0].value
    assert "02-compare-benchmark" in header and "notes" not in header
    monkeypatch.delenv("CLAIMKIT_SERVER_BASE_URL")
    assert "claimkit-links" not in str(Explorer(BOARD, notebook="01-explore-claims.ipynb").children[0])
