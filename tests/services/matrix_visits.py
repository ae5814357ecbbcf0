"""Cross-unit URL matrix entries of the visits app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401

ROUTES: dict = {}
