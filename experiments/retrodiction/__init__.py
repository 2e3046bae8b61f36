"""Retrodiction (``brink retrodict``, ``brink calibrate``): the model run on history and scored.

``data`` reads the historical records (MID and ICB files, recognised by their columns), ATOP and
the capitals; ``codes`` says what the records' codes mean for the model (issues, stakes, outcome
classes, nuclear status, major powers); ``cases`` turns each dispute or crisis into a scenario
from what was known at its onset; ``case_runs`` runs a case's replications from their seeds;
``run`` runs every case and writes the forecasts (``retrodict``); ``forecasters`` adds the
baselines and scores every forecaster with the rules of ``scores``; ``joined`` scores who joined
(each potential third state's forecast to fight against who did); ``effects`` measures whether
the model moves with history (the onset covariates' effects on war); ``summary`` writes
``retrodiction.md`` and ``figure`` the reliability diagram; ``calibration`` is the calibration
report of docs/model.md §10 (generic dyads with real disputes' capabilities); ``defaults`` and
``commands`` serve the command line.
"""
