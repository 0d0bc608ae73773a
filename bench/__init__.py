"""Benchmarks of pairnet against baselines measured in the same run; see bench/run.py."""
