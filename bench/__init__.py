"""Benchmarks: ``python -m bench`` (``make bench``) runs each registered benchmark in its own
process and prints its numbers. Benchmarks measure; they are never tests."""
