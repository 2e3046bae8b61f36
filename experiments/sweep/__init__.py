"""Sweeps (``brink sweep``, ``brink.sweep``): an experiment file's design points, each run many
times, their runs streamed to disk as shards.

``experiment`` reads an experiment file (the format is documented there) and
``experiment_blocks`` its design, factors and outcomes blocks; ``factors`` says what a sweep can
vary and applies it to a scenario; ``outcomes`` what each run is asked; ``designs`` chooses the
design points (factorial, Latin hypercube, Sobol, Morris); ``run`` runs the sweep on an executor
(:mod:`brink.experiments.executors`), ``worker`` is what a worker process does with a block of
runs, ``shards`` the runs on disk; ``folder`` reads a finished sweep folder back for the
analysis; ``commands`` is the command-line handler. The bundled experiment files
(``tripwire.yaml``, ``sensitivity.yaml``) sit beside them.
"""
