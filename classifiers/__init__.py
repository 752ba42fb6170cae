"""Document understanding: document type, field extractors, Vietnamese-aware normalisation."""
