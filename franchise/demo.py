"""Demo network: regions, units, managers, the network lead, the editor, owners and staff."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from portal.demo import DEMO_PASSWORD, DemoContext

from . import access
from .models import Franchisee, Membership, Region, Role

REGIONS = [
    ("msk", "Москва", ["Москва"]),
    ("nw", "Северо-Запад", ["Санкт-Петербург", "Великий Новгород", "Псков"]),
    ("volga", "Поволжье", ["Казань", "Самара", "Нижний Новгород"]),
    ("ural", "Урал", ["Екатеринбург", "Челябинск", "Пермь"]),
    ("sib", "Сибирь", ["Новосибирск", "Омск", "Красноярск"]),
    ("south", "Юг", ["Краснодар", "Ростов-на-Дону", "Сочи"]),
]
STREETS = [
    "ул. Ленина",
    "пр. Мира",
    "ул. Советская",
    "ул. Гагарина",
    "Садовая ул.",
    "ул. Пушкина",
    "Набережная ул.",
    "Центральная пл.",
    "ул. Кирова",
    "Молодёжная ул.",
]
BRANDS = ["Breadway", "Хлебный двор", "Breadway Express", "Хлебный двор Кафе"]
MALE = ["Алексей", "Дмитрий", "Сергей", "Андрей", "Игорь", "Павел", "Михаил", "Олег"]
FEMALE = ["Анна", "Елена", "Ольга", "Мария", "Наталья", "Ирина", "Татьяна", "Светлана"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков"]
SURNAMES += ["Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов"]
ENGLISH = ["James Carter", "Emily Brooks", "Oliver Hughes", "Sophie Turner", "Daniel Price"]
STAFF_POSITIONS = ["Управляющий сменой", "Кассир", "Пекарь", "Бариста", "Администратор"]

# The fixed logins the README lists. Positions are what people wrote in their profiles:
# in Russian, the language of the network (Kate Wilson works in Russian too).
MANAGERS = [
    ("manager", "Марина Орлова", "Менеджер по работе с партнёрами, Москва и Северо-Запад"),
    ("manager2", "Виктор Белов", "Менеджер по работе с партнёрами, Поволжье и Урал"),
    ("manager3", "Kate Wilson", "Менеджер по работе с партнёрами, Сибирь и Юг"),
]
LEAD = ("lead", "Андрей Громов", "Директор по франчайзингу")
EDITOR = ("editor", "Юлия Ким", "Редактор контента")


def _person(rng) -> str:
    if rng.random() < 0.12:
        return rng.choice(ENGLISH)
    if rng.random() < 0.5:
        return f"{rng.choice(FEMALE)} {rng.choice(SURNAMES)}а"
    return f"{rng.choice(MALE)} {rng.choice(SURNAMES)}"


def demo_inn(n: int) -> str:
    """A ten-digit INN with a valid check digit (organisations; sole traders get 12 digits)."""
    body = f"77{n:07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10
    return f"{body}{check}"


def _plan(ctx: DemoContext):
    """Everything the network is made of, computed from the seed alone."""
    rng = ctx.rng_for("franchise")
    units, staff = [], []
    for n in range(1, ctx.units + 1):
        region_code, _, cities = REGIONS[(n - 1) % len(REGIONS)]
        code = f"{region_code.upper()}-{(n - 1) // len(REGIONS) + 1:03d}"
        city = rng.choice(cities)
        brand = rng.choice(BRANDS)
        street = rng.choice(STREETS)
        owner_name = _person(rng)
        units.append(
            {
                "code": code,
                "region": region_code,
                "city": city,
                "address": f"{street}, {rng.randint(1, 120)}",
                "trading_name": f"{brand} — {city}, {street}",
                "legal_name": f"ИП {owner_name}" if rng.random() < 0.6 else f"ООО «{brand} {n}»",
                "inn": demo_inn(n),
                "phone": f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-"
                f"{rng.randint(10, 99)}",
                "opened_on": date(2016, 1, 1) + timedelta(days=rng.randint(0, 3300)),
                "status": rng.choices(list(Franchisee.Status), weights=[0.9, 0.06, 0.04])[0].value,
                # The first unit's people carry the README's short demo logins.
                "owner": ("owner" if n == 1 else f"{code.lower()}-owner", owner_name),
            }
        )
        for s in range(rng.randint(1, 3)):
            username = "staff" if n == 1 and s == 0 else f"{code.lower()}-staff{s + 1}"
            staff.append((code, username, _person(rng), rng))
    return units, [(c, u, name, r.choice(STAFF_POSITIONS)) for c, u, name, r in staff]


def seed(ctx: DemoContext) -> None:
    User = get_user_model()
    groups = access.ensure_groups()
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing 15,000 would take minutes

    for code, name, _cities in REGIONS:
        Region.objects.get_or_create(code=code, defaults={"name": name})
    regions = {r.code: r for r in Region.objects.all()}

    units, staff = _plan(ctx)
    # People: fixed logins first, then one owner per unit and its staff.
    wanted = [(u, n, p) for u, n, p in MANAGERS] + [LEAD, EDITOR]
    wanted += [(u["owner"][0], u["owner"][1], "Владелец") for u in units]
    wanted += [(username, name, position) for _, username, name, position in staff]
    existing = set(User.objects.values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=username,
                email=f"{username}@breadway.example",
                full_name=name,
                position=position,
                password=password,
                preferred_language="en" if name in ENGLISH or username == "manager3" else "ru",
            )
            for username, name, position in wanted
            if username not in existing
        ],
        batch_size=2000,
    )
    users = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}
    for username, *_ in MANAGERS:
        users[username].groups.add(groups[access.ACCOUNT_MANAGERS])
    users[LEAD[0]].groups.add(groups[access.NETWORK_LEADS])
    users[EDITOR[0]].groups.add(groups[access.EDITORS])

    # Units, each in a manager's portfolio (two regions per manager).
    region_manager = {code: users[MANAGERS[i // 2][0]] for i, (code, _, _) in enumerate(REGIONS)}
    existing_codes = set(Franchisee.objects.values_list("code", flat=True))
    Franchisee.objects.bulk_create(
        [
            Franchisee(
                code=u["code"],
                region=regions[u["region"]],
                city=u["city"],
                address=u["address"],
                trading_name=u["trading_name"],
                legal_name=u["legal_name"],
                inn=u["inn"] if u["legal_name"].startswith("ООО") else u["inn"] + "00",
                kpp="771001001" if u["legal_name"].startswith("ООО") else "",
                phone=u["phone"],
                email=f"{u['code'].lower()}@breadway.example",
                opened_on=u["opened_on"],
                status=u["status"],
                account_manager=region_manager[u["region"]],
            )
            for u in units
            if u["code"] not in existing_codes
        ],
        batch_size=2000,
    )
    unit_objects = {
        f.code: f
        for f in Franchisee.objects.filter(code__in=[u["code"] for u in units]).select_related(
            "region"
        )
    }

    grants = [(region_manager[u["region"]], unit_objects[u["code"]], Role.MANAGER) for u in units]
    grants += [(users[u["owner"][0]], unit_objects[u["code"]], Role.OWNER) for u in units]
    grants += [(users[username], unit_objects[code], Role.MEMBER) for code, username, *_ in staff]
    if len(units) > 1:
        # The demo owner runs a second unit too, to show the unit switcher.
        grants.append((users["owner"], unit_objects[units[1]["code"]], Role.OWNER))
    created = access.grant_roles_bulk(grants)

    ctx.unit_objects = list(unit_objects.values())
    ctx.people = {
        "managers": [users[m[0]] for m in MANAGERS],
        "lead": users[LEAD[0]],
        "editor": users[EDITOR[0]],
    }
    ctx.log(
        f"franchise: {len(unit_objects)} units, {Membership.objects.count()} memberships "
        f"({created} new)"
    )

    from .demo_exchange import seed_exchange

    seed_exchange(ctx)
