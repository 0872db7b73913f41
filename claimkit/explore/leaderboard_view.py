"""The leaderboard view: one benchmark's claimed scores, ranked, dated and linked.

Choose a benchmark (type any spelling or part of its name: "gsm8k", "AIME-2024") and a
metric; the view shows :func:`claimkit.leaderboard.leaderboard` as a table (best row
highlighted, rows that do not compare greyed with the reason, before -> after pairs as such,
each claim highlighted in its sentence, paper titles open the paper view), a dot chart of the
comparable rows and the best claimed score by publication date. CSV and Parquet buttons
download the table with value and unit in separate columns.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .. import charts
from .. import leaderboard as lb
from . import render
from .exports import MIME_TYPES, frame_bytes
from .index import ClaimIndex, spread
from .widgets import ChartView, DownloadButton, HtmlView, look

_DEFAULT_METRIC = "(most named)"
#: Rows of the table shown (the downloads have them all), and comparable rows in the dot chart.
SHOWN_ROWS = 100
CHART_ROWS = 40
#: Claims drawn under the best-over-time line at most (every new best is always drawn).
TIMELINE_POINTS = 500


class LeaderboardView(widgets.VBox):
    """A benchmark picker, a metric picker, the ranked table, two charts and export buttons.

    ``board`` is the leaderboard shown (a DataFrame of :data:`claimkit.leaderboard.COLUMNS`);
    ``benchmark`` the key it is for ("" when the picker names none).
    """

    def __init__(self, index: ClaimIndex, benchmark: str = "", on_paper: Callable[[str], None] | None = None) -> None:
        self.index = index
        self.on_paper = on_paper
        self._index_benchmarks()
        self.benchmark = ""
        self._choosing = False
        self._chosen_rows: dict[str, pd.DataFrame] = {}
        self.board = lb.leaderboard(index.claims.iloc[:0], "")
        self.picker = widgets.Combobox(
            options=list(self.labels.values()), placeholder="type a benchmark", description="benchmark",
            ensure_option=False, continuous_update=False, **look("340px"))
        self.metric_picker = widgets.Dropdown(options=[_DEFAULT_METRIC], description="metric", **look("260px"))
        self.status = HtmlView()
        self.status.on("benchmark", lambda label: setattr(self.picker, "value", label))
        self.table = HtmlView()
        self.table.on("paper", self._open_paper)
        self.picker.add_class("claimkit-board-benchmark")
        self.status.add_class("claimkit-board-status")
        self.table.add_class("claimkit-board")
        empty = lb.leaderboard(index.claims.iloc[:0], "")
        self.chart = ChartView(charts.leaderboard(empty), "claimkit-chart-board")
        self.over_time = ChartView(charts.state_of_the_art(empty, lb.best_over_time(empty)), "claimkit-chart-sota")
        self.downloads = [DownloadButton("⬇ CSV", lambda: self._export("csv")),
                          DownloadButton("⬇ Parquet", lambda: self._export("parquet"))]
        for button in self.downloads:
            button.add_class("claimkit-board-export")
        self.picker.observe(lambda change: self.choose(change["new"]), names="value")
        self.metric_picker.observe(self._on_metric, names="value")
        super().__init__(children=[
            widgets.HBox([self.picker, self.metric_picker, *self.downloads], layout=widgets.Layout(flex_flow="row wrap")),
            self.status, self.table,
            widgets.HBox([self.chart.widget, self.over_time.widget], layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self.add_class("claimkit-leaderboard-view")
        start = lb.resolve_key(self.benchmark_keys, benchmark) if benchmark else None
        self.choose(start or (self.benchmark_keys[0] if self.benchmark_keys else ""))

    def _index_benchmarks(self) -> None:
        """The rows a leaderboard may list (score and gain claims, not those a person rejected)
        and the benchmarks they name, with their labels."""
        index = self.index
        kinds = [index.kinds.index(kind) for kind in lb.LEADERBOARD_KINDS if kind in index.kinds]
        rows = np.flatnonzero(np.isin(index.kind_codes, kinds))
        if index.review_codes is not None and "rejected" in index.reviews:
            rows = rows[index.review_codes[rows] != index.reviews.index("rejected")]
        self._kind_rows = rows
        self.benchmarks = lb.benchmark_table(index.claims[lb.BENCHMARK_TABLE_COLUMNS].iloc[rows])  # no texts copied
        labels = dict(zip(index.benchmarks, index.benchmark_labels))
        self.labels = {key: labels.get(key, key) for key in self.benchmarks["benchmark_key"]}
        self.benchmark_keys = [str(key) for key in self.benchmarks["benchmark_key"]]

    def refresh(self) -> None:
        """The claims changed (a person's decision): benchmarks and the board computed again."""
        self._index_benchmarks()
        self._chosen_rows = {}
        self.picker.options = list(self.labels.values())
        if self.benchmark:
            self.update()

    def choose(self, text: str) -> None:
        """Show the benchmark ``text`` names (any spelling, or a part of one name)."""
        key = lb.resolve_key(self.benchmark_keys, text) if text.strip() else None
        if key is None and text.strip():
            self.benchmark, self.board = "", lb.leaderboard(self.index.claims.iloc[:0], "")
            near = lb.nearest_keys(self.benchmark_keys, text)
            self.status.value = (f"No score or gain claims on <b>{html.escape(text)}</b>."
                                 + (" Did you mean " + ", ".join(self._choice(k) for k in near) + "?" if near else ""))
            self.table.value = ""
            self._show_charts()
            return
        self.benchmark = key or ""
        label = self.labels.get(self.benchmark, self.benchmark)
        if self.picker.value != label:
            self.picker.value = label  # fires choose() again with the label, which resolves to the same key
            return
        self._choosing = True  # new metric options: one update at the end
        try:
            self.metric_picker.options = [_DEFAULT_METRIC, "any"] + self._metrics()
            self.metric_picker.value = _DEFAULT_METRIC
        finally:
            self._choosing = False
        self.update()

    def rank_by(self, metric: str) -> None:
        """Rank by ``metric`` ("" for any); one the benchmark's claims do not name ranks nothing."""
        options = list(self.metric_picker.options)
        choice = "any" if metric == "" else metric
        if choice not in options:
            self.metric_picker.options = options + [choice]
        self.metric_picker.value = choice

    def _on_metric(self, _change: dict) -> None:
        if not self._choosing:
            self.update()

    def _choice(self, key: str) -> str:
        label = self.labels.get(key, key)
        return f'<a data-claimkit="benchmark" data-value="{html.escape(label, quote=True)}">{html.escape(label)}</a>'

    def _rows(self) -> pd.DataFrame:
        """The score and gain claims on the chosen benchmark (kept for the next time it is chosen)."""
        if self.benchmark not in self._chosen_rows:
            if self.benchmark not in self.index.benchmarks:
                return self.index.claims.iloc[:0]
            code = self.index.benchmarks.index(self.benchmark)
            rows = self._kind_rows[self.index.benchmark_codes[self._kind_rows] == code]
            self._chosen_rows = {self.benchmark: self.index.claims.iloc[rows]}  # the last one only: bounded memory
        return self._chosen_rows[self.benchmark]

    def _metrics(self) -> list[str]:
        named = self._rows()["metric"]
        return sorted(set(named[named != ""]))

    @property
    def metric(self) -> str | None:
        """The metric ranked: None for the one most claims name, "" for any."""
        chosen = self.metric_picker.value
        return None if chosen == _DEFAULT_METRIC else ("" if chosen == "any" else chosen)

    def update(self) -> None:
        """Rank the chosen benchmark's claims with the chosen metric; table, status and charts follow."""
        rows = self._rows()
        self.board = lb.leaderboard(rows, self.benchmark, self.metric)
        ranked = int(self.board["comparable"].sum())
        metric = self.board.attrs.get("metric", "")
        unit = str(self.board.loc[self.board["comparable"], "unit"].iloc[0]) if ranked else ""
        label = self.labels.get(self.benchmark, self.benchmark)
        self.status.value = (
            f"<b>{html.escape(label)}</b>: {rows['paper'].nunique():,} papers claim a score or gain on it; "
            f"{ranked:,} rows ranked by {html.escape(metric or 'any metric')}"
            + (f" ({html.escape(unit)})" if unit else "")
            + (", lower is better" if self.board.attrs.get("lower_is_better") else "")
            + f"; {len(self.board) - ranked:,} below them do not compare."
            + (f" Showing the first {SHOWN_ROWS:,} of {len(self.board):,} rows: the downloads have them all."
               if len(self.board) > SHOWN_ROWS else ""))
        self.table.value = render.CSS + render.leaderboard_html(self.board.head(SHOWN_ROWS))
        self._show_charts()

    def _show_charts(self) -> None:
        board = self.board
        self.chart.show("board", lambda: charts.leaderboard(board),
                        charts.board_rows(board[board["comparable"]].head(CHART_ROWS) if len(board) else board))
        records = lb.best_over_time(board)
        dated = board[board["comparable"] & (board["published"] != "")] if len(board) else board
        if len(dated) > TIMELINE_POINTS:  # every record, and evenly spaced others
            best = set(zip(records["paper"], records["published"], records["value"]))
            keep = np.array([key in best for key in zip(dated["paper"], dated["published"], dated["value"])])
            keep[spread(np.flatnonzero(~keep), TIMELINE_POINTS)] = True
            dated = dated[keep]
        self.over_time.show("sota", lambda: charts.state_of_the_art(board, records),
                            charts.state_of_the_art_rows(dated, records))

    def _export(self, fmt: str) -> tuple[str, str, bytes]:
        name = (self.labels.get(self.benchmark, self.benchmark) or "leaderboard").replace("/", "-").replace(" ", "-")
        return f"leaderboard-{name}.{fmt}", MIME_TYPES[fmt], frame_bytes(lb.export_table(self.board), fmt)

    def _open_paper(self, paper: str) -> None:
        if self.on_paper is not None:
            self.on_paper(paper)
