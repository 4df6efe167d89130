"""CLI command groups, one module per desk; each exposes ``register(groups)``. Entry-point layer, like pages/."""
