"""Everything that runs the model many times, one subpackage per thing a user does.

- :mod:`~brink.experiments.ensemble`: ``brink run`` and ``brink.run``, an ensemble of one
  scenario, its run folder, summary and figures;
- :mod:`~brink.experiments.sweep`: ``brink sweep`` and ``brink.sweep``, an experiment file's
  design points run many times;
- :mod:`~brink.experiments.analysis`: ``brink analyze``, what a sweep found;
- :mod:`~brink.experiments.retrodiction`: ``brink retrodict`` and ``brink calibrate``, the model
  scored against history;
- :mod:`~brink.experiments.fit`: ``brink fit``, the free parameters fitted to history;
- :mod:`~brink.experiments.casebook`: ``brink casebook``, historical crises run and scored;
- :mod:`~brink.experiments.classic`: ``brink classic``, the classic models.

The modules here are what several of them share: ``executors`` (a process pool or a Dask
cluster), ``intervals`` (Wilson's and the normal interval), ``run_options`` (``--rule``,
``--params`` and whole numbers, read one way) and ``war_durations`` (history's wars, beside the
model's). A figure lives with the product that draws it.
"""
