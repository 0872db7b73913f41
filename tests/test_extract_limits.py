"""What one claim row carries, whatever the text: its own sentence only, and a bounded piece of it."""

from __future__ import annotations

import pytest

from claimkit.extract import find_claims
from claimkit.extract.context import sentence_spans
from claimkit.extract.engine import SENTENCE_LIMIT


@pytest.mark.parametrize("text", [
    "It runs GPT4.\u00a070B models.",
    "Tested on Qwen2.5. 72B params suffice.",
    "We beat LLaMA. 13B models lag.",
    "Results: 5.\u00a07B tokens.",
])
def test_a_claim_never_reaches_into_the_sentence_before(text: str) -> None:
    spans = sentence_spans(text)
    for claim in find_claims(text):
        assert any(start <= claim.start and claim.end <= end for start, end in spans), claim.text


@pytest.mark.parametrize("filler", ["word ", "a, b; ", "(x) "])
def test_a_long_sentence_is_cut_to_a_window_around_the_claim(filler: str) -> None:
    text = "We test. " + filler * 5000 + "It reaches 85.1% on MMLU " + filler * 5000 + "end."
    [claim] = [c for c in find_claims(text) if c.low == 85.1]
    assert text[claim.start:claim.end] == claim.text  # offsets point into the text itself
    assert claim.text in claim.sentence and len(claim.sentence) <= SENTENCE_LIMIT + 2
    assert claim.sentence.startswith("…") and claim.sentence.endswith("…")


def test_a_sentence_within_the_limit_is_kept_whole() -> None:
    text = "We test. It reaches 85.1% on MMLU and 70.2% on GSM8K."
    assert {claim.sentence for claim in find_claims(text)} == {"It reaches 85.1% on MMLU and 70.2% on GSM8K."}
