"""Cross-unit URL matrix entries of the surveys app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401

#: Only the unit's own people (owner, staff: the survey's audience) answer for it.
answering = statuses(owner=200, member=200)


def make_survey(net) -> dict:
    from django.utils import timezone

    from tests.surveys.helpers import make_round
    from tests.surveys.helpers import make_survey as survey_with_questions

    survey = survey_with_questions(slug="matrix")
    return {"survey": survey, "round": make_round(survey, opens=timezone.localdate())}


ROUTES: dict = {
    "surveys:unit_surveys": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "surveys:answer": [
        Case(args=lambda net: [net.unit.code, net.round.pk], setup=make_survey, expect=answering),
        Case(
            args=lambda net: [net.unit.code, net.round.pk],
            setup=make_survey,
            method="POST",
            data=lambda net: {"nps": "9", "q-support": "4"},
            expect=statuses(owner=302, member=302),
        ),
        Case(
            # Another unit's code: only that unit's own owner answers for it.
            args=lambda net: [net.other_unit.code, net.round.pk],
            setup=make_survey,
            expect=statuses(other_member=200),
        ),
        Case(
            # A round that does not exist.
            args=lambda net: [net.unit.code, 999999],
            setup=make_survey,
            expect=statuses(404),
        ),
    ],
    "surveys:results": Case(
        args=lambda net: [net.survey.slug],
        setup=make_survey,
        expect=statuses(manager=200, other_manager=200, lead=200),
        note="franchisor staff; a manager sees only the answers counted under him",
    ),
}
