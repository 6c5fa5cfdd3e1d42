"""Experiment design and execution: run specs, sweeps, executors."""
