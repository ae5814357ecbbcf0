"""Cross-unit URL matrix entries of the finance app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401

ROUTES: dict = {
    "finance:unit_ledger": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
}
ROUTES["finance:unit_statement_xlsx"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())
ROUTES["finance:unit_act_pdf"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())


def _receivables_absent(net, role: str) -> list[str]:
    """A portfolio's receivables name none of the other portfolio's units."""
    if role == "manager":
        return [net.other_unit.code]
    if role == "other_manager":
        return [net.unit.code]
    return []


ROUTES["finance:receivables"] = [
    Case(
        expect=statuses(404, manager=200, other_manager=200, lead=200),
        absent=_receivables_absent,
        note="a manager's portfolio, the lead's network; unit people get 404",
    ),
    Case(
        data=lambda net: {"format": "xlsx", "by": "region"},
        expect=statuses(404, manager=200, other_manager=200, lead=200),
        note="the export (binary: its rows are checked in tests/finance/test_receivables.py)",
    ),
]
