"""Load a plan file: bounded YAML, sources and `extends`, the typed schema, located errors."""
