"""Reports: figures as plain data, and the renderers for the terminal, Excel, HTML and Word.

May import: dangvien_cli.core, .db, .organisation, .roster and .admission.
"""
