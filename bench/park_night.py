"""Park night bench: the energy a path of dynamic park lights uses in one night, against lights at 100 % all night.

Runs the REAL park light firmware (`firmware/apps/park_light.py`) on simulated poles (`simulators/park.py`:
poles 25 m apart, walkers 1.4 m/s and cyclists 5 m/s, busiest 18-23 h) from 30 minutes before sunset to
30 minutes after sunrise, through a private mosquitto (presence between poles), the hub and a private InfluxDB,
then reads the night back from the `park_light` measurement:

    saving = 1 - sum(energy_wh) / sum(full_wh)

energy_wh is the boards' own estimate (lamp_w x level + standby_w); full_wh is what the same lamps would have
used at 100 % whenever the schedule had them lit. The simulated lamps' drawn energy is printed beside it as a
cross-check. Then one walker and one cyclist on an empty path: how far ahead of them the next poles were already
at full. Figures are recorded in docs/park-light.md.

Usage: .venv/bin/python bench/park_night.py [--poles 8] [--date 2026-11-17] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cityfw.apps.sun import sun_times

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from simulators.fleet import BrokerAddress, Fleet
from simulators.park import SENSOR_RANGE_M, ParkPath

DB = "city"
DAY_MS = 86_400_000
LAT, LON = 50.85, 4.35


def _wait_settled(hub: Hub, timeout_s: float = 60) -> None:
    if not hub.settled(timeout_s, quiet_s=1.0):
        raise RuntimeError(f"hub did not settle: {hub.stats()}")


def night(poles: int, date: str, seed: int, tmp: Path) -> None:
    day = int(datetime.fromisoformat(date).replace(tzinfo=UTC).timestamp() * 1000) // DAY_MS
    _, sunset = sun_times(day, LAT, LON)
    sunrise, _ = sun_times(day + 1, LAT, LON)
    start, end = sunset - 1_800_000, sunrise + 1_800_000
    start -= start % 900_000
    end -= end % 900_000
    with Mosquitto(tmp / "mosquitto") as mq, InfluxDB1(tmp / "influx") as influx:
        settings = load_settings(env={}, mqtt_url=mq.url, influx_url=influx.url, influx_db=DB, data_dir=tmp / "hub")
        with Hub(settings) as hub:
            if not hub.source.connected.wait(10):
                raise RuntimeError("hub did not connect")
            fleet = Fleet("park_light", poles, BrokerAddress(mq.host, mq.port), tmp / "fleet", start, speed=0,
                          seed=seed)
            real0 = time.monotonic()
            fleet.boot_all()
            while fleet.sim.now_ms < end:
                fleet.step()
                time.sleep(0.001)    # let presence reach the neighbours within the simulated second, as it
                fleet.idle_pass()    # does within a board's 200 ms loop (as fast as possible, it would not)
            fleet.drain()
            real = time.monotonic() - real0
            _wait_settled(hub)
            rows = influx.points(
                "SELECT sum(energy_wh) AS used, sum(full_wh) AS full, sum(detections) AS seen, "
                f"sum(presence_rx) AS rx FROM park_light WHERE time > {start}ms AND time <= {end}ms", db=DB)
            used, full = rows[0]["used"], rows[0]["full"]
            drawn = sum(d.model.energy_wh for d in fleet.devices.values())
            paths = {id(d.model.path): d.model.path for d in fleet.devices.values() if d.model.path is not None}
            passers = sum(p.total for p in paths.values())
            hours = (end - start) / 3_600_000
            steps = (end - start) // fleet.tick_ms
            fmt = "%Y-%m-%d %H:%M"
            print(f"night of {date}: sunset {datetime.fromtimestamp(sunset / 1000, UTC):%H:%M} UTC, "
                  f"sunrise {datetime.fromtimestamp(sunrise / 1000, UTC):%H:%M} UTC; simulated "
                  f"{datetime.fromtimestamp(start / 1000, UTC):{fmt}} - {datetime.fromtimestamp(end / 1000, UTC):{fmt}}")
            print(f"{poles} poles on {len(paths)} path(s), {passers} passers-by, "
                  f"{rows[0]['seen']} own detections, {rows[0]['rx']} neighbour presences acted on")
            print(f"energy, dynamic (board estimate, from InfluxDB): {used:8.1f} Wh  ({used / poles:.1f} Wh per pole)")
            print(f"energy, dynamic (simulated lamps drew):          {drawn:8.1f} Wh")
            print(f"energy, 100 % all night (same lit hours):        {full:8.1f} Wh  ({full / poles:.1f} Wh per pole)")
            print(f"saving: {100 * (1 - used / full):.1f} %")
            print(f"simulation: {hours:.1f} h x {poles} poles at 1 s ticks = {steps * poles:,} firmware passes "
                  f"(+ as many idle passes) in {real:.1f} s real, 1 ms pause per simulated second included "
                  f"({hours * 3600 / real:,.0f}x real time)")
            fleet.shutdown()


def lead(tmp: Path) -> None:
    """One walker, then one cyclist, on an empty path: metres between them and each pole when it reached 100 %."""
    with Mosquitto(tmp / "mosquitto-lead") as mq:
        start = 1_795_132_800_000 - 3 * DAY_MS + 17 * 3_600_000   # 2026-11-17 17:00 UTC
        fleet = Fleet("park_light", 8, BrokerAddress(mq.host, mq.port), tmp / "fleet-lead", start, speed=0)
        path: ParkPath | None = fleet.devices["light-0001"].model.path
        assert path is not None
        path.traffic = 0.0
        fleet.boot_all()
        for _ in range(120):
            fleet.step()
        for name, cyclist in (("walker", False), ("cyclist", True)):
            passer = path.add(fleet.sim.now_ms, forward=True, cyclist=cyclist)
            for _ in range(400):
                fleet.step()
                time.sleep(0.005)    # a simulated second lasts longer than the broker's delivery, as on a board
                fleet.idle_pass()
            ahead = []
            for n, dev in enumerate(fleet.devices.values()):
                lamp = dev.model.lamp
                assert lamp is not None
                full_at = next((t for t, level in lamp.changes if level == 100 and t >= passer.enter_ms), None)
                if full_at is None or n == 0:
                    continue
                ahead.append(path.position(n) - passer.at(full_at))
            print(f"{name} ({abs(passer.speed_mps)} m/s): poles 1-7 at 100 % when the {name} was "
                  f"{min(ahead):.0f}-{max(ahead):.0f} m before them (their own sensor sees {SENSOR_RANGE_M:.0f} m)")
        fleet.shutdown()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poles", type=int, default=8)
    parser.add_argument("--date", default="2026-11-17", help="the evening's date (UTC)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv[1:])
    with tempfile.TemporaryDirectory(prefix="cityhub-park-night-") as tmp:
        night(args.poles, args.date, args.seed, Path(tmp))
        lead(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
