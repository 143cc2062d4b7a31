"""Reforecast: the rest of a plan, planned again from where the company stands.

A reforecast is a plan (docs/model.md §15): it ``extends`` the original, starts the month
after the last month of actuals, opens in the state the company is in (MRR and customers
per tier, heads with their tenure, departures accrued, requisitions open) and aims at what
is left of the target.  :mod:`salesplan.reforecast.rebased` writes that plan from a
:class:`~salesplan.engine.rebase.StartState`; the route (:mod:`salesplan.reforecast.route`)
takes it along the same route as any plan file, so what ``reforecast`` prints and what
``plan`` prints for the written file are the same figures.
"""
