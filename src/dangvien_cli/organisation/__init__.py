"""The organisation: the tree of Party units, the schools under them and the plan targets set on
both. May import core and db only."""
