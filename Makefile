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
