"""Messages of the pedestrian counter (firmware/apps/pedestrian_counter.py): counts per bin and BEAM_BLOCKED.

Telemetry is one counting bin: people in and out, plus what the board threw away (glitches shorter than
`min_break_ms`, breaks that found no partner beam within `window_ms`) and the edges its ring dropped. Counts
only: the message has no field that could identify a person. A counter that tells a group of park lights of
each passage (`light_group`) also reports the presence messages it sent and could not send in the bin (absent
from older boards and from counters without a group: 0).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hub.validate.models import MAX_TS_MS, Count, EventBase, Strict

PedestrianAlarm = Literal["BEAM_BLOCKED"]


class PedestrianCounterTele(Strict):
    count_in: Count = Field(description="passages a then b in the bin")
    count_out: Count = Field(description="passages b then a in the bin")
    bin_start: Annotated[int, Field(ge=0, le=MAX_TS_MS, description="start of counting, UTC epoch ms")]
    bin_s: Annotated[int, Field(ge=0, le=86_400, description="seconds counted (bin_s, less after a boot)")]
    glitches: Count = Field(description="breaks shorter than min_break_ms in the bin (ignored)")
    unpaired: Count = Field(description="breaks with no partner beam within window_ms in the bin")
    overflow: Count = Field(description="beam edges lost because the board's ring was full, since boot")
    presence_tx: Count = Field(default=0, description="presence messages sent to the light group in the bin")
    presence_unsent: Count = Field(default=0, description=(
        "presence messages that could not go in the bin (no broker session); never sent later"))


class PedestrianCounterEvent(EventBase):
    alarm: PedestrianAlarm
    state: Literal["raised", "cleared"]
    beam: Literal["a", "b", "a+b"]
