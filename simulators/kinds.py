"""Device kinds the simulator knows: id prefix, physics model and simulated hardware per kind.

Adding a kind = a physics model class here (with `prefix`, `faults`, `attach`, `advance`, `inject`) and its
firmware app; the fleet runner stays as it is.
"""

from __future__ import annotations

import random
from typing import Protocol

from simulators.bin import SmartBinModel
from simulators.board import SimBoard
from simulators.park import ParkLightModel
from simulators.pedestrians import PedestrianModel
from simulators.water import FAULTS as WATER_FAULTS
from simulators.water import PulseMeter, WaterBuilding


class PhysicsModel(Protocol):
    """What the fleet needs of a kind's physics. Class attributes: `kind`, `prefix` (device ids), `faults`
    (injectable fault names), `tick_ms` (how often the kind's boards run, simulated ms)."""

    kind: str
    prefix: str
    faults: tuple[str, ...]
    tick_ms: int

    def __init__(self, rng: random.Random) -> None: ...

    def setup(self, device_id: str, n: int, count: int) -> None: ...
    def app_config(self) -> dict[str, object]: ...
    def attach(self, board: SimBoard) -> None: ...
    def advance(self, t0_ms: int, t1_ms: int) -> None: ...
    def inject(self, fault: str, from_ms: int) -> None: ...


class WaterMeterModel:
    """A building's water use through a pulse meter wired to the board's pulse input."""

    kind = "water_meter"
    prefix = "wm"
    faults = WATER_FAULTS
    tick_ms = 60_000

    def __init__(self, rng: random.Random, litres_per_pulse: int = 1) -> None:
        self.building = WaterBuilding(rng)
        self.meter = PulseMeter(litres_per_pulse)
        self.board: SimBoard | None = None

    def setup(self, device_id: str, n: int, count: int) -> None:
        """Called once with the board's place in the fleet (meters are independent buildings)."""

    def app_config(self) -> dict[str, object]:
        return {"litres_per_pulse": self.meter.litres_per_pulse}

    def attach(self, board: SimBoard) -> None:
        self.board = board

    def inject(self, fault: str, from_ms: int = 0) -> None:
        self.building.inject(fault, from_ms)

    def advance(self, t0_ms: int, t1_ms: int) -> None:
        assert self.board is not None
        board = self.board
        fault = self.building.fault_active(t1_ms)
        board.pulse_input.stuck = fault == "stuck"
        board.pulse_input.cut = fault == "cut"
        litres = self.building.litres(t0_ms, t1_ms)
        for t in self.meter.pulses(t0_ms, t1_ms, litres):
            board.pulse_input.pulse(t - board.rtc.boot_ms)


MODELS: dict[str, type[PhysicsModel]] = {"water_meter": WaterMeterModel, "park_light": ParkLightModel,
                                         "pedestrian_counter": PedestrianModel, "smart_bin": SmartBinModel}


def model_for(kind: str) -> type[PhysicsModel]:
    try:
        return MODELS[kind]
    except KeyError:
        raise ValueError(f"unknown device kind {kind!r}; known: {', '.join(MODELS)}") from None
