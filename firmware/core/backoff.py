# backoff.py Provides Backoff: exponential reconnect delays, jittered uniformly in [base/2, ceiling]
# Used for WiFi bring-up and broker reconnects, so a street of boards does not reconnect in lockstep.


class Backoff:
    def __init__(self, rand, base_ms=1000, max_ms=60000):
        # rand(n) -> integer in [0, n); injected so tests and simulators are repeatable
        self.rand = rand
        self.base_ms = base_ms
        self.max_ms = max_ms
        self.attempts = 0

    def next_ms(self):
        # the delay before the next attempt: uniform in [base/2, min(max, base * 2^attempts)]
        ceiling = self.base_ms << min(self.attempts, 16)
        if ceiling > self.max_ms:
            ceiling = self.max_ms
        self.attempts += 1
        half = self.base_ms // 2
        if ceiling <= half:
            return ceiling
        return half + self.rand(ceiling - half)

    def reset(self):
        self.attempts = 0
