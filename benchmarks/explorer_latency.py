"""How long one filter update of the explorer takes on a large claims table.

Usage: ``python benchmarks/explorer_latency.py [--rows 1000000] [--repeat 7]``

Builds a synthetic claims table (distinct papers, benchmarks and metrics in realistic
proportions), then times, for each kind of filter change:

* ``mask``: :meth:`claimkit.explore.ClaimIndex.mask` alone (the vectorized filter);
* ``update``: a full :class:`claimkit.explore.Explorer` update triggered by setting a widget
  value (mask, count, table HTML, the three charts' data), after the chart shapes are cached;
* ``naive``: a naive peer that filters with pandas on every update (``.str.lower()``,
  ``.str.contains``, ``.isin``) and counts with ``value_counts``.

Times are Python wall-clock medians in milliseconds; no browser is involved. The target is an
``update`` under 100 ms at 1,000,000 rows.
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

from claimkit.explore import ClaimIndex, Explorer, Query
from claimkit.table import KINDS, QUALIFIERS, claims_frame

UNITS = {"speedup": "x", "gain": "pt", "score": "%", "reduction": "%", "model_size": "params",
         "data_size": "tokens", "compute": "gpus"}


def synthetic_claims(rows: int, seed: int = 0) -> pd.DataFrame:
    """A typed claims table of ``rows`` claims: ~10 per paper, 2,000 benchmarks, 300 metrics."""
    rng = np.random.default_rng(seed)
    papers = max(rows // 10, 1)
    paper = rng.integers(0, papers, rows)
    paper.sort()  # claims come grouped by paper, as the extractor emits them
    topics = np.array(["retrieval", "vision", "speech", "agents", "reasoning", "diffusion", "graphs", "robotics"])
    titles = np.char.add(np.char.add("Scaling ", topics[np.arange(papers) % len(topics)]),
                         np.char.add(" with method ", np.arange(papers).astype(str)))
    kind = rng.choice(KINDS, rows)
    value = np.round(10 ** rng.uniform(0, 3, rows), 2)
    value[kind == "model_size"] *= 1e7
    benchmark_names = np.concatenate([[""], np.char.add("Bench-", np.arange(2000).astype(str))])
    benchmark = benchmark_names[np.where(rng.random(rows) < 0.6, 0, rng.integers(1, 2001, rows))]
    metric_names = np.concatenate([[""], np.char.add("metric ", np.arange(300).astype(str))])
    metric = metric_names[np.where(rng.random(rows) < 0.7, 0, rng.integers(1, 301, rows))]
    unit = pd.Series(kind).map(UNITS).to_numpy()
    text = np.char.add(value.astype(str), np.char.add(" ", unit.astype(str)))
    sentence = np.char.add(np.char.add("Our method reaches ", text), np.char.add(" on ", benchmark))
    return claims_frame({
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


def naive_update(claims: pd.DataFrame, query: Query, page_size: int = 20) -> tuple[int, pd.DataFrame]:
    """The naive peer: filter with pandas string methods on every update, count with value_counts."""
    keep = pd.Series(True, index=claims.index)
    if query.kinds:
        keep &= claims["kind"].isin(query.kinds)
    if query.benchmark:
        keep &= claims["benchmark"].str.lower() == query.benchmark.lower()
    if query.metric:
        keep &= claims["metric"] == query.metric
    if query.search:
        keep &= (claims["paper"] + " " + claims["title"]).str.contains(query.search, case=False, regex=False)
    if query.min_value is not None:
        keep &= claims["high"] >= query.min_value
    matched = claims[keep]
    matched["benchmark"].value_counts().head(15)
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


def scenarios(claims: pd.DataFrame) -> dict[str, tuple[Query, Callable[[Explorer], None]]]:
    """Filter changes to time: the query and the widget change that makes it."""
    top = claims["benchmark"][claims["benchmark"] != ""].value_counts().index[0]
    title_word = str(claims["title"].iloc[len(claims) // 2]).split()[-1]

    def setter(widget_name: str, value: object) -> Callable[[Explorer], None]:
        return lambda explorer: setattr(getattr(explorer, widget_name), "value", value)

    return {
        "kind = speedup,gain": (Query(kinds=("speedup", "gain")), setter("kind_filter", ("speedup", "gain"))),
        f"benchmark = {top}": (Query(benchmark=top), setter("benchmark_filter", top)),
        "metric = metric 7": (Query(metric="metric 7"), setter("metric_filter", "metric 7")),
        f"paper search {title_word!r}": (Query(search=title_word), setter("search_filter", title_word)),
        "value >= 100": (Query(min_value=100.0), setter("min_filter", "100")),
    }


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
    index = ClaimIndex(claims)
    print(f"ClaimIndex (one-off precompute): {(time.perf_counter() - begin) * 1000:,.0f} ms")
    begin = time.perf_counter()
    explorer = Explorer(claims)
    print(f"Explorer(claims) (index + widgets + first charts): {(time.perf_counter() - begin) * 1000:,.0f} ms")
    print()
    print("mask: vectorized filter only; naive: the same filter with pandas string methods (+ counts);")
    print("update: the whole explorer update (filter, count, table, three charts' data); cold: first time a")
    print("chart shape is seen (its Vega-Lite spec is compiled once, then cached).")
    print()
    print(f"{'filter change':<28}{'matches':>10}{'mask ms':>9}{'naive ms':>10}{'mask vs naive':>15}"
          f"{'update ms':>11}{'cold ms':>9}")
    worst = 0.0
    for name, (query, change) in scenarios(claims).items():
        explorer.reset()
        cold_ms = median_ms(lambda: change(explorer), 1)
        update_ms = median_ms(lambda: change(explorer), args.repeat, before=explorer.reset)
        mask_ms = median_ms(lambda: index.mask(query), args.repeat)
        naive_ms = median_ms(lambda: naive_update(claims, query), max(args.repeat // 2, 1))
        worst = max(worst, update_ms)
        print(f"{name:<28}{explorer.matches:>10,}{mask_ms:>9.1f}{naive_ms:>10.1f}"
              f"{naive_ms / max(mask_ms, 1e-9):>14.0f}x{update_ms:>11.1f}{cold_ms:>9.1f}")
    print()
    print(f"slowest full update: {worst:.1f} ms (target < 100 ms at 1,000,000 rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
