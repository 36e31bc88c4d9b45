"""simulators: software boards that run the real firmware with simulated hardware and time."""
