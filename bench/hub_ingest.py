"""Hub ingest benchmark: a QoS 1 burst from N publisher processes -> mosquitto -> `cityhub run` -> InfluxDB 1.x.

    .venv/bin/python bench/hub_ingest.py --messages 100000 --publishers 4
    .venv/bin/python bench/hub_ingest.py --burst 20000 --runs 2
    .venv/bin/python bench/hub_ingest.py --burst 20000 --rate 2000      # paced: latency below saturation
    .venv/bin/python bench/hub_ingest.py --burst 20000 --backlog        # the hub drains a queued backlog
    .venv/bin/python bench/hub_ingest.py --burst 20000 --hubs 2         # two hubs, one shared subscription

Everything runs on this machine: a private mosquitto and influxd (temporary directories, free loopback ports,
the launchers in hub/services/), the hub as a SEPARATE process (`cityhub run`, configured with CITYHUB_*
variables, so its memory can be read from /proc/<pid>/status), and the load generator (one process per
publisher, each a paho-mqtt client). This is a benchmark to run by hand, not a test: nothing here asserts a
speed; the exit status is 1 only when messages were lost or a publisher failed. See docs/benchmarks.md for
the method and the figures.

Each run:
1. starts mosquitto, influxd and the hub; waits until the hub logged its broker connection, then publishes
   one warm-up message (device `wm-warmup`) until it is queryable, so the session is subscribed and the
   database exists before the clock starts;
2. the publishers connect, wait on a common start signal, then publish their share of the burst at QoS 1 as
   fast as paho allows (or at `--rate` msg/s in total). Every message is a valid water_meter `tele` message
   built from tests/contract/examples/water_meter.tele.json; device ids `wm-0000`... are dealt out to the
   publishers (a device belongs to one publisher), each device's `seq` counts 1, 2, 3 ... and its `ts` is the
   wall-clock send time in ms (bumped by 1 ms when the same device would repeat a millisecond: two points of
   one series with the same timestamp would collapse into one in InfluxDB);
3. a monitor thread polls every `--poll` seconds: the points of a few "sample" devices (every message of
   those devices, about `--samples` messages in all; the first poll that returns a point gives its
   visibility time), the hub's SQLite counters (read-only) and its VmRSS. `SELECT count(seq)` scans every
   stored point, so it runs every `--count-every` seconds until the hub has committed the whole burst, then
   at every poll until it shows the whole burst;
4. it checks every device's stored seq set against 1..sent (gaps, duplicates), reads the hub's VmHWM and
   the CPU time of every process, stops everything and prints a table (`--json` keeps all the details).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.services.process import ServiceError

DB = "city"
MEASUREMENT = "water_meter"
EXAMPLE = ROOT / "tests" / "contract" / "examples" / "water_meter.tele.json"
WARMUP_DEVICE = "wm-warmup"
CLK_TCK = os.sysconf("SC_CLK_TCK")
LOOP_EVERY = 50   # a publisher reads its PUBACKs (client.loop(0)) after every LOOP_EVERY messages


# --------------------------------------------------------------------------------------------------------
# load generator (runs in the publisher processes)
# --------------------------------------------------------------------------------------------------------
def _template() -> dict[str, Any]:
    example = json.loads(EXAMPLE.read_text())
    payload: dict[str, Any] = example["payload"]
    payload["q"] = []          # live readings, not a backlog sent after an outage ("backfilled")
    return payload


def device_id(n: int) -> str:
    return f"wm-{n:04d}"


def devices_of(publisher: int, publishers: int, devices: int) -> list[int]:
    return list(range(publisher, devices, publishers))


def messages_of(publisher: int, publishers: int, messages: int) -> int:
    return messages // publishers + (1 if publisher < messages % publishers else 0)


@dataclass
class PublisherResult:
    index: int
    sent: int
    acked: int
    t_first: float          # wall clock of the first publish() call
    t_enqueued: float       # the last publish() call returned
    t_acked: float          # the broker's PUBACK for the last message arrived
    ts_bumped: int          # messages whose ts was moved 1+ ms past the clock to keep it unique per device
    cpu_s: float
    error: str = ""


def publisher_main(index: int, publishers: int, host: str, port: int, messages: int, devices: int,
                   rate: float, inflight: int, ready: Any, go: Any, results: Any) -> None:
    total = messages_of(index, publishers, messages)
    mine = devices_of(index, publishers, devices)
    template = _template()
    data = dict(template["data"])
    topics = [f"city/v1/{device_id(d)}/tele" for d in mine]
    ids = [device_id(d) for d in mine]
    seqs = [0] * len(mine)
    last_ts = [0] * len(mine)
    totals = [float(data["total_l"])] * len(mine)
    acked = 0
    all_acked = threading.Event()
    connected = threading.Event()

    def on_connect(client: mqtt.Client, userdata: object, flags: object, reason: Any, props: object) -> None:
        if not reason.is_failure:
            connected.set()

    def on_publish(client: mqtt.Client, userdata: object, mid: int, reason: object, props: object) -> None:
        nonlocal acked
        acked += 1
        if acked >= total:
            all_acked.set()

    # No network thread: publish() writes to the socket itself and client.loop(0) reads the PUBACKs every
    # LOOP_EVERY messages. A loop_start() thread cost about 1.6 times the CPU per message here (a wake-up through
    # paho's socket pair and a thread switch each time), CPU that the hub and the broker need on 2 cores.
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{index}-{os.getpid()}",
                         clean_session=True, protocol=mqtt.MQTTv311)
    client.max_inflight_messages_set(inflight)
    client.max_queued_messages_set(0)
    client.on_connect = on_connect
    client.on_publish = on_publish
    client.connect(host, port, keepalive=60)
    deadline = time.monotonic() + 15
    while not connected.is_set() and time.monotonic() < deadline:
        client.loop(0.1)
    if not connected.is_set():
        results.put(PublisherResult(index, 0, 0, 0, 0, 0, 0, 0, "could not connect"))
        return
    if total == 0:
        all_acked.set()
    ready.put(index)
    while not go.is_set():
        client.loop(0.05)   # keeps the session alive while the others connect
    cpu0 = time.process_time()
    per_s = rate / publishers if rate > 0 else 0.0
    bumped = 0
    t_first = time.time()
    n_dev = len(mine)
    for i in range(total):
        if per_s:   # paced: wait for this message's slot (loop() returns early on network traffic)
            due = t_first + i / per_s
            while (delay := due - time.time()) > 0:
                client.loop(delay)
        if i % LOOP_EVERY == 0:
            client.loop(0)
        k = i % n_dev
        now_ms = int(time.time() * 1000)
        ts = now_ms if now_ms > last_ts[k] else last_ts[k] + 1
        if ts != now_ms:
            bumped += 1
        last_ts[k] = ts
        seqs[k] += 1
        totals[k] += data["litres"]
        data["total_l"] = totals[k]
        payload = {"data": data, "id": ids[k], "kind": "water_meter", "q": [], "seq": seqs[k], "ts": ts, "v": 1}
        client.publish(topics[k], json.dumps(payload, separators=(",", ":")), qos=1)
    t_enqueued = time.time()
    deadline = time.monotonic() + max(120.0, total / 200)
    while not all_acked.is_set() and time.monotonic() < deadline:
        client.loop(0.05)
    ok = all_acked.is_set()
    t_acked = time.time()
    cpu = time.process_time() - cpu0
    client.disconnect()
    results.put(PublisherResult(index, total, acked, t_first, t_enqueued, t_acked, bumped, cpu,
                                "" if ok else f"only {acked} of {total} PUBACKs arrived"))


# --------------------------------------------------------------------------------------------------------
# measurement helpers (main process)
# --------------------------------------------------------------------------------------------------------
def proc_status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM in KiB from /proc/<pid>/status ({} when the process is gone)."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def proc_cpu_s(pid: int) -> float:
    """user + system CPU seconds of a process (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def stored_count(influx: InfluxDB1) -> int:
    try:
        rows = influx.points(f"SELECT count(seq) FROM {MEASUREMENT}", db=DB)
    except ServiceError:   # the database appears with the hub's first write
        return 0
    return int(rows[0]["count"]) if rows else 0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def hub_counters(store: Path, buffered: bool = False) -> dict[str, int]:
    """The hub's SQLite counters (received, accepted, written, ...), read-only; {} if unreadable.

    `buffered` adds the buffer's row count (a COUNT(*), so only at the start and the end)."""
    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1)
        try:
            rows = db.execute("SELECT name, value FROM counters").fetchall()
            n = db.execute("SELECT COUNT(*) FROM buffer").fetchone()[0] if buffered else None
        finally:
            db.close()
    except sqlite3.Error:
        return {}
    out = {str(name): int(value) for name, value in rows}
    if n is not None:
        out["buffered"] = int(n)
    return out


def sum_counters(each: list[dict[str, int]]) -> dict[str, int]:
    """The counters of several hubs added up ({} if one of them could not be read)."""
    if not all(each):
        return {}
    out: dict[str, int] = {}
    for counters in each:
        for name, value in counters.items():
            out[name] = out.get(name, 0) + value
    return out


@dataclass
class Monitor:
    """Watches one burst: sample points and the stored count in InfluxDB, the hub's counters and RSS.

    Every `poll_s`: the sample devices' points (a few hundred rows: cheap), the hub's SQLite counters
    (read-only) and its VmRSS. `SELECT count(seq)` scans every stored point, so it runs only every
    `count_every_s` while the hub is still taking messages in, and every poll once its `received` counter
    says everything was committed (to time the moment the last message is queryable: the time is the end of
    the first count that shows everything, and its resolution the time since the start of the count before).
    """

    influx: InfluxDB1
    hub_pids: list[int]
    stores: list[Path]
    sample_devices: list[str]
    target: int              # count(seq) once every burst message and the warm-up message are stored
    received0: int           # the hub's counters before the burst
    written0: int
    messages: int
    poll_s: float
    count_every_s: float
    stall_s: float
    expected_samples: int = 0
    t_go: float = 0.0
    seen: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)  # (dev, ts) -> (lo, hi)
    timeline: list[tuple[float, int]] = field(default_factory=list)                # (wall time, stored)
    counters_timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (time, received, written)
    rss_peak_kib: int = 0
    t_all_stored: tuple[float, float] | None = None       # (lower bound, upper bound)
    t_all_committed: tuple[float, float] | None = None
    t_all_written: tuple[float, float] | None = None
    stalled: bool = False
    poll_s_spent: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-monitor", daemon=True)
        ors = " OR ".join(f"device_id = '{d}'" for d in self.sample_devices)
        self._sample_q = f"SELECT device_id, seq FROM {MEASUREMENT} WHERE {ors}"

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        progress, last_change = -1, time.time()
        prev_sample_start = prev_count_start = prev_counters = time.time()
        next_count = 0.0
        while not self._stop.is_set():
            t0 = time.time()
            try:
                rows = self.influx.points(self._sample_q, db=DB, epoch="ms")
            except ServiceError:
                rows = []
            t1 = time.time()
            for row in rows:
                key = (str(row["device_id"]), int(row["time"]))
                if key not in self.seen:
                    self.seen[key] = (prev_sample_start, t1)
            prev_sample_start = t0

            c = sum_counters([hub_counters(store) for store in self.stores])
            t2 = time.time()
            received = c.get("received", 0) - self.received0
            written = c.get("written", 0) - self.written0
            if c:
                self.counters_timeline.append((t2, received, written))
                if received >= self.messages and self.t_all_committed is None:
                    self.t_all_committed = (prev_counters, t2)
                if written >= self.messages and self.t_all_written is None:
                    self.t_all_written = (prev_counters, t2)
                prev_counters = t2

            # back-to-back counts once everything is committed: only the writes are left
            fast = received >= self.messages
            if self.t_all_stored is None and (t2 >= next_count or fast):
                t3 = time.time()
                count = stored_count(self.influx)
                t4 = time.time()
                self.timeline.append((t4, count))
                if count >= self.target:
                    self.t_all_stored = (prev_count_start, t4)
                prev_count_start = t3
                next_count = t4 + self.count_every_s

            self.rss_peak_kib = max(self.rss_peak_kib,
                                    max(proc_status(pid).get("VmRSS", 0) for pid in self.hub_pids))
            now = time.time()
            self.poll_s_spent.append(now - t0)
            if received + written != progress:
                progress, last_change = received + written, now
            if self.t_all_stored is not None and len(self.seen) >= self.expected_samples:
                return
            if now - last_change > self.stall_s:
                self.stalled = True
                return
            rest = self.poll_s - (time.time() - t0)
            if rest > 0:
                self._stop.wait(rest)


def seq_check(influx: InfluxDB1, devices: int, per_device: dict[str, int]) -> dict[str, Any]:
    """Every device's stored seq set against 1..sent: missing (gaps) and duplicate rows."""
    missing = duplicates = extra = 0
    worst: list[str] = []
    stored_rows = 0
    chunk = 100
    names = [device_id(d) for d in range(devices)]
    for start in range(0, len(names), chunk):
        part = names[start:start + chunk]
        ors = " OR ".join(f"device_id = '{d}'" for d in part)
        rows = influx.points(f"SELECT device_id, seq FROM {MEASUREMENT} WHERE {ors}", db=DB)
        got: dict[str, list[int]] = {d: [] for d in part}
        for row in rows:
            got[str(row["device_id"])].append(int(row["seq"]))
        for dev in part:
            seqs = got[dev]
            stored_rows += len(seqs)
            want = set(range(1, per_device.get(dev, 0) + 1))
            have = set(seqs)
            gap = len(want - have)
            dup = len(seqs) - len(have)
            ext = len(have - want)
            missing += gap
            duplicates += dup
            extra += ext
            if (gap or dup or ext) and len(worst) < 5:
                worst.append(f"{dev}: {gap} missing, {dup} duplicate, {ext} unexpected")
    return {"rows": stored_rows, "missing": missing, "duplicates": duplicates, "unexpected": extra,
            "examples": worst}


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version()}


# --------------------------------------------------------------------------------------------------------
# one run
# --------------------------------------------------------------------------------------------------------
def warm_up(mq: Mosquitto, influx: InfluxDB1, hubs: list[Hub], timeout_s: float = 60) -> float:
    """Every hub has subscribed (its log says so), and one message published until it is queryable: the
    session is up and the writer works."""
    t0 = time.monotonic()
    for hub in hubs:
        while "connected to mqtt://" not in hub.log_text():
            if hub.proc.poll() is not None:
                raise RuntimeError(f"hub {hub.index} exited with code {hub.proc.returncode}: {hub.log_text()[-2000:]}")
            if time.monotonic() - t0 > timeout_s:
                raise RuntimeError(f"hub {hub.index} did not connect to the broker: {hub.log_text()[-2000:]}")
            time.sleep(0.1)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-warmup", clean_session=True)
    client.connect(mq.host, mq.port)
    client.loop_start()
    payload = _template()
    payload.update(id=WARMUP_DEVICE, seq=1, ts=int(time.time() * 1000))
    body = json.dumps(payload, separators=(",", ":"))
    try:
        while stored_count(influx) < 1:
            if time.monotonic() - t0 > timeout_s:
                raise RuntimeError("the warm-up message did not become queryable; is the hub running?")
            # the same message again (same ts) until it shows: a repeat overwrites the same point
            client.publish(f"city/v1/{WARMUP_DEVICE}/tele", body, qos=1).wait_for_publish(5)
            time.sleep(0.3)
    finally:
        client.loop_stop()
        client.disconnect()
    time.sleep(0.5)   # every hub's SUBACK is in (they logged the connection just before subscribing)
    return time.monotonic() - t0


@dataclass
class Hub:
    """One `cityhub run` child process (several of them share the load through a shared subscription)."""

    index: int
    workdir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] = field(init=False)

    @property
    def store(self) -> Path:
        return self.workdir / f"hub{self.index}" / "hub.sqlite3"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"hub{self.index}.log"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def start(self) -> None:
        cityhub = Path(sys.executable).parent / "cityhub"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([str(cityhub), "run"], env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        """SIGTERM: the hub commits and acknowledges what it took, finishes its write, and exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_hubs(args: argparse.Namespace, workdir: Path, mq: Mosquitto, influx: InfluxDB1) -> list[Hub]:
    hubs = []
    for i in range(1, args.hubs + 1):
        env = dict(os.environ, CITYHUB_MQTT_URL=mq.url, CITYHUB_INFLUX_URL=influx.url, CITYHUB_INFLUX_DB=DB,
                   CITYHUB_DATA_DIR=str(workdir / f"hub{i}"))
        env.pop("CITYHUB_CONFIG", None)
        if args.hubs > 1:   # scale-out: one shared subscription, one client id and one buffer per hub
            env.update(CITYHUB_MQTT_CLIENT_ID=f"cityhub-{i}", CITYHUB_SHARED_GROUP="bench")
        env.update(kv.split("=", 1) for kv in args.hub_env)
        if args.hub_pythonpath:   # another copy of the hub's code (A/B): found before the editable install
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.hub_pythonpath, env.get("PYTHONPATH", "")]))
        hubs.append(Hub(i, workdir, env))
    return hubs


def run_once(args: argparse.Namespace, run_no: int) -> dict[str, Any]:
    base = Path(args.workdir) if args.workdir else None
    if base:
        base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="cityhub-bench-", dir=base))
    messages, publishers = args.messages, args.publishers
    devices = args.devices or max(publishers, min(1000, messages // 20 or 1))
    devices = max(devices, publishers)
    per_device: dict[str, int] = {}
    for p in range(publishers):
        mine = devices_of(p, publishers, devices)
        n = messages_of(p, publishers, messages)
        for j, d in enumerate(mine):
            per_device[device_id(d)] = n // len(mine) + (1 if j < n % len(mine) else 0)
    # sample devices: spread over every publisher, enough of them for ~args.samples messages
    per_dev = max(1, messages // devices)
    want = max(publishers, math.ceil(args.samples / per_dev))
    want = min(devices, publishers * math.ceil(want / publishers))
    step = devices / want
    sample_devices = sorted({device_id(int(i * step)) for i in range(want)})
    expected_samples = sum(per_device[d] for d in sample_devices)

    result: dict[str, Any] = {"run": run_no, "mode": "backlog" if args.backlog else "burst", "messages": messages,
                              "publishers": publishers, "devices": devices, "hubs": args.hubs,
                              "hub_code": args.hub_pythonpath or str(ROOT), "workdir": str(workdir)}
    hubs: list[Hub] = []
    profilers: list[subprocess.Popen[bytes]] = []

    def cpu_of(mq: Mosquitto, influx: InfluxDB1) -> dict[str, float]:
        return {"hub": sum(proc_cpu_s(h.proc.pid) for h in hubs if h.proc.poll() is None),
                "mosquitto": proc_cpu_s(mq.pid or 0), "influxd": proc_cpu_s(influx.pid or 0)}

    try:
        with Mosquitto(workdir / "mosquitto") as mq, InfluxDB1(workdir / "influxdb") as influx:
            hubs = make_hubs(args, workdir, mq, influx)
            for hub in hubs:
                hub.start()
            result["warmup_s"] = round(warm_up(mq, influx, hubs), 2)
            baseline = stored_count(influx)
            rss_idle = [proc_status(h.proc.pid).get("VmRSS", 0) for h in hubs]
            counters0 = sum_counters([hub_counters(h.store, buffered=True) for h in hubs])

            ctx = mp.get_context("fork")
            ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
            procs = [ctx.Process(target=publisher_main, name=f"bench-pub-{i}",
                                 args=(i, publishers, mq.host, mq.port, messages, devices, args.rate,
                                       args.inflight, ready, go, results)) for i in range(publishers)]
            for proc in procs:
                proc.start()
            for _ in procs:
                ready.get(timeout=30)

            def measure() -> Monitor:
                if args.py_spy:
                    for hub in hubs:
                        out = args.py_spy if len(hubs) == 1 else f"{args.py_spy}.hub{hub.index}"
                        profilers.append(subprocess.Popen(
                            [args.py_spy_bin, "record", "--pid", str(hub.proc.pid), "--rate", "100",
                             "--nonblocking", "--threads", "--format", args.py_spy_format, "--output", out,
                             *(["--idle"] if args.py_spy_idle else []), *(["--gil"] if args.py_spy_gil else [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                return Monitor(influx, [h.proc.pid for h in hubs], [h.store for h in hubs], sample_devices,
                               target=baseline + messages, received0=counters0.get("received", 0),
                               written0=counters0.get("written", 0), messages=messages, poll_s=args.poll,
                               count_every_s=args.count_every, stall_s=args.stall,
                               expected_samples=expected_samples)

            if args.backlog:
                # the hubs are away while the burst is published: the broker queues it for their
                # persistent sessions; then they start and drain the backlog with the machine to themselves
                for hub in hubs:
                    hub.stop()
                go.set()
                pubs: list[PublisherResult] = [results.get(timeout=3600) for _ in procs]
                for proc in procs:
                    proc.join(10)
                cpu0 = cpu_of(mq, influx)   # hub: 0, no hub is running
                t_start = time.time()
                for hub in hubs:
                    hub.start()
                monitor = measure()
                monitor.t_go = t_start
                monitor.start()
            else:
                monitor = measure()
                if profilers:
                    time.sleep(1.0)   # py-spy attaches
                cpu0 = cpu_of(mq, influx)
                t_start = time.time()
                monitor.t_go = t_start
                monitor.start()
                go.set()
                pubs = [results.get(timeout=3600) for _ in procs]
                for proc in procs:
                    proc.join(10)
            monitor.wait()
            cpu1 = cpu_of(mq, influx)
            for profiler in profilers:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(60)
            profilers.clear()
            status = [proc_status(h.proc.pid) for h in hubs]
            final = stored_count(influx) - baseline
            seqs = seq_check(influx, devices, per_device)
            mq_status = proc_status(mq.pid or 0)
            for hub in hubs:
                hub.stop()
            per_hub = [hub_counters(h.store, buffered=True) for h in hubs]
            counters = sum_counters(per_hub)
    finally:
        for profiler in profilers:
            profiler.kill()
        for hub in hubs:
            if hasattr(hub, "proc") and hub.proc.poll() is None:
                hub.proc.kill()
                hub.proc.wait()

    errors = [p.error for p in pubs if p.error]
    t_first = min(p.t_first for p in pubs)
    t_acked = max(p.t_acked for p in pubs)
    t_enq = max(p.t_enqueued for p in pubs)
    latencies: list[float] = []
    windows: list[float] = []
    for (_dev, ts), (lo, hi) in monitor.seen.items():
        if not args.backlog:   # a backlog was sent before the hub ran: its age says nothing about the hub
            latencies.append(hi - ts / 1000)
            windows.append(hi - lo)
    # the clock of the rates: the first publish, or the hubs' start when they drain a backlog
    t0 = t_start if args.backlog else t_first
    stored_at = monitor.t_all_stored
    committed_at = monitor.t_all_committed
    received = counters.get("received", 0) - counters0.get("received", 0)
    result.update({
        "sent": sum(p.sent for p in pubs),
        "acked_by_broker": sum(p.acked for p in pubs),
        "publisher_errors": errors,
        "ts_bumped": sum(p.ts_bumped for p in pubs),
        "publish_s": round(t_acked - t_first, 3),
        "publish_rate": round(messages / (t_acked - t_first)) if t_acked > t_first else None,
        "enqueue_s": round(t_enq - t_first, 3),
        "stored": final,
        "all_stored": stored_at is not None,
        "stalled": monitor.stalled,
        "stored_s": round(stored_at[1] - t0, 3) if stored_at else None,
        "stored_s_resolution": round(stored_at[1] - stored_at[0], 3) if stored_at else None,
        "stored_rate": round(messages / (stored_at[1] - t0)) if stored_at else None,
        "committed_s": round(committed_at[1] - t0, 3) if committed_at else None,
        "committed_rate": round(messages / (committed_at[1] - t0)) if committed_at else None,
        "written_s": round(monitor.t_all_written[1] - t0, 3) if monitor.t_all_written else None,
        "lost": messages - final,
        "seq_check": seqs,
        "hub_received": received,
        "hub_received_each": [c.get("received", 0) for c in per_hub],
        "redelivered_to_hub": received - messages,
        "quarantined": sum(v for k, v in counters.items() if k.startswith("quarantined_"))
        - sum(v for k, v in counters0.items() if k.startswith("quarantined_")),
        "latency_samples": len(latencies),
        "latency_expected_samples": expected_samples,
        "latency_p50_s": round(percentile(latencies, 50), 3),
        "latency_p99_s": round(percentile(latencies, 99), 3),
        "latency_max_s": round(max(latencies), 3) if latencies else None,
        "latency_min_s": round(min(latencies), 3) if latencies else None,
        "latency_resolution_median_s": round(statistics.median(windows), 3) if windows else None,
        "poll_median_s": round(statistics.median(monitor.poll_s_spent), 3) if monitor.poll_s_spent else None,
        "hub_rss_idle_mib": round(max(rss_idle) / 1024, 1),
        "hub_rss_peak_mib": round(max(st.get("VmHWM", monitor.rss_peak_kib) for st in status) / 1024, 1),
        "hub_rss_end_mib": round(max(st.get("VmRSS", 0) for st in status) / 1024, 1),
        "mosquitto_rss_peak_mib": round(mq_status.get("VmHWM", 0) / 1024, 1),
        "cpu_s": {k: round(cpu1[k] - cpu0[k], 2) for k in cpu0}
        | {"publishers": round(sum(p.cpu_s for p in pubs), 2)},
        "timeline": [(round(t - t0, 2), n - baseline) for t, n in monitor.timeline],
        "counters_timeline": [(round(t - t0, 2), rec, wr) for t, rec, wr in monitor.counters_timeline],
        "hub_buffered_at_end": counters.get("buffered"),
    })
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


# --------------------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------------------
def _fmt(value: Any, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


ROWS = [
    ("messages sent (QoS 1)", "sent", ""),
    ("publish rate (all PUBACKs in), msg/s", "publish_rate", ""),
    ("  publish time, s", "publish_s", ""),
    ("committed by the hub (SQLite), s", "committed_s", ""),
    ("  commit rate, msg/s", "committed_rate", ""),
    ("stored (queryable in InfluxDB), s", "stored_s", ""),
    ("  sustained stored rate, msg/s", "stored_rate", ""),
    ("  resolution of that time, s", "stored_s_resolution", ""),
    ("stored", "stored", ""),
    ("lost (sent - stored)", "lost", ""),
    ("seq gaps (missing)", "missing", ""),
    ("duplicate points stored", "duplicates", ""),
    ("redelivered to the hub (received - sent)", "redelivered_to_hub", ""),
    ("quarantined", "quarantined", ""),
    ("latency p50, s (device ts -> queryable)", "latency_p50_s", ""),
    ("latency p99, s", "latency_p99_s", ""),
    ("latency max, s", "latency_max_s", ""),
    ("  latency samples", "latency_samples", ""),
    ("  latency resolution (median poll window), s", "latency_resolution_median_s", ""),
    ("hub RSS before the burst, MiB", "hub_rss_idle_mib", ""),
    ("hub peak RSS (VmHWM; the largest hub), MiB", "hub_rss_peak_mib", ""),
    ("mosquitto peak RSS (VmHWM), MiB", "mosquitto_rss_peak_mib", ""),
    ("CPU s: hub", "cpu_hub", ""),
    ("CPU s: mosquitto", "cpu_mosquitto", ""),
    ("CPU s: influxd", "cpu_influxd", ""),
    ("CPU s: publishers", "cpu_publishers", ""),
]


def _heading(r: dict[str, Any]) -> str:
    text = f"run {r['run']}: {r['messages']:,} x{r['publishers']}"
    if r["mode"] == "backlog":
        text += " backlog"
    if r["hubs"] > 1:
        text += f" {r['hubs']} hubs"
    return text


def table(results: list[dict[str, Any]]) -> str:
    flat = []
    for r in results:
        f = dict(r)
        f.update({k: v for k, v in r["seq_check"].items() if k != "examples"})
        f.update({f"cpu_{k}": v for k, v in r["cpu_s"].items()})
        flat.append(f)
    heads = [_heading(r) for r in results]
    width = max(len(label) for label, _, _ in ROWS) + 2
    colw = max(16, *(len(h) + 2 for h in heads))
    lines = ["".ljust(width) + "".join(h.rjust(colw) for h in heads)]
    lines.append("-" * (width + colw * len(heads)))
    for label, key, unit in ROWS:
        lines.append(label.ljust(width) + "".join(_fmt(f.get(key), unit).rjust(colw) for f in flat))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", "--burst", type=int, default=20_000, help="messages in the burst")
    parser.add_argument("--publishers", type=int, default=4, help="publisher processes")
    parser.add_argument("--devices", type=int, default=0,
                        help="distinct device ids (default: messages/20, at most 1000)")
    parser.add_argument("--rate", type=float, default=0.0, help="total publish rate in msg/s (0: as fast as possible)")
    parser.add_argument("--inflight", type=int, default=1000, help="paho max_inflight_messages per publisher")
    parser.add_argument("--samples", type=int, default=200, help="about how many messages to time (latency)")
    parser.add_argument("--poll", type=float, default=0.1, help="InfluxDB poll interval, s")
    parser.add_argument("--count-every", type=float, default=1.0,
                        help="SELECT count(seq) interval while the hub is still working, s")
    parser.add_argument("--stall", type=float, default=60.0, help="give up after this long without progress, s")
    parser.add_argument("--backlog", action="store_true",
                        help="publish the burst while the hub is stopped, then time how fast the started hub "
                             "drains the broker's backlog (the hub's capacity without publishers competing "
                             "for the CPU; no latency figures)")
    parser.add_argument("--hubs", type=int, default=1,
                        help="hub processes; more than one share the load through a shared subscription "
                             "(CITYHUB_SHARED_GROUP), each with its own client id and buffer")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole run (fresh services each time)")
    parser.add_argument("--workdir", default="", help="parent of the temporary directories (default: $TMPDIR)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories (logs, databases)")
    parser.add_argument("--hub-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the hub, e.g. CITYHUB_WRITE_BATCH=10000")
    parser.add_argument("--hub-pythonpath", default="", metavar="DIR",
                        help="run the hub from another copy of its code (DIR holds hub/), for A/B comparisons")
    parser.add_argument("--py-spy", default="", metavar="FILE", help="profile the hub with py-spy into FILE")
    parser.add_argument("--py-spy-format", default="raw", help="py-spy output format (raw, flamegraph, speedscope)")
    parser.add_argument("--py-spy-idle", action="store_true",
                        help="py-spy: also sample idle threads (default: on-CPU samples only)")
    parser.add_argument("--py-spy-gil", action="store_true",
                        help="py-spy: only samples of the thread holding the GIL (where the Python time goes)")
    parser.add_argument("--json", default="", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    if args.messages <= 0 or args.publishers <= 0:
        parser.error("--messages and --publishers must be positive")
    args.py_spy_bin = ""
    if args.py_spy:
        args.py_spy_bin = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

    info = machine()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, {info['ram_gib']} GiB RAM, Linux {info['kernel']}, "
          f"Python {info['python']}", flush=True)
    results = []
    for run_no in range(1, args.runs + 1):
        print(f"run {run_no}: {args.messages:,} messages from {args.publishers} publishers ...", flush=True)
        r = run_once(args, run_no)
        results.append(r)
        problems = r["publisher_errors"] + r["seq_check"]["examples"]
        if r["stalled"]:
            problems.append(f"stalled: only {r['stored']:,} of {r['messages']:,} stored")
        for p in problems:
            print(f"  PROBLEM: {p}", flush=True)
    print()
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "args": {k: v for k, v in vars(args).items()},
                                               "results": results}, indent=1, default=str))
    bad = any(r["lost"] or r["seq_check"]["missing"] or r["publisher_errors"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
