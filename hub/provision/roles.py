"""Pin roles per device kind: the fixed contract between board definitions, the firmware HAL and the docs.

`config.json` carries `"pins": {role: gpio}`; `firmware/hal/` builds one hardware object per role present.
Directions: `in` (digital input), `out` (digital output, PWM when the kind needs `pwm`), `io` (both ways, e.g.
I2C, so the pin must be able to drive), `adc` (analogue input, read while WiFi is on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    direction: str           # in, out, io, adc
    required: bool = False
    pull: str = ""           # "up" / "down": the HAL turns on the chip's internal pull resistor for this input
    what: str = ""

    @property
    def drives(self) -> bool:
        return self.direction in ("out", "io")


ROLES: dict[str, dict[str, Role]] = {
    "water_meter": {
        "pulse": Role("in", required=True, pull="up", what="meter pulse contact to ground"),
        "sense": Role("adc", what="cable-sense voltage (optional)"),
    },
    "smart_bin": {
        "us_trig": Role("out", required=True, what="JSN-SR04T trigger"),
        "us_echo": Role("in", required=True, what="JSN-SR04T echo"),
        "temp": Role("adc", required=True, what="NTC thermistor divider"),
        "i2c_sda": Role("io", required=True, what="accelerometer I2C data"),
        "i2c_scl": Role("io", required=True, what="accelerometer I2C clock"),
        "lid": Role("in", required=True, pull="up", what="lid reed switch to ground"),
        "compactor": Role("in", required=True, pull="up", what="compactor cycle contact to ground"),
        "battery": Role("adc", required=True, what="battery voltage divider"),
    },
    "pedestrian_counter": {
        "beam_a": Role("in", required=True, pull="up", what="first IR break-beam receiver"),
        "beam_b": Role("in", required=True, pull="up", what="second IR break-beam receiver"),
    },
    "park_light": {
        "lamp": Role("out", required=True, what="PWM to the LED driver's dimming input"),
        "pir": Role("in", required=True, pull="down", what="PIR motion sensor output"),
        "lamp_current": Role("adc", what="lamp current sense"),
    },
}

NEEDS: dict[str, tuple[str, ...]] = {
    "smart_bin": ("deep_sleep",),
    "park_light": ("pwm",),
}
"""Board capabilities a kind cannot work without."""


def roles_for(kind: str) -> dict[str, Role]:
    try:
        return ROLES[kind]
    except KeyError:
        raise ValueError(f"no pin roles are defined for device kind {kind!r} "
                         f"(known: {', '.join(ROLES)}); add them to hub/provision/roles.py") from None
