"""The Discord adapter: a discord.py bot with the ``/unmentor`` command groups and the core's platform."""

import warnings

# discord.py imports the standard library's deprecated ``audioop`` for voice, which this bot never
# uses; silence only that warning, so warnings-as-errors test runs can import the adapter.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="'audioop' is deprecated", category=DeprecationWarning
    )
    import discord  # noqa: F401
