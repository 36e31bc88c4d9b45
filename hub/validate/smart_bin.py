"""The smart bin's messages (hub side of the contract; firmware: firmware/apps/smart_bin.py, bin_rules.py).

Stored as measurement `smart_bin` (telemetry) and through the common `alarm` measurement (events); the
fields are documented in docs/smart-bin.md and docs/protocol.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hub.validate.models import Count, EventBase, NonNeg, Strict

Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Celsius = Annotated[float, Field(ge=-60, le=1000, allow_inf_nan=False)]   # a fire reads far above 100 °C
Degrees = Annotated[float, Field(ge=0, le=180, allow_inf_nan=False)]

SmartBinAlarm = Literal["FULL", "EMPTIED", "FIRE", "TILT", "LID_OPEN", "SENSOR_FAULT"]
FaultySensor = Literal["ultrasonic", "temperature", "accelerometer"]


class SmartBinTele(Strict):
    fill_pct: Percent | None            # None: no valid distance in this reading
    distance_cm: NonNeg | None          # median distance from the sensor to the waste surface
    pings: Count                        # valid pings in this reading
    temp_c: Celsius | None              # None: thermistor open or shorted
    tilt_deg: Degrees | None            # None: accelerometer unreadable
    lid_open: bool
    compactions: Count                  # compaction cycles since installation
    battery_v: NonNeg | None
    period_s: Annotated[int, Field(gt=0)]
    wakes: Count                        # readings since the previous telemetry
    awake_ms: Count                     # time awake over those wakes (radio included)


class SmartBinEvent(EventBase):
    alarm: SmartBinAlarm
    fill_pct: Percent | None
    temp_c: Celsius | None
    tilt_deg: Degrees | None
    drop_pct: Percent | None = None     # EMPTIED: how far the level dropped
    sensor: FaultySensor | None = None  # SENSOR_FAULT raised: which sensor
