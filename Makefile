# One command per job. Each installs what is missing first (scripts/setup.sh), then runs.
.PHONY: setup demo test lint bench

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/cityhub demo

test: setup
	.venv/bin/pytest -q

lint: setup
	.venv/bin/ruff check hub simulators tests
	.venv/bin/mypy
	bash scripts/typecheck_firmware.sh

bench: setup
	.venv/bin/python bench/firmware_size.py
	node bench/firmware_heap.mjs
	.venv/bin/python bench/hub_ingest.py --messages 20000 --publishers 4
	.venv/bin/python bench/pedestrian_week.py
	.venv/bin/python bench/smart_bin_week.py
	.venv/bin/python bench/park_night.py
	node bench/park_light_heap.mjs
	.venv/bin/python bench/provisioning.py
	node bench/smart_bin_heap.mjs
	.venv/bin/python bench/flash_serial.py --runs 5
