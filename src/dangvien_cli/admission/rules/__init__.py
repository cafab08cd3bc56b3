"""The rules, as pure functions of (facts, date, settings) → decision with reasons
(eligibility, reachable), and the same rules as SQL (sql) for a whole province at once.

May import: dangvien_cli.core, the pipeline's steps and their sets (admission.pipeline), and,
for the SQL form, dangvien_cli.db."""
