import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/network/",
        "/network/charts/",
        "/network/compare/",
        "/network/adoption/",
        "/network/digest/",
    ],
)
def test_pages_render_for_manager(network, sales, client_for, url):
    response = client_for(network.manager).get(url)
    assert response.status_code == 200


def test_reports_menu_lists_the_network_reports_for_viewers_only(network, client_for):
    from django.test import RequestFactory
    from wagtail import hooks

    def menu(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        items = [fn() for fn in hooks.get_hooks("register_reports_menu_item")]
        return {
            (i.name, i.url) for i in items if i.name.startswith("network-") and i.is_shown(request)
        }

    expected = {
        ("network-overdue-reports", "/admin/reports/network/units-overdue-reports/"),
        ("network-training", "/admin/reports/network/training-compliance/"),
        ("network-adoption-regions", "/admin/reports/network/adoption-by-region/"),
    }
    assert menu(network.manager) == expected
    assert menu(network.lead) == expected
    assert menu(network.owner) == set()
