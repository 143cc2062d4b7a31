"""The neutral tables between the engine and the output formats."""
