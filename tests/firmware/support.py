# support.py: helpers for firmware tests; must run unchanged on CPython (pytest) and MicroPython.
# Only use what both interpreters have: no os.path, no shutil, no pytest, no errno comparisons.
import os
import sys

_MP = sys.implementation.name == "micropython"
if _MP:
    _BASE = "/tmp/cityfw-tests"  # the in-memory FS of the MicroPython runner
else:
    import atexit
    import tempfile

    _BASE = tempfile.gettempdir() + "/cityfw-tests-" + str(os.getpid())  # per process: parallel runs
    atexit.register(lambda: _rmtree(_BASE))


def _is_dir(path):
    try:
        st = getattr(os, "lstat", os.stat)(path)  # lstat: never follow a symlink out of the scratch dir
    except OSError:
        return None  # does not exist
    return st[0] & 0xF000 == 0x4000


def _rmtree(path):
    kind = _is_dir(path)
    if kind:
        for name in os.listdir(path):
            _rmtree(path + "/" + name)
        os.rmdir(path)
    elif kind is not None:
        os.remove(path)


def scratch_dir(name):
    """A fresh, empty directory for this test (old content from earlier calls is removed)."""
    if not _is_dir(_BASE):
        os.mkdir(_BASE)
    path = _BASE + "/" + name
    _rmtree(path)
    os.mkdir(path)
    return path


def raises(exc_type, fn, *args):
    """Call fn(*args); return the exc_type instance it raised, or fail the test."""
    try:
        fn(*args)
    except exc_type as e:
        return e
    raise AssertionError("did not raise " + exc_type.__name__)


TICKS_PERIOD = 1 << 30  # MicroPython's ticks wrap at 2**30 (ESP32 and the WebAssembly port)


class FakeClock:
    """Stand-in for time.ticks_ms/ticks_diff/ticks_add plus a wall clock (epoch ms).

    ms is the (unwrapped) milliseconds elapsed; ticks_ms() wraps like the real thing, so start a
    clock with ms close to TICKS_PERIOD to check that code uses ticks_diff instead of subtraction.
    """

    def __init__(self, start_ms=1700000000000, ms=0):
        self.start_ms = start_ms  # now_ms() at construction
        self.synced = True  # like cityfw.core.clock.Clock.synced: the wall clock is trustworthy
        self.ms = ms
        self._ms0 = ms

    def ticks_ms(self):
        return self.ms & (TICKS_PERIOD - 1)

    def ticks_diff(self, a, b):
        return ((a - b + TICKS_PERIOD // 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD // 2

    def ticks_add(self, t, delta):
        return (t + delta) & (TICKS_PERIOD - 1)

    def advance(self, ms):
        self.ms += ms

    def now_ms(self):
        return self.start_ms + self.ms - self._ms0
