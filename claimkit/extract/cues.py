"""Cue words (claimkit/vocab/cues.txt) found by dictionary lookups, in text order.

A regex alternation over every cue word costs a try at each character; splitting a few words
and looking each up is several times faster, and these lookups run for every claim.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from ..vocab import cue_words

_WORD: Final = re.compile(r"[A-Za-z][A-Za-z/+-]*")
_STEM_KEY: Final = 3  # letters that index the stems


class CueIndex:
    """Exact words, multi-word phrases and ``stem*`` prefixes, each mapped to its section."""

    def __init__(self, sections: dict[str, tuple[str, ...]]) -> None:
        self.words: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[list[str], str]]] = {}
        stems: list[tuple[str, str]] = []
        for section, entries in sections.items():
            for entry in entries:
                if entry.endswith("*"):
                    stems.append((entry[:-1], section))
                elif " " in entry:
                    words = entry.split()
                    self.phrases.setdefault(words[0], []).append((words, section))
                else:
                    self.words.setdefault(entry, section)
        # Stems by their first letters (longest stem first), so a word is compared with the few
        # stems it could start with, not all of them; stems shorter than that are kept apart.
        self.stems: dict[str, list[tuple[str, str]]] = {}
        self.short_stems: list[tuple[str, str]] = []
        for stem, section in sorted(stems, key=lambda item: -len(item[0])):
            if len(stem) >= _STEM_KEY:
                self.stems.setdefault(stem[:_STEM_KEY], []).append((stem, section))
            else:
                self.short_stems.append((stem, section))

    def _word_section(self, word: str, original: str) -> str:
        section = self.words.get(word)
        if section:
            return section
        for stem, section in self.stems.get(word[:_STEM_KEY], []) + self.short_stems:
            if word.startswith(stem):
                return "" if any(c.isupper() for c in original[1:]) else section  # not "EfficientFormer"
        return ""

    def sections(self, text: str) -> list[str]:
        """The section of each cue in ``text``, in order ("end-to-end-throughput" -> speed)."""
        originals = _WORD.findall(text)
        lowered = [word.lower() for word in originals]
        found: list[str] = []
        for index, word in enumerate(lowered):
            phrase = self._phrase_at(lowered, index)
            if phrase:
                found.append(phrase)
                continue
            section = self._word_section(word, originals[index])
            if not section and "-" in word:
                parts = [self._word_section(part.lower(), part) for part in originals[index].split("-") if part]
                section = next((part for part in reversed(parts) if part), "")
            if section:
                found.append(section)
        return found

    def _phrase_at(self, words: list[str], index: int) -> str:
        for phrase, section in self.phrases.get(words[index], ()):
            if words[index:index + len(phrase)] == phrase:
                return section
        return ""


@functools.lru_cache(maxsize=None)
def cue_index() -> CueIndex:
    return CueIndex({section: words for section, words in cue_words().items() if section != "rise"})


@functools.lru_cache(maxsize=None)
def rise_index() -> CueIndex:
    """The @rise words alone (they also sit in @gain, where they decide kinds)."""
    return CueIndex({"rise": cue_words()["rise"]})


@functools.lru_cache(maxsize=1)
def rise_stems() -> tuple[str, ...]:
    """The @rise entries as lower-case substrings: a text holding none of them says no rise, which
    ``str.find`` tells ten times faster than the word index."""
    return tuple(sorted({entry.rstrip("*") for entry in cue_words()["rise"]}))


def says_rise(text: str) -> bool:
    """Whether ``text`` has a word for going up ("increases", "higher", "rose")."""
    return bool(rise_index().sections(text))


def cue_sections(text: str) -> list[str]:
    """Sections ('speed', 'reduction', 'reduction_object', 'gain', 'score') of the cues in ``text``."""
    return cue_index().sections(text)
