"""CLI pieces for review: ``claimkit check``, and the corrections file for ``extract`` / ``eval``.
Kept out of :mod:`claimkit.cli` so that file stays a thin shell over the library."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

import pandas as pd

from .cli_sources import add_reader_options, positive_int
from .corrections import Corrections, Stale, correction_report, reviewed_gold
from .io import check_output, write_table
from .readers import FORMATS

GOLD_FIELDS = ("paper", "text", "kind", "low", "high", "unit", "qualifier", "metric", "benchmark", "baseline")


def add_corrections_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corrections", metavar="FILE",
                        help="a corrections file (JSONL of accept / reject / edit / add decisions) to apply")


def read_corrections_arg(path: str | None) -> Corrections | None:
    """The corrections file of ``--corrections`` (a missing or bad file fails before any work)."""
    if path is None:
        return None
    return Corrections.read(path)


def print_correction_report(corrections: Corrections, reviews: dict[str, int], stale: Sequence[Stale],
                            in_scope: int) -> None:
    """The corrections' effect on stderr; stale decisions one line each (never silently dropped)."""
    for line in correction_report(reviews, stale, len(corrections), in_scope):
        print(f"claimkit: {line.strip()}", file=sys.stderr)


def corrected_claims(papers: pd.DataFrame, claims: pd.DataFrame, corrections: Corrections | None) -> pd.DataFrame:
    """``claims`` with ``corrections`` applied (reported on stderr), or as they are."""
    if corrections is None:
        return claims
    corrected = corrections.apply(claims, papers)
    print_correction_report(corrections, corrected.reviews, corrected.stale, len(corrected.in_scope))
    return corrected.claims


# --- eval against a person's review ----------------------------------------------------------


def evaluate_review(papers: pd.DataFrame, claims: pd.DataFrame, corrections: Corrections | None,
                    save_gold: str | None) -> pd.DataFrame:
    """The score table of ``claims`` against the claims a person reviewed (``corrections``, read
    from a file); ``save_gold`` also writes that gold as a gold file."""
    from .errors import InputError
    from .evaluate import evaluate

    assert corrections is not None and corrections.path is not None
    gold, predicted = reviewed_gold(claims, corrections, papers)
    if gold.empty and predicted.empty:
        raise InputError(corrections.path, "no decision here is about a paper of the input (pass the papers it reviewed)")
    if save_gold:
        write_table(gold[list(GOLD_FIELDS)], save_gold)
    return evaluate(predicted, gold)


# --- claimkit check --------------------------------------------------------------------------


def command_check(args: argparse.Namespace) -> int:
    """List the claims that do not add up: impossible values, one model given different sizes,
    jumps far above every earlier claim on a benchmark, and papers whose claims are all best cases
    or name no baseline or metric; one finding per row, with its claims and sentence."""
    from . import corpus
    from .checks import check_claims, findings_summary, read_rules
    from .extract import extract_claims
    from .readers import read_sources

    if args.output:
        check_output(args.output, args.inputs)  # a bad suffix or path, or -o INPUT, fails before any work
    rules = read_rules(args.rules) if args.rules else read_rules()
    corrections = read_corrections_arg(args.corrections)
    papers = read_sources(list(args.inputs) or [str(corpus.DEFAULT_CORPUS)], format=args.format)
    claims = corrected_claims(papers, extract_claims(papers), corrections)
    findings = check_claims(claims, papers, rules, only=args.rule)
    if args.output:
        write_table(findings, args.output)
    shown_rules = [rule for rule in rules if not args.rule or rule.name in args.rule]
    print(findings_summary(findings, shown_rules).to_string(index=False))
    shown = findings
    if args.sample is not None:
        shown = shown.sample(n=min(args.sample, len(shown)), random_state=args.seed).sort_index()
    elif args.limit is not None:
        shown = shown.groupby("rule", sort=False).head(args.limit)
    for row in shown.to_dict("records"):
        print(format_finding(row))
    return 0


def format_finding(row: dict) -> str:
    """A finding as a few lines: rule, paper and subject; the message; the sentence."""
    return f"\n{row['rule']}  {row['paper']}  {row['subject']}\n    {row['message']}\n    | {row['sentence']}"


def add_check_command(commands: argparse._SubParsersAction) -> None:
    """``claimkit check [INPUT...]``."""
    check = commands.add_parser("check", help=command_check.__doc__, description=command_check.__doc__)
    check.add_argument("inputs", nargs="*", metavar="INPUT", help="papers to check (default: the embedded corpus of 5,841 papers)")
    check.add_argument("--format", choices=sorted(FORMATS), help="input format, instead of detecting it from the content")
    add_corrections_option(check)
    check.add_argument("--rules", metavar="FILE", help="a rules file like claimkit/vocab/checks.txt (default: that file)")
    check.add_argument("--rule", action="append", metavar="NAME", help="run only this rule (repeatable)")
    check.add_argument("--limit", type=positive_int, metavar="N", help="list at most N findings of each rule (default all)")
    check.add_argument("--sample", type=positive_int, metavar="N", help="list N findings drawn at random")
    check.add_argument("--seed", type=int, default=0, help="random seed of --sample (default 0)")
    check.add_argument("-o", "--output", metavar="OUT", help="also write every finding to OUT (.jsonl, .csv, .parquet)")
    add_reader_options(check)
    check.set_defaults(run=command_check)

