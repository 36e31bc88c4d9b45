"""The hub side of the park light's contract: telemetry and events of `firmware/apps/park_light.py`.

Telemetry (every `tele_s`, default 15 min) is stored in the InfluxDB measurement `park_light`; events go to the
common `alarm` measurement (docs/protocol.md, docs/park-light.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hub.validate.models import Count, EventBase, NonNeg, Strict

Percent = Annotated[int, Field(ge=0, le=100)]
LightAlarm = Literal["LAMP_FAILURE", "DAY_BURNER", "COMMS_LOST", "SENSOR_STUCK"]


class ParkLightTele(Strict):
    level_pct: Percent = Field(description="drive level at the end of the period, %")
    avg_pct: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = Field(
        description="time-weighted mean drive level over the period, %")
    mode: Literal["day", "dynamic", "failsafe", "override"]
    detections: Count = Field(description="passers-by seen by the pole's own motion sensor in the period")
    presence_rx: Count = Field(description="neighbours' presence messages that brightened the pole in the period")
    presence_tx: Count = Field(default=0, description="presence messages the pole sent to its group in the period")
    presence_unsent: Count = Field(default=0, description=(
        "presence the pole could not send in the period (no broker session, topic refused, group awaiting a reboot)"))
    energy_wh: NonNeg = Field(description="estimated energy in the period: lamp_w x level + standby_w, Wh")
    full_wh: NonNeg = Field(description="what the lamp would have used at 100 % while lit in the period, Wh")
    burning_h: NonNeg = Field(description="hours the lamp has burnt (level > 0), since installation")
    period_s: Count


class ParkLightEvent(EventBase):
    alarm: LightAlarm
    state: Literal["raised", "cleared"]
    level_pct: Percent | None = None      # LAMP_FAILURE / DAY_BURNER: drive level, sense and expected sense
    lamp_mv: Count | None = None
    expected_mv: Count | None = None
