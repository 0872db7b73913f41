"""Trends in claims over time: pure functions from a claims table (with ``published``) to tables.

* :func:`claims_per_month`: claims per month and kind;
* :func:`values_over_time`: claimed speed-ups, model sizes and dataset sizes per quarter
  (quartiles and the largest claim, per unit);
* :func:`benchmarks_per_quarter`: the most-claimed benchmarks of each quarter.

Each has a core that works on integer codes (``*_from_codes``), which the explorer feeds with
its precomputed index so a trend over a million claims updates in milliseconds; the table
functions build the codes and call the same core. Claims without a publication date are left
out.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .sources.filters import as_date
from .table import KINDS

#: Kinds whose values span orders of magnitude: the trends follow them, charts draw them on a log scale.
VALUE_KINDS = ("speedup", "model_size", "data_size")
#: Units of one kind shown at most (the most claimed), so a rare unit gets no empty panel (charts too).
UNITS_PER_KIND = 3
#: The only units followed for these kinds (a speed-up "by 40%" is not on the "x" axis).
KIND_UNITS = {"speedup": ("x",), "model_size": ("params",)}


def month_of(date: str) -> str:
    """``YYYY-MM`` of a ``YYYY-MM[-DD]`` date ("" when the date has no month)."""
    return date[:7] if len(date) >= 7 else ""


def quarter_of(date: str) -> str:
    """``2024 Q3`` of a ``YYYY-MM[-DD]`` date ("" when the date has no month).

    >>> quarter_of("2024-08-12"), quarter_of("2025-01"), quarter_of("2025")
    ('2024 Q3', '2025 Q1', '')
    """
    if len(date) < 7 or not date[5:7].isdigit():
        return ""
    return f"{date[:4]} Q{(int(date[5:7]) - 1) // 3 + 1}"


def period_codes(dates: Sequence[str], period: str) -> tuple[np.ndarray, list[str]]:
    """Codes of each distinct date's month or quarter (``period``), and the periods in order.

    A date without one gets the code -1.
    """
    to_period = month_of if period == "month" else quarter_of
    labels = [to_period(str(date)) for date in dates]
    periods = sorted({label for label in labels if label})
    position = {label: i for i, label in enumerate(periods)}
    return np.array([position.get(label, -1) for label in labels], dtype=np.int64), periods


def codes_of(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct values of a string column (by first appearance).

    A missing value counts as "" so every row gets a real code (-1 would index from the end).
    """
    codes, uniques = pd.factorize(column.astype("str").fillna(""), sort=False)
    return codes.astype(np.int32), [str(value) for value in uniques]


def _row_periods(claims: pd.DataFrame, period: str) -> tuple[np.ndarray, list[str]]:
    """Each claim's period code (-1: no date), and the periods."""
    if "published" not in claims.columns:
        return np.full(len(claims), -1, dtype=np.int64), []
    date_codes, dates = codes_of(claims["published"].map(as_date))
    codes, periods = period_codes(dates, period)
    return (codes[date_codes] if len(date_codes) else np.zeros(0, dtype=np.int64)), periods


# -- claims per month and kind ---------------------------------------------------------------

def claims_per_period_from_codes(period_codes: np.ndarray, periods: list[str], kind_codes: np.ndarray,
                                 kinds: list[str], rows: np.ndarray, period: str = "month") -> pd.DataFrame:
    """Claims of ``rows`` per period and kind: columns ``period`` (named ``period``), kind, claims."""
    have = rows[period_codes[rows] >= 0]
    have = have[kind_codes[have] >= 0]
    counts = np.bincount(period_codes[have] * len(kinds) + kind_codes[have],
                         minlength=len(periods) * len(kinds)).reshape(len(periods), len(kinds))
    order = sorted(range(len(kinds)), key=lambda k: KINDS.index(kinds[k]) if kinds[k] in KINDS else len(KINDS))
    records = [(periods[p], kinds[k], int(counts[p, k])) for p in range(len(periods)) for k in order
               if counts[p, k]]
    return pd.DataFrame(records, columns=[period, "kind", "claims"]).astype({"claims": "int64"})


def claims_per_month(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per month (``YYYY-MM``) and kind, months in order, kinds in :data:`KINDS` order."""
    periods_of_rows, periods = _row_periods(claims, "month")
    kind_codes, kinds = codes_of(claims["kind"])
    return claims_per_period_from_codes(periods_of_rows, periods, kind_codes, kinds, np.arange(len(claims)))


# -- values over time -------------------------------------------------------------------------

def values_over_time_from_codes(period_codes: np.ndarray, periods: list[str], kind_codes: np.ndarray,
                                kinds: list[str], unit_codes: np.ndarray, units: list[str], values: np.ndarray,
                                rows: np.ndarray, value_kinds: Sequence[str] = VALUE_KINDS,
                                by_value: np.ndarray | None = None) -> pd.DataFrame:
    """Per kind, unit and quarter: claims, quartiles (``q1``, ``median``, ``q3``) and ``largest``.

    Only positive values count (the chart is on a log scale); per kind, the
    :data:`UNITS_PER_KIND` most claimed units (only those of :data:`KIND_UNITS` where given).
    ``by_value``, every row's position ordered by value, lets a caller that updates often sort
    once: each call then orders only small integer codes.
    """
    if by_value is None:
        by_value = np.argsort(values, kind="stable")
    selected = np.zeros(len(values), dtype=bool)
    selected[rows] = True
    ordered = by_value[selected[by_value]]  # the rows, smallest value first
    ordered = ordered[(period_codes[ordered] >= 0) & (values[ordered] > 0)]
    frames = []
    for kind in value_kinds:
        if kind not in kinds:
            continue
        picked = ordered[kind_codes[ordered] == kinds.index(kind)]
        if kind in KIND_UNITS:
            allowed = np.array([unit in KIND_UNITS[kind] for unit in units] + [False])
            picked = picked[allowed[unit_codes[picked]]]
        unit_counts = np.bincount(unit_codes[picked], minlength=len(units))
        top_units = [u for u in np.argsort(-unit_counts, kind="stable")[:UNITS_PER_KIND] if unit_counts[u] > 0]
        for unit in top_units:
            of_unit = picked[unit_codes[picked] == unit]
            frames.append(_quartiles(period_codes[of_unit], values[of_unit], periods, kind, units[unit]))
    columns = ["kind", "unit", "quarter", "claims", "q1", "median", "q3", "largest"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _quartiles(groups: np.ndarray, values: np.ndarray, periods: list[str], kind: str, unit: str) -> pd.DataFrame:
    """Quartiles of ``values`` (in ascending order) per group code: a stable sort of the small
    group codes keeps each group's values in order (no Python loop over rows)."""
    order = np.argsort(groups.astype(np.int16 if len(periods) < 2**15 else np.int64), kind="stable")
    groups, values = groups[order], values[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])

    def at(fraction: float) -> np.ndarray:  # linear interpolation, as numpy's default quantile
        position = starts + fraction * (sizes - 1)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, starts + sizes - 1)
        return values[below] + (values[above] - values[below]) * (position - below)

    return pd.DataFrame({
        "kind": kind, "unit": unit, "quarter": [periods[g] for g in groups[starts]],
        "claims": sizes.astype("int64"), "q1": at(0.25), "median": at(0.5), "q3": at(0.75),
        "largest": values[starts + sizes - 1],
    })


def values_over_time(claims: pd.DataFrame, kinds: Sequence[str] = VALUE_KINDS) -> pd.DataFrame:
    """Claimed values of ``kinds`` per quarter: claims, quartiles and the largest, per unit."""
    periods_of_rows, periods = _row_periods(claims, "quarter")
    kind_codes, kind_names = codes_of(claims["kind"])
    unit_codes, units = codes_of(claims["unit"])
    return values_over_time_from_codes(periods_of_rows, periods, kind_codes, kind_names, unit_codes, units,
                                       claims["high"].to_numpy(dtype="float64"), np.arange(len(claims)), kinds)


# -- most-claimed benchmarks per quarter -----------------------------------------------------

def benchmarks_per_period_from_codes(period_codes: np.ndarray, periods: list[str], benchmark_codes: np.ndarray,
                                     benchmarks: list[str], rows: np.ndarray, top: int = 5) -> pd.DataFrame:
    """The ``top`` most-claimed benchmarks of each quarter: quarter, benchmark, claims, rank."""
    named = [i for i, name in enumerate(benchmarks) if name]
    is_named = np.zeros(len(benchmarks), dtype=bool)
    is_named[named] = True
    have = rows[(period_codes[rows] >= 0) & is_named[benchmark_codes[rows]]] if len(benchmarks) else rows[:0]
    counts = np.bincount(period_codes[have] * len(benchmarks) + benchmark_codes[have],
                         minlength=len(periods) * len(benchmarks)).reshape(len(periods), len(benchmarks))
    alphabetical = np.argsort(np.argsort(np.array(benchmarks, dtype=object), kind="stable"), kind="stable")
    records = []
    for p, quarter in enumerate(periods):
        present = np.flatnonzero(counts[p])
        ranked = present[np.lexsort((alphabetical[present], -counts[p, present]))][:top]
        records += [(quarter, benchmarks[b], int(counts[p, b]), rank) for rank, b in enumerate(ranked, start=1)]
    return pd.DataFrame(records, columns=["quarter", "benchmark", "claims", "rank"])


def benchmarks_per_quarter(claims: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The ``top`` most-claimed benchmarks (by ``benchmark_key``) of each quarter, most first."""
    periods_of_rows, periods = _row_periods(claims, "quarter")
    benchmark_codes, benchmarks = codes_of(claims["benchmark_key"])
    return benchmarks_per_period_from_codes(periods_of_rows, periods, benchmark_codes, benchmarks,
                                            np.arange(len(claims)), top)
