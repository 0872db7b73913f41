"""Decide what a quantity claims, from the words around it: (kind, unit) or None."""

from __future__ import annotations

import re
from typing import Final

import regex

from ..vocab import counted_nouns, word_list
from .context import metric_near
from .cues import cue_sections
from .endings import ending
from .numbers import ATTACHED_WORD, Quantity

Decision = tuple[str, str, int]  # kind, unit, end offset of the words that tell it (0: none)

_WORD: Final = re.compile(r"[A-Za-z][\w/+-]*")
_PARENS: Final = re.compile(r"\([^)]*\)")
_BY_END: Final = ending(r"\bby(?:\s+(?:an?|the|only|just|impressive|remarkable|substantial|significant|"
                        r"notable|considerable|large|wide|additional|further|extra|absolute|relative|average|"
                        r"margin|of))*\s*$", regex.IGNORECASE)
_CHANGE_OF_END: Final = ending(r"\b(?:improvements?|gains?|increases?|boosts?|reductions?|decreases?|"
                               r"speed-?ups?|accelerations?|margins?|savings?)"
                               r"(?:\s+in\s+[\w\s@-]{1,30}?)?\s+of\s*$",
                               regex.IGNORECASE)  # "an improvement in BLEU score of 1.6"
_RATIO_OF_END: Final = ending(r"\b(?:ratios?|rates?)\s+of\s*$", regex.IGNORECASE)
_SCORE_END: Final = ending(r"(?:\b(?:from(?:\s+the|\s+an?)?|to|of|at|is|are|was|were)|=)\s*$", regex.IGNORECASE)
_PERCENT_DATA: Final = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?data(?:set)?\b", re.IGNORECASE)
_ONLY_USING: Final = ending(r"\b(?:using|uses|use|utili[sz]ing|requiring|requires|with|needing|needs)\s+only\s*$",
                            regex.IGNORECASE)
_VALUE_OF_NAME: Final = ending(r"(?:'s|’s|\()\s*$")  # "GPT-4o's 20%", "Random Forest (46%)"
_CONTEXT_WORDS: Final = re.compile(r"\b(?:context|window|sequence length|long-context|prompt|input)s?\b", re.IGNORECASE)
_OF_DATA: Final = re.compile(r"\s*of\s+(?:[\w-]+\s+)?(?:data|speech|audio|video|videos|recordings?|footage|text)\b",
                             re.IGNORECASE)
_ABSOLUTE: Final = re.compile(r"\s*(?:\(absolute\)|absolute\b|points?\b|point\b)", re.IGNORECASE)
_OUT_OF: Final = re.compile(r"\s*out\s+of\s+\d[\d,]*\s+((?:[\w-]+\s+){0,2}?[\w-]+s)\b", re.IGNORECASE)
_MODEL_WORDS: Final = re.compile(r"\b(?:param\w*|models?|LMs?|LLMs?|VLMs?|sizes?|scales?|encoders?|decoders?|"
                                 r"networks?|transformers?|backbones?|variants?)\b", re.IGNORECASE)
_DATA_WORDS: Final = re.compile(r"\b(?:data|datasets?|corpus|corpora|collection|benchmark|samples?)\b", re.IGNORECASE)
_FACTOR_OF: Final = ending(r"\bfactor\s+of\s*$", regex.IGNORECASE)
_METRIC_IS: Final = ending(r"(?:(?<!\bout )\b(?:of|was|is|are|reaches|reached|achieves|achieved)|=)\s*$",
                           regex.IGNORECASE)
_MONEY: Final = re.compile(r"\$\s*$|^\s*(?:USD|dollars)\b")
_HOURS_OF_DATA: Final = re.compile(r"\b(?:videos?|speech|audio|recordings?|footage|data|dataset|corpus|spanning|"
                                   r"clips|podcasts?|lectures?|music|songs?)\b", re.IGNORECASE)
_BATCH: Final = re.compile(r"\bbatch(?:\s|-)size", re.IGNORECASE)
_NOT_A_SIZE: Final = ("", "", -1)  # counted_noun's answer for "a resolution / a rate, not a count"
_NOT_COUNTED_BY: Final = frozenset({"resolution", "per", "context", "window", "length", "batch", "steps",
                                    "epochs", "dimensional", "dimensions", "bit", "bits", "px", "pixels"})
_SCALING_FACTOR: Final = re.compile(r"\s*(?:factors?|upscaling|upsampling|downsampling|super-resolution|resolution|"
                                    r"magnification|zoom)\b", re.IGNORECASE)
_PER_SECOND: Final = re.compile(r"\s*(?:per\s+second|/s)\b", re.IGNORECASE)
_TAIL: Final = 64  # end-anchored patterns look at the end of the left context only
_DAY: Final = re.compile(r"\s*(?:day|days|hour|hours)\b", re.IGNORECASE)
_PERFORMANCE: Final = re.compile(r"\b(?:performance|accuracy|score|quality)\b", re.IGNORECASE)


# Patterns compiled once: the module-level re functions look each pattern up in a cache per call.
_CLAUSE_MARK: Final = re.compile(r"[.;:()]")
_HARDWARE_WORD: Final = re.compile(r"[\w-]+")
_HARDWARE_TAIL: Final = re.compile(r"(?:\s+(?:[\w-]+\s+)?(?:GPUs?|TPUs?|Ti|SXM\w*|PCIe|chips))+")
_OF: Final = re.compile(r"\s*of\b")
_TIME_WORD: Final = re.compile(r"\btime\b|latenc")
_LETTER_NEXT: Final = re.compile(r"\s*[A-Za-z]")


_PRIORITY: Final = ("speed", "reduction", "reduction_object", "gain", "score")


def first_cue(text: str) -> str:
    """The strongest cue section in a few words: speed, then reduction, gain, score.

    "30x more compute-efficient" is a reduction, "1.22x lower latency" a speed-up.
    """
    found = set(cue_sections(text))
    return next((section for section in _PRIORITY if section in found), "")


def last_cue(text: str) -> str:
    """The section of the cue word nearest the end of ``text``."""
    found = cue_sections(text)
    return found[-1] if found else ""


def _without_parens(text: str) -> str:
    """``text`` with parenthetical remarks blanked (most texts have none: no regex then)."""
    return _PARENS.sub(" ", text) if "(" in text else text


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` (parenthetical remarks removed)."""
    words = []
    for match in _WORD.finditer(_without_parens(text)):
        words.append(match.group(0))
        if len(words) == count:
            break
    return " ".join(words)


def counted_noun(right: str, window: int = 4) -> tuple[str, str, int] | None:
    """(kind, unit, end) of the first counted noun among the next ``window`` words."""
    nouns = counted_nouns()
    attached = ATTACHED_WORD.match(right)  # "50K-sample instruction dataset": the count is of samples
    if attached and attached.group(1).lower() in nouns:
        return (*nouns[attached.group(1).lower()], attached.end())
    found = None
    stop = _CLAUSE_MARK.search(right)
    stop_at = stop.start() if stop else len(right)  # no counted noun beyond . ; : ( )
    for index, match in enumerate(_WORD.finditer(right)):
        if index >= window or match.start() > stop_at:
            break
        word = match.group(0).lower()
        if word in _NOT_COUNTED_BY:
            return _NOT_A_SIZE  # "2K resolution images", "1B per input token"
        if word in nouns:
            return (*nouns[word], match.end())
        tail = nouns.get(word.rsplit("-", 1)[-1])
        if tail:
            found = (*tail, match.end())  # keep going: "image-caption pairs" counts pairs
        elif found:
            break
    return found


def hardware_follows(right: str, window: int = 3) -> int:
    """End offset of an accelerator word among the next ``window`` words ("V100 GPUs"), or 0."""
    hardware = word_list("hardware.txt")
    for index, match in enumerate(_HARDWARE_WORD.finditer(right)):
        if index >= window:
            return 0
        word = match.group(0).lower()
        if word in hardware or ("-" in word and word.split("-", 1)[0] in hardware):
            end = match.end()
            follow = _HARDWARE_TAIL.match(right, end)
            return follow.end() if follow else end
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
        hardware_end = hardware_follows(right, 3 if not quantity.unit else 1)
        if hardware_end and quantity.unit == "x" and "hour" in right[:hardware_end + 6].lower():
            hardware_end = 0  # "2x GPU-hour reduction" is a change of compute, not a GPU count
        if hardware_end:
            budget = _DAY.match(right, hardware_end)  # "200 GPU hours"
            if budget:
                return "compute", "days" if "day" in budget.group(0).lower() else "hours", budget.end()
            return "compute", "gpus", hardware_end
    if quantity.unit == "ms":
        return "score", "ms", 0  # an absolute latency
    if not quantity.unit and _FACTOR_OF.search(left[-_TAIL:]):
        quantity.unit = "x"  # "by a factor of 3.5"
    if quantity.unit:
        return _change_or_score(quantity, left, right, qualifier_phrase)
    noun = counted_noun(right)
    if noun == _NOT_A_SIZE:  # compared by value: compiled code does not keep tuple identity
        return None
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
    if not cue and _BY_END.search(left[-_TAIL:]):
        cue = last_cue(left) or "gain"
    return _change_kind(cue, "x") if cue in ("speed", "reduction", "gain") else None


def _cue_kind(cue: str) -> str:
    """Cue section -> the section that decides a kind (objects of a decrease are reductions)."""
    return "reduction" if cue == "reduction_object" else cue


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
    if quantity.from_to:
        return "score", unit, end  # "from 72.2% to 75.6%": before and after
    in_parens = left.rstrip().endswith("(")
    named = _cue_kind(last_cue(_words_before_paren(left))) if in_parens else ""
    if named:
        return _change_kind(named, unit, end)  # "performance gains (11.0% for 2B ...)"
    if in_parens and right.lstrip().startswith(")"):
        return "score", unit, end  # "GPT-4o (13.9%)": a value of the name before it
    if left.rstrip().endswith(" to") and _governing_cue(left) == "speed" and _cue_kind(last_cue(left)) != "gain":
        return "speedup", unit, end  # "reduces training time to 1%"
    plain_right = _without_parens(right[end:])
    if unit == "x" and _SCALING_FACTOR.match(plain_right):
        return None  # "supports 2x and 4x factors": an image scale, not a claim
    if qualifier_phrase.lower() == "within":
        return "reduction", unit, end  # "within 2% of the baseline": quality given up
    if _ONLY_USING.search(left[-_TAIL:]):
        return ("speedup" if first_cue(plain_right) == "speed" else "reduction"), unit, end
    if _OF.match(plain_right) and not _PERCENT_DATA.match(plain_right):
        return _share_of(left, plain_right, unit, end)
    near = _cue_kind(first_cue(first_words(_up_to_next_number(plain_right), 4)))
    if near:
        return _change_kind(near, unit, end)
    if unit != "x" and _VALUE_OF_NAME.search(left[-_TAIL:]):
        return "score", unit, end
    if unit == "%" and _PERCENT_DATA.match(plain_right):
        return "data_size", unit, end
    if _BY_END.search(left[-_TAIL:]) or _CHANGE_OF_END.search(left[-_TAIL:]):
        return _change_kind(_governing_cue(left), unit, end)
    if _RATIO_OF_END.search(left[-_TAIL:]):
        cue = _governing_cue(left)
        return _change_kind(cue if cue != "gain" else "score", unit, end)
    just_before = _cue_kind(last_cue(" ".join(left.split()[-1:])))
    if just_before and not (unit == "x" and just_before == "score"):  # "savings reach 4.2x" is no score
        return _change_kind(just_before, unit, end)
    if unit == "x":
        if _PERFORMANCE.search(first_words(plain_right, 3)):
            return "gain", unit, end
        cues = {_cue_kind(cue) for cue in cue_sections(left)}
        return ("reduction", unit, end) if "reduction" in cues and "speed" not in cues else ("speedup", unit, end)
    if unit == "pt":
        return ("score", unit, end) if last_cue(left) == "score" else ("gain", unit, end)
    if _SCORE_END.search(left[-_TAIL:]):
        return "score", unit, end
    cue = _cue_kind(last_cue(left))
    return _change_kind(cue, unit, end) if cue else ("score", unit, end)


_NEXT_PART: Final = re.compile(r"\d|\s(?:and|or|but|while|whereas)\s")


def _up_to_next_number(text: str) -> str:
    """Cues after the next number, or after 'and', belong to something else."""
    found = _NEXT_PART.search(text)
    return text[:found.start()] if found else text


def _share_of(left: str, right: str, unit: str, end: int) -> Decision:
    """'98% of compute costs' saved, '12% of the training time', '39.8% of problems' solved."""
    verb = _cue_kind(last_cue(" ".join(left.split()[-2:])))
    if verb == "reduction" or (not verb and _cue_kind(first_cue(right)) == "reduction"):
        return "reduction", unit, end
    timed = _TIME_WORD.search(right, 0, 40)
    if verb == "speed" or (not verb and timed and first_cue(right[:40]) == "speed"):
        return "speedup", unit, end  # "12% of the training time"; "97% of the time" is a score
    return "score", unit, end


def _words_before_paren(left: str) -> str:
    return " ".join(left.rstrip(" (").split()[-1:])


def _governing_cue(left: str) -> str:
    """The change a 'by N' / 'improvement of N' belongs to: speed anywhere in the clause wins."""
    cues = cue_sections(left)
    if "speed" in cues:
        return "speed"
    verbs = [cue for cue in cues if cue in ("reduction", "gain")]
    if verbs:
        return verbs[-1]
    return "reduction" if "reduction_object" in cues else "gain"


def _sized(quantity: Quantity, noun: tuple[str, str, int], left: str, right: str) -> Decision | None:
    """'161k image-text pairs', '13 billion parameters', '8 GPUs', 'more than 80 hours'."""
    kind, unit, end = noun
    value = quantity.high
    if unit == "params":
        return ("model_size", unit, end) if quantity.scale else None
    if unit == "tokens":
        rate = _PER_SECOND.match(right, end)
        if rate:
            return "score", "tokens/s", rate.end()  # "11 tokens per second"
        if value < 1e4:
            return None  # a prompt length is no claim
        return ("score" if _CONTEXT_WORDS.search(left) else "data_size"), unit, end
    if unit == "hours":
        if _OF_DATA.match(right[end:]) or _HOURS_OF_DATA.search(left) or _HOURS_OF_DATA.search(first_words(right[end:], 4)):
            return "data_size", unit, end  # "80 hours of driving videos", "a 650-hour data mix"
        return "compute", unit, end  # "within one hour", "for 16 hours"
    if kind in ("compute", "score"):
        return kind, unit, end
    if left.rstrip().lower().endswith("top"):
        return None
    if quantity.scale or value >= 50 or quantity.word:
        return kind, unit, end
    return None


def _scaled(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Sizes with K/M/B/T and no counted noun: '7B' is a model; '100k ... dataset' is data."""
    if _MONEY.search(left) or _MONEY.search(right) or _BATCH.search(left):
        return None  # "$2M", "a batch size of 4M" (a set-up choice)
    if _DATA_WORDS.search(first_words(right, 2)):
        return "data_size", "samples", 0  # ">100B corpus"
    if quantity.scale in ("B", "T"):
        return "model_size", "params", 0
    if quantity.scale == "M" and _MODEL_WORDS.search(left + " " + right):
        return "model_size", "params", 0
    if _DATA_WORDS.search(first_words(right, 3)) or _DATA_WORDS.search(left):
        return "data_size", "samples", 0
    return None


def _bare(quantity: Quantity, left: str, right: str) -> Decision | None:
    """Numbers without unit: scores named by a metric ('0.279 RMSE'), '+0.53', 'by 0.1 to 0.65'."""
    if quantity.plus:
        return "gain", "", 0
    out_of = _OUT_OF.match(right)
    if out_of and not left.rstrip().endswith("("):  # "42% (34 out of 80)" restates the 42%
        return "score", out_of.group(1).split()[-1].lower(), out_of.end()
    if _CHANGE_OF_END.search(left[-_TAIL:]) and _governing_cue(left) == "gain":
        return "gain", "", 0  # "a gain of 3.54 BLEU"
    fractional = quantity.low != int(quantity.low) or quantity.high != int(quantity.high)
    if fractional and _BY_END.search(left[-_TAIL:]) and last_cue(left) in ("gain", "score", ""):
        return "gain", "", 0  # "surpassing X by 0.7 mIoU", "improves the acceptance rate by 0.1 to 0.65"
    head = first_words(right, 3)
    if head and metric_near(head, 0) and _LETTER_NEXT.match(right):
        words_before_metric = right.lower().find(head.split()[0].lower())
        if words_before_metric <= 2:
            return "score", "", 0
    if quantity.from_to:
        return "score", "", 0
    if _METRIC_IS.search(left[-_TAIL:]) and metric_near(left[-40:], 40) and not right.lstrip().startswith(")"):
        return "score", "", 0  # "a FID of 2.27", "execution accuracy was 79.9"
    return None
