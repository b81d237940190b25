"""Benchmarks with realistic volumes, run by `make bench` (`python -m bench`).

Each benchmark makes its own throwaway database: the development database is never touched.
"""
