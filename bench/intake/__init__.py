"""Intake benchmark: citizens' submissions through the real HTTP stack."""
