"""The hash-locked dependency tree (item 16 of issue 17): complete, one cv2, used everywhere.

`make lock` writes the locks (Makefile); `make install`, .ci/run and the Dockerfile install from
them with --require-hashes and --no-deps, so pip installs exactly the locked files and fetches
nothing else.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK, RUNTIME, BUILD = (
    ROOT / "requirements.lock",
    ROOT / "requirements-runtime.lock",
    ROOT / "requirements-build.lock",
)


def _pins(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """name -> (version, sha256 hashes) of every requirement in a lock."""
    text = path.read_text().replace("\\\n", " ")
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        spec, *options = line.split(" --hash=")
        name, _, version = spec.strip().partition("==")
        assert version, f"{path.name}: {spec!r} is not pinned with =="
        pins[canonicalize_name(name)] = (version, frozenset(h.strip() for h in options))
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_locked_file_carries_its_hash() -> None:
    for lock in (LOCK, RUNTIME, BUILD):
        pins = _pins(lock)
        assert pins, lock.name
        for name, (_, hashes) in pins.items():
            assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), (
                f"{lock.name}: {name} has no sha256 hash"
            )


def test_the_lock_covers_pyproject_and_satisfies_it() -> None:
    project = _pyproject()
    wanted = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["dependency-groups"]["build"],
    ]
    pins = _pins(LOCK)
    runtime = _pins(RUNTIME)
    for line in wanted:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in requirements.lock"
        assert req.specifier.contains(pins[name][0], prereleases=True), (
            f"requirements.lock pins {req.name}=={pins[name][0]}, pyproject wants {req}"
        )
    for line in project["project"]["dependencies"]:
        assert canonicalize_name(Requirement(line).name) in runtime, line


def test_runtime_and_build_locks_are_the_same_pins_as_the_full_lock() -> None:
    full = _pins(LOCK)
    for lock in (RUNTIME, BUILD):
        for name, pin in _pins(lock).items():
            assert full.get(name) == pin, f"{lock.name} and requirements.lock differ on {name}"


def test_one_cv2_contrib_and_tesserocr_from_source() -> None:
    for lock in (LOCK, RUNTIME):
        pins = _pins(lock)
        assert "opencv-python-headless" not in pins, lock.name
        assert pins["opencv-contrib-python"][0].startswith("4.10."), lock.name
        assert "--no-binary tesserocr" in lock.read_text().splitlines(), lock.name
        assert "tesserocr" in pins, lock.name


def test_one_opencv_distribution_is_installed() -> None:
    owners = metadata.packages_distributions().get("cv2", [])
    assert sorted({canonicalize_name(d) for d in owners}) == ["opencv-contrib-python"], owners


def _pip_installs(text: str) -> list[str]:
    """Every `pip install` command (comments dropped, continuation lines joined)."""
    lines = [ln for ln in text.splitlines() if not re.match(r"\s*@?#", ln)]
    joined = "\n".join(lines).replace("\\\n", " ")
    pattern = r"(pip|\$\(PIP\))[^\n]*? install [^\n&]*"
    return [m.group(0) for m in re.finditer(pattern, joined)]


@pytest.mark.parametrize("path", ["Makefile", "Dockerfile"])
def test_installs_use_only_the_locks(path: str) -> None:
    text = (ROOT / path).read_text()
    if path == "Makefile":  # the install target; `make lock` installs uv for itself
        text = text[text.index("\ninstall:") : text.index("\nlock:")]
    installs = _pip_installs(text)
    assert installs, f"{path} installs nothing with pip"
    for cmd in installs:
        assert "--no-deps" in cmd, f"{path}: {cmd!r} lets pip resolve unlocked dependencies"
        locked = "--require-hashes" in cmd and re.search(r"-r requirements[-a-z]*\.lock", cmd)
        project_itself = re.search(r"install (.*\s)?(-e )?\.$", cmd.strip())
        assert locked or project_itself, f"{path}: {cmd!r} installs something not in a lock"
    assert "uninstall" not in text, f"{path} still repairs the install afterwards"


def test_ci_installs_through_make_and_audits_the_lock() -> None:
    run = (ROOT / ".ci/run").read_text()
    assert "make install" in run
    assert re.search(r"python3 \.ci/audit\.py requirements\.lock", run)
    assert run.index("make install") < run.index(".ci/audit.py")
