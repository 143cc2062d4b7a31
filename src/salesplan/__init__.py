"""salesplan: plan a B2B SaaS sales org from a revenue target.

The Python API lives in :mod:`salesplan.api` (``load``, ``evaluate``, ``plan_report``).
Importing this package is cheap: numpy, pydantic and Rich load only when a command needs them.
"""

__version__ = "0.1.0"
