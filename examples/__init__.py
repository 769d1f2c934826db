"""Shipped inside the package as assistant._examples (pyproject.toml package-dir); read with importlib.resources."""
