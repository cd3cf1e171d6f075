import adapters.discord  # noqa: F401  (imports discord.py without its audioop warning)
