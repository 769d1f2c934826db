"""Shipped inside the package as assistant._prompts (pyproject.toml package-dir); read with importlib.resources."""
