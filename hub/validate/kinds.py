"""Registry of device kinds: which data model checks each (kind, channel) pair.

A new device kind is one entry here (its telemetry and event models) plus its firmware app and physics.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from hub.validate.models import CommandAck, Health, Status, WaterMeterEvent, WaterMeterTele
from hub.validate.park_light import ParkLightEvent, ParkLightTele
from hub.validate.pedestrian_counter import PedestrianCounterEvent, PedestrianCounterTele
from hub.validate.smart_bin import SmartBinEvent, SmartBinTele


@dataclass(frozen=True)
class KindSchema:
    kind: str
    measurement: str
    tele: type[BaseModel]
    evt: type[BaseModel]


KINDS: dict[str, KindSchema] = {
    "water_meter": KindSchema("water_meter", "water_meter", WaterMeterTele, WaterMeterEvent),
    "pedestrian_counter": KindSchema("pedestrian_counter", "pedestrian_counter", PedestrianCounterTele,
                                     PedestrianCounterEvent),
    "park_light": KindSchema("park_light", "park_light", ParkLightTele, ParkLightEvent),
    "smart_bin": KindSchema("smart_bin", "smart_bin", SmartBinTele, SmartBinEvent),
}

COMMON_CHANNELS: dict[str, type[BaseModel]] = {"health": Health, "status": Status, "ack": CommandAck}
CHANNELS = ("tele", "evt", "health", "status", "ack")


def data_model(kind: KindSchema, channel: str) -> type[BaseModel]:
    if channel == "tele":
        return kind.tele
    if channel == "evt":
        return kind.evt
    return COMMON_CHANNELS[channel]
