"""A consignment of containers, counted in TEU."""

from __future__ import annotations

import math
from dataclasses import dataclass

from midcorridor.errors import InputError

#: Cargo mass of a loaded TEU on the corridor: ~12 t, derived from the KTZ Xi'an terminal
#: figure 10,524 TEU = 126,288 t ("Kazakhstan-China terminal in Xi'an", Trend,
#: https://en.trend.az/business/4048568.html, 2025-05-20; corridor-facts.md section 8).
TONNES_PER_TEU = 12.0
#: A 40 ft container (FEU) is 2 TEU (iLEAP specs/index.bs, 2025-05; emissions.md section 3.1).
TEU_PER_FEU = 2.0


@dataclass(frozen=True)
class Cargo:
    """A shipment of ``teu`` loaded twenty-foot equivalents (mass ``TONNES_PER_TEU`` each)."""

    teu: float

    def __post_init__(self) -> None:
        if not (isinstance(self.teu, int | float) and math.isfinite(self.teu) and self.teu > 0):
            raise InputError(f"cargo must be a positive number of TEU, got {self.teu!r}")

    @classmethod
    def from_tonnes(cls, tonnes: float) -> Cargo:
        """Cargo of ``tonnes`` at 12 t per loaded TEU."""
        if not (math.isfinite(tonnes) and tonnes > 0):
            raise InputError(f"cargo must be a positive number of tonnes, got {tonnes!r}")
        return cls(tonnes / TONNES_PER_TEU)

    @classmethod
    def from_feu(cls, feu: float) -> Cargo:
        """Cargo of ``feu`` forty-foot containers (2 TEU each)."""
        if not (math.isfinite(feu) and feu > 0):
            raise InputError(f"cargo must be a positive number of FEU, got {feu!r}")
        return cls(feu * TEU_PER_FEU)

    @property
    def tonnes(self) -> float:
        """Cargo mass in tonnes."""
        return self.teu * TONNES_PER_TEU

    def __str__(self) -> str:
        return f"{self.teu:g} TEU ({self.tonnes:,.0f} t)"
