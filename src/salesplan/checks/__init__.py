"""Checks: every rule in one registry keyed by code (:mod:`salesplan.checks.registry`).

A rule is a small function with a stable code and a docstring that is the user
documentation (:mod:`salesplan.checks.rule`); plan rules run on the typed plan before the
engine, result rules on the engine's evaluation.
"""
