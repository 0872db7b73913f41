"""Trends over time: counts per month, values per quarter, benchmarks per quarter, checked
against plain pandas (and numpy's quantiles) on the seed claims given dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claimkit import trends
from claimkit.table import KINDS

DATES = ["2024-05-03", "2024-06-30", "2024-07-01", "2024-12-31", "2025-01-15", "2025-04", "2025", "", None]


@pytest.fixture(scope="module")
def dated(seed_claims) -> pd.DataFrame:
    """The seed claims, each paper given a date from DATES (some partial or missing)."""
    papers = seed_claims["paper"].unique()
    by_paper = {paper: DATES[i % len(DATES)] for i, paper in enumerate(papers)}
    return seed_claims.assign(published=seed_claims["paper"].map(by_paper))


@pytest.mark.parametrize("date, month, quarter", [
    ("2024-05-03", "2024-05", "2024 Q2"), ("2024-07-01", "2024-07", "2024 Q3"), ("2024-12-31", "2024-12", "2024 Q4"),
    ("2025-01", "2025-01", "2025 Q1"), ("2025", "", ""), ("", "", ""),
])
def test_months_and_quarters_of_dates(date, month, quarter):
    assert (trends.month_of(date), trends.quarter_of(date)) == (month, quarter)


def test_claims_per_month_counts_each_month_and_kind(dated):
    table = trends.claims_per_month(dated)
    months = dated["published"].map(lambda d: trends.month_of(d) if isinstance(d, str) else "")
    expected = dated[months != ""].assign(month=months).groupby(["month", "kind"], observed=True).size()
    got = table.set_index(["month", "kind"])["claims"]
    assert got.sum() == expected.sum() == (months != "").sum()
    assert {key: int(n) for key, n in expected.items() if n} == {key: int(n) for key, n in got.items()}
    assert table["month"].tolist() == sorted(table["month"])
    for _, group in table.groupby("month", sort=False):  # kinds in KINDS order within a month
        assert [KINDS.index(k) for k in group["kind"]] == sorted(KINDS.index(k) for k in group["kind"])


def test_values_over_time_gives_quartiles_and_the_largest_per_kind_unit_and_quarter(dated):
    table = trends.values_over_time(dated)
    assert set(table["kind"]) <= set(trends.VALUE_KINDS) and len(table)
    quarters = dated["published"].map(lambda d: trends.quarter_of(d) if isinstance(d, str) else "")
    for row in table.itertuples():
        values = dated.loc[(dated["kind"] == row.kind) & (dated["unit"].astype(str) == row.unit)
                           & (quarters == row.quarter) & (dated["high"] > 0), "high"].to_numpy()
        assert row.claims == len(values)
        assert (row.q1, row.median, row.q3) == pytest.approx(tuple(np.quantile(values, [0.25, 0.5, 0.75])))
        assert row.largest == values.max()
    for kind, units in trends.KIND_UNITS.items():
        assert set(table.loc[table["kind"] == kind, "unit"]) <= set(units)


def test_benchmarks_per_quarter_ranks_the_most_claimed(dated):
    table = trends.benchmarks_per_quarter(dated, top=3)
    quarters = dated["published"].map(lambda d: trends.quarter_of(d) if isinstance(d, str) else "")
    for quarter, group in table.groupby("quarter"):
        counts = dated[(quarters == quarter) & (dated["benchmark_key"] != "")]["benchmark_key"].value_counts()
        assert group["claims"].tolist() == counts.head(3).tolist()
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert all(counts[name] == n for name, n in zip(group["benchmark"], group["claims"]))


def test_claims_without_dates_give_empty_trends(seed_claims):
    assert trends.claims_per_month(seed_claims).empty
    assert trends.values_over_time(seed_claims).empty
    assert trends.benchmarks_per_quarter(seed_claims).empty
