"""The students as the rosters tell them: the records an import hands over, whether two records
are the same student and whose value wins (identity), writing them (row by row, or the SQLite bulk
loader), listing students, and the roster template.

May import: dangvien_cli.core, .db and .organisation."""
