"""The composition root: configuration, the command line, and wiring adapters to the core."""
