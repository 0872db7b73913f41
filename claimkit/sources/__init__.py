"""Input formats, one module each, and what every read applies; :mod:`claimkit.readers` picks among them.

Each format module turns bytes or a file into *records* (plain dicts with ``title``,
``abstract``, an id and metadata). A bad record is yielded as an
:class:`~claimkit.errors.InputError` instead of raised, so the reader can skip it
(``on_error="skip"``) and keep going; file-level problems are raised.

- :mod:`.text`: decoding bytes and streaming JSON lines, with file:line errors
- :mod:`.tables`: the core formats (JSON lines, CSV, Parquet, DataFrames, the page dump)
- :mod:`.arxiv_snapshot`: the arXiv OAI metadata snapshot (JSON lines)
- :mod:`.atom`: arXiv API Atom feeds
- :mod:`.hf`: the Hugging Face daily-papers API response
- :mod:`.bibtex`: BibTeX with ``abstract`` fields
- :mod:`.filters`: keep papers by category and date range
- :mod:`.policy`: cleanup, filters and bad records (raise, or skip and report) for one read
- :mod:`.ids`: arXiv ids, URLs and dates as each format writes them
"""
