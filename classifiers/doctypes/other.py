"""Giấy tờ khác: any page no other type claims (notices, letters); no fields, no subjects."""

from __future__ import annotations

from classifiers.doctypes._record import DocType

__all__ = ["DOC_TYPE"]

DOC_TYPE = DocType(name="other", label="Giấy tờ khác", position=1000)
