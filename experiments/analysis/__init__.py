"""The analysis of a sweep (``brink analyze``): what a finished sweep found, written into its
folder as ``analysis.md``, CSV tables and figures.

``analyze`` reads the sweep and computes the default analysis (each outcome's probability per
design point and against each factor, the heat map, sensitivity: Sobol, Morris or standardised
regression coefficients); ``on_request`` adds the analyses asked for by flags (scenario
discovery, feature scores, SALib's given-data methods, dimensional stacking, robust choice) and
the section of a series outcome; ``discovery`` is scenario discovery and the extra sensitivity
measures, with ``prim`` its PRIM; ``robust`` compares lever settings across futures (regret,
satisficing); ``report`` writes the text of ``analysis.md``; ``figures`` draws every figure of
the analysis; ``commands`` is the command-line handler.
"""
