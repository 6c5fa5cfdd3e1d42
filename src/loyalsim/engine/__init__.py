"""How state evolves: population arrays, random streams, schedule, build, kernels."""
