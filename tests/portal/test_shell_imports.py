"""The portal app is the site shell: it imports no domain app (they register with it)."""

import ast
from pathlib import Path

import portal

DOMAIN_APPS = {
    "franchise",
    "learning",
    "reporting",
    "kb",
    "orders",
    "finance",
    "visits",
    "surveys",
    "integration",
    "news",
}
#: "module: imported module" pairs allowed, each with its reason. Keep it empty.
ALLOWED: set[str] = set()


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_portal_imports_no_domain_app():
    root = Path(portal.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root.parent)
        if "migrations" in relative.parts or "tests" in relative.parts:
            continue
        for name in _imports(path):
            if name.split(".")[0] in DOMAIN_APPS:
                found.add(f"{relative}: {name}")
    assert found - ALLOWED == set()


def test_the_scan_sees_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from franchise import access\nimport kb.models\n")
    assert set(_imports(sample)) == {"franchise", "kb.models"}
