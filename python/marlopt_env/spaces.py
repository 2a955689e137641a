"""A tiny Gymnasium-style Box over plain Python lists (no numpy): the light form's spaces."""
import math
import random
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class Box:
    """Real-valued array of `shape` with per-element bounds, flattened row-major."""
    shape: Tuple[int, ...]
    low: Tuple[float, ...]
    high: Tuple[float, ...]
    _rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def contains(self, values: Sequence[float]) -> bool:
        return len(values) == self.size and all(
            lo <= v <= hi for v, lo, hi in zip(values, self.low, self.high))

    def clip(self, values: Sequence[float]) -> List[float]:
        return [min(max(v, lo), hi) for v, lo, hi in zip(values, self.low, self.high)]

    def seed(self, seed: Optional[int] = None) -> None:
        """Seeds `sample`, as gymnasium.spaces.Box.seed does."""
        self._rng.seed(seed)

    def sample(self, rng: Optional[random.Random] = None) -> List[float]:
        """Uniform where both bounds are finite; as Gymnasium, a normal or shifted exponential
        draw where a bound is infinite. Draws from `rng`, else from the Box's own (see `seed`)."""
        rng = rng or self._rng
        return [_sample_interval(lo, hi, rng) for lo, hi in zip(self.low, self.high)]


def _sample_interval(low: float, high: float, rng: random.Random) -> float:
    if math.isfinite(low) and math.isfinite(high):
        return rng.uniform(low, high)
    if math.isfinite(low):
        return low + rng.expovariate(1.0)
    if math.isfinite(high):
        return high - rng.expovariate(1.0)
    return rng.gauss(0.0, 1.0)
