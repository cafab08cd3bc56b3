"""The way to admission: the pipeline's steps and their sets, each student's facts and dossier,
the eligibility and reachable rules (plain Python and their SQL form, in rules/), recording
milestones, the eligible and candidate lists, and the dossier checks.

May import: dangvien_cli.core, .db, .organisation and .roster."""
