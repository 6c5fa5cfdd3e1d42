"""What to simulate: the typed schema, TOML input and output, dotted overrides, presets."""
