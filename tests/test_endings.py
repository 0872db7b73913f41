"""End-anchored patterns searched backwards (claimkit.extract.endings) find what re finds forwards."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given, settings, strategies as st

from claimkit.extract import context, endings, engine, kinds

REVERSED = {f"{module.__name__}.{name}": pattern for module in (kinds, engine, context)
            for name, pattern in vars(module).items()
            if isinstance(pattern, regex.Pattern) and pattern.pattern.startswith("(?r)")}
WORDS = ["by", "By", "the", "a", "an", "of", "improvement", "gains", "in", "BLEU", "ratio", "from", "to", "at",
         "is", "=", "using", "only", "'s", "(", "factor", "out", "reached", "on", "for", "x", " ", "\n", "-"]


def forward(pattern: regex.Pattern) -> re.Pattern:
    """The pattern as re would run it: no reverse flag, ``$`` for ``\\Z``."""
    return re.compile(pattern.pattern.removeprefix("(?r)").removesuffix(r"\Z") + "$",
                      pattern.flags & re.IGNORECASE)


def test_the_extractor_has_reversed_patterns():
    assert len(REVERSED) >= 10


@pytest.mark.parametrize("name", sorted(REVERSED))
@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=10), spaces=st.lists(st.sampled_from(["", " ", "  "]), max_size=10),
       bounds=st.tuples(st.integers(0, 80), st.integers(0, 80)))
def test_reverse_search_matches_where_forward_search_does(name, words, spaces, bounds):
    text = "".join(word + space for word, space in zip(words, spaces + [" "] * len(words)))
    start, end = min(bounds), max(bounds)
    reverse = REVERSED[name]
    assert bool(reverse.search(text, start, end)) == bool(forward(reverse).search(text, start, end))


@pytest.mark.parametrize("pattern", [r"\bby\s*$|=\s*$", r"\bby$", r"\bby\s*"])
def test_ending_refuses_patterns_it_cannot_reverse(pattern):
    with pytest.raises(ValueError, match="ending in"):
        endings.ending(pattern)
