"""The dashboard's signed-in sessions, on the shared ``metadata``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.persistence.rows import Base

__all__ = ["DashboardSessionRow"]


class DashboardSessionRow(Base):
    """One signed-in person; deleted at sign-out, so a copied cookie stops working then.

    Only a SHA-256 digest of the session token is kept: whoever reads the database or its backups
    cannot sign in with what they find there.
    """

    __tablename__ = "dashboard_sessions"
    __table_args__ = (Index(None, "expire_at"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(Text)  # JSON: platform, user id, name, roles per community
    expire_at: Mapped[datetime]
