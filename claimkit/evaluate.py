"""Score a claims table against gold labels, as the claim spec defines.

Claims match on ``(paper, kind, low, high)`` with values rounded to 4 significant digits;
mentions of the same claim in one paper count once. A kind-blind score matches on
``(paper, low, high)``. Attribute agreement compares unit, qualifier and benchmark on the
claims that match.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .errors import InputError
from .names import benchmark_key
from .readers import paper_id_from_title
from .sources.text import iter_json_lines
from .table import KINDS

ATTRIBUTES = ("unit", "qualifier", "benchmark")


def significant(value: float, digits: int = 4) -> float:
    """``value`` rounded to ``digits`` significant digits (2.390001 -> 2.39).

    >>> significant(2.390001), significant(7.0e9)
    (2.39, 7000000000.0)
    """
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


GOLD_FIELDS = ("paper", "kind", "low", "high")  # required; title, unit, qualifier, benchmark optional


def read_gold(path: str | Path) -> pd.DataFrame:
    """Gold claims from a JSONL file (one claim per line, claim-spec fields).

    The same discipline as the papers readers: a missing, empty, binary or non-UTF-8 file, a
    broken line or a line that is not a gold claim is an InputError naming file and line.
    """
    rows = []
    for number, item in iter_json_lines(Path(path)):
        if isinstance(item, InputError):
            raise item
        rows.append(gold_claim(item, path, number))
    if not rows:
        raise InputError(path, "no gold claims")
    return pd.DataFrame(rows)


def gold_claim(record: dict, source: object, line: int) -> dict:
    """``record`` checked as a gold claim: paper, a known kind, numeric low and high.

    >>> gold_claim({"paper": "p1", "kind": "speedup", "low": "abc", "high": 2}, "g.jsonl", 3)
    Traceback (most recent call last):
    claimkit.errors.InputError: g.jsonl:3: low must be a number, not 'abc'
    """
    missing = [name for name in GOLD_FIELDS if name not in record]
    if missing:
        hint = " (a papers file? gold lines are claims: paper, kind, low, high)" if "abstract" in record else ""
        raise InputError(source, f"gold claim without {', '.join(missing)}{hint}", line=line)
    if not isinstance(record["paper"], (str, int)) or isinstance(record["paper"], bool) or record["paper"] == "":
        raise InputError(source, f"paper must be a non-empty id, not {record['paper']!r}", line=line)
    if record["kind"] not in KINDS:
        raise InputError(source, f"unknown kind {record['kind']!r} (known: {', '.join(KINDS)})", line=line)
    for name in ("low", "high"):
        value = record[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(source, f"{name} must be a number, not {value!r}", line=line)
    for name in ("title", *ATTRIBUTES):
        if name in record and record[name] is not None and not isinstance(record[name], str):
            raise InputError(source, f"{name} must be text, not {type(record[name]).__name__}", line=line)
    return dict(record, paper=str(record["paper"]))


def _keyed(claims: pd.DataFrame, by_title: bool) -> pd.DataFrame:
    frame = claims.copy()
    frame["key"] = frame["title"].map(paper_id_from_title) if by_title else frame["paper"].astype(str)
    frame["kind"] = frame["kind"].astype(str)
    frame["lo"] = frame["low"].astype(float).map(significant)
    frame["hi"] = frame["high"].astype(float).map(significant)
    for attribute in ATTRIBUTES:
        frame[attribute] = frame[attribute].fillna("").astype(str)
    return frame.drop_duplicates(["key", "kind", "lo", "hi"])


def _prf(true_positive: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true_positive / predicted if predicted else (1.0 if not gold else 0.0)
    recall = true_positive / gold if gold else (1.0 if not predicted else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def match(claims: pd.DataFrame, gold: pd.DataFrame, by_title: bool | None = None) -> pd.DataFrame:
    """Outer join of deduplicated claims and gold on (paper, kind, low, high), with ``_merge``."""
    if by_title is None:  # ids from different sources (page dump vs JSONL) only meet by title
        by_title = not set(claims["paper"].astype(str)) & set(gold["paper"].astype(str))
    if by_title and "title" not in gold.columns:
        raise InputError("gold", "no paper id of the gold is among the papers, and the gold has no titles to match by")
    left, right = _keyed(claims, by_title), _keyed(gold, by_title)
    return left.merge(right, on=["key", "kind", "lo", "hi"], how="outer", suffixes=("", "_gold"), indicator=True)


def evaluate(claims: pd.DataFrame, gold: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Precision, recall and F1 per kind, overall (kind-aware) and kind-blind.

    Columns: ``scope, gold, predicted, matched, precision, recall, f1`` and, on the overall
    row, the share of matched claims whose unit / qualifier / benchmark agree with the gold
    (as written), and ``named_benchmark_agreement``: over the matched claims whose gold names a
    benchmark, the share whose benchmark is the same one by its key.
    """
    if not isinstance(gold, pd.DataFrame):
        gold = read_gold(gold)
    joined = match(claims, gold)
    rows = []
    for kind in KINDS:
        of_kind = joined[joined["kind"] == kind]
        rows.append(_score_row(kind, of_kind))
    overall = _score_row("all", joined)
    matched = joined[joined["_merge"] == "both"]
    for attribute in ATTRIBUTES:
        agree = (matched[attribute] == matched[f"{attribute}_gold"]).mean() if len(matched) else float("nan")
        overall[f"{attribute}_agreement"] = agree
    overall["named_benchmark_agreement"] = named_benchmark_agreement(matched)
    rows.append(overall)
    rows.append(_kind_blind_row(claims, gold))
    return pd.DataFrame(rows)


def named_benchmark_agreement(matched: pd.DataFrame) -> float:
    """Of the matched claims whose gold names a benchmark, the share whose extracted benchmark is
    the same one (same :func:`~claimkit.names.benchmark_key`: "AIME-2024" is "AIME 2024")."""
    named = matched[matched["benchmark_gold"] != ""]
    if not len(named):
        return float("nan")
    same = [benchmark_key(a) == benchmark_key(b) for a, b in zip(named["benchmark"], named["benchmark_gold"])]
    return sum(same) / len(same)


def _score_row(scope: str, joined: pd.DataFrame) -> dict:
    predicted = int((joined["_merge"] != "right_only").sum())
    gold = int((joined["_merge"] != "left_only").sum())
    both = int((joined["_merge"] == "both").sum())
    precision, recall, f1 = _prf(both, predicted, gold)
    return {"scope": scope, "gold": gold, "predicted": predicted, "matched": both,
            "precision": precision, "recall": recall, "f1": f1}


def _kind_blind_row(claims: pd.DataFrame, gold: pd.DataFrame) -> dict:
    blind_claims = claims.assign(kind="any")
    blind_gold = gold.assign(kind="any")
    row = _score_row("kind-blind", match(blind_claims, blind_gold))
    return row
