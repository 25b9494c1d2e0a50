# The two commands of the README. Everything else is in scripts/ and the helseinfo tool.
.PHONY: run test setup bench

run:        ## Build the site (and later train the assistant if its data changed) and serve it
	./scripts/run.sh

test:       ## Set up everything the tests need and run the whole test suite
	./scripts/test.sh

setup:      ## Only create/update .venv from requirements.lock
	./scripts/setup.sh

bench:      ## Benchmarks (not part of the tests)
	./scripts/setup.sh && .venv/bin/helseinfo bench build --pages 1000
