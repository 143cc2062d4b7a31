"""Run salesplan as ``python -m salesplan``."""

from salesplan.cli import main

main()
