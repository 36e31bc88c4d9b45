"""Launcher for a private single-node VictoriaMetrics (Debian 1.79.5) on a free loopback port.

Everything lives in ``<data_dir>/vm`` (-storageDataPath; caches and snapshots go there too) and
only -httpListenAddr is opened: the graphite/influx/opentsdb listeners are off (empty address)
and self-scraping is off (-selfScrapeInterval=0). Ready when ``GET /health`` answers 200.

How VictoriaMetrics 1.79.5 handles an InfluxDB v2 write (checked by hand against this binary;
the v2 writer's tests rely on these facts):

* ``POST /api/v2/write?org=city&bucket=sensors&precision=ms`` answers 204. No Authorization header
  is needed, and any ``Authorization: Token ...`` is accepted and ignored (no -httpAuth.* set).
  influxdb-client 1.50's SYNCHRONOUS write_api works against it, with and without gzip, and its
  ping() works too (``GET /ping`` answers 204).
* ``water_meter,device_id=wm-0001 total_l=12.5,seq=3i 1700000000000`` becomes two series, one per
  field, named ``<measurement>_<field>``: ``water_meter_total_l{device_id="wm-0001"}`` = 12.5 and
  ``water_meter_seq{device_id="wm-0001"}`` = 3, both at 1700000000000 ms. Tags become labels.
* ``org`` and ``bucket`` are NOT kept: there is no ``db`` label. A ``db`` label is only added when
  the request has a ``db=`` query arg (``/write?db=x`` or ``/api/v2/write?db=x``).
* ``precision`` is honoured (ms used here); without it timestamps are read as ns. A line without a
  timestamp gets the server's receive time.
* Fields are never dropped: booleans are stored as 1/0 and strings as 0 (``name="abc"`` gives
  ``water_meter_name`` = 0); integer ``3i`` and unsigned ``4u`` are stored as plain numbers.
* A malformed line is skipped (logged, counted in ``vm_rows_invalid_total{type="influx"}``) while
  the rest of the body is stored and the response is still 204: a 204 does not prove that every
  line was stored.
* Past timestamps are accepted back to now - retentionPeriod (2020 is fine with 100y). Future
  timestamps are accepted up to now + 2 days (+47 h stored, +49 h and +3 days dropped): the
  response is still 204, the row is only logged ("cannot insert row with too big timestamp")
  and counted in ``vm_rows_ignored_total{reason="big_timestamp"}``.
* Without deduplication (-dedup.minScrapeInterval unset) writing the same point twice stores two
  samples with the same timestamp (export shows both).
* Visibility: freshly written samples are buffered and showed up in reads only ~10 s later
  (measured); ``GET /internal/force_flush`` makes them readable at once. In addition,
  /api/v1/export's default ``end`` is *now rounded down to whole seconds*, so a sample stamped
  in the current second (or in the future) is not exported unless ``end`` is given. export()
  below therefore forces a flush and passes ``end`` = now + 3 days.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from hub.services.process import ServiceError, ServiceProcess, http_call, http_ok

EXPORT_END_AHEAD_S = 3 * 24 * 3600  # beyond the 2-day future limit, so nothing stored is cut off


class VictoriaMetrics(ServiceProcess):
    """``victoria-metrics`` with storage in ``<data_dir>/vm`` and only the HTTP port open."""

    name = "victoria-metrics"
    binary = "victoria-metrics"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def storage_path(self) -> Path:
        return self.data_dir / "vm"

    def command(self, executable: str) -> list[str]:
        return [
            executable,
            f"-httpListenAddr={self.host}:{self.port}",
            f"-storageDataPath={self.storage_path}",
            "-retentionPeriod=100y",
            "-selfScrapeInterval=0",
            "-graphiteListenAddr=",
            "-influxListenAddr=",
            "-opentsdbListenAddr=",
            "-opentsdbHTTPListenAddr=",
            # A test/demo instance: queries see the latest samples and are never served from cache.
            "-search.latencyOffset=0s",
            "-dedup.minScrapeInterval=1ms",  # samples of one series at one timestamp are kept once: replays stay idempotent
            "-search.disableCache",
        ]

    def is_ready(self) -> bool:
        return http_ok(f"{self.url}/health", 200)

    def flush(self) -> None:
        """Make all samples received so far visible to reads (/internal/force_flush)."""
        status, body = http_call("GET", f"{self.url}/internal/force_flush")
        if status != 200:
            raise ServiceError(f"victoria-metrics force_flush failed ({status}): {body!r}")

    def export(self, match: str = '{__name__!=""}') -> list[dict[str, Any]]:
        """All series matching ``match`` via /api/v1/export, one dict per series:
        ``{"metric": {"__name__": ..., label: value}, "values": [...], "timestamps": [ms, ...]}``.
        Flushes first and covers all time up to now + 3 days, so samples written just before are
        always included."""
        self.flush()
        params = {"match[]": match, "end": str(int(time.time()) + EXPORT_END_AHEAD_S)}
        status, body = http_call("GET", f"{self.url}/api/v1/export", params)
        if status != 200:
            raise ServiceError(f"victoria-metrics export {match!r} failed ({status}): {body!r}")
        return [json.loads(line) for line in body.decode().splitlines() if line.strip()]
