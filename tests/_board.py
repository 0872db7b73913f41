"""A small claims table on GSM8K (and one MATH claim) for the leaderboard and explorer tests,
and :func:`claims_table`, which writes such tables from short row dicts."""

from __future__ import annotations

import pandas as pd

from claimkit.table import claims_frame


def claims_table(rows: list[dict]) -> pd.DataFrame:
    """A claims table from short row dicts (paper, text, kind, value, sentence, ...), offsets found
    in the sentence; ``published`` is kept as paper metadata."""
    columns: dict[str, list] = {name: [] for name in ("paper", "title", "field", "start", "end", "text", "kind", "low",
                                                      "high", "unit", "qualifier", "metric", "benchmark", "baseline",
                                                      "sentence")}
    published = []
    for row in rows:
        sentence = row.get("sentence", f"We reach {row['text']} on {row.get('benchmark', 'GSM8K')}.")
        start = sentence.find(row["text"]) + row.get("offset", 0)
        value = row.get("value")
        values = {"paper": row["paper"], "title": row.get("title", f"Paper {row['paper']}"), "field": "abstract",
                  "start": start, "end": start + len(row["text"]), "text": row["text"],
                  "kind": row.get("kind", "score"), "low": row.get("low", value), "high": value,
                  "unit": row.get("unit", "%"), "qualifier": row.get("qualifier", ""), "metric": row.get("metric", ""),
                  "benchmark": row.get("benchmark", "GSM8K"), "baseline": "", "sentence": sentence}
        for name in columns:
            columns[name].append(values[name])
        published.append(row.get("published", "2025-01-01"))
    return claims_frame(columns).assign(published=published)


BOARD = claims_table([
    {"paper": "2401.00001", "text": "91.2%", "value": 91.2, "published": "2024-01-05",
     "sentence": "AlphaMath achieves 91.2% on GSM8K.", "metric": "accuracy"},
    {"paper": "2402.00002", "text": "88.0%", "value": 88.0, "published": "2024-02-05",
     "sentence": "BetaSolver reaches 88.0% accuracy on GSM-8K.", "benchmark": "GSM-8K", "metric": "accuracy"},
    {"paper": "2403.00003", "text": "93.5%", "value": 93.5, "published": "2024-03-05", "qualifier": "up_to",
     "sentence": "GammaLM scores up to 93.5% on GSM8K.", "metric": "accuracy"},
    {"paper": "2404.00004", "text": "4.1%", "value": 4.1, "kind": "gain", "published": "2024-04-05",
     "sentence": "DeltaTune improves GSM8K accuracy by 4.1%.", "metric": "accuracy"},
    {"paper": "2405.00005", "text": "62.0%", "value": 62.0, "published": "2024-05-05",
     "sentence": "EpsilonNet raises GSM8K accuracy from 41.0% to 62.0%.", "metric": "accuracy"},
    {"paper": "2405.00005", "text": "41.0%", "value": 41.0, "published": "2024-05-05",
     "sentence": "EpsilonNet raises GSM8K accuracy from 41.0% to 62.0%.", "metric": "accuracy"},
    {"paper": "2406.00006", "text": "512", "value": 512.0, "unit": "tokens", "published": "2024-06-05",
     "sentence": "ZetaLM needs 512 tokens per GSM8K problem.", "metric": "length"},
    {"paper": "2407.00007", "text": "95.0%", "value": 95.0, "published": "2024-07-05",
     "sentence": "EtaModel achieves 95.0% pass@1 on GSM8K.", "metric": "pass@1"},
    {"paper": "2408.00008", "text": "94.0%", "value": 94.0, "published": "2024-08-05",
     "sentence": "ThetaLM achieves 94.0% on the GSM8K test split.", "metric": "accuracy"},
    {"paper": "2409.00009", "text": "89.0%", "value": 89.0, "published": "2024-09-05",
     "sentence": "IotaLM achieves 89.0% on the GSM8K validation split.", "metric": "accuracy"},
    {"paper": "2409.00009", "text": "90.0%", "value": 90.0, "published": "2024-09-05",
     "sentence": "IotaLM achieves 90.0% on the GSM8K test set.", "metric": "accuracy"},
    {"paper": "2410.00010", "text": "70.0%", "value": 70.0, "published": "2024-10-05",
     "sentence": "KappaLM achieves 70.0% on MATH.", "benchmark": "MATH", "metric": "accuracy"},
])
