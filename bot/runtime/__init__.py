"""The long-running bot: round scheduler, delivery worker, health and metrics over HTTP."""

from bot.runtime.serve import serve

__all__ = ["serve"]
