"""Benchmarks that are not tests: the production profile's load test (``helseinfo bench load``)."""
