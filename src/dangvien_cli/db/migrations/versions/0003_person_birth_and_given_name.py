"""A person's name as written on the birth certificate, and their given name (issue 12).

- person.birth_name: "Họ tên khai sinh" when a roster gives it beside the name in use (the full
  name stays the name in use); null when the file gave none;
- person.given_name: the given name ("Tên") when a roster gives the name in parts ("Họ đệm" +
  "Tên"); null when it came whole (then it is the full name's last word).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added at the end of the table (ALTER TABLE … ADD COLUMN: no copy of a million people).
    op.add_column("person", sa.Column("birth_name", sa.String(), nullable=True))
    op.add_column("person", sa.Column("given_name", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("given_name")
        batch_op.drop_column("birth_name")
