"""Cross-unit URL matrix entries of the finance app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401

ROUTES: dict = {
    "finance:unit_ledger": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
}
ROUTES["finance:unit_statement_xlsx"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())
ROUTES["finance:unit_act_pdf"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())
