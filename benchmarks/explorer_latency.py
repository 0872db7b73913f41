"""How long each explorer view takes to update on a large claims table.

Usage: ``python benchmarks/explorer_latency.py [--rows 1000000] [--repeat 7]``

Builds a synthetic claims table (papers with publication dates, benchmarks named with a
long-tailed popularity, metrics, sentences that name a method), then times, for each view:

* the claims view: each kind of filter change (a full update: mask, count, table, the three
  charts' data), a click on a column header (sort), a page turn;
* the leaderboard view: choosing the most claimed benchmark, and changing the metric;
* the trends view: drawing the trends of every claim, and of a filtered selection;
* the paper view: opening a paper.

Beside each, a naive peer computes the same with plain pandas on the whole table in the same
run: string filters for the claims view, :func:`claimkit.leaderboard.leaderboard` on the
whole table for the leaderboard, the :mod:`claimkit.trends` table functions for the trends.
Times are Python wall-clock medians in milliseconds (no browser). The target is every update
under 100 ms at 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from typing import Callable

import numpy as np
import pandas as pd

from claimkit import leaderboard as lb
from claimkit import trends
from claimkit.explore import ClaimIndex, Explorer, Query
from claimkit.table import KINDS, QUALIFIERS, claims_frame

UNITS = {"speedup": "x", "gain": "pt", "score": "%", "reduction": "%", "model_size": "params",
         "data_size": "tokens", "compute": "gpus"}
TARGET_MS = 100.0


def synthetic_claims(rows: int, seed: int = 0) -> pd.DataFrame:
    """A typed claims table of ``rows`` claims: ~10 per paper, 2,000 benchmarks (a few very
    popular: the most claimed holds about 2% of the claims), 300 metrics, dates over 20 months."""
    assert rows > 0
    rng = np.random.default_rng(seed)
    papers = max(rows // 10, 1)
    paper = rng.integers(0, papers, rows)
    paper.sort()  # claims come grouped by paper, as the extractor emits them
    topics = np.array(["retrieval", "vision", "speech", "agents", "reasoning", "diffusion", "graphs", "robotics"])
    titles = np.char.add(np.char.add("Scaling ", topics[np.arange(papers) % len(topics)]),
                         np.char.add(" with method ", np.arange(papers).astype(str)))
    days = pd.date_range("2024-05-01", "2025-12-31").strftime("%Y-%m-%d").to_numpy()
    published = days[rng.integers(0, len(days), papers)]
    kind = rng.choice(KINDS, rows)
    value = np.round(10 ** rng.uniform(0, 3, rows), 2)
    value[kind == "model_size"] *= 1e7
    benchmark_names = np.concatenate([[""], np.char.add("Bench-", np.arange(2000).astype(str))])
    # Long-tailed: Bench-0 is the most claimed (about 2% of all claims, as ImageNet is of the default corpus's 1%).
    popularity = (2000 * rng.random(rows) ** 2.5).astype(np.int64) + 1
    benchmark = benchmark_names[np.where(rng.random(rows) < 0.6, 0, popularity)]
    metric_names = np.concatenate([[""], np.char.add("metric ", np.arange(300).astype(str))])
    metric = metric_names[np.where(rng.random(rows) < 0.7, 0, rng.integers(1, 301, rows))]
    unit = pd.Series(kind).map(UNITS).to_numpy()
    text = np.char.add(value.astype(str), np.char.add(" ", unit.astype(str)))
    methods = np.char.add("Model", (paper % 97).astype(str))
    sentence = np.char.add(np.char.add(np.char.add(methods, " achieves "), text), np.char.add(" on ", benchmark))
    claims = claims_frame({
        "paper": np.char.add("p", paper.astype(str)).tolist(),
        "title": titles[paper].tolist(),
        "field": ["abstract"] * rows,
        "start": [0] * rows,
        "end": [1] * rows,
        "text": text.tolist(),
        "kind": kind.tolist(),
        "low": value.tolist(),
        "high": value.tolist(),
        "unit": unit.tolist(),
        "qualifier": rng.choice(QUALIFIERS, rows).tolist(),
        "metric": metric.tolist(),
        "benchmark": benchmark.tolist(),
        "baseline": ["the baseline"] * rows,
        "sentence": sentence.tolist(),
    })
    return claims.assign(published=published[paper])


def naive_filter(claims: pd.DataFrame, query: Query, page_size: int = 20) -> tuple[int, pd.DataFrame]:
    """The naive peer: filter with pandas string methods on every update, count with value_counts."""
    keep = pd.Series(True, index=claims.index)
    if query.kinds:
        keep &= claims["kind"].isin(query.kinds)
    if query.benchmark:
        keep &= claims["benchmark_key"].str.lower().str.contains(query.benchmark.lower(), regex=False)
    if query.metric:
        keep &= claims["metric"] == query.metric
    if query.search:
        keep &= (claims["paper"] + " " + claims["title"]).str.contains(query.search, case=False, regex=False)
    if query.min_value is not None:
        keep &= claims["high"] >= query.min_value
    matched = claims[keep]
    matched["benchmark_key"].value_counts().head(15)
    matched["kind"].value_counts()
    return len(matched), matched.head(page_size)


def median_ms(action: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None) -> float:
    """Median wall-clock milliseconds of ``action`` (``before`` runs untimed ahead of each)."""
    times = []
    for _ in range(repeat):
        before()
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def filter_scenarios(claims: pd.DataFrame) -> dict[str, tuple[Query, Callable[[Explorer], None]]]:
    """Filter changes to time: the query and the widget change that makes it."""
    top = claims["benchmark_key"][claims["benchmark_key"] != ""].value_counts().index[0]
    title_word = str(claims["title"].iloc[len(claims) // 2]).split()[-1]

    def setter(widget_name: str, value: object) -> Callable[[Explorer], None]:
        return lambda explorer: setattr(getattr(explorer.claims_view, widget_name), "value", value)

    return {
        "kind = speedup,gain": (Query(kinds=("speedup", "gain")), setter("kind_filter", ("speedup", "gain"))),
        f"benchmark = {top}": (Query(benchmark=top), setter("benchmark_filter", top)),
        "metric = metric 7": (Query(metric="metric 7"), setter("metric_filter", "metric 7")),
        f"paper search {title_word!r}": (Query(search=title_word), setter("search_filter", title_word)),
        "value >= 100": (Query(min_value=100.0), setter("min_filter", "100")),
    }


def row(name: str, matches: int | str, update_ms: float, peer_ms: float | None, first_ms: float | None) -> str:
    peer = f"{peer_ms:>10.1f}" if peer_ms is not None else f"{'':>10}"
    ratio = f"{peer_ms / max(update_ms, 1e-9):>9.0f}x" if peer_ms is not None else f"{'':>10}"
    first = f"{first_ms:>9.1f}" if first_ms is not None else f"{'':>9}"
    count = f"{matches:>10,}" if isinstance(matches, int) else f"{matches:>10}"
    return f"{name:<36}{count}{update_ms:>11.1f}{peer}{ratio}{first}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    begin = time.perf_counter()
    claims = synthetic_claims(args.rows)
    print(f"synthetic table: {len(claims):,} claims, {claims['paper'].nunique():,} papers, "
          f"{claims['benchmark'].nunique():,} benchmarks ({time.perf_counter() - begin:.1f} s to build)")
    begin = time.perf_counter()
    ClaimIndex(claims)
    print(f"ClaimIndex (one-off precompute): {(time.perf_counter() - begin) * 1000:,.0f} ms")
    begin = time.perf_counter()
    explorer = Explorer(claims)
    print(f"Explorer(claims) (index, widgets, first charts): {(time.perf_counter() - begin) * 1000:,.0f} ms")
    view = explorer.claims_view
    print()
    print("update: the view's whole refresh after the change (Python side: data, HTML, chart specs);")
    print("peer: the same result computed with plain pandas on the whole table; first: the first time")
    print("(a chart shape compiled, a view built).")
    print()
    print(f"{'view: change':<36}{'rows':>10}{'update ms':>11}{'peer ms':>10}{'peer/upd':>10}{'first ms':>9}")
    slowest: list[tuple[float, str]] = []

    def report(name: str, matches: int | str, update_ms: float, peer_ms: float | None = None,
               first_ms: float | None = None) -> None:
        slowest.append((update_ms, name))
        print(row(name, matches, update_ms, peer_ms, first_ms))

    for name, (query, change) in filter_scenarios(claims).items():
        view.reset()
        first_ms = median_ms(lambda: change(explorer), 1)
        update_ms = median_ms(lambda: change(explorer), args.repeat, before=view.reset)
        peer_ms = median_ms(lambda: naive_filter(claims, query), max(args.repeat // 2, 1))
        report(f"claims: {name}", view.matches, update_ms, peer_ms, first_ms)
    view.reset()
    sort_ms = median_ms(lambda: view.sort_by("high"), args.repeat)
    peer_ms = median_ms(lambda: claims.sort_values("high", kind="stable").head(20), max(args.repeat // 2, 1))
    report("claims: sort by value (header click)", view.matches, sort_ms, peer_ms)
    view.sort = None
    view.update()
    page_ms = median_ms(lambda: view.next_button.click(), args.repeat, before=lambda: view.go_to_page(1))
    report("claims: next page", view.page_size, page_ms)

    top = claims["benchmark_key"][claims["benchmark_key"] != ""].value_counts().index[0]
    begin = time.perf_counter()
    board_view = explorer.show_leaderboard()
    first_ms = (time.perf_counter() - begin) * 1000
    second = claims["benchmark_key"][claims["benchmark_key"] != ""].value_counts().index[1]
    choose_ms = median_ms(lambda: board_view.choose(top), args.repeat, before=lambda: board_view.choose(second))
    peer_ms = median_ms(lambda: lb.leaderboard(claims, top), max(args.repeat // 2, 1))
    report(f"leaderboard: choose {top}", len(board_view.board), choose_ms, peer_ms, first_ms)
    metric = board_view.metric_picker.options[-1]
    metric_ms = median_ms(lambda: setattr(board_view.metric_picker, "value", metric), args.repeat,
                          before=lambda: setattr(board_view.metric_picker, "value", "any"))
    report(f"leaderboard: metric = {metric}", len(board_view.board), metric_ms)

    begin = time.perf_counter()
    trends_view = explorer.show_trends()
    first_ms = (time.perf_counter() - begin) * 1000
    everything = np.arange(len(claims))
    all_ms = median_ms(lambda: trends_view.show(everything), args.repeat)
    peer_ms = median_ms(lambda: (trends.claims_per_month(claims), trends.values_over_time(claims),
                                 trends.benchmarks_per_quarter(claims)), 1)
    report("trends: every claim", len(claims), all_ms, peer_ms, first_ms)
    view.kind_filter.value = ("speedup", "model_size")  # the trends follow the filters (tab open)
    rows = view.rows
    chosen = claims.iloc[rows]
    some_ms = median_ms(lambda: trends_view.show(rows), args.repeat)
    peer_ms = median_ms(lambda: (trends.claims_per_month(chosen), trends.values_over_time(chosen),
                                 trends.benchmarks_per_quarter(chosen)), 1)
    report("trends: kind = speedup,model_size", len(rows), some_ms, peer_ms)

    paper = str(claims["paper"].iloc[len(claims) // 2])
    begin = time.perf_counter()
    explorer.show_paper(paper)
    first_ms = (time.perf_counter() - begin) * 1000
    paper_ms = median_ms(lambda: explorer.show_paper(paper), args.repeat)
    peer_ms = median_ms(lambda: claims[claims["paper"] == paper], max(args.repeat // 2, 1))
    report(f"paper: open {paper}", len(explorer.paper_view.claims), paper_ms, peer_ms, first_ms)

    worst_ms, worst = max(slowest)
    print()
    verdict = "met" if worst_ms < TARGET_MS else "NOT met"
    print(f"slowest update: {worst_ms:.1f} ms ({worst}); target < {TARGET_MS:.0f} ms at 1,000,000 rows: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
