"""Fuzz: generated texts through cleanup and extraction, mutated files through the readers.

Texts are built from a seed (the same seed gives the same texts on any machine and build):
real abstracts cut, spliced and sprinkled with hostile characters, and sentences made of
numbers, units, claim words, LaTeX and odd spacing ("8 billion² TPU", "GPT4.\\xa070B", "1e1000").
Each text goes through :func:`claimkit.clean.clean_text` and :func:`claimkit.extract.find_claims`
(raw and cleaned); a claim whose ``text`` is not ``source[start:end]`` is reported too. Mutated
files of every input format (bytes flipped, cut, repeated) go through ``read_papers``, where
anything but an :class:`~claimkit.errors.InputError` is a failure.

    python benchmarks/fuzz.py                              # 200,000 texts, 2,000 files
    python benchmarks/fuzz.py --texts 5000 --files 100     # what the tests run
    python benchmarks/fuzz.py --digests a.txt              # one line per text: its claims' digest
    CLAIMKIT_PURE_PYTHON=1 python benchmarks/fuzz.py --digests b.txt --compare-with a.txt

``--digests`` and ``--compare-with`` make the same texts comparable across runs (the compiled and
the pure-Python build, or before and after a change): the differing texts are printed.
Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
FORMAT_SAMPLES = ROOT / "tests" / "data" / "formats"
HF_SAMPLE = ROOT / "tests" / "data" / "hf-daily-papers-2024-12-02.json"
NUMBERS = ["8", "1.75", "2.39", "39.8", "1,000", "1e3", "1e1000", "0.5", "10^3", "10^{3}", "½", "²", "³", "70B",
           "1.2B", "GPT4.", "65B", "4k", "161k", "-3", "+5", "1.5-2x", "3×", "2x", "(2x)", "1.", "12.5%", "%", "x",
           "times", "fold", "billion", "million", "k", "M", "B", "0", "00", "9" * 30, "1.2.3", "3-4", "to", "from"]
WORDS = ["speed-up", "faster", "GPUs", "V100", "A100", "TPU", "parameters", "tokens", "hours", "outperforms", "by",
         "on", "HumanEval", "GLUE", "MMLU", "accuracy", "F1", "reduces", "memory", "cost", "the", "baseline",
         "LLaMA-65B", "model", "a", "with", "than", "up to", "about", "~", "≈", "over", "images", "pairs", "lower",
         "latency", "throughput", "improves", "achieves", "SOTA", "vs.", "e.g.", "Fig.", "i.e."]
SEPARATORS = [" "] * 8 + ["\xa0", "\u2009", "\u202f", "-", "–", ",", ".", ". ", "\n", "(", ")", ";", ":", "/", "",
                          "  ", "\t", "!", "?", "\u200b", "\ufeff"]
MARKUP = ["$", "$$", "\\times", "\\%", "{", "}", "\\textbf{", "&amp;", "&#x", "\\(", "\\)", "~", "\\", "\\\\",
          "\\href{", "\\emph{", "\\\"o", "\\,", "<b>", "&lt;", "\x00", "\ud800", "🙂", "\u0301", "ǅ", "ß", "İ"]


def seed_texts() -> list[str]:
    lines = (ROOT / "data" / "seed_papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r["abstract"] for r in records] + [r["title"] for r in records]


def generate_texts(count: int, seed: int = 0) -> Iterator[str]:
    """``count`` texts, the same for the same ``seed``: half made up, half mutated abstracts."""
    rng = random.Random(seed)
    abstracts = seed_texts()
    for index in range(count):
        yield _made_up(rng) if index % 2 == 0 else _mutated(rng, rng.choice(abstracts))


def _made_up(rng: random.Random) -> str:
    tokens = []
    for _ in range(rng.randint(1, 40)):
        pool = rng.choices((NUMBERS, WORDS, MARKUP), weights=(5, 5, 1))[0]
        tokens += [rng.choice(pool), rng.choice(SEPARATORS)]
    return "".join(tokens)


def _mutated(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text) + 1)
        action = rng.randrange(5)
        if action == 0:  # insert a token
            text = text[:at] + rng.choice(NUMBERS + WORDS + MARKUP + SEPARATORS) + text[at:]
        elif action == 1:  # cut a piece out
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif action == 2:  # repeat a piece
            piece = text[at : at + rng.randint(1, 30)]
            text = text[:at] + piece * rng.randint(2, 20) + text[at:]
        elif action == 3:  # replace a character
            text = text[:at] + rng.choice(MARKUP + SEPARATORS)[:1] + text[at + 1:]
        else:  # splice: keep one end
            text = text[:at] if rng.random() < 0.5 else text[at:]
    return text


# --- texts through cleanup and extraction ----------------------------------------------------------


@dataclass
class Report:
    """Failures by stage: counts, and the first few texts and messages of each kind."""

    runs: int = 0
    failures: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def fail(self, stage: str, problem: str, text: object) -> None:
        key = (stage, problem.splitlines()[0][:200] if problem else "")
        self.failures[key] += 1
        self.examples.setdefault(key, text)

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        out = []
        for (stage, problem), count in self.failures.most_common():
            out.append(f"  {stage}: {count} x {problem}; first input: {self.examples[(stage, problem)]!r:.300}")
        return out


def digest(claims: list) -> str:
    """A short digest of a claims list (what build comparisons compare)."""
    return hashlib.sha1(repr([tuple(claim) for claim in claims]).encode("utf-8", "backslashreplace")).hexdigest()[:16]


def check_text(text: str, report: Report, clean: Callable[[str], str], find: Callable[[str], list]) -> str:
    """Run one text through cleanup and extraction; record failures; return the claims' digest."""
    report.runs += 1
    digests = []
    for stage, source in (("find_claims(raw)", text), ("find_claims(cleaned)", None)):
        if source is None:
            try:
                source = clean(text)
            except Exception as err:  # noqa: BLE001 (every exception is a finding)
                report.fail("clean_text", f"{type(err).__name__}: {err}", text)
                return "error"
        try:
            claims = find(source)
        except Exception as err:  # noqa: BLE001
            report.fail(stage, f"{type(err).__name__}: {err}", source)
            digests.append("error")
            continue
        for claim in claims:
            if source[claim.start : claim.end] != claim.text:
                report.fail(stage, "claim text is not source[start:end]", source)
                break
        digests.append(digest(claims))
    return ":".join(digests)


def fuzz_texts(count: int, seed: int = 0, digests: list[str] | None = None, progress: bool = False) -> Report:
    from claimkit.clean import clean_text
    from claimkit.extract import find_claims

    report = Report()
    for index, text in enumerate(generate_texts(count, seed)):
        result = check_text(text, report, clean_text, find_claims)
        if digests is not None:
            digests.append(result)
        if progress and index and index % 50_000 == 0:
            print(f"  {index:,} texts ...", file=sys.stderr, flush=True)
    return report


# --- mutated files through the readers ---------------------------------------------------------------


def mutated_files(count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``(file name, bytes)``: the format samples with bytes flipped, cut, repeated or inserted."""
    rng = random.Random(seed)
    samples = sorted(p for p in FORMAT_SAMPLES.iterdir() if p.is_file()) + [HF_SAMPLE]
    for _ in range(count):
        sample = rng.choice(samples)
        data = bytearray(sample.read_bytes())
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data) + 1)
            action = rng.randrange(5)
            if action == 0:
                data[at:at + 1] = bytes([rng.randrange(256)])
            elif action == 1:
                del data[at:at + rng.randint(1, 200)]
            elif action == 2:
                data[at:at] = data[at:at + rng.randint(1, 50)] * rng.randint(2, 50)
            elif action == 3:
                data[at:at] = rng.choice(MARKUP + NUMBERS + ['"', "[", "]", "{", "}", ",", "\n", "@", "<", ">"]).encode(
                    "utf-8", "surrogatepass")
            else:
                data[at:at] = rng.choice([b"[" * 3000, b"9" * 5000, b'"\\ud800"', b"\xff\xfe", b"\x00", b"\r"])
        yield sample.name, bytes(data)


def fuzz_files(count: int, seed: int = 0) -> Report:
    """Every mutated file read with ``read_papers``: an InputError (or UsageError) is fine, anything else fails."""
    from claimkit.errors import ClaimkitError
    from claimkit.readers import read_papers

    report = Report()
    with tempfile.TemporaryDirectory(prefix="claimkit-fuzz-") as folder:
        for index, (name, data) in enumerate(mutated_files(count, seed)):
            path = Path(folder) / f"{index}-{name}"
            path.write_bytes(data)
            report.runs += 1
            try:
                read_papers(path)
            except ClaimkitError as err:
                if "\n" in str(err):
                    report.fail("read_papers", "error of more than one line", str(err))
            except Exception as err:  # noqa: BLE001
                where = traceback.extract_tb(err.__traceback__)[-1]
                report.fail("read_papers", f"{type(err).__name__} at {Path(where.filename).name}:{where.lineno}: {err}",
                            data[:300])
            path.unlink()
    return report


def compare(digests: list[str], other: Path, texts: Iterator[str], show: int = 10) -> list[str]:
    """Lines for the texts whose digests differ from those stored in ``other``."""
    theirs = other.read_text(encoding="utf-8").splitlines()
    lines = []
    for index, (mine, their, text) in enumerate(zip(digests, theirs, texts)):
        if mine != their:
            lines.append(f"  text {index}: {text!r:.200}")
    if len(theirs) != len(digests):
        lines.append(f"  {len(theirs)} digests stored, {len(digests)} computed")
    return lines[:show] + ([f"  ... {len(lines) - show} more"] if len(lines) > show else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200_000, help="generated texts (default 200,000)")
    parser.add_argument("--files", type=int, default=2_000, help="mutated input files (default 2,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator (default 0)")
    parser.add_argument("--digests", type=Path, help="write one digest line per text here")
    parser.add_argument("--compare-with", type=Path, help="digests of another run: print the texts that differ")
    args = parser.parse_args(argv)
    import claimkit.extract

    print(f"claimkit build: {claimkit.extract.BUILD}, seed {args.seed}")
    start = time.perf_counter()
    digests: list[str] = []
    texts = fuzz_texts(args.texts, args.seed, digests, progress=args.texts >= 100_000)
    print(f"texts: {texts.runs:,} in {time.perf_counter() - start:.1f} s, {sum(texts.failures.values())} failures")
    print("\n".join(texts.lines()))
    start = time.perf_counter()
    files = fuzz_files(args.files, args.seed)
    print(f"files: {files.runs:,} in {time.perf_counter() - start:.1f} s, {sum(files.failures.values())} failures")
    print("\n".join(files.lines()))
    differ: list[str] = []
    if args.digests:
        args.digests.write_text("\n".join(digests) + "\n", encoding="utf-8")
    if args.compare_with:
        differ = compare(digests, args.compare_with, generate_texts(args.texts, args.seed))
        print(f"differ from {args.compare_with}: {len(differ)} shown")
        print("\n".join(differ))
    return 0 if texts.ok and files.ok and not differ else 1


if __name__ == "__main__":
    sys.exit(main())
