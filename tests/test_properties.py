"""Properties that hold for any text: extraction never raises and every row is consistent."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from claimkit import extract_claims
from claimkit.extract import find_claims

# Text made of the pieces abstracts are made of, so the rules are really exercised.
PIECES = st.sampled_from([
    " ", ", ", ". ", " and ", " by ", " up to ", " over ", "(", ")", "-", "--", " to ", "x", "×",
    "%", "\\%", " points", "B", "M", "K", "k", " billion", " parameters", " tokens", " GPUs",
    " faster", " improvement", " less", " of the", " accuracy", " on GLUE", "LLaMA-", "GPT-4",
    " a single", " GPU", " from", " between", " +", ">", "~", " times", "-fold", " hours",
])
NUMBERS = st.one_of(st.integers(0, 100_000).map(str), st.floats(0, 1000, allow_nan=False).map(lambda v: f"{v:.2f}"))
TEXTS = st.lists(st.one_of(PIECES, NUMBERS, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_claims_are_exact_spans_with_ordered_values(text: str) -> None:
    for claim in find_claims(text):
        assert text[claim.start:claim.end] == claim.text
        assert claim.low <= claim.high
        assert claim.sentence and claim.text in text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60))
def test_table_rows_point_into_their_field(abstract: str, title: str) -> None:
    papers = pd.DataFrame({"paper": ["x"], "title": [title], "abstract": [abstract]})
    claims = extract_claims(papers)
    for row in claims.itertuples():
        source = title if row.field == "title" else abstract
        assert source[row.start:row.end] == row.text
        assert row.low <= row.high


WORDY = st.lists(st.one_of(PIECES, NUMBERS, st.text(alphabet="aZ9_.-'’&@+/ é(", max_size=6)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDY)
def test_sentence_words_are_the_tokens_without_trailing_marks_at_their_offsets(text: str) -> None:
    import re

    from claimkit.extract.context import SentenceWords

    tokens = [(m.start(), m.group(0).rstrip(".-'’")) for m in re.finditer(r"[A-Za-z0-9][\w+\-./@'’&]*", text)]
    words = SentenceWords(text)
    assert [(words.offset(index), word) for index, word in enumerate(words.words)] == tokens
