"""The OCR benchmark's side-by-side runs: rounds deal every file to every run once, and a
baseline is the code of a git ref checked out beside the working tree."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench import ocr_eval


def test_rounds_give_every_file_to_every_run_once_taking_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, list[str]]] = []

    def fake_run_one(
        name: str, items: list[dict[str, Any]], out: Path, cpu: int | None, trees: Any
    ) -> dict[str, Any]:
        calls.append((name, [i["id"] for i in items]))
        return {
            "load_seconds": 1.0,
            "peak_rss_mb": 10.0 * len(items),
            "items": [{"id": i["id"], "pages": [name]} for i in items],
        }

    monkeypatch.setattr(ocr_eval, "_run_one", fake_run_one)
    items = [{"id": f"f{k}"} for k in range(7)]
    results = ocr_eval._run_recognizers(["a", "b"], items, tmp_path, None, 1, rounds=3)

    assert [name for name, _ in calls] == ["a", "b"] * 3  # turns, round by round
    assert calls[0][1] == calls[1][1] == ["f0", "f3", "f6"]
    for name in ("a", "b"):
        assert sorted(i["id"] for i in results[name]["items"]) == [f"f{k}" for k in range(7)]
        assert results[name]["peak_rss_mb"] == 30.0  # the largest round's
        assert (tmp_path / f"raw_{name}.json").exists()  # --report-only can rebuild


def test_a_baseline_is_the_ref_checked_out_in_a_worktree_under_out(tmp_path: Path) -> None:
    repo = Path(ocr_eval.__file__).resolve().parent.parent
    if not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    tree = ocr_eval._baseline_tree("HEAD", tmp_path)
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        assert tree.parent == tmp_path.resolve() and tree.name == f"baseline-{head[:10]}"
        assert (tree / "ocr_service" / "engine" / "__init__.py").is_file()
        assert ocr_eval._baseline_tree("HEAD", tmp_path) == tree  # made once, reused
    finally:
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
            capture_output=True,
        )


def test_run_names_with_a_ref_make_safe_file_names() -> None:
    assert ocr_eval._raw_name("tesseract@HEAD~3") == "tesseract_HEAD_3"
    assert ocr_eval._raw_name("asterocr+vote") == "asterocr_vote"
