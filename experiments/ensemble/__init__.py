"""The ensemble (``brink run``, ``brink.run``): many replications of one scenario, their tables,
summary and figures, written to a run folder and read back.

``commands`` is the command-line handler of ``brink run``; ``runner`` is one ensemble as the
command and the Python API both make it (parameters resolved in one order, the manifest, the
summary as JSON values); ``replications`` runs the replications from their seeds, in chunks on a
process pool, and streams their tables; ``output`` is the run folder on disk (the manifest, the
tables of docs/model.md §8, their writers and readers); ``folder`` reads a finished run folder
back, every table checked; ``tables`` makes the tables the summary and figures share (each
outcome's share, who fought on which side, the escalation bands); ``summary`` says what the
ensemble found (``summary.md``), ``war_report`` what its wars were, and ``figures`` draws the
run folder's figures.
"""
