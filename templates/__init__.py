"""Shipped inside the package as assistant._templates (pyproject.toml package-dir); read with importlib.resources."""
