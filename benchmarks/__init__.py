"""Benchmarks: `make bench` (python -m benchmarks). They print figures; they never assert."""
