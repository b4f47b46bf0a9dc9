# The two commands of the README. Each sets up what it needs first (scripts/bootstrap.sh).
.PHONY: serve test build lint bootstrap bench bench-work

bootstrap:
	@scripts/bootstrap.sh

serve: bootstrap
	.venv/bin/mailkit serve $(ARGS)

build: bootstrap
	.venv/bin/mailkit build $(ARGS)

lint: bootstrap
	.venv/bin/ruff check src tests scripts demo benchmarks

# Every email as `mailkit send` builds it, scored by SpamAssassin (0 content points on
# every page, or it fails); the visual suite on its own (report:
# build/visual-report/index.html), then every test, the visual suite included: two runs
# in two browsers, so a shot that is not the same pixels run after run fails CI. pytest
# runs last so its summary closes the output.
test: bootstrap lint
	.venv/bin/mailkit check --spam
	.venv/bin/mailkit snapshot --all
	.venv/bin/python -m pytest -n 2 $(ARGS)

# make bench [ARGS=--quick] [GOALS_ARGS="--save-digests DIR"]: --quick runs fewer rounds
# (run.py 1, ab.py 3, goals.py 1) to see that it runs; the goals of #22 come last, each
# figure beside its goal with official MJML from the same run (benchmarks/goals.py), then
# the same goals with the checks made free (benchmarks/floor.py).
QUICK := $(filter --quick,$(ARGS))
bench: bootstrap
	.venv/bin/python benchmarks/run.py $(ARGS)
	.venv/bin/python benchmarks/ab.py $(if $(QUICK),--rounds 3)
	.venv/bin/python benchmarks/scale.py
	.venv/bin/python benchmarks/goals.py $(QUICK) $(GOALS_ARGS)
	.venv/bin/python benchmarks/floor.py $(QUICK)

# What each speed patch saves in CPU work, counted by valgrind (slow; needs valgrind).
bench-work: bootstrap
	cd benchmarks && ../.venv/bin/python instructions.py
