"""The ``claimkit`` command: a thin shell over the library.

Every failure is one line on stderr and an exit code (see :mod:`claimkit.errors`): 0 success,
1 internal error, 2 bad input or argument, 3 output not written, 4 fetch failed, 130 Ctrl-C,
143 SIGTERM. ``CLAIMKIT_TRACEBACK=1`` adds the traceback of an internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import traceback
from typing import Iterator, NoReturn, Sequence

import pandas as pd

from . import corpus, scale
from .corrections import looks_like_corrections
from .errors import ClaimkitError, UsageError, one_line
from .evaluate import evaluate, read_gold
from .extract import extract_claims
from .io import check_output, write_table
from .cli_review import (add_check_command, add_corrections_option, corrected_claims, evaluate_review,
                         print_correction_report, read_corrections_arg)
from .cli_sources import add_fetch_command, add_reader_options, positive_int, reading_from_args
from .readers import FORMATS, read_sources
from .stream import read_claims
from .table import KINDS


def read_inputs(inputs: Sequence[str], fmt: str | None = None) -> pd.DataFrame:
    """All inputs as one papers table (the seed page, which the seed gold labels, when none are given)."""
    return read_sources(list(inputs) or [str(corpus.DEFAULT_PAGE)], format=fmt)


def command_extract(args: argparse.Namespace) -> int:
    """Extract claims from INPUT files (default: the embedded corpus of 5,841 papers) and write them to OUT."""
    sources = list(args.inputs) or [str(corpus.DEFAULT_CORPUS)]
    check_output(args.output, sources)  # a bad suffix or path, or -o INPUT, fails before any work
    corrections = read_corrections_arg(args.corrections)  # and so does a bad corrections file
    # Streams chunk by chunk (see claimkit.scale): memory stays flat on any input size.
    stats = scale.extract_to_file(
        sources, args.output, format=args.format, chunk_size=args.chunk_size, jobs=args.jobs,
        engine=scale.resolve_engine(args.engine, args.scheduler), scheduler=args.scheduler,
        progress=not args.quiet, dashboard=args.dask_dashboard, corrections=corrections,
    )
    if not args.quiet:
        print(stats.summary(), file=sys.stderr)
    if corrections is not None:  # stale decisions are reported even with --quiet
        print_correction_report(corrections, stats.reviews, stats.stale, len(stats.decisions_in_scope))
    return 0


def command_eval(args: argparse.Namespace) -> int:
    """Score the claims of INPUT files against a gold file and print the table. The gold may be a
    corrections file: the extractor is then scored on the claims a person reviewed."""
    if looks_like_corrections(args.gold):
        corrections = read_corrections_arg(args.gold)  # a bad file, or a bad --save-gold, fails before any work
        if args.save_gold:
            check_output(args.save_gold, [args.gold, *args.inputs])
        papers = read_inputs(args.inputs, args.format)
        table = evaluate_review(papers, extract_claims(papers), corrections, args.save_gold)
    else:
        gold = read_gold(args.gold)  # a missing or bad gold file says so first
        if args.save_gold:
            raise UsageError("--save-gold", "needs a corrections file as --gold (this gold file is gold already)")
        papers = read_inputs(args.inputs, args.format)
        table = evaluate(extract_claims(papers), gold)
    with pd.option_context("display.width", 120, "display.max_columns", 20, "display.precision", 3):
        print(table.to_string(index=False, na_rep=""))
    return 0


def command_explore(args: argparse.Namespace) -> int:
    """Open the explorer on INPUT files (default: the embedded corpus), already run, as a Voila
    dashboard (or in JupyterLab with --lab); notebooks 02-04 are served beside it."""
    from .explore.launch import launch_explorer  # no widgets or charts: starts and fails fast

    return launch_explorer(list(args.inputs), args.port, args.no_browser, lab=args.lab, notebooks=args.notebooks,
                           max_kernels=args.max_kernels, idle_timeout=args.idle_timeout, corrections=args.corrections)


def command_leaderboard(args: argparse.Namespace) -> int:
    """Rank the score claims on BENCHMARK (any spelling) across the papers of INPUT files (default:
    the embedded corpus): one row per paper and method, dated and linked; -o writes it to a file."""
    from . import leaderboard as lb
    from .cache import load_corpus

    inputs = list(args.inputs) or [corpus.DEFAULT_CORPUS]
    if args.output:
        check_output(args.output, inputs)  # a bad suffix or path, or -o INPUT, fails before any work
    corrections = read_corrections_arg(args.corrections)
    loaded = load_corpus(inputs, progress=sys.stderr.isatty())
    claims = corrected_claims(loaded.papers, loaded.claims, corrections)
    key = lb.resolve_benchmark(claims, args.benchmark)
    if key is None:
        near = lb.nearest_benchmarks(claims, args.benchmark)
        hint = f" (nearest: {', '.join(near)})" if near else ""
        raise UsageError(args.benchmark, f"no score or gain claims on this benchmark{hint}")
    board = lb.leaderboard(claims, key, args.metric)
    if args.output:
        lb.write_leaderboard(board, args.output)
        print(f"{len(board)} rows on {key} written to {args.output}", file=sys.stderr)
    else:
        print(lb.format_leaderboard(board))
    return 0


def command_diff(args: argparse.Namespace) -> int:
    """Compare two claims files: claims added, removed and changed, by kind, with their sentences."""
    from .diff import diff_claims, summary

    if args.output:
        check_output(args.output, [args.old, args.new])  # before any work; -o OLD would lose OLD
    old, new = read_claims(args.old), read_claims(args.new)
    diff = diff_claims(old, new)
    if args.output:
        write_table(diff, args.output)
    print(summary(diff, old, new).to_string(index=False))
    shown = diff[diff["change"].isin(args.change or ("added", "removed", "changed"))]
    if args.kind:
        shown = shown[shown["kind"].isin(args.kind)]
    if args.sample is not None:
        shown = shown.sample(n=min(args.sample, len(shown)), random_state=args.seed).sort_index()
    elif args.limit is not None:
        shown = shown.head(args.limit)
    for row in shown.to_dict("records"):
        print(format_change(row))
    return 0


def format_change(row: dict) -> str:
    """A diff row as a few lines: the claim before (-) and after (+), and its sentence."""
    mark = {"added": "+", "removed": "-", "changed": "~"}[row["change"]]
    lines = [f"\n{mark} {row['paper']} {row['field']}:{row['start']}  {row['change']} {row['changed']}".rstrip()]
    lines += [f"    - {row['old']}"] if row["old"] else []
    lines += [f"    + {row['new']}"] if row["new"] else []
    lines.append(f"    | {row['sentence']}")
    return "\n".join(lines)


def summarize(papers: pd.DataFrame, claims: pd.DataFrame) -> str:
    """A few lines: how many claims of each kind from how many papers."""
    counts = claims["kind"].value_counts(sort=False)
    with_claims = claims["paper"].nunique()
    lines = [f"{len(claims)} claims from {with_claims} of {len(papers)} papers"]
    lines += [f"  {kind:<11}{count:>6}" for kind, count in counts.items()]
    return "\n".join(lines)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``claimkit: error: argument --retries: ...`` and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"claimkit: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="claimkit", description="Numeric claims from ML paper abstracts.")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help=command_extract.__doc__, description=command_extract.__doc__)
    extract.add_argument("inputs", nargs="*", metavar="INPUT",
                         help="papers: JSONL, CSV, Parquet, arXiv snapshot or Atom, HF daily papers JSON, BibTeX, page dump")
    extract.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .jsonl, .csv or .parquet")
    extract.add_argument("--format", choices=sorted(FORMATS), help="input format, instead of detecting it from the content")
    extract.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
    extract.add_argument("--jobs", type=positive_int, metavar="N",
                         help="worker processes (local engine, default 1) or LocalCluster workers (dask engine)")
    extract.add_argument("--engine", choices=scale.ENGINES,
                         help="local (default) or dask: map_partitions on a LocalCluster or on --scheduler")
    extract.add_argument("--scheduler", metavar="ADDRESS",
                         help="an existing Dask scheduler, e.g. tcp://host:8786 (implies --engine dask)")
    extract.add_argument("--dask-dashboard", action="store_true",
                         help="dask engine: serve the LocalCluster's dashboard on 127.0.0.1 (off by default)")
    extract.add_argument("--chunk-size", type=positive_int, default=scale.DEFAULT_CHUNK_SIZE, metavar="N",
                         help=f"papers per chunk (default {scale.DEFAULT_CHUNK_SIZE:,})")
    add_corrections_option(extract)
    add_reader_options(extract)
    extract.set_defaults(run=command_extract)

    explore = commands.add_parser("explore", help=command_explore.__doc__, description=command_explore.__doc__)
    explore.add_argument("inputs", nargs="*", metavar="INPUT", help="papers to explore (default: embedded corpus)")
    explore.add_argument("--port", type=positive_int, help="server port on 127.0.0.1 (default: a free one)")
    explore.add_argument("--no-browser", action="store_true", help="start the server without opening a browser")
    explore.add_argument("--lab", action="store_true", help="open the notebook in JupyterLab instead of the dashboard")
    explore.add_argument("--notebooks", metavar="DIR",
                         help="folder for your copies of the notebooks (default: ./claimkit-notebooks); "
                              "a notebook already there is never overwritten")
    explore.add_argument("--max-kernels", type=positive_int, default=8, metavar="N",
                         help="most kernels (open dashboards and notebooks) at once (default 8)")
    explore.add_argument("--idle-timeout", type=positive_int, default=3600, metavar="SECONDS",
                         help="shut down kernels idle this long with no page open (default 3600)")
    explore.add_argument("--corrections", metavar="FILE",
                         help="where the review buttons write decisions (default: corrections.jsonl in the notebooks folder)")
    explore.set_defaults(run=command_explore)

    board = commands.add_parser("leaderboard", help=command_leaderboard.__doc__,
                                description=command_leaderboard.__doc__)
    board.add_argument("benchmark", metavar="BENCHMARK", help="benchmark name, any spelling: GSM8K, gsm-8k, AIME-2024")
    board.add_argument("inputs", nargs="*", metavar="INPUT", help="papers (default: embedded corpus)")
    board.add_argument("--metric", help="metric to rank by (default: the one most claims name; '' for any)")
    board.add_argument("-o", "--output", metavar="OUT", help="write the table to OUT (.csv, .parquet or .jsonl)")
    add_corrections_option(board)
    board.set_defaults(run=command_leaderboard)

    score = commands.add_parser("eval", help=command_eval.__doc__, description=command_eval.__doc__)
    score.add_argument("inputs", nargs="*", metavar="INPUT", help="papers the gold labels (default: embedded corpus)")
    score.add_argument("--gold", default=str(corpus.SEED_GOLD),
                       help="gold claims JSONL (default: the seed gold), or a corrections file: score on what a person reviewed")
    score.add_argument("--save-gold", metavar="OUT",
                       help="with a corrections file as --gold: also write the reviewed claims as gold (.jsonl, .csv, .parquet)")
    score.add_argument("--format", choices=sorted(FORMATS), help="input format, instead of detecting it from the content")
    add_reader_options(score)
    score.set_defaults(run=command_eval)
    compare = commands.add_parser("diff", help=command_diff.__doc__, description=command_diff.__doc__)
    compare.add_argument("old", metavar="OLD", help="claims file (.jsonl, .csv, .parquet), e.g. of the old extractor")
    compare.add_argument("new", metavar="NEW", help="claims file of the same papers, e.g. of the new extractor")
    compare.add_argument("--change", action="append", choices=("added", "removed", "changed"),
                         help="list only these changes (repeatable; default all)")
    compare.add_argument("--kind", action="append", choices=KINDS, help="list only claims of this kind (repeatable)")
    compare.add_argument("--limit", type=positive_int, metavar="N", help="list the first N changes only")
    compare.add_argument("--sample", type=positive_int, metavar="N", help="list N changes drawn at random")
    compare.add_argument("--seed", type=int, default=0, help="random seed of --sample (default 0)")
    compare.add_argument("-o", "--output", metavar="OUT", help="also write every change to OUT (.jsonl, .csv, .parquet)")
    compare.set_defaults(run=command_diff)
    add_check_command(commands)
    add_fetch_command(commands)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that ``finally`` blocks remove temporary files."""


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (its default would kill without cleanup)."""
    def terminate(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # explore stops its own server on SIGTERM; every other command cleans up through exceptions
    handling = sigterm_raises() if args.command != "explore" else contextlib.nullcontext()
    try:
        with handling, reading_from_args(args):  # --on-error, --category, --since, ... for every read
            return args.run(args)
    except ClaimkitError as err:
        return fail(str(err), err.exit_code)
    except BrokenPipeError:  # "claimkit diff ... | head": the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # outputs are written atomically, so nothing partial is left
        return fail("interrupted", 130, prefix="claimkit: ")
    except Terminated:
        return fail("terminated", 143, prefix="claimkit: ")
    except Exception as err:  # a bug: still one line, the traceback on request
        if os.environ.get("CLAIMKIT_TRACEBACK"):
            traceback.print_exc()
        summary = one_line(err)[:300]
        return fail(f"{type(err).__name__}: {summary} (set CLAIMKIT_TRACEBACK=1 for the traceback; please report it)",
                    1, prefix="claimkit: internal error: ")


def fail(message: str, code: int, prefix: str = "claimkit: error: ") -> int:
    """Print one line on stderr and return the exit code."""
    print(prefix + " ".join(message.splitlines()), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
