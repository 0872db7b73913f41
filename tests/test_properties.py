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


NUMBER_WORD_PIECES = st.sampled_from([
    " ", "  ", "-", ", ", "(", "a ", "an ", "one ", "two ", "three ", "seven ", "twenty", "ten", "A ", "One ",
    "single", "Single ", "order", "orders ", "of ", "magnitude", "times", "fold", "hundred", "thousand",
    "million", "billion", "trillion", "hours", "day", "days", "GPU", "GPUs", "TPUs", "sometimes", "today", "x",
])


def word_quantities_in_wide_windows(text: str) -> list[tuple[int, int, float, str]]:
    """The number-word scan as first written: a 28-character window before every trigger."""
    from claimkit.extract import numbers

    lower, found = text.lower(), {}
    for trigger in numbers._WORD_TRIGGERS:
        position = lower.find(trigger)
        while position >= 0:
            if not (position and lower[position - 1].isalpha()):
                begin, end = max(0, position - 28), min(position + len(trigger) + 8, len(text))
                for match in numbers.WORD_SCAN.finditer(text, begin, end):
                    quantity = numbers._word_quantity(match)
                    if quantity is not None:
                        found.setdefault(quantity.start, quantity)
            position = lower.find(trigger, position + 1)
    kept = []
    for quantity in sorted(found.values(), key=lambda q: (q.start, -q.end)):
        if not kept or quantity.start >= kept[-1].end:
            kept.append(quantity)
    return [(q.start, q.end, q.low, q.unit) for q in kept]


@settings(max_examples=500, deadline=None)
@given(st.lists(NUMBER_WORD_PIECES, max_size=25).map("".join))
def test_number_words_found_in_short_windows_are_those_of_wide_windows(text: str) -> None:
    from claimkit.extract import numbers

    got = [(q.start, q.end, q.low, q.unit) for q in numbers._word_quantities(text)]
    assert got == word_quantities_in_wide_windows(text)


SENTENCE_PIECES = st.sampled_from(list("ab.!? \n\tA1\"'([") + ["e.g.", "et al.", "vs.", "\u00a0", "É", "Fig.", "3.5", "etc."])


def sentence_spans_by_regex(text: str) -> list[tuple[int, int]]:
    """Sentence spans as first written: one regex for the ends, abbreviations skipped."""
    import re

    spans, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[A-Z0-9\"'(\[])", text):
        if match.group(0) == "." and text.endswith(("e.g", "i.e", "et al", "vs", "approx", "cf", "Fig", "Eq", "etc"),
                                                   max(0, match.start() - 6), match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@settings(max_examples=500, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=30).map("".join))
def test_sentence_spans_are_those_of_the_regex_they_replaced(text: str) -> None:
    from claimkit.extract.context import sentence_spans

    assert sentence_spans(text) == sentence_spans_by_regex(text)
