"""The stage profiler's clock: each stage keeps its own time, nested stages subtract."""

from __future__ import annotations

import time
from types import SimpleNamespace

from bench.stage_profile import StageClock


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_nested_stages_count_only_their_own_time() -> None:
    clock = StageClock()
    ns = SimpleNamespace(inner=lambda: _spin(0.05))
    clock.patch(ns, "inner", "inner")

    def outer() -> None:
        _spin(0.03)
        ns.inner()

    timed_outer = clock.wrap("outer", outer)
    timed_outer()
    assert 0.045 <= clock.seconds["inner"] < 0.09
    assert 0.025 <= clock.seconds["outer"] < 0.05  # not the 0.08 the call took in all


def test_a_generator_stage_is_timed_while_it_is_drained() -> None:
    clock = StageClock()

    def pages() -> object:
        for _ in range(3):
            _spin(0.01)
            yield 1

    ns = SimpleNamespace(pages=pages)
    clock.patch(ns, "pages", "decode", eager=True)
    assert ns.pages() == [1, 1, 1]
    assert clock.seconds["decode"] >= 0.028
