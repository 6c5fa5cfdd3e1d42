"""Read-only metrics over state and the recorder that turns them into tidy tables."""
