"""The explorer's claims view without a browser: filters, count, table, chart data and clicks.

Setting a widget's ``value`` fires its observers synchronously in plain pytest, so these tests
drive the panel exactly as a person's clicks would, and read the traits the browser is sent.
A click on an element of the table is what :meth:`HtmlView.click` sends.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimkit import corpus, extract_claims, read_papers
from claimkit.errors import InputError
from claimkit.explore import (
    INPUTS_ENV, ChoiceChips, ClaimIndex, ClaimsView, Explorer, Query, parse_bound, read_inputs, spread,
)
from claimkit.explore.render import claims_table_html, highlight
from claimkit.names import normalized_name
from claimkit.readers import filter_papers, with_paper_metadata
from claimkit.table import KINDS, QUALIFIERS, claims_frame, empty_claims


@pytest.fixture
def explorer(seed_claims) -> ClaimsView:
    """The claims view of an explorer on the seed gold claims."""
    return Explorer(seed_claims).claims_view


def top_benchmark(claims: pd.DataFrame) -> str:
    return claims.loc[claims["benchmark_key"] != "", "benchmark_key"].value_counts().index[0]


def count_shown(explorer: ClaimsView) -> int:
    return int(re.search(r"<b>([\d,]+)</b>", explorer.count.value).group(1).replace(",", ""))


def click(explorer: ClaimsView, chart: str, field: str, value: str) -> None:
    """What the browser sends when a mark is clicked: the Vega selection signal of that chart."""
    view = explorer.charts[chart]
    view.widget._vl_selections = {view.selection: {"value": {"vlPoint": {"or": [{field: value}]}}, "store": []}}


def benchmark_matches(claims: pd.DataFrame, typed: str) -> pd.Series:
    """Plain pandas: the rows whose benchmark key, or a name written for that key, contains what
    was typed, in any spelling (normalized) or lower-cased."""
    wanted = normalized_name(typed) or typed.strip().casefold()
    names = lambda column: claims[column].map(lambda name: (normalized_name(name), name.casefold()))
    hit = pd.concat([names("benchmark_key"), names("benchmark")], axis=1).apply(
        lambda row: any(wanted in form for forms in row for form in forms), axis=1)
    keys = set(claims.loc[hit, "benchmark_key"])
    return claims["benchmark_key"].isin(keys) & (claims["benchmark_key"] != "")


def reference_mask(claims: pd.DataFrame, query: Query) -> pd.Series:
    """The filter semantics spelled out in plain pandas, to check the vectorized one against."""
    keep = pd.Series(True, index=claims.index)
    if query.kinds:
        keep &= claims["kind"].astype("str").isin(query.kinds)
    if query.qualifier != "any":
        keep &= claims["qualifier"].astype("str") == query.qualifier
    if query.benchmark.strip():
        keep &= benchmark_matches(claims, query.benchmark)
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
    assert len(table_rows(explorer)) == explorer.page_size
    assert explorer.charts["kinds"].rows.set_index("kind")["claims"].to_dict() == \
        seed_claims["kind"].astype("str").value_counts().to_dict()
    shown = explorer.charts["values"].rows  # each kind's most claimed units, on their own axes
    assert 0 < len(shown) <= min(len(seed_claims), explorer.max_points)
    assert set(shown["strip"]) == {f"{k} ({u})" if u else k for k, u in zip(shown["kind"], shown["unit"])}


def test_benchmark_filter_changes_count_table_and_chart_data_together(explorer, seed_claims):
    benchmark = top_benchmark(seed_claims)
    expected = seed_claims[benchmark_matches(seed_claims, benchmark)]
    explorer.benchmark_filter.value = benchmark
    assert explorer.matches == len(expected) == count_shown(explorer) < len(seed_claims)
    assert len(table_rows(explorer)) == min(len(expected), explorer.page_size)
    for sentence in expected["sentence"].head(explorer.page_size):
        assert html.escape(sentence.split()[0]) in explorer.table.value
    assert benchmark in list(explorer.charts["benchmarks"].rows["benchmark"])
    assert set(explorer.charts["values"].rows["text"]) <= set(expected["text"])
    assert list(explorer.filtered["text"]) == list(expected["text"])


@pytest.mark.parametrize("typed", ["AIME", "aime", "AIME-2024", "aime 24", "ImageNet", "imagenet-1k", "IMAGENET 1K",
                                   "swe-bench", "SWE-bench Verified"])
def test_benchmark_search_matches_every_spelling_and_part_of_a_name(typed):
    """Typing "AIME" finds AIME 2024 and AIME 2025; "ImageNet" finds ImageNet-1k (keyed ImageNet)."""
    written = ["AIME24", "AIME 2025", "AIME-2024", "ImageNet-1k", "ImageNet-1K", "ImageNet", "Tiny-ImageNet",
               "SWE-bench Verified", "SWE-bench Lite", "GSM8K"]
    claims = claims_frame({"paper": [f"p{i}" for i in range(len(written))], "title": ["t"] * len(written),
                           "field": ["abstract"] * len(written), "start": [0] * len(written),
                           "end": [1] * len(written), "text": ["1%"] * len(written), "kind": ["score"] * len(written),
                           "low": [1.0] * len(written), "high": [1.0] * len(written), "unit": ["%"] * len(written),
                           "qualifier": [""] * len(written), "metric": [""] * len(written), "benchmark": written,
                           "baseline": [""] * len(written), "sentence": ["s"] * len(written)})
    view = Explorer(claims).claims_view
    view.benchmark_filter.value = typed
    expected = benchmark_matches(claims, typed)
    assert view.matches == expected.sum() > 0
    assert list(view.filtered["benchmark"]) == list(claims.loc[expected, "benchmark"])
    if typed.lower().startswith("aime"):
        assert {"AIME 2024"} <= set(view.filtered["benchmark_key"])
    if typed == "AIME":
        assert set(view.filtered["benchmark_key"]) == {"AIME 2024", "AIME 2025"}
    if typed.lower().startswith("imagenet"):
        assert {"ImageNet-1k", "ImageNet-1K", "ImageNet"} <= set(view.filtered["benchmark"])


def test_kind_chips_keep_claims_of_any_chosen_kind_without_ctrl_click(explorer, seed_claims):
    chips = {toggle.tooltip: toggle for toggle in explorer.kind_filter.toggles}
    chips["speedup"].value = True  # one click each: a chip adds its kind
    chips["model_size"].value = True
    assert explorer.kind_filter.value == ("speedup", "model_size")
    assert explorer.matches == seed_claims["kind"].isin(["speedup", "model_size"]).sum()
    assert set(explorer.charts["values"].rows["kind"]) == {"speedup", "model_size"}
    chips["speedup"].value = False
    assert explorer.matches == (seed_claims["kind"] == "model_size").sum()
    explorer.kind_filter.value = ("gain",)
    assert [t.tooltip for t in explorer.kind_filter.toggles if t.value] == ["gain"]


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
    assert explorer.matches == benchmark_matches(seed_claims, benchmark).sum()


def test_clicking_a_kind_bar_filters_on_kind_and_a_dot_or_a_title_opens_the_paper(seed_claims):
    whole = Explorer(seed_claims)
    explorer = whole.claims_view
    click(explorer, "kinds", "kind", "speedup")
    assert explorer.kind_filter.value == ("speedup",)
    assert explorer.matches == (seed_claims["kind"] == "speedup").sum()
    paper = explorer.charts["values"].rows["paper"].iloc[0]
    click(explorer, "values", "paper", paper)
    assert whole.tabs.selected_index == 3 and whole.paper_view.paper == paper
    assert len(whole.paper_view.claims) == (seed_claims["paper"] == paper).sum()
    whole.tabs.selected_index = 0
    other = explorer.filtered["paper"].iloc[-1]
    explorer.table.click("paper", other)
    assert whole.tabs.selected_index == 3 and whole.paper_view.paper == other
    assert explorer.kind_filter.value == ("speedup",)  # opening a paper leaves the filters alone


def test_an_emptied_selection_leaves_the_filters_alone(explorer, seed_claims):
    click(explorer, "kinds", "kind", "gain")
    view = explorer.charts["kinds"]
    view.widget._vl_selections = {view.selection: {"value": None, "store": []}}  # browser re-embedded the chart
    assert explorer.kind_filter.value == ("gain",)


def test_a_big_table_sends_the_browser_a_bounded_sample_and_says_so(seed_claims):
    big = pd.concat([seed_claims] * 60, ignore_index=True)  # > 5,000 rows
    explorer = Explorer(big, max_points=500).claims_view
    assert explorer.matches == len(big)
    assert 0 < len(explorer.charts["values"].rows) <= 500
    assert "500 evenly spaced" in explorer.count.value
    assert explorer.charts["kinds"].rows["claims"].sum() == len(big)  # counts cover every row
    explorer.kind_filter.value = ("compute",)
    compute = big[big["kind"] == "compute"]
    top_units = compute["unit"].astype("str").value_counts().head(3).index
    assert len(explorer.charts["values"].rows) == compute["unit"].isin(top_units).sum()
    assert explorer.matches == len(compute)
    assert "evenly spaced" not in explorer.count.value


# -- paging through the table --------------------------------------------------------------

def assert_page(explorer: ClaimsView, matching: pd.DataFrame, first: int, last: int) -> None:
    """The table shows exactly ``matching.iloc[first - 1:last]``, and the indicator says so."""
    expected = matching.iloc[first - 1:last]
    rows = table_rows(explorer)
    assert [row[0] for row in rows] == list(expected["title"])
    assert [row[1] for row in rows] == expected["kind"].astype("str").tolist()
    assert [full_sentence(row[-1]) for row in rows] == [highlight(s, t) for s, t in zip(expected["sentence"],
                                                                                      expected["text"])]
    assert explorer.page_indicator.value == f"rows {first:,}–{last:,} of {len(matching):,}"


def test_next_and_prev_page_through_every_matching_claim(explorer, seed_claims):
    explorer.kind_filter.value = ("model_size", "gain", "score")
    matching = seed_claims[seed_claims["kind"].isin(["model_size", "gain", "score"])]
    size, total = explorer.page_size, len(matching)
    assert size == 20 and total > 2 * size and total % size  # a short last page
    assert explorer.page == 1 and explorer.pages == -(-total // size)
    assert_page(explorer, matching, 1, size)
    assert explorer.prev_button.disabled and not explorer.next_button.disabled
    assert "claimkit-next" in explorer.next_button._dom_classes
    assert "claimkit-prev" in explorer.prev_button._dom_classes
    assert "claimkit-page" in explorer.page_indicator._dom_classes
    assert "claimkit-page-size" in explorer.page_size_picker._dom_classes

    explorer.next_button.click()
    assert explorer.page == 2
    assert_page(explorer, matching, size + 1, 2 * size)
    assert not explorer.prev_button.disabled and not explorer.next_button.disabled

    seen = []
    explorer.go_to_page(1)
    while True:
        seen += table_rows(explorer)
        if explorer.next_button.disabled:
            break
        explorer.next_button.click()
    assert explorer.page == explorer.pages
    last_first = (explorer.pages - 1) * size + 1
    assert_page(explorer, matching, last_first, total)
    assert not explorer.prev_button.disabled
    assert [row[0] for row in seen] == list(matching["title"])  # each once, in order

    explorer.next_button.click()  # a click on a disabled button (as the kernel sees it) stays put
    assert explorer.page == explorer.pages
    explorer.prev_button.click()
    assert_page(explorer, matching, last_first - size, last_first - 1)
    assert explorer.matches == total == count_shown(explorer)  # paging leaves the count and filters alone


def test_rows_per_page_dropdown_keeps_the_top_row_in_view(explorer, seed_claims):
    assert [value for _, value in explorer.page_size_picker.options] == [20, 50, 100]
    explorer.next_button.click()
    explorer.next_button.click()  # rows 41-60
    explorer.page_size_picker.value = 50
    assert explorer.page_size == 50 and explorer.page == 1
    assert_page(explorer, seed_claims, 1, 50)
    explorer.next_button.click()
    explorer.next_button.click()  # rows 101-150
    explorer.page_size_picker.value = 100
    assert explorer.page == 2
    assert_page(explorer, seed_claims, 101, min(200, len(seed_claims)))
    explorer.page_size_picker.value = 20
    assert explorer.page == 6
    assert_page(explorer, seed_claims, 101, 120)
    explorer.page_size_picker.value = 100
    explorer.next_button.click()
    assert explorer.page == explorer.pages == -(-len(seed_claims) // 100) and explorer.next_button.disabled
    assert_page(explorer, seed_claims, 201, len(seed_claims))


def test_a_filter_change_goes_back_to_page_one(explorer, seed_claims):
    explorer.next_button.click()
    explorer.next_button.click()
    assert explorer.page == 3
    explorer.kind_filter.value = ("model_size", "gain")
    matching = seed_claims[seed_claims["kind"].isin(["model_size", "gain"])]
    assert explorer.page == 1 and explorer.prev_button.disabled
    assert_page(explorer, matching, 1, explorer.page_size)
    explorer.next_button.click()
    explorer.min_filter.value = "1"
    matching = matching[matching["high"] >= 1]
    assert explorer.page == 1
    assert_page(explorer, matching, 1, min(explorer.page_size, len(matching)))
    explorer.next_button.click()
    click(explorer, "kinds", "kind", "speedup")  # a chart click is a filter change too
    matching = seed_claims[(seed_claims["kind"] == "speedup") & (seed_claims["high"] >= 1)]
    assert explorer.page == 1
    assert_page(explorer, matching, 1, min(explorer.page_size, len(matching)))
    explorer.reset_button.click()
    assert explorer.page == 1
    assert_page(explorer, seed_claims, 1, explorer.page_size)


def test_one_page_or_none_disables_both_buttons(explorer, seed_claims):
    benchmark = top_benchmark(seed_claims)
    explorer.benchmark_filter.value = benchmark
    matching = seed_claims[benchmark_matches(seed_claims, benchmark)]
    assert 0 < len(matching) <= explorer.page_size
    assert explorer.prev_button.disabled and explorer.next_button.disabled and explorer.pages == 1
    assert_page(explorer, matching, 1, len(matching))
    explorer.search_filter.value = "zzz-no-such-title"
    assert explorer.matches == 0 and explorer.pages == 1 and explorer.page_indicator.value == "no claims"
    assert explorer.prev_button.disabled and explorer.next_button.disabled
    assert table_rows(explorer) == []
    assert Explorer(empty_claims()).claims_view.page_indicator.value == "no claims"


def test_paging_a_million_claims_renders_only_the_page(seed_claims):
    big = pd.concat([seed_claims] * 4800, ignore_index=True)  # 1,017,600 claims
    explorer = Explorer(big, page_size=100).claims_view
    assert explorer.pages == -(-len(big) // 100)
    explorer.go_to_page(explorer.pages - 1)
    first = (explorer.pages - 2) * 100 + 1
    assert_page(explorer, big, first, first + 99)
    assert explorer.page_indicator.value == f"rows {first:,}–{first + 99:,} of {len(big):,}"
    assert len(explorer.table.value) < 200_000  # one page of HTML, not a million rows
    explorer.next_button.click()
    assert explorer.next_button.disabled and len(table_rows(explorer)) == len(big) - (explorer.pages - 1) * 100
    explorer.kind_filter.value = ("speedup",)
    matching = big[big["kind"] == "speedup"]
    assert explorer.page == 1
    assert_page(explorer, matching, 1, 100)


def test_an_empty_claims_table_gives_a_working_empty_explorer():
    whole = Explorer(empty_claims())
    explorer = whole.claims_view
    assert explorer.matches == 0 == count_shown(explorer)
    assert whole.show_leaderboard().board.empty and whole.show_trends().tables["months"].empty
    explorer.kind_filter.value = ()
    explorer.search_filter.value = "anything"
    assert explorer.matches == 0 and explorer.charts["values"].rows.empty


def test_read_inputs_takes_paths_then_the_environment_then_the_embedded_corpus(monkeypatch, tmp_path):
    source, other = tmp_path / "few.jsonl", tmp_path / "other.jsonl"
    read_papers(corpus.SEED_PAPERS).head(3).to_json(source, orient="records", lines=True)
    read_papers(corpus.SEED_PAPERS).iloc[3:6].to_json(other, orient="records", lines=True)
    monkeypatch.delenv(INPUTS_ENV, raising=False)
    assert len(read_inputs()) == len(read_papers(corpus.DEFAULT_CORPUS)) == 5841
    monkeypatch.setenv(INPUTS_ENV, json.dumps([str(source), str(other)]))
    assert len(read_inputs()) == 6
    monkeypatch.setenv(INPUTS_ENV, json.dumps([str(source), str(source)]))  # the same papers twice (issue 12)
    with pytest.raises(InputError, match=r"few.jsonl:1: paper id 'p001' again \(first at .*few.jsonl:1\)"):
        read_inputs()
    assert len(read_inputs([str(corpus.SEED_PAPERS)])) == len(read_papers(corpus.SEED_PAPERS))


def test_everything_in_the_table_is_html_escaped(seed_claims):
    row = seed_claims.iloc[[0]].copy()
    row["title"] = "<script>alert(1)</script> & co"
    row["text"] = "<b>2x</b>"
    row["sentence"] = "We get <b>2x</b> faster & <i>better</i>."
    row["paper"] = '"><img src=x onerror=alert(1)>'
    table = claims_table_html(row)
    assert "<script>" not in table and "<b>" not in table and "<i>" not in table and "<img" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in table
    assert "<mark>&lt;b&gt;2x&lt;/b&gt;</mark>" in table


def test_highlight_marks_the_claim_inside_its_sentence():
    assert highlight("a 2x b 2x", "2x") == "a <mark>2x</mark> b 2x"
    assert highlight("no claim here", "7x") == "no claim here"
    assert highlight("x < y", "") == "x &lt; y"


@pytest.mark.parametrize("typed, bound", [
    (" 1e9 ", 1e9), ("1,000", 1000.0), ("6B", 6e9), ("1.2m", 1.2e6), ("161K", 161_000.0), ("2", 2.0),
    ("", None), ("lots", None), ("B", None),
])
def test_value_bounds_accept_what_people_type(typed, bound):
    assert parse_bound(typed) == bound


def test_spread_keeps_at_most_the_requested_rows_evenly():
    rows = np.arange(10_000)
    picked = spread(rows, 100)
    assert len(picked) == 100 and picked[0] == 0 and picked[-1] == 9_999
    assert list(spread(rows[:5], 100)) == [0, 1, 2, 3, 4]


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), max_size=3, unique=True),
    qualifier=st.sampled_from(("any",) + QUALIFIERS),
    benchmark=st.sampled_from(["", "glue", "GLUE", "bench", "MATH", "zz", "-", "image net", "SQuAD-2.0"]),
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


# -- category and date filters on a corpus read from the arXiv snapshot format ----------------

# id, categories, date of v1 (None: the line has no versions), update_date, title, abstract
SNAPSHOT = [
    ("2401.00001", "cs.LG cs.CL", "Mon, 15 Jan 2024 10:00:00 GMT", "2024-02-01", "Fast attention kernels",
     "Our kernel achieves a 2.5x speedup over FlashAttention on A100 GPUs."),
    ("2402.00002", "cs.CL", "Thu, 1 Feb 2024 09:00:00 GMT", "2024-02-20", "Better encoders",
     "The model outperforms BERT by 3.1% on GLUE and reaches 91.2% accuracy on SST-2."),
    ("2403.00003", "stat.ML cs.LG", "Sun, 10 Mar 2024 12:00:00 GMT", "2024-05-01", "Scaling laws again",
     "We train a 7B parameter model on 2T tokens, which reduces memory by 40%."),
    ("2311.00004", "math.OC", "Mon, 20 Nov 2023 12:00:00 GMT", "2023-12-01", "A faster solver",
     "Our solver achieves a 4x speedup and outperforms Adam by 1.2% on ImageNet."),
    ("2406.00005", "cs.CV", None, "2024-06-30", "Vision at speed",
     "We outperform ViT by 2.0% on ImageNet with a 3x speedup."),
]


def write_snapshot(path: Path) -> Path:
    """:data:`SNAPSHOT` as lines of the arXiv OAI metadata snapshot (Kaggle's JSON lines)."""
    with path.open("w", encoding="utf-8") as out:
        for arxiv_id, categories, created, updated, title, abstract in SNAPSHOT:
            line = {"id": arxiv_id, "submitter": "A. Author", "authors": "A. Author, B. Author", "title": title,
                    "comments": None, "journal-ref": None, "doi": None, "categories": categories,
                    "abstract": abstract, "update_date": updated,
                    "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""]]}
            if created:
                line["versions"] = [{"version": "v1", "created": created}]
            out.write(json.dumps(line) + "\n")
    return path


@pytest.fixture
def snapshot_claims(tmp_path) -> pd.DataFrame:
    papers = read_papers(write_snapshot(tmp_path / "arxiv-metadata-oai-snapshot.json"))
    return with_paper_metadata(extract_claims(papers), papers)


@pytest.fixture
def snapshot_explorer(snapshot_claims) -> ClaimsView:
    return Explorer(snapshot_claims).claims_view


def in_categories(claims: pd.DataFrame, wanted: tuple[str, ...]) -> pd.Series:
    """Plain pandas: the paper lists a wanted category, or a category of a wanted archive."""
    return claims["categories"].str.split().map(
        lambda have: any(c == w or c.startswith(w + ".") for c in have for w in wanted))


def table_rows(explorer: ClaimsView) -> list[tuple[str, ...]]:
    """The body rows of the claims table: the paper's title (as text), then the other cells' HTML."""
    body = explorer.table.value.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r'<tr data-row="\d+">(.*?)</tr>', body):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        title = re.search(r'data-claimkit="paper" data-value="[^"]*" title="([^"]*)"', cells[0]).group(1)
        rows.append((html.unescape(title), *cells[1:]))
    return rows


def full_sentence(cell: str) -> str:
    """The whole highlighted sentence a compact claim cell shows on expand."""
    return re.search(r"</summary>(.*)</details>", cell).group(1)


def assert_shows_exactly(explorer: ClaimsView, expected: pd.DataFrame) -> None:
    """Count, filtered rows, table and charts all agree with ``expected`` (a slice of the claims)."""
    assert explorer.matches == len(expected) == count_shown(explorer)
    assert explorer.filtered.index.tolist() == expected.index.tolist()
    shown = expected.head(explorer.page_size)
    assert [row[:3] for row in table_rows(explorer)] == [
        (t, p, html.escape(c)) for t, p, c in zip(shown["title"], shown["published"], shown["categories"])]
    kinds = explorer.charts["kinds"].rows
    assert dict(zip(kinds.get("kind", []), kinds.get("claims", []))) == \
        expected["kind"].astype("str").value_counts().to_dict()
    assert sorted(explorer.charts["values"].rows.get("text", [])) == sorted(expected["text"])


def test_snapshot_claims_carry_their_papers_categories_and_first_version_dates(snapshot_claims):
    by_paper = {arxiv_id: (categories, created, updated) for arxiv_id, categories, created, updated, *_ in SNAPSHOT}
    assert snapshot_claims["paper"].nunique() == len(SNAPSHOT)  # every abstract has claims to filter
    for row in snapshot_claims.itertuples():
        categories, created, updated = by_paper[row.paper]
        assert row.categories == categories
        assert row.published == (pd.Timestamp(created).strftime("%Y-%m-%d") if created else updated)


def test_category_filter_lists_the_categories_present_and_their_archives(snapshot_explorer, snapshot_claims):
    single = sorted({c for text in snapshot_claims["categories"] for c in text.split()})
    archives = pd.Series([c.split(".")[0] for c in single if "." in c]).value_counts()
    expected = sorted(single + archives[archives > 1].index.tolist())
    options = snapshot_explorer.category_filter.options
    assert [value for _, value in options] == expected
    for label, value in options:
        assert label.startswith(value) and label.endswith(f"({in_categories(snapshot_claims, (value,)).sum():,})")
    assert snapshot_explorer.since_filter.value is None and snapshot_explorer.until_filter.value is None
    assert snapshot_explorer.matches == len(snapshot_claims)


@pytest.mark.parametrize("wanted", [("cs",), ("cs.LG",), ("cs.CL",), ("stat.ML", "math.OC"), ("cs.CV", "math.OC")])
def test_category_filter_keeps_claims_of_papers_in_a_chosen_category_or_archive(snapshot_explorer, snapshot_claims,
                                                                                 wanted):
    expected = snapshot_claims[in_categories(snapshot_claims, wanted)]
    assert 0 < len(expected) < len(snapshot_claims)
    snapshot_explorer.category_filter.value = wanted
    assert_shows_exactly(snapshot_explorer, expected)
    # the same rule as the readers' filter
    assert expected.index.tolist() == filter_papers(snapshot_claims, categories=wanted).index.tolist()


@pytest.mark.parametrize("since, until", [
    (dt.date(2024, 2, 1), None),
    (None, dt.date(2024, 1, 15)),  # inclusive: the paper of 2024-01-15 stays
    (dt.date(2024, 1, 15), dt.date(2024, 3, 10)),
    (dt.date(2024, 3, 11), dt.date(2024, 6, 29)),  # nothing in between
])
def test_date_range_keeps_claims_of_papers_published_in_it(snapshot_explorer, snapshot_claims, since, until):
    published = pd.to_datetime(snapshot_claims["published"]).dt.date
    keep = pd.Series(True, index=snapshot_claims.index)
    if since:
        keep &= published >= since
    if until:
        keep &= published <= until
    expected = snapshot_claims[keep]
    assert len(expected) < len(snapshot_claims)
    snapshot_explorer.since_filter.value = since
    snapshot_explorer.until_filter.value = until
    assert_shows_exactly(snapshot_explorer, expected)


def test_category_and_dates_combine_with_the_other_filters_and_reset_clears_them(snapshot_explorer, snapshot_claims):
    claims = snapshot_claims
    snapshot_explorer.category_filter.value = ("cs",)
    snapshot_explorer.since_filter.value = dt.date(2024, 2, 1)
    snapshot_explorer.kind_filter.value = ("speedup", "gain")
    expected = claims[in_categories(claims, ("cs",)) & (claims["published"] >= "2024-02-01")
                      & claims["kind"].isin(["speedup", "gain"])]
    assert 0 < len(expected) < len(claims)
    assert_shows_exactly(snapshot_explorer, expected)
    snapshot_explorer.reset_button.click()
    assert snapshot_explorer.query() == Query()
    assert snapshot_explorer.category_filter.value == () and snapshot_explorer.since_filter.value is None
    assert_shows_exactly(snapshot_explorer, claims)


def all_widgets(widget) -> list:
    children = getattr(widget, "children", ())
    return [widget] + [w for child in children for w in all_widgets(child)]


def test_the_category_and_date_filters_are_shown_only_when_the_table_has_the_columns(snapshot_explorer, seed_claims):
    shown = all_widgets(snapshot_explorer)
    assert snapshot_explorer.category_filter in shown
    assert snapshot_explorer.since_filter in shown and snapshot_explorer.until_filter in shown
    papers = read_papers(corpus.DEFAULT_PAGE)  # the embedded corpus: no metadata
    plain = extract_claims(papers)
    assert with_paper_metadata(plain, papers).columns.tolist() == plain.columns.tolist()
    explorer = Explorer(seed_claims).claims_view
    assert explorer.category_filter is explorer.since_filter is explorer.until_filter is None
    assert not any(isinstance(w, widgets.DatePicker) or (isinstance(w, ChoiceChips) and w is not explorer.kind_filter)
                   for w in all_widgets(explorer))
    assert ">published" not in explorer.table.value and ">categories" not in explorer.table.value


def test_only_dates_or_only_categories_give_only_their_filter(snapshot_claims):
    dates_only = Explorer(snapshot_claims.drop(columns="categories")).claims_view
    assert dates_only.category_filter is None and dates_only.since_filter is not None
    dates_only.until_filter.value = dt.date(2024, 1, 31)
    assert dates_only.matches == (snapshot_claims["published"] <= "2024-01-31").sum()
    categories_only = Explorer(snapshot_claims.drop(columns="published")).claims_view
    assert categories_only.since_filter is None and categories_only.category_filter is not None
    categories_only.category_filter.value = ("math.OC",)
    assert categories_only.matches == (snapshot_claims["categories"] == "math.OC").sum()
    # as filter_papers: a filter on a column the table lacks keeps nothing
    assert not dates_only.index.mask(Query(categories=("cs",))).any()
    assert not categories_only.index.mask(Query(since="2000-01-01")).any()


_CATEGORIES = ["cs.LG cs.CL", "stat.ML cs.LG", "cs.CL", "math.OC", "hep-th", "cs", "", None, float("nan"),
               ["cs.CV", "eess.IV"]]
_DATES = ["2024-01-15", "2024-11-30", "2024-11", "2024", "2023-12-31", "", None, float("nan")]


def with_metadata(claims: pd.DataFrame, category_choices: list[int], date_choices: list[int]) -> pd.DataFrame:
    """``claims`` with each paper given categories and a date from the pools (cycling through the choices)."""
    claims = claims.copy()
    papers = claims["paper"].unique()
    pick = lambda values, chosen, i: values[chosen[i % len(chosen)]]
    claims["categories"] = claims["paper"].map(
        {p: pick(_CATEGORIES, category_choices, i) for i, p in enumerate(papers)}).astype(object)
    claims["published"] = claims["paper"].map({p: pick(_DATES, date_choices, i) for i, p in enumerate(papers)})
    return claims


@pytest.mark.parametrize("query, kept_categories, kept_dates", [
    (Query(categories=("c",)), set(), None),  # not an archive of cs.LG
    (Query(categories=("cs.C",)), set(), None),  # not a prefix of cs.CL
    (Query(categories=("cs",)), {"cs.LG cs.CL", "stat.ML cs.LG", "cs.CL", "cs", "cs.CV eess.IV"}, None),
    (Query(categories=("eess",)), {"cs.CV eess.IV"}, None),  # a list of categories
    (Query(since="2024-11-15"), None, {"2024-11-30", "2024-11", "2024"}),  # partial dates: at their precision
    (Query(until="2024-01-15"), None, {"2024-01-15", "2023-12-31", "2024"}),
    (Query(categories=("hep-th",), since="2023-12"), {"hep-th"}, None),
])
def test_category_and_date_edge_cases_as_the_readers_filter(seed_claims, query, kept_categories, kept_dates):
    claims = with_metadata(seed_claims, list(range(len(_CATEGORIES))), list(range(len(_DATES))))
    kept = claims[ClaimIndex(claims).mask(query)]
    expected = filter_papers(claims, categories=query.categories, since=query.since or None,
                             until=query.until or None)
    assert kept.index.tolist() == expected.index.tolist()
    shown = lambda value: " ".join(value) if isinstance(value, list) else value
    if kept_categories is not None:
        assert {shown(value) for value in kept["categories"]} == kept_categories
    if query.since:
        at_precision = lambda date: date[:len(query.since)] >= query.since[:len(date)]
        assert kept["published"].map(lambda date: isinstance(date, str) and date != "" and at_precision(date)).all()
    if kept_dates is not None:
        assert set(kept["published"]) == kept_dates


@settings(max_examples=60, deadline=None)
@given(
    papers_categories=st.lists(st.sampled_from(range(len(_CATEGORIES))), min_size=1, max_size=12),
    papers_dates=st.lists(st.sampled_from(range(len(_DATES))), min_size=1, max_size=12),
    wanted=st.lists(st.sampled_from(["cs", "cs.LG", "c", "stat", "math.OC", "hep-th", "eess.IV"]),
                    max_size=2, unique=True),
    since=st.sampled_from(["", "2024", "2024-01-16", "2024-11-15", "2023-12"]),
    until=st.sampled_from(["", "2024-11-15", "2024-01-15", "2024-02"]),
)
def test_vectorized_category_and_date_mask_matches_the_readers_filter(seed_claims, papers_categories, papers_dates,
                                                                     wanted, since, until):
    """Partial dates, missing metadata and category lists: ClaimIndex agrees with filter_papers."""
    claims = with_metadata(seed_claims, papers_categories, papers_dates)
    query = Query(categories=tuple(wanted), since=since, until=until)
    expected = filter_papers(claims, categories=wanted, since=since or None, until=until or None)
    assert np.flatnonzero(ClaimIndex(claims).mask(query)).tolist() == expected.index.tolist()
