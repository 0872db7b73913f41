"""claimkit: numeric claims from ML paper abstracts, as a tidy table."""
from .evaluate import evaluate
from .extract import extract_claims
from .readers import read_papers

__all__ = ["read_papers", "extract_claims", "evaluate"]
