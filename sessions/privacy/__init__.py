"""Residents' personal data: where it lives (registry), and its purge, export and erasure."""
