"""Benchmarks of the platform, each printed as ratios against a baseline measured in the same run.

`python -m bench` runs every benchmark of the registry in bench/__main__.py; `python -m bench NAME`
runs one. A benchmark never asserts a time: it prints figures and whether the targets are met.
"""
