"""Cross-unit URL matrix entries of the background imports (merged into url_matrix.ROUTES).

A job's pages are its own user's only, while they may still import its kind: a price-list
job of the editor (given the catalogue right for the case) is theirs and nobody else's; a
bank-statement job of a finance accountant (no matrix role) answers 404 to every role."""

from .url_matrix import Case, statuses


def _job(user, kind: str):
    from jobs.models import ImportJob

    return ImportJob.objects.create(
        kind=kind,
        user=user,
        status=ImportJob.Status.WAITING,
        filename="matrix.csv",
        result={"errors": [], "can_apply": True, "changes": [], "planned": []},
    )


def editors_price_job(net) -> dict:
    from franchise import access

    net.editor.groups.add(access.ensure_groups()[access.CATALOGUE_MANAGERS])
    return {"job": _job(net.editor, "price_import")}


def accountants_statement_job(net) -> dict:
    from franchise import access
    from tests import factories

    accountant = factories.UserFactory(username="matrix-accountant")
    accountant.groups.add(access.ensure_groups()[access.FINANCE])
    return {"job": _job(accountant, "bank_statement")}


ROUTES: dict = {
    "jobs:status": [
        Case(
            args=lambda net: [net.job.pk],
            setup=editors_price_job,
            expect=statuses(editor=200),
        ),
        Case(args=lambda net: [net.job.pk], setup=accountants_statement_job, expect=statuses()),
    ],
    "jobs:confirm": [
        Case(
            args=lambda net: [net.job.pk],
            method="POST",
            setup=editors_price_job,
            expect=statuses(editor=302),
        ),
        Case(
            args=lambda net: [net.job.pk],
            method="POST",
            setup=accountants_statement_job,
            expect=statuses(),
        ),
        Case(args=lambda net: [net.job.pk], setup=editors_price_job, expect=statuses(405)),
    ],
}
