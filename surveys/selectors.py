"""Reads of surveys, each taking the user; a fixed number of queries whatever the rows."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from franchise import access
from franchise.models import Franchisee, Membership

from .models import Participation, Round, Survey, shown_name


def audience_memberships(survey: Survey) -> QuerySet[Membership]:
    """The people asked by a survey: owners / staff (as chosen) of active units of its regions."""
    memberships = Membership.objects.filter(
        role__in=survey.roles,
        unit__status=Franchisee.Status.ACTIVE,
        user__is_active=True,
    )
    regions = [r.pk for r in survey.audience_regions.all()]
    if regions:
        memberships = memberships.filter(unit__region_id__in=regions)
    return memberships


def _round_audience_q(unit: Franchisee) -> Q:
    return Q(survey__audience_regions__isnull=True) | Q(survey__audience_regions=unit.region_id)


def open_rounds(user, unit: Franchisee, *, today: date) -> list[Round]:
    """Rounds open today that `user` may answer for `unit` and has not answered: two queries."""
    role = access.role_on(user, unit)
    if role is None:
        return []
    rounds = (
        Round.objects.filter(survey__is_active=True, opens_on__lte=today, closes_on__gte=today)
        .filter(_round_audience_q(unit))
        .exclude(pk__in=Participation.objects.filter(user=user).values("round_id"))
        .select_related("survey")
        .distinct()
        .order_by("closes_on", "pk")
    )
    return [r for r in rounds if role in r.survey.roles]


def round_to_answer(user, unit: Franchisee, pk: int) -> Round:
    """A round of a survey whose audience holds `user` (for `unit`); 404 for any other, open or
    not (the service says why an answer is refused: closed, answered already)."""
    role = access.role_on(user, unit)
    found = (
        Round.objects.filter(pk=pk, survey__is_active=True)
        .filter(_round_audience_q(unit))
        .select_related("survey")
        .prefetch_related("survey__questions")
        .first()
    )
    if found is None or role is None or role not in found.survey.roles:
        raise Http404
    return found


def has_answered(user, round_: Round) -> bool:
    return Participation.objects.filter(round=round_, user=user).exists()


def results_scope(user) -> str | None:
    """ "network" for leads (every answer), "portfolio" for account managers (the answers
    counted under them), None for everyone else."""
    if access.has_network_right(user):
        return "network"
    if user.is_authenticated and user.groups.filter(name=access.ACCOUNT_MANAGERS).exists():
        return "portfolio"
    return None


def surveys_for_staff() -> QuerySet[Survey]:
    return Survey.objects.order_by("-is_active", shown_name(), "pk")


def survey_by_slug(slug: str) -> Survey:
    survey = Survey.objects.filter(slug=slug).prefetch_related("questions").first()
    if survey is None:
        raise Http404
    return survey
