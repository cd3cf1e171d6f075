"""Alembic migrations for the unmentor database; applied by ``unmentor db upgrade``."""
