"""How an account's energy is metered (issue 17; DOMAIN "Monthly checks", networked modules):
by card (the default, no row needed) or by a networked meter module read and switched over an
RS-485 bus (hardware/meter_bus.py).

Insert-only: each row states the account's metering from its moment on; the newest row is in
force. Audited (the chain covers every row): it decides whether a sale writes a card.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IntPK, UtcDateTime, approval_fk, in_list, operator_fk

METERING_MODES = ("card", "networked")
# The protocols of hardware/meter_bus.py (db may not import hardware; tests keep the two equal).
BUS_PROTOCOLS = ("dlt645", "modbus")
BUS_NAME_LENGTH = 64
BUS_ADDRESS_LENGTH = 16


class AccountMetering(Base):
    __tablename__ = "account_meterings"
    __table_args__ = (
        CheckConstraint(in_list("mode", METERING_MODES), name="mode_known"),
        CheckConstraint(
            "(mode = 'card' AND bus IS NULL AND address IS NULL AND protocol IS NULL) OR "
            "(mode = 'networked' AND bus IS NOT NULL AND address IS NOT NULL AND protocol IS NOT NULL)",
            name="networked_has_a_bus",
        ),
        CheckConstraint(f"protocol IS NULL OR {in_list('protocol', BUS_PROTOCOLS)}", name="protocol_known"),
    )

    id: Mapped[int] = mapped_column(IntPK, primary_key=True)
    account_id: Mapped[int] = mapped_column(IntPK, ForeignKey("accounts.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    bus: Mapped[str | None] = mapped_column(String(BUS_NAME_LENGTH), index=True)  # the bus's name
    address: Mapped[str | None] = mapped_column(String(BUS_ADDRESS_LENGTH))
    protocol: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    operator_id: Mapped[int] = operator_fk()
    workstation_id: Mapped[int | None] = mapped_column(IntPK, ForeignKey("workstations.id"))
    approval_id: Mapped[int | None] = approval_fk()
    reason: Mapped[str | None] = mapped_column(Text)
