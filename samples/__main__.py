"""CLI: `python -m samples generate|population ...`."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import click

from .capture import CARD_CAPTURES
from .card_versions import CARD_VERSIONS
from .degrade import DEGRADATIONS
from .model import DOC_TYPES


@click.group()
def cli() -> None:
    """Synthetic scanned Vietnamese administrative documents with ground truth."""


def _csv_list(value: str | None, allowed: list[str], what: str) -> list[str]:
    if not value:
        return list(allowed)
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise click.BadParameter(
            f"unknown {what}: {', '.join(bad)} (choose from {', '.join(allowed)})"
        )
    return items


@cli.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
@click.option("--per-type", type=int, default=2, show_default=True, help="samples per doc_type")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--degradations",
    default=None,
    help="comma list; cycled over samples (default: all); with --realism counter, card captures",
)
@click.option("--types", default=None, help="comma list of doc_types (default: all)")
@click.option(
    "--dossiers", type=int, default=None, help="multi-document PDFs (default per_type//4, min 1)"
)
@click.option(
    "--extra-people",
    type=int,
    default=2000,
    show_default=True,
    help="register rows beyond the subjects",
)
@click.option("--jpeg-quality", type=int, default=90, show_default=True)
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--formats", default=None, help="e.g. jpg=0.6,png=0.2,tif=0.1,pdf=0.1")
@click.option(
    "--base-dpi",
    type=int,
    default=300,
    show_default=True,
    help="scan resolution behind the non-flatbed degradations",
)
@click.option(
    "--cross", is_flag=True, help="--per-type samples for EVERY degradation (default: cycle them)"
)
@click.option(
    "--card-versions",
    default=None,
    help=f"comma list of {', '.join(CARD_VERSIONS)} or 'all', cycled over the card samples and "
    "drawn in their real colours (default: the historic 2021/2024 cards, plain look)",
)
@click.option(
    "--realism",
    type=click.Choice(["scan", "counter"]),
    default="scan",
    show_default=True,
    help="counter: photos as they reach the counter (samples/capture.py), every card version",
)
def generate(
    out: Path,
    per_type: int,
    seed: int,
    degradations: str | None,
    types: str | None,
    dossiers: int | None,
    extra_people: int,
    jpeg_quality: int,
    workers: int,
    formats: str | None,
    base_dpi: int,
    cross: bool,
    card_versions: str | None,
    realism: str,
) -> None:
    """Write samples, their .gt.json/.expected.json, population.csv and index.json into OUT."""
    from .generate import GenerateOptions
    from .generate import generate as run

    opts = GenerateOptions(
        out=out,
        per_type=per_type,
        seed=seed,
        degradations=(
            _csv_list(degradations, CARD_CAPTURES, "card capture")
            if realism == "counter"
            else _csv_list(degradations, DEGRADATIONS, "degradation")
        ),
        types=_csv_list(types, DOC_TYPES, "doc_type"),
        dossiers=dossiers,
        extra_people=extra_people,
        jpeg_quality=jpeg_quality,
        workers=workers,
        base_dpi=base_dpi,
        cross=cross,
        realism=realism,
        card_versions=(
            None
            if card_versions is None
            else _csv_list(
                "" if card_versions == "all" else card_versions, list(CARD_VERSIONS), "card version"
            )
        ),
    )
    if formats:
        opts.formats = {k: float(v) for k, v in (kv.split("=") for kv in formats.split(","))}
    t0 = time.time()
    summary = run(opts, progress=workers == 1)
    n = len(summary["samples"])  # type: ignore[arg-type]
    click.echo(
        f"wrote {n} samples, {summary['register_rows']} register rows to {out} in {time.time() - t0:.1f}s",
        err=True,
    )


@cli.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--count", type=int, default=2000, show_default=True)
def population(out: Path, seed: int, count: int) -> None:
    """A register CSV of random people only (sample sets write their own population.csv)."""
    from .generate import write_population
    from .people import make_person

    rng = random.Random(seed)
    rows: dict[str, dict[str, str]] = {}
    while len(rows) < count:
        p = make_person(rng, min_year=1940, max_year=2024)
        rows.setdefault(p.id_number, p.register_row())
    write_population(out, sorted(rows.values(), key=lambda r: r["id_number"]))
    click.echo(f"wrote {len(rows)} rows to {out}", err=True)


if __name__ == "__main__":
    sys.exit(cli())
