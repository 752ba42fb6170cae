"""The identity-card versions in circulation, by the names `--card-versions` takes.

A version's `card_version` (written to expected.json, and the id the document-type record
uses for it) is "2021"/"2024" for the two chip cards that record already knows, so that the
default sample sets stay byte-identical; the older versions go by their own names.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .cards import CardData, render_card_back, render_card_front
from .legacy_cards import (
    render_cccd2016_back,
    render_cccd2016_front,
    render_cmnd_back,
    render_cmnd_front,
)
from .model import Document

__all__ = ["CARD_VERSIONS", "VERSION_NAMES", "render_back", "render_front"]

# --card-versions name → CardData.version (= expected.json card_version)
CARD_VERSIONS: dict[str, str] = {
    "cmnd_9digit": "cmnd_9digit",
    "cccd_2016": "cccd_2016",
    "cccd_2021_chip": "2021",
    "can_cuoc_2024": "2024",
}
VERSION_NAMES: dict[str, str] = {v: k for k, v in CARD_VERSIONS.items()}

Renderer = Callable[..., Document]  # (rng, card, dpi=600)
_FRONT: dict[str, Renderer] = {
    "cmnd_9digit": render_cmnd_front,
    "cccd_2016": render_cccd2016_front,
    "2021": render_card_front,
    "2024": render_card_front,
}
_BACK: dict[str, Renderer] = {
    "cmnd_9digit": render_cmnd_back,
    "cccd_2016": render_cccd2016_back,
    "2021": render_card_back,
    "2024": render_card_back,
}


def render_front(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    return _FRONT[card.version](rng, card, dpi)


def render_back(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    return _BACK[card.version](rng, card, dpi)
