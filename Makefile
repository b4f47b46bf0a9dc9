# The two commands of the README. Each sets up what it needs first (scripts/bootstrap.sh).
.PHONY: serve test build lint bootstrap bench

bootstrap:
	@scripts/bootstrap.sh

serve: bootstrap
	.venv/bin/mailkit serve $(ARGS)

build: bootstrap
	.venv/bin/mailkit build $(ARGS)

lint: bootstrap
	.venv/bin/ruff check src tests scripts benchmarks

test: bootstrap lint
	.venv/bin/python -m pytest -n 2 $(ARGS)

bench: bootstrap
	.venv/bin/python benchmarks/run.py $(ARGS)
