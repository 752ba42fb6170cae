"""sohoa: OCR that reads Vietnamese, and the service that registers digitized dossiers."""

__version__ = "0.1.0"
