"""Provisioning boards: board definitions and pin checks, firmware bundles, flashing over the raw REPL."""
