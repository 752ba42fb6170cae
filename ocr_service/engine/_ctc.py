"""Greedy CTC decoding with a per-line confidence (mean probability of emitted characters)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["ctc_greedy"]


def ctc_greedy(probs: np.ndarray, alphabet: Sequence[str], blank: int = 0) -> tuple[str, float]:
    """Decode a (T, C) probability matrix; returns (text, confidence)."""
    best = probs.argmax(axis=1)
    best_p = probs[np.arange(len(best)), best]
    keep = best != blank
    keep[1:] &= best[1:] != best[:-1]
    idx = best[keep]
    text = "".join(alphabet[i] for i in idx)
    conf = float(best_p[keep].mean()) if idx.size else 0.0
    return text, conf
