"""Decide what a quantity claims, from the words around it: (kind, unit) or None."""

from __future__ import annotations

import functools
import re

from ..vocab import counted_nouns, cue_words, word_list
from .numbers import Quantity

Decision = tuple[str, str, int]  # kind, unit, end offset of the words that tell it (0: none)

_WORD = re.compile(r"[A-Za-z][\w/+-]*")
_PARENS = re.compile(r"\([^)]*\)")
_BY_END = re.compile(r"\bby(?:\s+[\w-]+){0,2}\s*$", re.IGNORECASE)
_CHANGE_OF_END = re.compile(r"\b(?:improvements?|gains?|increases?|boosts?|reductions?|decreases?|"
                            r"speed-?ups?|accelerations?|margins?|savings?)\s+of\s*$", re.IGNORECASE)
_RATIO_OF_END = re.compile(r"\b(?:ratios?|rates?)\s+of\s*$", re.IGNORECASE)
_SCORE_END = re.compile(r"\b(?:from(?:\s+the|\s+an?)?|to|of|at|is|are|was|were)\s*$|=\s*$", re.IGNORECASE)
_PERCENT_DATA = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?data(?:set)?\b", re.IGNORECASE)
_ABSOLUTE = re.compile(r"\s*(?:\(absolute\)|absolute\b|points?\b|point\b)", re.IGNORECASE)
_OUT_OF = re.compile(r"\s*out\s+of\s+\d[\d,]*\s+((?:[\w-]+\s+){0,2}?[\w-]+s)\b", re.IGNORECASE)
_MODEL_WORDS = re.compile(r"\b(?:param\w*|models?|LMs?|LLMs?|VLMs?|sizes?|scales?|encoders?|decoders?|"
                          r"networks?|transformers?|backbones?|variants?)\b", re.IGNORECASE)
_DATA_WORDS = re.compile(r"\b(?:data|datasets?|corpus|corpora|collection|benchmark|samples?)\b", re.IGNORECASE)
_TRAINING_WORDS = re.compile(r"\b(?:gpus?|tpus?|train\w*|fine-?tun\w*|pre-?train\w*|compute)\b", re.IGNORECASE)
_MONEY = re.compile(r"\$\s*$|^\s*(?:USD|dollars)\b")
_DAY = re.compile(r"\s*(?:day|days|hour|hours)\b", re.IGNORECASE)
_PERFORMANCE = re.compile(r"\b(?:performance|accuracy|score|quality)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def _cue_pattern() -> re.Pattern:
    """One pattern with a named group per cue section (speed, reduction, gain, score)."""
    groups = []
    for section, words in cue_words().items():
        alternatives = []
        for word in sorted(words, key=len, reverse=True):
            stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
            alternatives.append(stem + (r"[\w-]*" if word.endswith("*") else ""))
        groups.append(f"(?P<{section}>" + "|".join(alternatives) + ")")
    # Letters only at the edges, so "end-to-end-throughput" still shows "throughput".
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(groups) + r")(?![A-Za-z])", re.IGNORECASE)


def first_cue(text: str) -> str:
    """The section of the first cue word in ``text`` (speed wins within the same words)."""
    found = list(_cue_pattern().finditer(text))
    if any(match.lastgroup == "speed" for match in found):
        return "speed"
    return found[0].lastgroup if found else ""


def last_cue(text: str) -> str:
    """The section of the cue word nearest the end of ``text``."""
    last = ""
    for match in _cue_pattern().finditer(text):
        last = match.lastgroup or ""
    return last


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` (parenthetical remarks removed)."""
    words = []
    for match in _WORD.finditer(_PARENS.sub(" ", text)):
        words.append(match.group(0))
        if len(words) == count:
            break
    return " ".join(words)


def counted_noun(right: str, window: int = 4) -> tuple[str, str, int] | None:
    """(kind, unit, end) of the first counted noun among the next ``window`` words."""
    nouns = counted_nouns()
    for index, match in enumerate(_WORD.finditer(right)):
        if index >= window or re.search(r"[.;:()]", right[:match.start()]):
            return None
        word = match.group(0).lower()
        tail = word.rsplit("-", 1)[-1]
        for candidate in (word, tail):
            if candidate in nouns:
                kind, unit = nouns[candidate]
                return kind, unit, match.end()
    return None


def hardware_follows(right: str, window: int = 3) -> int:
    """End offset of an accelerator word among the next ``window`` words ("V100 GPUs"), or 0."""
    hardware = word_list("hardware.txt")
    for index, match in enumerate(re.finditer(r"[\w-]+", right)):
        if index >= window:
            return 0
        if match.group(0).lower() in hardware:
            end = match.end()
            follow = re.match(r"(?:\s+(?:[\w-]+\s+)?(?:GPUs?|TPUs?|Ti|SXM\w*|PCIe|chips))+", right[end:])
            return end + (follow.end() if follow else 0)
    return 0


def classify(quantity: Quantity, left: str, right: str, qualifier_phrase: str) -> Decision | None:
    """The kind and unit of a quantity given the clause text on each side, or None."""
    if quantity.model_name:
        return "model_size", "params", 0
    if quantity.word == "single":
        return _single(right)
    if quantity.word in ("magnitude", "number") and quantity.unit == "x":
        return _factor_in_words(left, right)  # "ten times faster" yes, "is two-fold:" no
    if quantity.unit in ("", "x") and not quantity.scale:
        hardware_end = hardware_follows(right)
        if hardware_end:
            return "compute", "gpus", hardware_end
    if quantity.unit:
        return _change_or_score(quantity, left, right, qualifier_phrase)
    noun = counted_noun(right)
    if noun:
        return _sized(quantity, noun, left, right)
    if quantity.scale:
        return _scaled(quantity, left, right)
    return _bare(quantity, left, right)


def _single(right: str) -> Decision | None:
    """'a single GPU' / 'a single RTX 2080 Ti' / 'in a single day' -> compute 1."""
    hardware_end = hardware_follows(right)
    if hardware_end:
        return "compute", "gpus", hardware_end
    day = _DAY.match(right)
    if day:
        return "compute", "days" if "day" in day.group(0).lower() else "hours", day.end()
    return None


def _factor_in_words(left: str, right: str) -> Decision | None:
    """'an order of magnitude less', 'ten times faster' are factors; 'over 2 orders of magnitude of sizes' is not."""
    cue = first_cue(first_words(right, 2))
    if not cue and _BY_END.search(left):
        cue = last_cue(left) or "gain"
    return _change_kind(cue, "x") if cue in ("speed", "reduction", "gain") else None


def _change_kind(cue: str, unit: str, end: int = 0) -> Decision:
    kind = {"speed": "speedup", "reduction": "reduction", "gain": "gain", "score": "score"}[cue]
    return kind, unit, end


def _change_or_score(quantity: Quantity, left: str, right: str, qualifier_phrase: str) -> Decision | None:
    """Quantities written with %, x or points: speed-up, gain, reduction, score or a share of data."""
    unit = quantity.unit
    end = 0
    if unit == "%":
        absolute = _ABSOLUTE.match(right)
        if absolute:
            unit, end = "pt", absolute.end()
    if quantity.plus:
        return "gain", unit, end
    plain_right = _PARENS.sub(" ", right[end:])
    if qualifier_phrase.lower() == "within":
        return "reduction", unit, end  # "within 2% of the baseline": quality given up
    if re.match(r"\s*of\b", plain_right) and not _PERCENT_DATA.match(plain_right):
        verb = last_cue(" ".join(left.split()[-2:])) or first_cue(plain_right)
        return ("reduction", unit, end) if verb == "reduction" else ("score", unit, end)
    near = first_cue(first_words(plain_right, 3))
    if near:
        return _change_kind(near, unit, end)
    if unit == "%" and _PERCENT_DATA.match(plain_right):
        return "data_size", unit, end
    if _BY_END.search(left) or _CHANGE_OF_END.search(left):
        return _change_kind(_governing_cue(left), unit, end)
    if _RATIO_OF_END.search(left):
        cue = _governing_cue(left)
        return _change_kind(cue if cue != "gain" else "score", unit, end)
    just_before = last_cue(" ".join(left.split()[-1:]))
    if just_before:
        return _change_kind(just_before, unit, end)
    if unit == "x":
        if _PERFORMANCE.search(first_words(plain_right, 3)):
            return "gain", unit, end
        return ("reduction", unit, end) if last_cue(left) == "reduction" else ("speedup", unit, end)
    if unit == "pt":
        return ("score", unit, end) if last_cue(left) == "score" else ("gain", unit, end)
    if _SCORE_END.search(left):
        return "score", unit, end
    cue = last_cue(left)
    return _change_kind(cue, unit, end) if cue else ("score", unit, end)


def _governing_cue(left: str) -> str:
    """The change a 'by N' / 'improvement of N' belongs to: speed anywhere in the clause wins."""
    if any(match.lastgroup == "speed" for match in _cue_pattern().finditer(left)):
        return "speed"
    cue = last_cue(left)
    return cue if cue in ("reduction", "gain") else "gain"


def _sized(quantity: Quantity, noun: tuple[str, str, int], left: str, right: str) -> Decision | None:
    """'161k image-text pairs', '13 billion parameters', '8 GPUs', 'more than 80 hours'."""
    kind, unit, end = noun
    value = quantity.high
    if unit == "params":
        return ("model_size", unit, end) if quantity.scale else None
    if unit == "tokens":
        return ("data_size", unit, end) if value >= 1e4 else None  # a prompt length is no claim
    if unit == "hours":
        training = _TRAINING_WORDS.search(left) or _TRAINING_WORDS.search(right[:end + 12])
        return ("compute" if training else "data_size"), unit, end
    if kind == "compute":
        return kind, unit, end
    if left.rstrip().lower().endswith("top"):
        return None
    if quantity.scale or value >= 50 or quantity.word:
        return kind, unit, end
    return None


def _scaled(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Sizes with K/M/B/T and no counted noun: '7B' is a model; '100k ... dataset' is data."""
    if _MONEY.search(left) or _MONEY.search(right):
        return None
    if quantity.scale in ("B", "T"):
        return "model_size", "params", 0
    if quantity.scale == "M" and _MODEL_WORDS.search(left + " " + right):
        return "model_size", "params", 0
    if _DATA_WORDS.search(first_words(right, 3)) or _DATA_WORDS.search(left):
        return "data_size", "samples", 0
    return None


def _bare(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Numbers without unit: scores named by a metric ('0.279 RMSE'), '+0.53', 'by 0.1 to 0.65'."""
    from .context import metric_near  # local: context imports vocab files lazily

    if quantity.plus:
        return "gain", "", 0
    out_of = _OUT_OF.match(right)
    if out_of and not left.rstrip().endswith("("):  # "42% (34 out of 80)" restates the 42%
        return "score", out_of.group(1).split()[-1].lower(), out_of.end()
    head = first_words(right, 3)
    if head and metric_near(head, 0) and re.match(r"\s*[A-Za-z]", right):
        words_before_metric = right.lower().find(head.split()[0].lower())
        if words_before_metric <= 2:
            return "score", "", 0
    if quantity.from_to:
        return "score", "", 0
    fractional = quantity.low != int(quantity.low) or quantity.high != int(quantity.high)
    if fractional and _BY_END.search(left) and last_cue(left) in ("gain", "score", ""):
        return "gain", "", 0  # "improves the acceptance rate by 0.1 to 0.65"
    return None
