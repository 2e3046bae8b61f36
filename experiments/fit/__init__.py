"""Fitting the model's free parameters to history (``brink fit``): docs/fitting.md."""
