"""Metrics-page benchmark: the monthly unit table and ranking over a large request table."""
