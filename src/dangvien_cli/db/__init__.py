"""The database: where it is (--db, DANGVIEN_DB), the engine and its pragmas, the tables, the
Alembic migrations, the stored settings, the audit log (and the Stamp of who changes what),
backups, and bulk-insert helpers.

May import: dangvien_cli.core."""
