"""Reference rows: the three card classes and their report groups.

Hand-written (not regenerated with 0001). The rows come from db.models.accounts.CARD_CLASS_ROWS
copied here as literals: a migration must not change when model code changes later.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CARD_CLASSES = [
    {"code": "dorm", "name": "学生公寓", "class_group": "dorm", "class_group_name": "寝室用户"},
    {"code": "staff", "name": "教职工", "class_group": "owner", "class_group_name": "业主用户"},
    {"code": "business", "name": "实体经营", "class_group": "owner", "class_group_name": "业主用户"},
]


def upgrade() -> None:
    card_classes = sa.table(
        "card_classes",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("class_group", sa.String),
        sa.column("class_group_name", sa.String),
    )
    op.bulk_insert(card_classes, CARD_CLASSES)


def downgrade() -> None:
    op.execute("DELETE FROM card_classes WHERE code IN ('dorm', 'staff', 'business')")
