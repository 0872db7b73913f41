"""A person reviewing claims: decide on a row, undo, see counts; what the explorer's buttons call.

A :class:`Review` holds the extracted claims of a papers table and one corrections file. Each
decision is written to the file at once (locked and atomic, see :mod:`claimkit.corrections`),
then the file is read again, so decisions another explorer wrote meanwhile show too, and only
the decided paper's rows are computed again. Rejected rows stay in :attr:`Review.claims`
(``review == "rejected"``) so they can be shown and undone; :meth:`Review.corrected` drops them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .corrections import (Corrections, Decision, Stale, decision_for, in_paper_order, read_corrections,
                          record_decision, replace_rows, undo_decision)
from .scale import concat_claims
from .table import REVIEW_COLUMN, REVIEWS

# What the explorer's review filter offers: a name -> the review values it keeps ("kept", every
# claim but the rejected ones, is what the explorer shows first).
REVIEW_FILTERS: dict[str, tuple[str, ...]] = {
    "kept": ("extracted", "accepted", "corrected", "added"),
    "all": REVIEWS,
    "unreviewed": ("extracted",),
    "reviewed": ("accepted", "corrected", "added", "rejected"),
    "accepted": ("accepted",),
    "corrected": ("corrected", "added"),
    "rejected": ("rejected",),
}


@dataclass(frozen=True)
class Change:
    """What a refresh changed in :attr:`Review.claims`: the rows (positions) and columns written
    in place, or ``positions is None`` when the table was rebuilt (rows added or removed)."""

    positions: np.ndarray | None
    columns: frozenset[str] = frozenset()

    @property
    def rebuilt(self) -> bool:
        return self.positions is None


class Review:
    """Claims under review against the corrections file at ``path`` (created on the first decision)."""

    def __init__(self, claims: pd.DataFrame, papers: pd.DataFrame, path: str | Path, by: str = "") -> None:
        self.path = Path(path)
        self.by = by
        self.papers = papers.drop_duplicates("paper").reset_index(drop=True)
        self.extracted = claims.reset_index(drop=True)
        self.undo_stack: list[str] = []  # ids of this session's decisions, newest last
        self.last_change = Change(np.zeros(0, dtype=np.int64))  # what the last refresh did
        corrections = self._corrections()
        self._seen = _fingerprints(corrections)
        applied = corrections.apply(self.extracted, self.papers, keep_rejected=True)
        self.claims, self.stale = applied.claims, applied.stale

    def _corrections(self) -> Corrections:
        return Corrections(read_corrections(self.path) if self.path.exists() else [], self.path)

    def source_text(self, paper: str, field: str) -> str:
        """The title or abstract a claim's offsets point into."""
        row = self.papers[self.papers["paper"].astype(str) == str(paper)]
        text = row[field].iloc[0] if len(row) else ""
        return text if isinstance(text, str) else ""

    def decide(self, row: Mapping[str, Any], action: str, changes: Mapping[str, Any] | None = None,
               note: str = "") -> Decision:
        """Write a decision on a claims-table row (``accept``, ``reject`` or ``edit`` with
        ``changes``) and bring the rows up to date."""
        decision = decision_for(row, action, self.source_text(str(row["paper"]), str(row["field"])), changes,
                                note=note, by=self.by)
        written = record_decision(self.path, decision)
        self.undo_stack.append(written.id)
        self.refresh()
        return written

    def undo(self) -> Decision | None:
        """Take back this session's last decision (another writer's lines are kept)."""
        while self.undo_stack:
            try:
                undone = undo_decision(self.path, self.undo_stack.pop())
            except KeyError:  # removed by hand meanwhile: take back the one before
                continue
            self.refresh()
            return undone
        return None

    def refresh(self) -> Change:
        """Read the file again; compute again the rows of the papers whose decisions changed
        (this session's or another writer's), only those. Returns (and keeps in
        :attr:`last_change`) what changed."""
        corrections = self._corrections()
        seen = _fingerprints(corrections)
        changed = {paper for _, paper in seen ^ self._seen}
        self._seen = seen
        self.last_change = Change(np.zeros(0, dtype=np.int64))
        if not changed:
            return self.last_change
        papers = self.papers[self.papers["paper"].astype(str).isin(changed)]
        applied = corrections.apply(self.extracted[self.extracted["paper"].astype(str).isin(changed)], papers,
                                    keep_rejected=True)
        self.stale = [item for item in self.stale if item.decision.paper not in changed] + applied.stale
        decided = self.claims["paper"].isin(changed).to_numpy()
        if int(decided.sum()) == len(applied.claims):  # same rows (accept, edit, reject): update them in place
            positions = np.flatnonzero(decided)
            self.last_change = Change(positions, frozenset(replace_rows(self.claims, positions, applied.claims)))
        else:  # a row added or taken back: rebuild the table
            others = self.claims[~decided]
            self.claims = in_paper_order(concat_claims([others, applied.claims]), self.papers)
            self.last_change = Change(None)
        return self.last_change

    def counts(self) -> dict[str, int]:
        """Rows per review value, and ``reviewed``: the claims a person decided on or added."""
        present = self.claims[REVIEW_COLUMN].value_counts()
        counts = {review: int(present.get(review, 0)) for review in REVIEWS}
        counts["reviewed"] = sum(counts[review] for review in REVIEW_FILTERS["reviewed"])
        return counts

    def filtered(self, name: str) -> pd.DataFrame:
        """The rows a review filter keeps (see :data:`REVIEW_FILTERS`)."""
        return self.claims[self.claims[REVIEW_COLUMN].isin(REVIEW_FILTERS[name])]

    def corrected(self) -> pd.DataFrame:
        """The claims as the person has them: rejected rows dropped."""
        return self.claims[self.claims[REVIEW_COLUMN] != "rejected"].reset_index(drop=True)


def _fingerprints(corrections: Corrections) -> set[tuple[str, str]]:
    """(a decision's line as JSON, its paper) for each decision: what changed between two reads."""
    return {(json.dumps(decision.record(), sort_keys=True), decision.paper) for decision in corrections.decisions}


