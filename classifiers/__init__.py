"""Document understanding: one record per document type (doctypes/), page classification,
field extraction, the chip card's QR/MRZ, and verification against the population register."""
