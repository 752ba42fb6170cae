"""A small generated set shared by the sample tests (one per type, every degradation used)."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.generate import GenerateOptions, generate


@pytest.fixture(scope="session")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    generate(
        GenerateOptions(
            out=out,
            per_type=1,
            seed=11,
            extra_people=200,
            base_dpi=150,
            jpeg_quality=85,
            workers=2,
            degradations=[
                "flatbed_150",
                "skew",
                "photo",
                "rot90",
                "rot180",
                "rot270",
                "blur",
                "noise",
                "jpeg",
                "flatbed_200",
                "flatbed_300",
                "skew",
            ],
            formats={"jpg": 0.5, "png": 0.2, "tif": 0.15, "pdf": 0.15},
            dossiers=1,
        )
    )
    return out
