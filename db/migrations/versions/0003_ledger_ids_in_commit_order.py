"""Ledger ids drawn under a shared lock (PostgreSQL), so the kept sums have a safe watermark.

Hand-written (a trigger: autogenerate does not see it). db/queries/kept_sums.py explains why: the
kept sums cover ledger ids (lo, hi], and on PostgreSQL sequence values are not in commit order. The
trigger takes a SHARED transaction-level advisory lock before the id is drawn; the watermark takes
it EXCLUSIVELY (with a try, never queuing), so it is granted only while no transaction that drew a
ledger id is open. The column's default is dropped so that the id is drawn after the lock (a
default is evaluated before BEFORE triggers run); an id given explicitly is kept. Nothing on SQLite
(one writer at a time: ids are in commit order). A `pg_restore` of a whole dump creates triggers
after loading the data; a data-only restore into an existing schema fires it (ids are kept).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOCK_KEY = 0x6C6564676572  # db.queries.kept_sums.LEDGER_ID_LOCK_KEY, copied: a migration never changes


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE FUNCTION ledger_entry_id_after_lock() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_advisory_xact_lock_shared({LOCK_KEY});
          IF NEW.id IS NULL THEN
            NEW.id := nextval(pg_get_serial_sequence('ledger_entries', 'id'));
          END IF;
          RETURN NEW;
        END $$
    """)
    op.execute("ALTER TABLE ledger_entries ALTER COLUMN id DROP DEFAULT")
    op.execute(
        "CREATE TRIGGER ledger_entries_id_after_lock BEFORE INSERT ON ledger_entries "
        "FOR EACH ROW EXECUTE FUNCTION ledger_entry_id_after_lock()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER ledger_entries_id_after_lock ON ledger_entries")
    op.execute(
        "ALTER TABLE ledger_entries ALTER COLUMN id SET DEFAULT "
        "nextval(pg_get_serial_sequence('ledger_entries', 'id'))"
    )
    op.execute("DROP FUNCTION ledger_entry_id_after_lock()")
