"""sohoa takes two data files from the asterocr wheel and runs none of its code (issue 17, item 16).

The wheel ships, beside its ONNX weights and vocabulary, training and notebook tools that open
tunnels and download code. A fresh interpreter builds the asterocr recognizer and reads a line
with an import hook that refuses (and records) the execution of any ``asterocr`` module.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_service.engine.registry import available_recognizers

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: argv[1] is the code under test, argv[2] the data dir.
_HARNESS = '''
import importlib.abc, importlib.machinery, json, sys
executed = []

class RefuseAsterocr(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds asterocr modules as usual (so their files can be located) but never runs one."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] != "asterocr":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None:
            spec.loader = self
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        executed.append(module.__name__)
        raise ImportError(f"{module.__name__} executed")

sys.meta_path.insert(0, RefuseAsterocr())
from pathlib import Path
from core.settings import Settings
from ocr_service.engine import get_engine
from tests.ocr_service.ocr_testkit import render_line

settings = Settings(data_dir=Path(sys.argv[2]))
text = ""
try:
    exec(sys.argv[1])
except ImportError as exc:
    text = f"ImportError: {exc}"
loaded = sorted(m for m in sys.modules if m.partition(".")[0] == "asterocr")
print(json.dumps({"text": text, "executed": executed, "loaded": loaded}))
'''

_BUILD_AND_READ = (
    "engine = get_engine(settings, 'asterocr')\n"
    "text = ' '.join(line.text for line in engine.read(render_line('Cộng hòa xã hội chủ nghĩa')))"
)


def _run(code: str, tmp_path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _HARNESS, code, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", autouse=True)
def _needs_asterocr() -> None:
    if "asterocr" not in available_recognizers():
        pytest.skip("asterocr not installed")


def test_building_the_engine_and_reading_runs_no_asterocr_code(tmp_path: Path) -> None:
    got = _run(_BUILD_AND_READ, tmp_path)
    assert got["executed"] == [] and got["loaded"] == [], got
    assert "Cộng hòa" in got["text"], got  # the vocabulary read as data decodes Vietnamese


def test_the_hook_catches_an_import_of_the_package(tmp_path: Path) -> None:
    # What asterocr_rec did before: `from asterocr.vocab import default_vocab`.
    got = _run("import importlib; importlib.import_module('asterocr.vocab')", tmp_path)
    assert got["executed"] == ["asterocr"], got


def test_no_project_file_imports_asterocr() -> None:
    pattern = re.compile(
        r"^\s*(import\s+asterocr|from\s+asterocr[\s.])|import_module\(\s*[\"']asterocr"
        r"|__import__\(\s*[\"']asterocr",
        re.MULTILINE,
    )
    this = Path(__file__).resolve()
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("core", "ocr_service", "classifiers", "storage", "workers", "samples",
                       "bench", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if path.resolve() != this and pattern.search(path.read_text(encoding="utf-8"))
    ]  # fmt: skip
    assert offenders == []
