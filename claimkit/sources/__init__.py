"""Input formats beyond the core ones, one module each; :mod:`claimkit.readers` picks among them.

Each format module turns bytes or a file into *records* (plain dicts with ``title``,
``abstract``, an id and metadata). A bad record is yielded as an
:class:`~claimkit.errors.InputError` instead of raised, so the reader can skip it
(``on_error="skip"``) and keep going; file-level problems are raised.

- :mod:`.text`: decoding bytes and streaming JSON lines, with file:line errors
- :mod:`.arxiv_snapshot`: the arXiv OAI metadata snapshot (JSON lines)
- :mod:`.atom`: arXiv API Atom feeds
- :mod:`.hf`: the Hugging Face daily-papers API response
- :mod:`.bibtex`: BibTeX with ``abstract`` fields
- :mod:`.filters`: keep papers by category and date range
"""
