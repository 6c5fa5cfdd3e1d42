"""Figures and reports drawn from stored results only."""
