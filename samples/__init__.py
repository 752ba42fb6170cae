"""Synthetic Vietnamese administrative documents with ground truth, for tests and evaluation."""
