"""Indexes for eligibility and the report over a province: the rules as SQL read only indexes.

- milestone(step, on_date, person_id): "who has an entry of this step dated in this window"
  (mentor, class, discipline, decision…) answered from the index alone;
- milestone(replaces_id, person_id): "is this entry corrected by another one", asked of every
  entry those look at (pipeline.effective);
- term_result(student_id, school_year_id, term, academic_rank, conduct_rank): the most recent
  result that counts, and its ranks, without reading the table;
- student(school_id, person_id): the report's per-school counts scan this index, not the table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_milestone_step_date", "milestone", ["step", "on_date", "person_id"]),
    ("ix_milestone_replaces", "milestone", ["replaces_id", "person_id"]),
    (
        "ix_term_result_ranks",
        "term_result",
        ["student_id", "school_year_id", "term", "academic_rank", "conduct_rank"],
    ),
    ("ix_student_school_person", "student", ["school_id", "person_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
