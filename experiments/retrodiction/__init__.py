"""Retrodiction (``brink retrodict``, ``brink calibrate``): the model run on history and scored.

``data`` reads the historical records (MID and ICB files, recognised by their columns), ATOP and
the capitals; ``cases`` turns each dispute or crisis into a scenario; ``run`` runs every case and
writes the forecasts and scores; ``scores`` holds the scoring rules and the baselines; ``figure``
draws the reliability diagram; ``calibration`` is the calibration report of docs/model.md §10
(generic dyads with real disputes' capabilities); ``defaults`` and ``commands`` serve the
command line.
"""
