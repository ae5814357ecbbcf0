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
