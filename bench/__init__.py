"""Timing scripts (run by hand, not by pytest)."""
