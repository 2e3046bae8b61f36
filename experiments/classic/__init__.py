"""The classic models from the command line (``brink classic tribute|landscape|bdm``).

``commands`` runs the models of :mod:`brink.sim.classics` and writes their tables; ``figures``
draws them.
"""
