"""Chart axes: round ticks that cover the data, short labels without float noise."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from salesplan.render.scale import nice_ticks, short, tick_label
from salesplan.report.table import Kind

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14)
NOISE = re.compile(r"\d\.\d*(0000|9999)")


@given(finite, finite, st.integers(min_value=2, max_value=8))
def test_ticks_cover_the_data_in_round_steps(a: float, b: float, count: int) -> None:
    lo, hi = min(a, b), max(a, b)
    ticks = nice_ticks(lo, hi, count)
    slack = 1e-9 * (ticks[-1] - ticks[0])  # float noise, far below a pixel
    assert ticks[0] <= lo + slack and ticks[-1] >= hi - slack
    assert 2 <= len(ticks) <= 2 * count + 3
    assert list(ticks) == sorted(set(ticks))


@given(finite, finite, st.sampled_from([Kind.MONEY, Kind.COUNT, Kind.NUMBER, Kind.RATE]))
def test_tick_labels_carry_no_float_noise(a: float, b: float, unit: Kind) -> None:
    for t in nice_ticks(min(a, b), max(a, b)):
        label = tick_label(t, unit, "USD")
        assert not NOISE.search(label), label
        assert not label.startswith("-") or t < 0, label  # never -0


def test_short_labels() -> None:
    assert short(6_150_000, Kind.MONEY, "USD") == "$6.2M"
    assert short(412_000, Kind.MONEY, "GBP") == "£412k"
    assert short(2.4e9, Kind.MONEY, "USD") == "$2.4B"
    assert short(-0.00001, Kind.MONEY, "USD") == "$0"
    assert short(98, Kind.COUNT, "USD") == "98"
    assert short(11.66, Kind.COUNT, "USD") == "11.7"
    assert short(0.25, Kind.RATE, "USD") == "25%"
    assert short(3e16, Kind.MONEY, "USD") == "$3.00e+16"


def test_steps_finer_than_a_float_give_each_tick_once() -> None:
    # Found by the property above: near 1e14 a step of 0.02 rounds two ticks together.
    assert nice_ticks(-1e14, -99999999999999.98, 2) == (-1e14, -99999999999999.98)
    ticks = nice_ticks(-74863335.53805456, -74863335.53805448, 8)
    assert list(ticks) == sorted(set(ticks)) and len(ticks) >= 2
