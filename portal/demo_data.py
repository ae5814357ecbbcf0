"""Demo content kept as data files next to each app: `<app>/demo_data/<name>.yaml`.

Texts, articles and course material are data, not code: each app's `demo.py` loads its
files here and builds the pages from them.
"""

from importlib.resources import files

import yaml


def load(package: str, name: str):
    """The parsed `<package>/demo_data/<name>.yaml` (plain lists, dicts and scalars)."""
    text = files(package).joinpath("demo_data", f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
