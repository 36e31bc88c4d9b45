"""Devices: the registry of boards, their broker credentials and the broker's access rules."""
