"""A library document's acknowledgement report and audience line follow the portfolio rule.

A manager sees the people (and the unit codes) of his own portfolio only, an owner only his own
unit; network-wide only for those whose role grants the whole network (leads). Editors author
the library and its audiences, so they read the audience line in full, but they hold no unit
rights, so the people of units (names, reading status) are not theirs: no report.
"""

import pytest
from django.urls import reverse

from franchise.documents import services
from franchise.models import DocumentFolder
from tests.franchise.test_documents import checked, make_pdf


def _library_document(network, **audience):
    return services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title="Hygiene rules 2026",
        checked=checked("rules.pdf", make_pdf("rules")),
        by=network.editor,
        must_read=True,
        **audience,
    )


@pytest.fixture
def everyone_document(network, client_for):
    """A must-read for every unit, confirmed by one person of each portfolio."""
    document = _library_document(network)
    for who in ("owner", "other_member"):
        response = client_for(getattr(network, who)).post(
            reverse("documents:acknowledge", args=[document.pk])
        )
        assert response.status_code == 302
    return document


def _report(network, client_for, who, document):
    return client_for(getattr(network, who)).get(
        reverse("documents:acknowledgements", args=[document.pk])
    )


@pytest.mark.parametrize(
    ("who", "own", "foreign"),
    [("manager", "unit", "other_unit"), ("other_manager", "other_unit", "unit")],
)
def test_manager_sees_only_his_portfolios_people(
    network, client_for, everyone_document, who, own, foreign
):
    response = _report(network, client_for, who, everyone_document)
    assert response.status_code == 200
    html = response.content.decode()
    own_unit, foreign_unit = getattr(network, own), getattr(network, foreign)
    assert own_unit.code in html
    assert foreign_unit.code not in html and foreign_unit.trading_name not in html
    people = {m.user for m in response.context["page"]}
    foreign_people = set(
        foreign_unit.memberships.filter(role__in=["owner", "member"]).values_list(
            "user__full_name", flat=True
        )
    )
    assert foreign_people and not {p.get_full_name() for p in people} & foreign_people
    for name in foreign_people:
        assert name not in html
    expected = "1 of 2 people confirmed" if own == "unit" else "1 of 1 people confirmed"
    assert expected in html


def test_network_lead_sees_every_unit(network, client_for, everyone_document):
    response = _report(network, client_for, "lead", everyone_document)
    html = response.content.decode()
    assert response.status_code == 200
    assert network.unit.code in html and network.other_unit.code in html
    assert "2 of 3 people confirmed" in html


@pytest.mark.parametrize("who", ["editor", "owner", "member", "other_member", "stranger"])
def test_people_without_a_portfolio_get_no_report(network, client_for, everyone_document, who):
    assert _report(network, client_for, who, everyone_document).status_code == 404
    detail = client_for(getattr(network, who)).get(
        reverse("documents:detail", args=[everyone_document.pk])
    )
    assert detail.status_code == 200  # audience "all": every signed-in reader
    assert reverse("documents:acknowledgements", args=[everyone_document.pk]) not in (
        detail.content.decode()
    )


def _audience_line(network, client_for, who, document) -> str:
    response = client_for(getattr(network, who)).get(
        reverse("documents:detail", args=[document.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("<dt>Audience</dt>")
    return html[start : html.index("</dd>", start)]


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("owner", ["unit"], ["other_unit"]),
        ("member", ["unit"], ["other_unit"]),
        ("other_member", ["other_unit"], ["unit"]),
        ("manager", ["unit"], ["other_unit"]),
        ("other_manager", ["other_unit"], ["unit"]),
        ("lead", ["unit", "other_unit"], []),
        ("editor", ["unit", "other_unit"], []),
    ],
)
def test_audience_line_names_only_units_the_reader_may_see(network, client_for, who, shown, hidden):
    document = _library_document(
        network, audience="units", audience_units=[network.unit, network.other_unit]
    )
    line = _audience_line(network, client_for, who, document)
    for name in shown:
        assert getattr(network, name).code in line
    for name in hidden:
        assert getattr(network, name).code not in line
    page = client_for(getattr(network, who)).get(reverse("documents:detail", args=[document.pk]))
    for name in hidden:
        assert getattr(network, name).code not in page.content.decode()


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("owner", ["region"], ["other_region"]),
        ("other_manager", ["other_region"], ["region"]),
        ("lead", ["region", "other_region"], []),
    ],
)
def test_audience_line_names_only_the_readers_regions(network, client_for, who, shown, hidden):
    document = _library_document(
        network, audience="regions", audience_regions=[network.region, network.other_region]
    )
    line = _audience_line(network, client_for, who, document)
    for name in shown:
        assert getattr(network, name).name in line
    for name in hidden:
        assert getattr(network, name).name not in line
