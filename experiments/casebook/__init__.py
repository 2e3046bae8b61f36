"""The casebook (``brink casebook``): historical crises run and scored against what happened.

``cases`` runs and scores the cases, ``scores`` holds the scoring rules, ``checks`` compares each
case's ``history:`` block with the MID, ICB and COW codes it names, ``report`` and ``figure``
write the report, ``defaults`` and ``commands`` serve the command line.
"""
