"""Every link of the header's menus answers 200 for every demo role (issue 17: the lead's
"Tasks" link led to a 404, and "Reports" did for people of no unit).

Each person opens the start page, collects the links of the main navigation and of the user
menu, and requests each (following redirects: "Reports" goes on to the unit's reports).
"""

from __future__ import annotations

from django.urls import reverse

from franchise.models import UnitRequest
from franchise.tasks_requests import services

from .crawl import ROLES, client_of, follow, local_path, parse, seed_demo_people

#: At least these entries in each role's main menu (a walk of an empty menu proves nothing).
EXPECTED_LINKS = {
    "owner": {"/learn/", "/news/", "/units/NW-001/tasks/", "/accounts/password_change/"},
    "member": {"/learn/", "/news/", "/accounts/password_change/"},
    "manager": {"/tasks/", "/network/", "/units/portfolio/", "/documents/", "/admin/"},
    "lead": {"/tasks/", "/network/", "/units/portfolio/", "/documents/"},
    "editor": {"/documents/", "/admin/", "/news/"},
    "stranger": {"/accounts/password_change/"},
}


def menu_links(client) -> tuple[str, list[str]]:
    """The start page a person lands on, and the links of the portal's menus (read on the
    notifications page as well: an editor lands in the Wagtail admin, which has its own)."""
    landed, response = follow(client, "/")
    assert response.status_code == 200, landed
    links = []
    for path, answer in [(landed, response), follow(client, reverse("notifications:list"))]:
        assert answer.status_code == 200, path
        for href in parse(answer.content.decode()).nav_links:
            if local_path(href, path) not in links:
                links.append(local_path(href, path))
    return landed, links


def test_every_menu_link_of_every_role_answers_200(db):
    people = seed_demo_people()
    broken, links_of = [], {}
    for role in ROLES:
        client = client_of(people[role])
        landed, links = menu_links(client)
        links_of[role] = set(links)
        for link in links:
            assert link is not None, f"{role}: a menu link leaves the site"
            answered, response = follow(client, link)
            if response.status_code != 200:
                broken.append(f"{role} on {landed}: {link} -> {answered} {response.status_code}")
    assert not broken, "\n".join(broken)
    for role, expected in EXPECTED_LINKS.items():
        assert expected <= links_of[role], (role, sorted(links_of[role]))
    # Editors follow no unit's tasks: no "Tasks" entry rather than one that answers 404.
    assert "/tasks/" not in links_of["editor"] and "/tasks/" not in links_of["stranger"]


def test_the_lead_reads_every_units_tasks_and_requests(network, client_for):
    services.request_create(
        unit=network.other_unit,
        by=network.other_member,
        kind=UnitRequest.Kind.QUESTION,
        subject="Where is the winter menu?",
        text="Not in the library.",
    )
    client = client_for(network.lead)
    _landed, links = menu_links(client)
    assert reverse("tasks:inbox") in links
    html = client.get(reverse("tasks:inbox")).content.decode()
    assert "Tasks and requests of the network" in html
    assert "Where is the winter menu?" in html
    # Still read only: the lead cannot answer or close it.
    unit_request = UnitRequest.objects.get()
    url = reverse("franchise:request_status", args=[network.other_unit.code, unit_request.pk])
    assert client.post(url, {"status": "closed"}).status_code == 404
    unit_request.refresh_from_db()
    assert unit_request.status == UnitRequest.Status.OPEN
