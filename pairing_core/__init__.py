"""The UnMentoring domain: communities, members, rounds, the matcher and the use cases.

This package is pure: it imports only the standard library and itself. Adapters (Slack, Discord,
the console playground, SQLAlchemy storage) implement the ports declared in ``pairing_core.ports``.
"""
