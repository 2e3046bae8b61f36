"""Fitting the model's free parameters to history (``brink fit``): docs/fitting.md.

``evaluate`` is one evaluation of the objective (every training case run with one parameter
set, on fixed seeds), ``scoring`` its log scores; ``study`` searches the parameters with
Optuna's TPE sampler; ``recovery`` makes cases whose history the model wrote, for parameter
recovery; ``report`` writes what a fit leaves behind (out-of-fold scores, ``params.yaml``,
figures, ``fit.md``); ``defaults`` and ``commands`` serve the command line.
"""
