"""Pedestrian counter: a simulated week through the whole chain, counts compared with the simulator's truth.

    .venv/bin/python bench/pedestrian_week.py [--days 7] [--seed 1]

Starts a private mosquitto and influxd (temporary directories, free loopback ports), the hub in this
process, and one fleet of four simulated counters running the real firmware at full speed (speed 0):

| board    | street it sees                                         | walkers                         |
| ped-0001 | one lane of Rue Neuve: 32,000 people a weekday / 8     | alone                           |
| ped-0002 | the same lane                                          | groups of 1-4 walking abreast   |
| ped-0003 | the whole of Rue Neuve on one beam pair (32,000/day)   | alone                           |
| ped-0004 | the same                                               | groups of 1-4 walking abreast   |

After the run it reads the counts back from InfluxDB (`pedestrian_counter`, summed per board) and prints,
per board and direction, the true people, the counted passages and the error; for the group boards also
the true passages (groups + people alone), which is what a beam pair can count at best. Then it runs one
full-street board with groups alone against the broker (no hub) and prints the real time a simulated week
takes. Nothing is asserted: figures go to docs/pedestrian-counter.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from simulators.fleet import BrokerAddress, Fleet
from simulators.pedestrians import PedestrianModel, StreetProfile

DB = "city"
START_MS = 1_794_787_200_000   # Monday 2026-11-16 00:00 UTC
DAY_MS = 86_400_000
ALONE = ((1, 1.0),)
BOARDS = {
    "ped-0001": ("lane (1/8 street), alone", StreetProfile(lanes=8, group_sizes=ALONE)),
    "ped-0002": ("lane (1/8 street), groups", StreetProfile(lanes=8)),
    "ped-0003": ("whole street, alone", StreetProfile(lanes=1, group_sizes=ALONE)),
    "ped-0004": ("whole street, groups", StreetProfile(lanes=1)),
}


def settle(hub: Hub, timeout_s: float = 60.0) -> None:
    if not hub.settled(timeout_s, quiet_s=1.0):
        raise SystemExit(f"the hub did not settle: {hub.stats()}")


def _pct(counted: int, true: int) -> str:
    return f"{counted / true - 1:+.1%}" if true else "-"


def chain(tmp: Path, days: int, seed: int) -> None:
    with Mosquitto(tmp / "mosquitto") as mq, InfluxDB1(tmp / "influxdb") as influx:
        settings = load_settings(env={}, mqtt_url=mq.url, influx_url=influx.url, influx_db=DB,
                                 data_dir=tmp / "hub")
        with Hub(settings) as hub:
            if not hub.source.connected.wait(10):
                raise SystemExit("the hub did not connect to the broker")
            fleet = Fleet("pedestrian_counter", len(BOARDS), BrokerAddress(mq.host, mq.port), tmp / "fleet",
                          START_MS, speed=0, seed=seed)
            for did, (_, profile) in BOARDS.items():
                model = fleet.devices[did].model
                assert isinstance(model, PedestrianModel)
                model.street.profile = profile
            t0 = time.monotonic()
            fleet.run(days * DAY_MS)
            real_s = time.monotonic() - t0
            settle(hub)
            fleet.shutdown()
            print(f"\n{days} simulated days, {len(BOARDS)} counters, through mosquitto + hub + InfluxDB: "
                  f"{real_s:.1f} s real time; fleet {fleet.stats()}")
            print(f"{'board':9} {'street':28} {'dir':4} {'people':>8} {'counted':>8} {'error':>7} "
                  f"{'passages':>9} {'vs passages':>11}")
            for did, (label, _) in BOARDS.items():
                model = fleet.devices[did].model
                assert isinstance(model, PedestrianModel)
                truth = model.truth.totals(START_MS, START_MS + days * DAY_MS)
                rows = influx.points(f"SELECT sum(count_in) AS cin, sum(count_out) AS cout, count(count_in) AS n "
                                     f"FROM pedestrian_counter WHERE device_id = '{did}'", db=DB)
                cin, cout = int(rows[0]["cin"]), int(rows[0]["cout"])
                for direction, counted, people in (("in", cin, truth.people_in), ("out", cout, truth.people_out)):
                    print(f"{did:9} {label:28} {direction:4} {people:>8} {counted:>8} {_pct(counted, people):>7}")
                people = truth.people_in + truth.people_out
                passages = truth.alone_in + truth.alone_out + truth.groups
                counted = cin + cout
                print(f"{did:9} {label:28} {'both':4} {people:>8} {counted:>8} {_pct(counted, people):>7} "
                      f"{passages:>9} {_pct(counted, passages):>11}   ({rows[0]['n']} bins; "
                      f"{(truth.grouped_in + truth.grouped_out) / people:.0%} of people in {truth.groups} groups)")


def speed(tmp: Path, days: int, seed: int) -> None:
    with Mosquitto(tmp / "mosquitto-speed") as mq:
        fleet = Fleet("pedestrian_counter", 1, BrokerAddress(mq.host, mq.port), tmp / "fleet-speed", START_MS,
                      speed=0, seed=seed)
        t0 = time.monotonic()
        fleet.run(days * DAY_MS)
        real_s = time.monotonic() - t0
        fleet.shutdown()
        model = fleet.devices["ped-0001"].model
        assert isinstance(model, PedestrianModel)
        truth = model.truth.totals()
        sup = fleet.devices["ped-0001"].sup
        assert sup is not None
        print(f"\nsimulation speed: one counter, whole street with groups ({truth.people_in + truth.people_out} "
              f"people, {model.beams.edges} beam edges, {sup.passes} firmware passes, {fleet.stats()['sent']} "
              f"messages) for {days} days: {real_s:.1f} s real time "
              f"({days * 86400 / real_s:,.0f}x real time)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ped-") as tmp:
        chain(Path(tmp), args.days, args.seed)
        speed(Path(tmp), args.days, args.seed)


if __name__ == "__main__":
    main()
