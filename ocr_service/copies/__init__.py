"""The digitized copy (bản số hóa): national codes, QR code, PDF/A and the clerk's signature.

Library code for issue #15, wired into the approval flow by its callers: ``codes`` (dossier,
result and digitization result codes), ``qr`` (the QR code of Circular 01/2023/TT-VPCP),
``pdfa`` (PDF/A-2b from the searchable PDF), ``signing`` (PAdES signatures and their
verification, pluggable signers) and ``pki`` (the demo PKI). It imports only ``core`` and
third-party libraries; docs/legal-codes.md gives the rules and where they come from.
"""
