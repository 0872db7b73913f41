"""The explorer without a browser: filters, count, table, chart data and chart clicks.

Setting a widget's ``value`` fires its observers synchronously in plain pytest, so these tests
drive the panel exactly as a person's clicks would, and read the traits the browser is sent.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimkit import corpus, read_papers
from claimkit.explore import (
    INPUTS_ENV, ClaimIndex, Explorer, Query, claims_table_html, compare_benchmark, highlight, parse_bound,
    read_inputs, spread,
)
from claimkit.table import KINDS, QUALIFIERS, empty_claims


@pytest.fixture
def explorer(seed_claims) -> Explorer:
    return Explorer(seed_claims)


def top_benchmark(claims: pd.DataFrame) -> str:
    return claims.loc[claims["benchmark"] != "", "benchmark"].value_counts().index[0]


def count_shown(explorer: Explorer) -> int:
    return int(re.search(r"<b>([\d,]+)</b>", explorer.count.value).group(1).replace(",", ""))


def click(explorer: Explorer, chart: str, field: str, value: str) -> None:
    """What the browser sends when a mark is clicked: the Vega selection signal of that chart."""
    view = explorer.charts[chart]
    view.widget._vl_selections = {view.selection: {"value": {"vlPoint": {"or": [{field: value}]}}, "store": []}}


def reference_mask(claims: pd.DataFrame, query: Query) -> pd.Series:
    """The filter semantics spelled out in plain pandas, to check the vectorized one against."""
    keep = pd.Series(True, index=claims.index)
    if query.kinds:
        keep &= claims["kind"].astype("str").isin(query.kinds)
    if query.qualifier != "any":
        keep &= claims["qualifier"].astype("str") == query.qualifier
    if query.benchmark.strip():
        wanted = query.benchmark.strip().lower()
        names = claims["benchmark"].str.lower()
        keep &= (names == wanted) if (names == wanted).any() else names.str.contains(wanted, regex=False)
    if query.metric:
        keep &= claims["metric"] == query.metric
    if query.search.strip():
        keep &= (claims["paper"] + " " + claims["title"]).str.lower().str.contains(query.search.strip().lower(),
                                                                                  regex=False)
    if query.min_value is not None:
        keep &= claims["high"] >= query.min_value
    if query.max_value is not None:
        keep &= claims["low"] <= query.max_value
    return keep


def test_unfiltered_explorer_counts_tables_and_charts_every_claim(explorer, seed_claims):
    assert explorer.matches == len(seed_claims) == count_shown(explorer)
    assert "claimkit-count" in explorer.count._dom_classes
    assert explorer.table.value.count("<tr>") == 1 + explorer.page_size
    assert explorer.charts["kinds"].rows.set_index("kind")["claims"].to_dict() == \
        seed_claims["kind"].astype("str").value_counts().to_dict()
    assert len(explorer.charts["values"].rows) == min(len(seed_claims), explorer.max_points)


def test_benchmark_filter_changes_count_table_and_chart_data_together(explorer, seed_claims):
    benchmark = top_benchmark(seed_claims)
    expected = seed_claims[seed_claims["benchmark"] == benchmark]
    explorer.benchmark_filter.value = benchmark
    assert explorer.matches == len(expected) == count_shown(explorer) < len(seed_claims)
    assert explorer.table.value.count("<tr>") == 1 + len(expected)
    for sentence in expected["sentence"]:
        assert html.escape(sentence.split()[0]) in explorer.table.value
    assert list(explorer.charts["benchmarks"].rows["benchmark"]) == [benchmark]
    assert sorted(explorer.charts["values"].rows["text"]) == sorted(expected["text"])
    assert list(explorer.filtered["text"]) == list(expected["text"])


def test_benchmark_search_is_case_blind_and_falls_back_to_substrings(explorer, seed_claims):
    benchmark = top_benchmark(seed_claims)
    explorer.benchmark_filter.value = benchmark.upper()
    assert explorer.matches == (seed_claims["benchmark"] == benchmark).sum()
    fragment = benchmark[1:-1].lower()
    explorer.benchmark_filter.value = fragment
    assert explorer.matches == seed_claims["benchmark"].str.lower().str.contains(fragment, regex=False).sum()


def test_kind_multi_select_keeps_claims_of_any_chosen_kind(explorer, seed_claims):
    explorer.kind_filter.value = ("speedup", "model_size")
    assert explorer.matches == seed_claims["kind"].isin(["speedup", "model_size"]).sum()
    assert set(explorer.charts["values"].rows["kind"]) == {"speedup", "model_size"}


def test_paper_search_value_range_qualifier_and_metric_filters(explorer, seed_claims):
    word = seed_claims["title"].iloc[0].split()[0]
    explorer.search_filter.value = word.lower()
    assert explorer.matches == seed_claims["title"].str.lower().str.contains(word.lower(), regex=False).sum()
    explorer.reset()
    explorer.min_filter.value, explorer.max_filter.value = "2", "10"
    assert explorer.matches == ((seed_claims["high"] >= 2) & (seed_claims["low"] <= 10)).sum()
    explorer.reset()
    explorer.qualifier_filter.value = "up_to"
    assert explorer.matches == (seed_claims["qualifier"] == "up_to").sum() > 0
    explorer.reset()
    metric = seed_claims.loc[seed_claims["metric"] != "", "metric"].value_counts().index[0]
    explorer.metric_filter.value = metric
    assert explorer.matches == (seed_claims["metric"] == metric).sum()


def test_reset_button_clears_every_filter(explorer, seed_claims):
    explorer.kind_filter.value = ("gain",)
    explorer.search_filter.value = "zzz-no-such-title"
    assert explorer.matches == 0 == explorer.table.value.count("<td>")
    explorer.reset_button.click()
    assert explorer.matches == len(seed_claims)
    assert explorer.query() == Query()


def test_clicking_a_benchmark_bar_filters_on_it(explorer, seed_claims):
    benchmark = top_benchmark(seed_claims)
    click(explorer, "benchmarks", "benchmark", benchmark)
    assert explorer.benchmark_filter.value == benchmark
    assert explorer.matches == (seed_claims["benchmark"] == benchmark).sum()


def test_clicking_a_kind_bar_and_a_dot_filter_on_kind_and_paper(explorer, seed_claims):
    click(explorer, "kinds", "kind", "speedup")
    assert explorer.kind_filter.value == ("speedup",)
    assert explorer.matches == (seed_claims["kind"] == "speedup").sum()
    title = explorer.charts["values"].rows["title"].iloc[0]
    click(explorer, "values", "title", title)
    assert explorer.search_filter.value == title
    assert explorer.matches == ((seed_claims["kind"] == "speedup") & (seed_claims["title"] == title)).sum()


def test_an_emptied_selection_leaves_the_filters_alone(explorer, seed_claims):
    click(explorer, "kinds", "kind", "gain")
    view = explorer.charts["kinds"]
    view.widget._vl_selections = {view.selection: {"value": None, "store": []}}  # browser re-embedded the chart
    assert explorer.kind_filter.value == ("gain",)


def test_a_big_table_sends_the_browser_a_bounded_sample_and_says_so(seed_claims):
    big = pd.concat([seed_claims] * 60, ignore_index=True)  # > 5,000 rows
    explorer = Explorer(big, max_points=500)
    assert explorer.matches == len(big)
    assert len(explorer.charts["values"].rows) == 500
    assert "500 evenly spaced" in explorer.count.value
    assert explorer.charts["kinds"].rows["claims"].sum() == len(big)  # counts cover every row
    explorer.kind_filter.value = ("compute",)
    assert len(explorer.charts["values"].rows) == explorer.matches == (big["kind"] == "compute").sum()
    assert "evenly spaced" not in explorer.count.value


def test_an_empty_claims_table_gives_a_working_empty_explorer():
    explorer = Explorer(empty_claims())
    assert explorer.matches == 0 == count_shown(explorer)
    explorer.kind_filter.value = ()
    explorer.search_filter.value = "anything"
    assert explorer.matches == 0 and explorer.charts["values"].rows.empty


def test_read_inputs_takes_paths_then_the_environment_then_the_embedded_corpus(monkeypatch, tmp_path):
    source = tmp_path / "few.jsonl"
    read_papers(corpus.SEED_PAPERS).head(3).to_json(source, orient="records", lines=True)
    monkeypatch.delenv(INPUTS_ENV, raising=False)
    assert len(read_inputs()) == len(read_papers(corpus.DEFAULT_PAGE))
    monkeypatch.setenv(INPUTS_ENV, json.dumps([str(source), str(source)]))
    assert len(read_inputs()) == 6
    assert len(read_inputs([str(corpus.SEED_PAPERS)])) == len(read_papers(corpus.SEED_PAPERS))


def test_everything_in_the_table_is_html_escaped(seed_claims):
    row = seed_claims.iloc[[0]].copy()
    row["title"] = "<script>alert(1)</script> & co"
    row["text"] = "<b>2x</b>"
    row["sentence"] = "We get <b>2x</b> faster & <i>better</i>."
    table = claims_table_html(row)
    assert "<script>" not in table and "<b>" not in table and "<i>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in table
    assert "<mark>&lt;b&gt;2x&lt;/b&gt;</mark>" in table


def test_highlight_marks_the_claim_inside_its_sentence():
    assert highlight("a 2x b 2x", "2x") == "a <mark>2x</mark> b 2x"
    assert highlight("no claim here", "7x") == "no claim here"
    assert highlight("x < y", "") == "x &lt; y"


def test_value_bounds_accept_what_people_type():
    assert parse_bound(" 1e9 ") == 1e9 and parse_bound("1,000") == 1000.0
    assert parse_bound("") is None and parse_bound("lots") is None


def test_spread_keeps_at_most_the_requested_rows_evenly():
    rows = np.arange(10_000)
    picked = spread(rows, 100)
    assert len(picked) == 100 and picked[0] == 0 and picked[-1] == 9_999
    assert list(spread(rows[:5], 100)) == [0, 1, 2, 3, 4]


def test_compare_benchmark_lists_every_claim_on_it(seed_claims):
    benchmark = top_benchmark(seed_claims)
    table = compare_benchmark(seed_claims, benchmark)
    assert len(table) == (seed_claims["benchmark"] == benchmark).sum()
    assert set(table["paper"]) == set(seed_claims.loc[seed_claims["benchmark"] == benchmark, "title"])


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), max_size=3, unique=True),
    qualifier=st.sampled_from(("any",) + QUALIFIERS),
    benchmark=st.sampled_from(["", "glue", "GLUE", "bench", "MATH", "zz"]),
    search=st.sampled_from(["", "language", "Model", "p00", "zz"]),
    low=st.one_of(st.none(), st.sampled_from([0.0, 1.5, 10.0, 1e9])),
    high=st.one_of(st.none(), st.sampled_from([1.0, 50.0, 1e12])),
)
def test_vectorized_mask_matches_the_plain_pandas_filter(seed_claims, kinds, qualifier, benchmark, search, low, high):
    query = Query(kinds=tuple(kinds), qualifier=qualifier, benchmark=benchmark, search=search,
                  min_value=low, max_value=high)
    index = _index(seed_claims)
    assert (index.mask(query) == reference_mask(index.claims, query).to_numpy()).all()


_INDEXES: dict[int, ClaimIndex] = {}


def _index(claims: pd.DataFrame) -> ClaimIndex:
    return _INDEXES.setdefault(id(claims), ClaimIndex(claims))
