"""Random draws the physics models share (the standard library has no Poisson draw)."""

from __future__ import annotations

import math
import random


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count with this mean (Knuth's method, in slices of at most 30 so large means
    neither underflow nor lose precision)."""
    k = 0
    while mean > 0:
        part = min(mean, 30.0)
        mean -= part
        limit, prod = math.exp(-part), rng.random()
        while prod > limit:
            k += 1
            prod *= rng.random()
    return k
