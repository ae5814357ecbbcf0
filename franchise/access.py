"""The only module that grants, revokes and checks rights on franchise units.

Rights on one unit are django-guardian object permissions on `Franchisee`, handed out as
roles (named permission sets). Network-wide rights are ordinary model permissions held by a
group. Every other module asks here: `units_visible_to`, `can`, `get_unit_or_404`,
`visible_to` for unit-owned objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Exists, ForeignKey, OuterRef, Q, QuerySet
from django.db.models.lookups import In
from django.http import Http404

from portal import versions

from .audit import Action, audit_record
from .models import (
    AuditEvent,
    Franchisee,
    Membership,
    Role,
    UnitGroupPermission,
    UnitUserPermission,
)

#: A role is a named set of object permissions on a unit.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.MEMBER: ("view_unit", "work_in_unit"),
    Role.OWNER: ("view_unit", "work_in_unit", "manage_unit_members"),
    Role.MANAGER: ("view_unit", "review_unit"),
}

#: What views ask for, and the permission that answers it.
ACTIONS: dict[str, str] = {
    "view": "view_unit",
    "work": "work_in_unit",
    "manage_members": "manage_unit_members",
    "review": "review_unit",
}

NETWORK_LEADS = "Network leads"
ACCOUNT_MANAGERS = "Account managers"
EDITORS = "Editors"
CATALOGUE_MANAGERS = "Catalogue managers"
#: The franchisor's accountants: read every unit's ledger, record and import payments.
FINANCE = "Finance staff"

#: Model permissions of the franchisor's groups (app_label.codename).
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    NETWORK_LEADS: (
        "wagtailadmin.access_admin",
        "franchise.view_unit",
        "franchise.view_franchisee",
        "franchise.add_franchisee",
        "franchise.change_franchisee",
        "franchise.view_region",
        "franchise.add_region",
        "franchise.change_region",
        "franchise.add_invitation",
        "franchise.view_invitation",
        "franchise.view_auditevent",
    ),
    ACCOUNT_MANAGERS: (
        "wagtailadmin.access_admin",
        "franchise.view_franchisee",
        "franchise.change_franchisee",
        "franchise.view_region",
        "franchise.add_invitation",
        "franchise.view_invitation",
        "franchise.view_auditevent",
    ),
    # Editors translate the pages they edit (wagtail.contrib.simple_translation).
    EDITORS: ("wagtailadmin.access_admin", "simple_translation.submit_translation"),
    FINANCE: (
        "wagtailadmin.access_admin",
        "franchise.view_unit",
        "franchise.view_franchisee",
        "finance.view_entry",
        "finance.add_entry",
        "finance.add_payment",
        "finance.change_payment",
        "finance.view_payment",
        "finance.add_agreement",
        "finance.change_agreement",
        "finance.view_agreement",
        "finance.add_feerule",
        "finance.change_feerule",
        "finance.delete_feerule",
    ),
    # The franchisor's supply staff keep the catalogue, prices and stock (orders app).
    CATALOGUE_MANAGERS: (
        "wagtailadmin.access_admin",
        *(
            f"orders.{verb}_{model}"
            for model in ("category", "product", "pricelist", "pricelistitem", "warehouse", "stock")
            for verb in ("add", "change", "delete", "view")
        ),
        "orders.view_order",
    ),
}
GROUP_PERMISSIONS[NETWORK_LEADS] += ("orders.view_order",)
GROUP_PERMISSIONS[ACCOUNT_MANAGERS] += ("orders.view_order",)


def _permissions(codenames: Iterable[str]) -> dict[str, Permission]:
    return {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="franchise", codename__in=set(codenames)
        )
    }


# Grants -----------------------------------------------------------------------------


@transaction.atomic
def grant_role(user, unit: Franchisee, role: str, *, by=None, request=None) -> Membership:
    """Give `user` exactly the permissions of `role` on `unit` (replacing an earlier role)."""
    membership = Membership.objects.filter(user=user, unit=unit).first()
    if membership and membership.role == role:
        return membership
    if membership:
        _drop_permissions(user, unit)
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        membership = Membership.objects.create(user=user, unit=unit, role=role)
    perms = _permissions(ROLE_PERMISSIONS[role])
    UnitUserPermission.objects.bulk_create(
        [UnitUserPermission(user=user, content_object=unit, permission=p) for p in perms.values()]
    )
    audit_record(
        Action.GRANT, actor=by, unit=unit, target=user.username, request=request, role=role
    )
    _forget(user)
    return membership


@transaction.atomic
def revoke_role(user, unit: Franchisee, *, by=None, request=None) -> None:
    deleted, _ = Membership.objects.filter(user=user, unit=unit).delete()
    _drop_permissions(user, unit)
    _forget(user)
    if deleted:
        audit_record(Action.REVOKE, actor=by, unit=unit, target=user.username, request=request)


def _drop_permissions(user, unit: Franchisee) -> None:
    UnitUserPermission.objects.filter(user=user, content_object=unit).delete()


@transaction.atomic
def grant_network_right(user, action: str, *, by=None, request=None) -> None:
    """Give `user` `action` on every unit: the model permission `has_network_right` asks for
    (e.g. "review" for a franchisor integration that runs the order desk)."""
    codename = ACTIONS[action]
    user.user_permissions.add(_permissions([codename])[codename])
    audit_record(
        Action.GRANT, actor=by, target=user.username, request=request, role=f"network:{action}"
    )
    _forget(user)
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


@transaction.atomic
def grant_roles_bulk(grants: Iterable[tuple[object, Franchisee, str]], *, by=None) -> int:
    """Grant many (user, unit, role) triples in a few queries; for imports and the demo.

    Triples whose user already has a role on the unit are left as they are.
    """
    grants = list(grants)
    existing = set(
        Membership.objects.filter(unit__in={unit.pk for _, unit, _ in grants}).values_list(
            "user_id", "unit_id"
        )
    )
    fresh = [(u, unit, role) for u, unit, role in grants if (u.pk, unit.pk) not in existing]
    perms = _permissions(code for codes in ROLE_PERMISSIONS.values() for code in codes)
    Membership.objects.bulk_create(
        [Membership(user=u, unit=unit, role=role) for u, unit, role in fresh], batch_size=2000
    )
    UnitUserPermission.objects.bulk_create(
        [
            UnitUserPermission(user=u, content_object=unit, permission=perms[code])
            for u, unit, role in fresh
            for code in ROLE_PERMISSIONS[role]
        ],
        batch_size=2000,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action=Action.GRANT,
                actor=by,
                unit=unit,
                target=u.username,
                details={"role": str(role)},
            )
            for u, unit, role in fresh
        ],
        batch_size=2000,
    )
    return len(fresh)


@transaction.atomic
def set_account_manager(unit: Franchisee, manager, *, by=None, request=None) -> None:
    """Make `manager` the unit's account manager: the FK and the manager role move together."""
    previous = unit.account_manager
    if previous == manager:
        return
    if previous is not None:
        revoke_role(previous, unit, by=by, request=request)
    unit.account_manager = manager
    unit.save(update_fields=["account_manager"])
    if manager is not None:
        grant_role(manager, unit, Role.MANAGER, by=by, request=request)


def ensure_groups() -> dict[str, Group]:
    """Create the franchisor's groups with their model permissions (idempotent)."""
    groups = {}
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.none()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted = wanted | Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.add(*wanted)
        groups[name] = group
    return groups


# Checks -----------------------------------------------------------------------------


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_network_right(user, action: str = "view") -> bool:
    """True for network leads (model permission) and superusers: every unit, no object check."""
    return _is_active(user) and user.has_perm(f"franchise.{ACTIONS[action]}")


#: The tables the unit rights are read from: object permissions, group membership.
RIGHTS_LABELS = (
    "franchise.UnitUserPermission",
    "franchise.UnitGroupPermission",
    "portal.User_groups",
    "auth.Permission",
)


def _unit_ids(user, action: str) -> frozenset[int]:
    """Ids of the units on which `user` holds `action` through an object permission.

    Remembered on the user object (one request) and kept in the shared cache under the data
    versions of RIGHTS_LABELS, so a grant or revoke is seen by the next request in every
    process (`grant_role`/`revoke_role` also forget the in-process copy). A manager of 1,600
    units would otherwise read 3,000 permission rows on every request.
    """
    memo = user.__dict__.get("_unit_ids_memo")
    if memo is None:
        memo = versions.cached(("unit-rights", user.pk), RIGHTS_LABELS, lambda: _read_rights(user))
        user.__dict__["_unit_ids_memo"] = memo
    return memo[action]


def _read_rights(user) -> dict[str, frozenset[int]]:
    """{action: unit ids}: one query over guardian's two tables (direct and through the user's
    groups) for every action at once. Read here instead of guardian's `get_objects_for_user`,
    whose queryset costs more to build than the query itself."""
    wanted = {
        "permission__codename__in": ACTIONS.values(),
        "permission__content_type__app_label": "franchise",
    }
    columns = ("content_object_id", "permission__codename")
    direct = UnitUserPermission.objects.filter(user=user, **wanted).values_list(*columns)
    through_groups = UnitGroupPermission.objects.filter(group__user=user, **wanted).values_list(
        *columns
    )
    held: dict[str, set[int]] = {codename: set() for codename in ACTIONS.values()}
    for unit_id, codename in direct.union(through_groups):
        held[codename].add(unit_id)
    return {name: frozenset(held[codename]) for name, codename in ACTIONS.items()}


def units_visible_to(user, action: str = "view") -> QuerySet[Franchisee]:
    """The units on which `user` may perform `action`; a lazy queryset usable as a subquery.

    Every unit for a holder of the network-wide permission (and superusers), else the units of
    the user's object permissions.
    """
    if not _is_active(user):
        return Franchisee.objects.none()
    if has_network_right(user, action):
        return Franchisee.objects.all()
    return Franchisee.objects.filter(pk__in_ids=_unit_ids(user, action))


def scope_key(user, action: str = "view") -> str:
    """A short stand-in for the set `units_visible_to(user, action)` as a cache key part, with
    no query once the user's rights are read: "network" for network-wide rights (the set is
    then every unit, so a cached value must also depend on the units' data version), else a
    digest of the unit ids."""
    if not _is_active(user):
        return "none"
    if has_network_right(user, action):
        return "network"
    return versions.digest(sorted(_unit_ids(user, action)))


def portfolio_scope_key(user) -> str:
    """The scope of a portfolio page as a cache key part: every unit for network-wide viewers
    ("network"), else the units the user reviews."""
    if has_network_right(user):
        return "network"
    return scope_key(user, "review")


@ForeignKey.register_lookup
@Franchisee._meta.pk.register_lookup
class InIds(In):
    """`pk__in_ids=frozenset(ids)` (also `unit__in_ids`): on PostgreSQL `id = ANY(%s::bigint[])`,
    one text parameter.

    A portfolio of 1,600 units as an ordinary IN cost about 10 ms of Python per query: Django
    resolves and prepares every id, psycopg adapts every placeholder (or every element of a
    list). The ids are plain ints from the permission tables, so they are written out once.
    A frozenset also skips Django's per-element walk over list and tuple values. Other
    databases get the ordinary IN.
    """

    lookup_name = "in_ids"

    def get_prep_lookup(self):
        return self.rhs

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = "{" + ",".join(str(int(pk)) for pk in self.rhs) + "}"
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)


def _forget(user) -> None:
    """Drop what this module remembered on the user object after their rights changed."""
    user.__dict__.pop("_unit_ids_memo", None)
    user.__dict__.pop("_audience_cache", None)


def can(user, action: str, unit: Franchisee) -> bool:
    if not _is_active(user):
        return False
    if has_network_right(user, action):
        return True
    return unit.pk in _unit_ids(user, action)


def get_unit_or_404(request, code: str, action: str = "view") -> Franchisee:
    """The unit with `code` if the request's user may `action` it; 404 (and an audit row) if not.

    Another unit answers exactly like a unit that does not exist.
    """
    unit = (
        units_visible_to(request.user, action)
        .select_related("region", "account_manager")
        .filter(code=code)
        .first()
    )
    if unit is None:
        deny(request, target=f"unit:{code}", action=action)
    return unit


def visible_to(user, queryset: QuerySet, action: str = "view", unit_field: str = "unit"):
    """Filter a queryset of unit-owned objects down to the units `user` may `action`.

    A portfolio filters the rows' own unit column by the ids (no join to the units), so a
    list ordered by an index stops after the rows it shows.
    """
    if _is_active(user) and not has_network_right(user, action):
        return queryset.filter(**{f"{unit_field}__in_ids": _unit_ids(user, action)})
    return queryset.filter(**{f"{unit_field}__in": units_visible_to(user, action)})


def deny(request, **details):
    """Record a refused access check and answer 404 (never say that the thing exists)."""
    audit_record(
        Action.ACCESS_DENIED,
        actor=request.user,
        request=request,
        target=details.pop("target", request.path),
        path=request.path,
        **details,
    )
    raise Http404


def keeps_books(user) -> bool:
    """Finance staff (and superusers): record payments, import statements, adjust ledgers."""
    return _is_active(user) and user.has_perm("finance.add_payment")


def role_on(user, unit: Franchisee) -> str | None:
    return (
        Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True).first()
        if _is_active(user)
        else None
    )


def memberships_of(user) -> QuerySet[Membership]:
    """The units the user works in (as owner or staff), for the unit switcher."""
    if not _is_active(user):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.MEMBER])
        .select_related("unit")
        .order_by("unit__trading_name")
    )


def is_franchisor_staff(user) -> bool:
    """Managers, network leads and editors: people of the franchisor, not of a unit."""
    return _is_active(user) and (
        user.is_superuser
        or user.groups.filter(name__in=[NETWORK_LEADS, ACCOUNT_MANAGERS, EDITORS]).exists()
    )


# Audiences (pages, shared documents) -------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """What a user counts as for audience rules: their regions and roles, or everyone."""

    unrestricted: bool
    region_ids: frozenset = frozenset()
    roles: frozenset = frozenset()


def audience_of(user) -> Audience:
    """Staff who run the network (leads, editors, superusers) see every audience.

    Everyone else counts as the regions of their units and the roles they hold there; a
    manager counts as the regions of their portfolio.
    """
    if not _is_active(user):
        return Audience(unrestricted=False)
    cached = getattr(user, "_audience_cache", None)
    if cached is not None:
        return cached
    if user.is_superuser or has_network_right(user) or user.groups.filter(name=EDITORS).exists():
        audience = Audience(unrestricted=True)
    else:
        rows = Membership.objects.filter(user=user).values_list("role", "unit__region_id")
        audience = Audience(
            unrestricted=False,
            region_ids=frozenset(region for _, region in rows),
            roles=frozenset(role for role, _ in rows),
        )
    user._audience_cache = audience
    return audience


def audience_q(user, model) -> Q:
    """A filter for querysets of `model` (with PageAudience fields) down to `user`'s audience."""
    audience = audience_of(user)
    if audience.unrestricted:
        return Q()
    through = model._meta.get_field("audience_regions").remote_field.through
    source = next(
        f.name
        for f in through._meta.get_fields()
        if f.is_relation and f.related_model is not None and issubclass(model, f.related_model)
    )
    limited = through.objects.filter(**{source: OuterRef("pk")})
    region_ok = ~Exists(limited) | Exists(limited.filter(region_id__in=audience.region_ids))
    role_ok = Q(audience_roles="")
    for role in audience.roles:
        role_ok |= Q(audience_roles__contains=role)
    return Q(region_ok) & role_ok


def in_audience(user, obj) -> bool:
    """The same rule as `audience_q`, for one object already loaded."""
    audience = audience_of(user)
    if audience.unrestricted:
        return True
    if not _is_active(user):
        return False
    regions = {r.pk for r in obj.audience_regions.all()}
    roles = set(obj.audience_role_list)
    return (not regions or bool(regions & audience.region_ids)) and (
        not roles or bool(roles & audience.roles)
    )


def units_following_tasks(user) -> QuerySet[Franchisee]:
    """Units whose tasks and requests `user` follows in the franchisor's inbox: a manager's
    portfolio (review), every unit for network leads (who read them without acting)."""
    if has_network_right(user):
        return Franchisee.objects.all()
    return units_visible_to(user, "review")


# Learning --------------------------------------------------------------------------------


def units_assigning_training(user) -> QuerySet[Franchisee]:
    """Units whose people `user` may assign courses to: a manager's portfolio (review), an
    owner's own unit (manage_members), every unit for superusers. Network leads only read."""
    return Franchisee.objects.filter(
        Q(pk__in=units_visible_to(user, "review"))
        | Q(pk__in=units_visible_to(user, "manage_members"))
    )


def units_overseeing_training(user) -> QuerySet[Franchisee]:
    """Units whose training matrix `user` may read: the assignable ones, all for network leads."""
    if has_network_right(user):
        return Franchisee.objects.all()
    return units_assigning_training(user)


# Documents -----------------------------------------------------------------------------
# A unit's documents follow the unit's rights. A library document (no unit) reaches the
# units of its audience: all units, the units of chosen regions, or chosen units; the
# franchisor's staff see the whole library.

_DOCUMENT_FOLDERS_FOR_UNITS = ("contracts", "invoices", "marketing", "licences", "uploads")

# Editors and account managers keep the document categories (Wagtail admin).
for _group in (EDITORS, ACCOUNT_MANAGERS):
    GROUP_PERMISSIONS[_group] += tuple(
        f"franchise.{verb}_documentcategory" for verb in ("add", "change", "delete", "view")
    )


def sees_whole_library(user) -> bool:
    return _is_active(user) and (has_network_right(user) or is_franchisor_staff(user))


def can_publish_library(user) -> bool:
    """Account managers, editors and superusers publish network-wide documents."""
    return _is_active(user) and (
        user.is_superuser or user.groups.filter(name__in=[ACCOUNT_MANAGERS, EDITORS]).exists()
    )


def document_audience_q(user) -> Q:
    """Library documents whose audience includes a unit `user` may view (for querysets)."""
    from .models import Document

    if not _is_active(user):
        return Q(pk__in=[])
    if sees_whole_library(user):
        return Q(unit__isnull=True)
    units = units_visible_to(user, "view")
    regions = Document.audience_regions.through.objects.filter(
        document_id=OuterRef("pk"), region_id__in=units.values("region_id")
    )
    chosen = Document.audience_units.through.objects.filter(
        document_id=OuterRef("pk"), franchisee_id__in=units.values("pk")
    )
    return Q(unit__isnull=True) & (
        Q(audience="all")
        | Q(Exists(regions), audience="regions")
        | Q(Exists(chosen), audience="units")
    )


def documents_visible_q(user) -> Q:
    """Every document `user` may see: of their units, and of the library within the audience."""
    if not _is_active(user):
        return Q(pk__in=[])
    return Q(unit__in=units_visible_to(user, "view")) | document_audience_q(user)


def can_see_document(user, document) -> bool:
    if document.unit_id is not None:
        return can(user, "view", document.unit)
    return type(document).objects.filter(document_audience_q(user), pk=document.pk).exists()


def document_upload_folders(user, unit: Franchisee) -> list[str]:
    """The folders of `unit` that `user` may upload to: staff any, the unit's people its own."""
    if can(user, "review", unit) or (_is_active(user) and user.is_superuser):
        return [*_DOCUMENT_FOLDERS_FOR_UNITS[:4], "inbox", "uploads"]
    if can(user, "work", unit):
        return list(_DOCUMENT_FOLDERS_FOR_UNITS)
    return []


def can_change_document(user, document) -> bool:
    """Add versions: the library's publishers, or whoever may upload to the document's folder."""
    if document.unit_id is None:
        return can_publish_library(user)
    return document.folder in document_upload_folders(user, document.unit)


def can_comment_document(user, document, unit: Franchisee | None) -> bool:
    """Comment as `unit` (None: as the franchisor) on a document `user` can see."""
    if unit is None:
        return can_publish_library(user) or (
            document.unit_id is not None and can(user, "review", document.unit)
        )
    return can(user, "work", unit) or can(user, "review", unit)


def sees_acknowledgements(user, document) -> bool:
    """Who acknowledged is the people of units, so the portfolio rule applies: the unit's
    reviewers and network-wide viewers; for a library document anyone who reviews units (the
    report then lists only those, `acknowledgement_units`). Editors hold no unit rights: they
    author the library, but its readers' names are not theirs to see."""
    if has_network_right(user):
        return True
    if document.unit_id is None:
        return _is_active(user) and bool(_unit_ids(user, "review"))
    return can(user, "review", document.unit)


def acknowledgement_units(user, document) -> QuerySet[Franchisee]:
    """The units of the document's audience whose people `user` sees in the report: all of
    them for network-wide viewers, else those the user reviews (a manager's portfolio)."""
    units = document_audience_units(document)
    if has_network_right(user):
        return units
    if not _is_active(user):
        return units.none()
    return units.filter(pk__in_ids=_unit_ids(user, "review"))


def sees_whole_audience(user) -> bool:
    """Whether a library document's audience line is shown in full: to those whose page
    audience is unrestricted too (leads, superusers, and the editors who set audiences).
    Everyone else reads only the units and regions they may view (an owner his own unit, a
    manager his portfolio), never other units' codes."""
    return audience_of(user).unrestricted


def shown_audience(user, document) -> tuple[list, list[Franchisee]]:
    """(regions, units) of a library document's audience that `user` may read (see
    `sees_whole_audience`); uses the document's prefetched audience, no query for the units."""
    regions = list(document.audience_regions.all())
    units = list(document.audience_units.all())
    if sees_whole_audience(user):
        return regions, units
    own_regions = audience_of(user).region_ids
    return (
        [region for region in regions if region.pk in own_regions],
        [unit for unit in units if can(user, "view", unit)],
    )


# Reporting ----------------------------------------------------------------------------

#: Editors author report templates in the Wagtail admin; leads may look at them.
GROUP_PERMISSIONS[EDITORS] += tuple(
    f"reporting.{verb}_reporttemplate" for verb in ("add", "change", "delete", "view")
)
GROUP_PERMISSIONS[NETWORK_LEADS] += ("reporting.view_reporttemplate",)

# Surveys: editors define them (questions, audience, schedule) in the Wagtail admin.
GROUP_PERMISSIONS[EDITORS] += tuple(
    f"surveys.{verb}_survey" for verb in ("add", "change", "delete", "view")
)


def document_audience_units(document) -> QuerySet[Franchisee]:
    """The units a document reaches: its own unit, or the library audience."""
    if document.unit_id is not None:
        return Franchisee.objects.filter(pk=document.unit_id)
    units = Franchisee.objects.exclude(status=Franchisee.Status.CLOSED)
    if document.audience == "regions":
        return units.filter(region__in=document.audience_regions.all())
    if document.audience == "units":
        return units.filter(pk__in=document.audience_units.all())
    return units


# News ---------------------------------------------------------------------------------
# Who is told about a news item: the people of the units in its audience (the reverse of
# `audience_q` for pages). Network leads and editors see every item but get no notice.


def audience_members(page) -> QuerySet:
    """Active users holding a role on an open unit that `page`'s audience reaches."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.exclude(unit__status=Franchisee.Status.CLOSED)
    regions = list(page.audience_regions.values_list("pk", flat=True))
    if regions:
        memberships = memberships.filter(unit__region__in=regions)
    if roles := page.audience_role_list:
        memberships = memberships.filter(role__in=roles)
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=memberships.values("user_id")).order_by("pk")
