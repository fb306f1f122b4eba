"""The search benchmark (bench/search.py), run by hand; see docs/performance.md."""
