"""The synthetic population register (CSDLQG về dân cư) with deliberate discrepancies.

Rule (mirrors what verification must do; see samples/README.md): for each subject of a
document, look up the register row by the subject's id number. Compare only the document's
printed fields listed in its Subject.compare map (name fields ↔ full_name, *date_of_birth ↔
date_of_birth, sex, place_of_origin, place_of_residence). Values are compared after NFC and
whitespace collapsing; places also case-insensitively; names keep their diacritics, and a
difference only in diacritics is a mismatch also listed in diacritics_only_fields.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import timedelta

from storage.population import REGISTER_COLUMNS  # the importer's columns, as the spec gives them

from .model import Document
from .people import GIVEN_FEMALE, GIVEN_MALE, Person, make_person, random_address, strip_diacritics

__all__ = ["REGISTER_COLUMNS", "build_register", "expected_verification", "VARIANTS"]


# register variant per document subject, cycled over the subjects in a seeded shuffled order;
# interleaved so that even a small set holds every kind of discrepancy (≈ 65 % exact matches)
VARIANTS = [
    "match",
    "absent",
    "match",
    "diacritics",
    "match",
    "date_of_birth",
    "match",
    "full_name",
    "match",
    "place_of_residence",
    "match",
    "match",
    "sex",
    "match",
    "diacritics",
    "match",
    "absent",
    "match",
    "place_of_origin",
    "match",
    "match",
    "match",
    "match",
]


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def _strip_one_word(rng: random.Random, name: str) -> str | None:
    words = name.split()
    idx = [i for i, w in enumerate(words) if strip_diacritics(w) != w]
    if not idx:
        return None
    i = rng.choice(idx)
    words[i] = strip_diacritics(words[i])
    return " ".join(words)


def _variant_row(rng: random.Random, p: Person, variant: str) -> dict[str, str] | None:
    row = p.register_row()
    if variant == "absent":
        return None
    if variant == "date_of_birth":
        row["date_of_birth"] = (
            p.date_of_birth + timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 400))
        ).isoformat()
    elif variant == "full_name":
        pool = GIVEN_MALE if p.sex == "male" else GIVEN_FEMALE
        other = rng.choice([g for g in pool if g != p.given])
        row["full_name"] = " ".join([*p.full_name.split()[:-1], other])
    elif variant == "sex":
        row["sex"] = "female" if p.sex == "male" else "male"
    elif variant == "place_of_residence":
        row["place_of_residence"] = random_address(rng).render("full")
    elif variant == "place_of_origin":
        row["place_of_origin"] = random_address(rng, street=False).render("short")
    elif variant == "diacritics":
        changed = _strip_one_word(rng, p.full_name)
        if changed:
            row["full_name"] = changed
    return row


def build_register(
    subjects: dict[str, Person], seed: int, extra: int
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Register rows for all subjects (with their variants) plus `extra` unrelated people."""
    rng = random.Random(seed * 1_000_003 + 17)
    schedule = VARIANTS
    ids = sorted(subjects)
    order = list(range(len(ids)))
    rng.shuffle(order)
    variants: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    for k, pos in enumerate(order):
        pid = ids[pos]
        variant = schedule[k % len(schedule)]
        variants[pid] = variant
        row = _variant_row(rng, subjects[pid], variant)
        if row is not None:
            rows.append(row)
    taken = set(subjects)
    prng = random.Random(seed * 7 + 3)
    while len(rows) < len(subjects) + extra:
        p = make_person(prng, min_year=1940, max_year=2024)
        if p.id_number in taken:
            continue
        taken.add(p.id_number)
        rows.append(p.register_row())
    rows.sort(key=lambda r: r["id_number"])
    return rows, variants


def expected_verification(
    doc: Document, register: list[dict[str, str]] | dict[str, dict[str, str]]
) -> dict[str, object]:
    """What verification must report for this document against this register."""
    by_id = register if isinstance(register, dict) else {r["id_number"]: r for r in register}
    if not doc.subjects:
        return {"status": "not_applicable", "mismatched_fields": [], "diacritics_only_fields": []}
    mismatched: list[str] = []
    diacritics: list[str] = []
    not_found = False
    for subj in doc.subjects:
        row = by_id.get(doc.fields.get(subj.id_field, ""))
        if row is None:
            not_found = True
            continue
        for f, col in subj.compare.items():
            if f not in doc.fields:
                continue
            a, b = _norm(doc.fields[f]), _norm(row[col])
            if col.startswith("place_"):
                a, b = a.casefold(), b.casefold()
            if a != b:
                mismatched.append(f)
                if col == "full_name" and strip_diacritics(a) == strip_diacritics(b):
                    diacritics.append(f)
    status = "not_found" if not_found else ("mismatch" if mismatched else "match")
    return {"status": status, "mismatched_fields": mismatched, "diacritics_only_fields": diacritics}
