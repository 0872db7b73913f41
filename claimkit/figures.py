"""The README's figures: which charts, of which claims, saved where (what notebook 03 runs).

:func:`readme_figures` builds them from a claims table (with ``published``, for the trends and
the state of the art); :func:`save_figures` writes each as SVG and PNG through vl-convert,
byte-identical from run to run.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from . import charts, trends
from . import leaderboard as lb


def readme_figures(claims: pd.DataFrame) -> dict[str, alt.TopLevelMixin]:
    """Figure name -> chart: counts, values, the leaderboard of the benchmark most papers claim
    scores on and its best claimed score over time, and the trends (when the papers are dated)."""
    figures: dict[str, alt.TopLevelMixin] = {
        "claims-per-kind": charts.claims_per_kind(claims),
        "top-benchmarks": charts.top_benchmarks(claims),
        "value-distribution": charts.value_distribution(claims),
        "size-vs-gain": charts.size_vs_gain(claims),
    }
    benchmark = charts.most_claimed_benchmark(claims)
    if benchmark:
        board = lb.leaderboard(claims, benchmark)
        figures["leaderboard"] = charts.leaderboard(board)
        if (board["published"] != "").any():
            figures["best-over-time"] = charts.state_of_the_art(board, lb.best_over_time(board))
    if "published" in claims.columns and claims["published"].notna().any():
        figures["claims-per-month"] = charts.claims_per_month(trends.claims_per_month(claims))
        figures["values-over-time"] = charts.values_over_time(trends.values_over_time(claims))
        figures["benchmarks-per-quarter"] = charts.benchmarks_per_quarter(trends.benchmarks_per_quarter(claims))
    return figures


def save_figures(figures: dict[str, alt.TopLevelMixin], target: str | Path) -> list[Path]:
    """Save each figure as ``NAME.svg`` and ``NAME.png`` in ``target``; the SVG paths."""
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in figures.items():
        for suffix in (".svg", ".png"):
            charts.save_figure(chart, folder / f"{name}{suffix}")
        written.append(folder / f"{name}.svg")
    return written
