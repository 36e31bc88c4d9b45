"""A board that loses its network is reported offline by the broker (last will), and online again after."""

from __future__ import annotations

from hub.pipeline import Hub
from tests.e2e.conftest import settle

HOUR = 3_600_000


def _online(hub: Hub) -> dict[str, bool]:
    return {device: online for device, _, online, _, _ in hub.store.iter_devices()}


def test_last_will_marks_a_board_offline_and_its_birth_online_again(hub: Hub, make_fleet) -> None:
    fleet = make_fleet(2)
    fleet.offline("wm-0002", 2 * HOUR, 3 * HOUR)
    fleet.boot_all()
    for _ in range(60):
        fleet.step()
    settle(hub)
    assert _online(hub) == {"wm-0001": True, "wm-0002": True}
    for _ in range(90):          # into the outage
        fleet.step()
    settle(hub)
    assert _online(hub) == {"wm-0001": True, "wm-0002": False}, "the broker published wm-0002's last will"
    for _ in range(3 * 60):      # past the outage
        fleet.step()
    settle(hub)
    assert _online(hub) == {"wm-0001": True, "wm-0002": True}
