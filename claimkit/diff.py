"""Compare two claims tables: which claims a new extractor (or a corrected table) added, removed
or changed, so that a rule change is reviewed on thousands of abstracts, not on the gold alone.

Claims of the same paper and field are paired when their character spans overlap (a rule that
widens "80%" to "over 80%" changes a claim, it does not remove one and add another); a paired
claim that differs in any compared column is *changed*.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence, TypeVar

import pandas as pd

COMPARED = ("text", "kind", "low", "high", "unit", "qualifier", "metric", "benchmark", "baseline")
DIFF_COLUMNS = ("change", "paper", "field", "start", "end", "kind", "old", "new", "changed", "sentence")


def describe(row: dict) -> str:
    """One claim in a few words: "speedup 1.75-2.39 x 'up to 1.75-2.39x' @HumanEval [cue_after]"."""
    value = f"{row['low']:g}" if row["low"] == row["high"] else f"{row['low']:g}-{row['high']:g}"
    parts = [str(row["kind"]), value + (f" {row['unit']}" if row["unit"] else "")]
    parts += [str(row["qualifier"])] if row["qualifier"] else []
    parts += [repr(str(row["text"]))]
    parts += [f"metric={row['metric']}"] if row["metric"] else []
    parts += [f"@{row['benchmark']}"] if row["benchmark"] else []
    parts += [f"vs {row['baseline']}"] if row["baseline"] else []
    parts += [f"[{row['rule']}]"] if row.get("rule") else []
    return " ".join(parts)


class Span(Protocol):
    """Anything with ``start`` and ``end`` read by key: a claim's record, a group of decisions."""

    def __getitem__(self, key: str, /) -> Any: ...


Old = TypeVar("Old", bound=Span)
New = TypeVar("New", bound=Span)


def pair_overlapping(old: Sequence[Old], new: Sequence[New]) -> tuple[list[tuple[Old, New]], list[Old], list[New]]:
    """Spans of one text (dicts with ``start``/``end``, each list sorted by them) paired in order
    when they overlap; the rest are removed (old) or added (new). Also pairs a person's
    corrections with the claims of a new extraction (:mod:`claimkit.corrections`)."""
    pairs: list[tuple[Old, New]] = []
    removed: list[Old] = []
    added: list[New] = []
    i = j = 0
    while i < len(old) and j < len(new):
        a, b = old[i], new[j]
        if a["end"] <= b["start"]:
            removed.append(a)
            i += 1
        elif b["end"] <= a["start"]:
            added.append(b)
            j += 1
        else:
            pairs.append((a, b))
            i += 1
            j += 1
    return pairs, removed + list(old[i:]), added + list(new[j:])


def _row(change: str, claim: dict, old: str, new: str, changed: str) -> dict:
    return {"change": change, "paper": claim["paper"], "field": claim["field"], "start": claim["start"],
            "end": claim["end"], "kind": str(claim["kind"]), "old": old, "new": new, "changed": changed,
            "sentence": claim["sentence"]}


def _by_text(claims: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    records = claims.sort_values(["paper", "field", "start", "end"], kind="stable").to_dict("records")
    grouped: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        grouped.setdefault((str(record["paper"]), str(record["field"])), []).append(record)
    return grouped


def diff_claims(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per added, removed or changed claim (columns :data:`DIFF_COLUMNS`), in text order.

    ``kind`` is the new kind (the old one for a removed claim); ``old`` / ``new`` describe the
    claim before and after; ``changed`` names the columns that differ.
    """
    old_texts, new_texts = _by_text(old), _by_text(new)
    rows = []
    for key in sorted(set(old_texts) | set(new_texts)):
        pairs, removed, added = pair_overlapping(old_texts.get(key, []), new_texts.get(key, []))
        for claim in removed:
            rows.append(_row("removed", claim, describe(claim), "", ""))
        for claim in added:
            rows.append(_row("added", claim, "", describe(claim), ""))
        for before, after in pairs:
            changed = [name for name in COMPARED if _differs(before[name], after[name])]
            if changed:
                rows.append(_row("changed", after, describe(before), describe(after), ",".join(changed)))
    frame = pd.DataFrame(rows, columns=list(DIFF_COLUMNS))
    return frame.sort_values(["paper", "field", "start"], kind="stable").reset_index(drop=True)


def _differs(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return not (a == b or (a != a and b != b))  # NaN equals NaN here
    return str(a) != str(b)


def summary(diff: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per kind: claims before and after, and how many were added, removed, changed."""
    counts = diff.pivot_table(index="kind", columns="change", values="paper", aggfunc="size", fill_value=0)
    table = pd.DataFrame({"old": old["kind"].astype(str).value_counts(), "new": new["kind"].astype(str).value_counts()})
    table = table.join(counts).fillna(0).astype(int)
    for change in ("added", "removed", "changed"):
        if change not in table:
            table[change] = 0
    table = table[["old", "new", "added", "removed", "changed"]]
    table.loc["all"] = table.sum()
    table.index.name = "kind"
    return table.reset_index()
