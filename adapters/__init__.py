"""Implementations of the core's ports: storage, chat platforms and the scheduler."""
