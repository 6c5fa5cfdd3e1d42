"""One rule per module; each cites the claim IDs it implements (shared SEED_CLAIMS)."""
