"""The vocabulary every other part shares, with no database and no interface: errors and exit
codes, Vietnamese text (normal form, folding, collation) and the legacy 8-bit encodings, dates,
the school calendar (school years, terms, periods), grades and their scales, the Vietnamese labels
of criteria, steps, terms and grades, the rule settings, whether a value can be a name, a
file's digest, and safe file writing.

May import: the standard library and third-party libraries only, never another dangvien package."""
