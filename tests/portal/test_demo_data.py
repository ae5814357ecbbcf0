"""Demo content lives in data files next to each app, loaded by `portal.demo_data`."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from portal.demo_data import load

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(ROOT.glob("*/demo_data/*.yaml"))


def test_every_data_file_loads():
    assert {f"{path.parent.parent.name}/{path.stem}" for path in FILES} >= {
        "kb/articles",
        "kb/library",
        "learning/courses",
        "franchise/exchange",
    }
    for path in FILES:
        assert load(path.parent.parent.name, path.stem)


def test_data_files_are_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["*"]
    for path in FILES:
        app = path.parent.parent.name
        assert any(app.startswith(p.rstrip("*")) for p in config["packages"]["find"]["include"])
        assert any(fnmatch(str(path.relative_to(path.parent.parent)), p) for p in patterns)


def test_loaded_content_is_plain_data():
    articles = load("kb", "articles")
    assert len(articles) == 45
    assert {"category", "slug", "title", "summary", "body"} <= set(articles[0])
    courses = load("learning", "courses")
    assert [len(c["lessons"]) for c in courses] and all(c["final_quiz"] for c in courses)
