"""Readers: format detection, each format's papers and metadata, cleanup, filters, skipping."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from claimkit import corpus
from claimkit.clean import clean_text
from claimkit.errors import InputError, UsageError
from claimkit.extract import extract_claims
from claimkit.readers import detect_format, filter_papers, iter_papers, read_papers, reading, with_paper_metadata

DATA = Path(__file__).parent / "data"
FORMATS = DATA / "formats"
HF = DATA / "hf-daily-papers-2024-12-02.json"


# --- detection -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("papers.jsonl", "jsonl"),
    ("papers.csv", "csv"),
    ("snapshot.json", "arxiv"),
    ("atom.xml", "atom"),
    ("papers.bib", "bibtex"),
])
def test_detects_format_by_content(tmp_path: Path, name: str, expected: str) -> None:
    assert detect_format(FORMATS / name) == expected
    # the content decides, not the suffix: the same bytes under a misleading name
    disguised = tmp_path / "download.txt"
    shutil.copy(FORMATS / name, disguised)
    assert detect_format(disguised) == expected


def test_detects_the_hf_response_and_a_snapshot_named_jsonl(tmp_path: Path) -> None:
    assert detect_format(HF) == "hf"
    renamed = tmp_path / "arxiv.jsonl"
    shutil.copy(FORMATS / "snapshot.json", renamed)
    assert detect_format(renamed) == "arxiv"


def test_format_argument_overrides_detection() -> None:
    as_plain_jsonl = read_papers(FORMATS / "snapshot.json", format="jsonl")
    assert as_plain_jsonl["abstract"][0].startswith("  We present SpecX")  # verbatim: not cleaned
    assert "$2.5\\times$" in as_plain_jsonl["abstract"][0]
    with pytest.raises(UsageError, match="--format: unknown format 'yaml'"):
        read_papers(FORMATS / "papers.jsonl", format="yaml")


# --- papers and metadata per format ------------------------------------------------------------

SPECX = {
    "paper": "2401.08123",
    "title": "SpecX: Speculative Decoding for Fast LLM Inference",
    "abstract": ("We present SpecX, a speculative decoding method that achieves up to 2.5× speedup over "
                 "autoregressive decoding and ~40% lower latency on MT-Bench. With only 7B parameters, the "
                 "draft-free model matches the quality of a 70B model."),
}

METADATA = [
    ("snapshot.json", {"arxiv_id": "2401.08123", "url": "https://arxiv.org/abs/2401.08123", "published": "2024-01-15",
                       "updated": "2024-11-01", "authors": "Wei Chen; Ana García", "categories": "cs.CL cs.LG"}),
    ("atom.xml", {"arxiv_id": "2401.08123", "url": "https://arxiv.org/abs/2401.08123", "published": "2024-01-15",
                  "updated": "2024-11-01", "authors": "Wei Chen; Ana García", "categories": "cs.CL cs.LG"}),
    ("papers.bib", {"arxiv_id": "2401.08123", "url": "https://arxiv.org/abs/2401.08123", "published": "2024-01",
                    "authors": "Wei Chen; Ana García", "categories": "cs.CL", "bibkey": "chen2024specx"}),
    ("papers.jsonl", {"published": "2024-01-15", "categories": "cs.CL cs.LG"}),
    ("papers.csv", {"categories": "cs.CL cs.LG"}),
]


@pytest.mark.parametrize("name, metadata", METADATA, ids=[m[0] for m in METADATA])
def test_reads_papers_and_metadata(name: str, metadata: dict) -> None:
    papers = read_papers(FORMATS / name)
    assert len(papers) == 4
    assert list(papers.columns[:3]) == ["paper", "title", "abstract"]
    first = papers.iloc[0].to_dict()
    assert {k: first[k] for k in SPECX} == SPECX
    assert {k: first[k] for k in metadata} == metadata


def test_reads_all_15_hf_daily_papers_with_upvotes() -> None:
    papers = read_papers(HF)
    raw = json.loads(HF.read_text(encoding="utf-8"))
    assert len(papers) == 15
    assert papers["paper"].tolist() == [item["paper"]["id"] for item in raw]
    assert papers["upvotes"].tolist() == [item["paper"]["upvotes"] for item in raw]
    assert papers["upvotes"].tolist()[:3] == [20, 18, 14] and str(papers["upvotes"].dtype) == "Int64"
    first = papers.iloc[0]
    assert first["title"] == "Beyond Examples: High-level Automated Reasoning Paradigm in In-Context Learning via MCTS"
    assert "\n" not in first["abstract"] and "  " not in first["abstract"]  # hard line breaks joined
    assert first["abstract"].endswith("surpassing GPT-4o (76.6%) and Claude 3.5 (71.1%).")
    assert first["published"] == "2024-11-27" and first["hf_date"] == "2024-12-02"
    assert first["authors"].startswith("Jinyang Wu; Mingkuan Feng")
    assert first["url"] == "https://arxiv.org/abs/2411.18478"


def test_plain_tables_are_read_verbatim_unless_clean_is_asked(tmp_path: Path) -> None:
    source = tmp_path / "raw.jsonl"
    source.write_text(json.dumps({"title": "T", "abstract": "gains 11.8\\% on  X"}) + "\n", encoding="utf-8")
    assert read_papers(source)["abstract"][0] == "gains 11.8\\% on  X"
    assert read_papers(source, clean=True)["abstract"][0] == "gains 11.8% on X"
    assert read_papers(FORMATS / "atom.xml", clean=False)["abstract"][0].startswith("  We present")


def test_page_dump_and_dataframe_sources() -> None:
    from claimkit import corpus

    assert len(read_papers(corpus.DEFAULT_PAGE)) > 100
    frame = pd.DataFrame({"Title": ["A"], "Summary": ["runs 2x faster"]})
    papers = read_papers(frame)
    assert papers[["title", "abstract"]].values.tolist() == [["A", "runs 2x faster"]]


def test_csv_headers_in_any_case_as_a_frames_columns(tmp_path: Path) -> None:
    source = tmp_path / "papers.csv"
    source.write_text("Title,Summary\nA,runs 2x faster\n", encoding="utf-8")
    assert read_papers(source)[["title", "abstract"]].values.tolist() == [["A", "runs 2x faster"]]


# --- BibTeX and Atom details ------------------------------------------------------------------

def test_bibtex_macros_concatenation_months_and_comments(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(r"""
% Exported for jane@example.org: an "@" outside entries is text
@string{venue = "Conf"}
@preamble{"\newcommand{\x}{y}"}
@comment{@article{ignored, title={no}}}
@article(paren, title = "A " # venue # " paper", month = dec, year = 2023,
  abstract = {Cuts cost by 30\% using \textbf{bold} ideas, \emph{{nested}} and {\"{u}}ber math $\leq 2$})
@book{notitle, author = {Nobody}}
""", encoding="utf-8")
    with pytest.raises(InputError, match=r"refs.bib:8: @book\{notitle\} has neither title nor abstract"):
        read_papers(bib)
    papers = read_papers(bib, on_error="skip")
    assert papers["title"].tolist() == ["A Conf paper"]
    assert papers["abstract"][0] == "Cuts cost by 30% using bold ideas, nested and über math ≤2"
    assert papers["published"][0] == "2023-12" and papers["paper"][0] == "paren"


def test_bibtex_broken_entry_is_reported_and_parsing_resumes(tmp_path: Path) -> None:
    bib = tmp_path / "broken.bib"
    bib.write_text("@article{good1, title={One}, abstract={x}}\n"
                   "@article{bad, title={Two, abstract={unclosed}\n"
                   "@article{good2, title={Three}, abstract={y}}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.bib:2: broken BibTeX entry"):
        read_papers(bib)
    papers = read_papers(bib, on_error="skip")
    assert papers["title"].tolist() == ["One", "Three"]
    assert papers.attrs["skipped"] == 1 and papers.attrs["skipped_errors"][0].startswith(f"{bib}:2:")


@pytest.mark.parametrize("xml, message", [
    ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>x</title>\n</feed>',
     r"atom.xml:4: malformed XML \(mismatched tag\)"),
    ('<?xml version="1.0"?><rss><channel/></rss>', r"not an Atom feed \(root element 'rss'\)"),
    ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>'
     '<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>',
     r"arXiv API error: incorrect id format for 1234"),
])
def test_atom_errors(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "atom.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_papers(path, format="atom")


# --- cleanup ---------------------------------------------------------------------------------

CLEANUP = [
    (r"up to $2.5\times$ faster", "up to 2.5× faster"),
    (r"$\sim$40\% fewer", "~40% fewer"),
    (r"$\sim 3\times$ and $2 \times 10^{3}$", "~3× and 2 × 10^3"),
    (r"$>$90\% and $<$1\%", ">90% and <1%"),
    (r"$\approx$ 7B, $\pm 0.3$, $\leq$ 5", "≈ 7B, ±0.3, ≤ 5"),
    (r"50\,\% and 3\times faster", "50% and 3× faster"),
    (r"R\&D, A\_B, \#1, \$5", "R&D, A_B, #1, $5"),
    (r"Nystr\"om, Erd\H{o}s, {\'e}t{\'e}, Garc{\'\i}a, \c{c}a, \v{S}ed, stra\ss e", "Nyström, Erdős, été, García, ça, Šed, straße"),
    (r"\textbf{Varco Arena} and \emph{nested \textit{it}}, {\bf old}", "Varco Arena and nested it, old"),
    (r"Table~1, e.g.\ this, and ~40\% (approx.)", "Table 1, e.g. this, and ~40% (approx.)"),
    ("A &amp; B &lt;1% &#215; 2", "A & B <1% × 2"),
    ("hard\n  line breaks\tand   runs of spaces ", "hard line breaks and runs of spaces"),
    (r"\methodname and \cite{x} stay", r"\methodname and \cite{x} stay"),
    (r"costs \$5 and \$10", "costs $5 and $10"),
    ("plain text stays plain: 3.5x, 12%, ~2", "plain text stays plain: 3.5x, 12%, ~2"),
]


@pytest.mark.parametrize("raw, cleaned", CLEANUP, ids=[c[0][:24] for c in CLEANUP])
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned
    assert clean_text(cleaned) == cleaned  # idempotent on its own output


# Fragments of abstracts as they come: words, numbers, LaTeX commands with their arguments, math,
# entities, ties and line breaks, in any order. (Arbitrary backslash soup is not a goal:
# "\textbf{\}" unescapes into a new command, "\$a\$" into math; escaped dollars are table cases.)
FRAGMENTS = ["a", "b", "x", "1.5", "40", " ", "  ", "\n", ".", ",", "%", "~", "^", "_", "#", "'", '"', "(",
             "{", "}", "\\times", "\\%", "\\&", "\\_", "$\\sim$", "$2\\times$", "$10^{3}$",
             "\\textbf{bold}", "\\emph{x}", '{\\"o}', "\\'e", "\\v{s}", "\\ss", "&amp;", "&lt;", "&#215;",
             "e.g.\\ ", "\\\\", "\\,", "{\\bf y}", "\\methodname"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


# --- filters and streaming ------------------------------------------------------------------

FILTERS = [
    ({"categories": "cs.CL"}, ["2401.08123"]),
    ({"categories": ["cs"]}, ["2401.08123", "2403.01234", "2406.14567"]),
    ({"categories": "stat.ML, cs.SE"}, ["2406.14567", "2311.17890"]),
    ({"since": "2024-02-01", "until": "2024-06-30"}, ["2403.01234", "2406.14567"]),
    ({"until": "2023-12"}, ["2311.17890"]),
    ({"categories": "cs.LG", "since": "2024-03-02"}, ["2403.01234", "2406.14567"]),
    ({"categories": "math"}, []),
]


@pytest.mark.parametrize("kwargs, expected", FILTERS, ids=[str(f[0]) for f in FILTERS])
def test_filter_by_category_and_date_on_a_snapshot_corpus(kwargs: dict, expected: list[str]) -> None:
    corpus = read_papers(FORMATS / "snapshot.json")
    assert filter_papers(corpus, **kwargs)["paper"].tolist() == expected
    if expected:  # the same filter applied while streaming the snapshot
        assert read_papers(FORMATS / "snapshot.json", **kwargs)["paper"].tolist() == expected
        chunks = list(iter_papers(FORMATS / "snapshot.json", chunk_size=1, **kwargs))
        assert [p for chunk in chunks for p in chunk["paper"]] == expected
    else:
        with pytest.raises(InputError, match="no papers match the filters"):
            read_papers(FORMATS / "snapshot.json", **kwargs)


def test_notebook_filter_on_claims_of_a_snapshot_corpus() -> None:
    papers = read_papers(FORMATS / "snapshot.json")
    claims = with_paper_metadata(extract_claims(papers), papers)
    assert {"arxiv_id", "published", "categories", "authors"} <= set(claims.columns)
    assert str(claims["kind"].dtype) == "category"  # the claims' own columns keep their dtypes
    recent_cs = filter_papers(claims, categories="cs", since="2024-03-01")
    assert set(recent_cs["paper"]) == {"2403.01234", "2406.14567"} and len(recent_cs) >= 4
    assert set(filter_papers(claims, until="2023-12-31")["title"]) == {"Nyström Attention on Commodity Hardware"}


def test_filter_rejects_a_bad_date() -> None:
    with pytest.raises(UsageError, match="--since: expected a date like 2024-12-02, not 'last week'"):
        read_papers(FORMATS / "snapshot.json", since="last week")


def test_snapshot_is_streamed(tmp_path: Path) -> None:
    """Chunks come out before a bad line further down is read."""
    lines = (FORMATS / "snapshot.json").read_text(encoding="utf-8").splitlines()
    big = tmp_path / "arxiv-metadata-oai-snapshot.json"
    big.write_text("\n".join(lines[:2] + ['{"id": "broken'] + lines[2:]) + "\n", encoding="utf-8")
    chunks = iter_papers(big, chunk_size=2)
    assert next(chunks)["paper"].tolist() == ["2401.08123", "2403.01234"]
    with pytest.raises(InputError, match=r"arxiv-metadata-oai-snapshot.json:3: broken JSON record"):
        next(chunks)
    skipped = list(iter_papers(big, chunk_size=2, on_error="skip"))
    assert [len(c) for c in skipped] == [2, 2] and skipped[1].attrs["skipped"] == 1


def test_skip_reports_count_and_first_errors(tmp_path: Path) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text('{"title": "ok", "abstract": "2x"}\n{"title": \n[1, 2]\n{"title": 3}\n'
                      '{"title": "ok2", "abstract": "3x"}\n', encoding="utf-8")
    with reading(on_error="skip") as report:
        papers = read_papers(source)
    assert papers["title"].tolist() == ["ok", "ok2"]
    assert report.skipped == 3
    assert [m.split(": ", 1)[0] for m in report.first] == [f"{source}:2", f"{source}:3", f"{source}:4"]
    assert "skipped 3 bad records" in report.summary()


def test_all_records_bad_is_still_an_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"title": \n{"x": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl: no papers found \(2 bad records skipped; first: .*bad.jsonl:1:"):
        read_papers(source, on_error="skip")


def test_gzipped_jsonl_reads_as_its_content(tmp_path):
    import gzip

    plain = tmp_path / "papers.jsonl"
    read_papers(corpus.SEED_PAPERS).head(20).to_json(plain, orient="records", lines=True)
    packed = tmp_path / "papers.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    pd.testing.assert_frame_equal(read_papers(packed), read_papers(plain))
    assert detect_format(packed) == "jsonl"
    chunks = list(iter_papers(packed, chunk_size=7))
    assert [len(chunk) for chunk in chunks] == [7, 7, 6]


def test_the_default_corpus_is_the_5841_daily_papers_with_dates():
    papers = read_papers(corpus.DEFAULT_CORPUS)
    assert len(papers) == papers["paper"].nunique() == 5841
    assert papers["published"].min() == "2024-05-23" and papers["published"].max().startswith("2025-12")
    assert {"paper", "title", "abstract", "published", "upvotes"} <= set(papers.columns)
