"""Granovetter (1978) threshold model and a Kuran-style model of preference falsification."""
