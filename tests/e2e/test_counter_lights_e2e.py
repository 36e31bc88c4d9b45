"""A pedestrian counter at a park entrance tells the park lights someone is coming: real mosquitto, hub, InfluxDB.

One path of six poles (`light-0001`... are poles 0-5 of group `path-01`) and two counters running the real
firmware on simulated hardware: `ped-0001` stands at the path's entrance, just before pole 0
(`light_group` path-01, `light_pole` -1), `ped-0002` has no group. Nobody else walks on the path or through the
beams; each counter sees one person walk in.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from simulators.fleet import Fleet
from simulators.park import ParkLightModel, ParkPath, SimLamp
from simulators.pedestrians import PedestrianModel
from tests.e2e.conftest import DB, START_MS, settle

HOUR_MS = 3_600_000
DUSK_MS = START_MS + 16 * HOUR_MS     # 2026-11-17 16:00 UTC: after sunset (15:55 UTC) in Brussels
BASE, FULL = 20, 100
POLES = 6
NEIGHBOURS = 2                        # the lights' default
ENTRANCE = -1                         # the counter's place: just before pole 0
PRESENCE_PAUSE_S = 0.005


def _steps(fleet: Fleet, seconds: int, pause_s: float = 0.0) -> None:
    for _ in range(seconds):
        fleet.step()
        if pause_s:
            time.sleep(pause_s)   # let presence arrive as it does within a board's 200 ms loop
            fleet.idle_pass()


def _lamp(fleet: Fleet, device_id: str) -> SimLamp:
    model = fleet.devices[device_id].model
    assert isinstance(model, ParkLightModel) and model.lamp is not None
    return model.lamp


def _lamp_levels_since(fleet: Fleet, device_id: str, t_ms: int) -> set[int]:
    lamp = _lamp(fleet, device_id)
    return {level for when, level in lamp.changes if when >= t_ms} | {lamp.level}


def _counter(fleet: Fleet, device_id: str) -> PedestrianModel:
    model = fleet.devices[device_id].model
    assert isinstance(model, PedestrianModel)
    return model


def _walk_in(fleet: Fleet, counter: str) -> int:
    """One person through the counter's beams, half a second from now; returns the simulated time."""
    now = fleet.sim.now_ms
    _counter(fleet, counter).street.add(now + 500, inward=True)
    return now


def test_a_passage_at_the_entrance_counter_lights_the_poles_near_it_only(hub: Hub, influxdb: InfluxDB1,
                                                                         make_fleet: Callable[..., Fleet]) -> None:
    fleet = make_fleet(None, kind={"park_light": POLES, "pedestrian_counter": 2}, start_ms=DUSK_MS,
                       app={"ped-0001": {"light_group": "path-01", "light_pole": ENTRANCE}})
    first = fleet.devices["light-0001"].model
    assert isinstance(first, ParkLightModel) and first.path is not None
    path: ParkPath = first.path
    path.traffic = 0.0                                   # nobody on the path ...
    for dev in fleet.of_kind("pedestrian_counter"):
        _counter(fleet, dev.device_id).street.profile.people_per_day = 0.0   # ... nor through the beams
    lights = [d.device_id for d in fleet.of_kind("park_light")]
    near = [lights[n] for n in range(POLES) if abs(n - ENTRANCE) <= NEIGHBOURS]
    far = [d for d in lights if d not in near]
    assert near == ["light-0001", "light-0002"]

    fleet.boot_all()
    _steps(fleet, 120)                                   # connected, clocks synced, every pole at base
    assert all(dev.sup is not None and dev.sup.link.connected for dev in fleet.devices.values())
    rest_ms = fleet.sim.now_ms
    assert all(_lamp(fleet, d).level == BASE for d in lights), "at rest: base level"

    # the counter without a group counts its walker and tells nobody
    _walk_in(fleet, "ped-0002")
    _steps(fleet, 60, PRESENCE_PAUSE_S)
    plain = fleet.devices["ped-0002"].sup
    assert plain is not None and plain.app.pair.counts == [1, 0], "the walker was counted"
    assert all(_lamp_levels_since(fleet, d, rest_ms) == {BASE} for d in lights), "no light moved"

    # the entrance counter's walker: the poles within NEIGHBOURS of it go full, the far ones stay at base
    walked_at = _walk_in(fleet, "ped-0001")
    for _ in range(55):                                  # well within the lights' 60 s hold
        if all(FULL in _lamp_levels_since(fleet, d, walked_at) for d in near):
            break
        _steps(fleet, 1, PRESENCE_PAUSE_S)
    for d in near:
        assert FULL in _lamp_levels_since(fleet, d, walked_at), f"{d} did not go full for the counted walker"
        assert _lamp(fleet, d).level == FULL, d
    for d in far:
        assert _lamp_levels_since(fleet, d, rest_ms) == {BASE}, f"{d} is beyond {NEIGHBOURS} poles and moved"
    entrance = fleet.devices["ped-0001"].sup
    assert entrance is not None and entrance.app.pair.counts == [1, 0]

    # the hold and fade, then the quarter hour closes: counters' bins and the lights' reports reach InfluxDB
    _steps(fleet, 150, PRESENCE_PAUSE_S)
    assert all(_lamp(fleet, d).level == BASE for d in lights), "back to base once they have gone"
    _steps(fleet, (DUSK_MS + 16 * 60_000 - fleet.sim.now_ms) // 1000)
    fleet.drain()
    settle(hub)
    bins = {r["device_id"]: r for r in influxdb.points("SELECT * FROM pedestrian_counter", db=DB)}
    assert (bins["ped-0001"]["count_in"], bins["ped-0001"]["presence_tx"], bins["ped-0001"]["presence_unsent"]) \
        == (1, 1, 0), bins["ped-0001"]
    assert (bins["ped-0002"]["count_in"], bins["ped-0002"]["presence_tx"]) == (1, 0), bins["ped-0002"]
    received = {r["device_id"]: r["presence_rx"] for r in influxdb.points("SELECT * FROM park_light", db=DB)}
    assert received == {d: (1 if d in near else 0) for d in lights}, received
    assert fleet.stats()["crashes"] == 0
