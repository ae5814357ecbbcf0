import pytest
from django.core import mail
from django.urls import reverse

from franchise.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="baker", email="baker@example.com", preferred_language="ru")


def _login(client, password):
    return client.post(reverse("login"), {"username": "baker", "password": password})


def test_login_sets_preferred_language_and_lands_in_cabinet(client, user):
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ru"


def test_lockout_after_repeated_failures(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "wrong")
        assert response.status_code == 200
        assert "Please enter a correct" in response.content.decode()
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert _login(client, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="login_failed", target="baker").count() >= 4
    assert AuditEvent.objects.filter(action="lockout", target="baker").exists()


def test_password_reset_by_email(client, user):
    response = client.post(reverse("password_reset"), {"email": "baker@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Свежий-хлеб-42", "new_password2": "Свежий-хлеб-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Свежий-хлеб-42")


def test_password_change(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Новый-пароль-77",
            "new_password2": "Новый-пароль-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Новый-пароль-77")


def test_logout_is_post_only(client, user):
    client.force_login(user)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_language_switch_is_remembered(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_language_switch_returns_to_the_page_it_was_used_on(client, user):
    """The switch in the (cached) header has no "next": the same-origin Referer brings the
    person back to the page they were on."""
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "en"}, HTTP_REFERER="http://testserver/learn/"
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/learn/")
    html = client.get(reverse("dashboard"), follow=True).content.decode()
    assert 'name="next"' not in html.split('class="language-switch"', 1)[1].split("</form>", 1)[0]
