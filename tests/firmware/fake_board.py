# fake_board.py What every firmware test's board offers beside its own inputs: a watchdog, a network clock taken
# from its rtc, no network unless a test gives one, a fixed "random" backoff jitter and a fixed free heap.
# A test's board subclasses OfflineBoard and sets self.rtc (and its inputs) in its __init__.


class Watchdog:
    def __init__(self):
        self.feeds = 0

    def feed(self):
        self.feeds += 1


class OfflineBoard:
    cause = "power_on"

    def net_ticks_ms(self):
        return self.rtc.ticks_ms()

    def net_ticks_diff(self, a, b):
        return self.rtc.ticks_diff(a, b)

    def open_socket(self, host, port, timeout_ms):
        raise OSError("no network in this test")

    def rand(self, n):
        return n // 2   # backoff jitter: always the middle, so the test's timings are exact

    def mem_free(self):
        return 90000

    def reset_cause(self):
        return self.cause
