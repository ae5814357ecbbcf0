import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from franchise import access
from franchise.models import AuditEvent, Invitation, Role


def _link(message) -> str:
    return re.search(r"https?://[^/]+(/invite/[^/\s]+/)", message.body).group(1)


def test_owner_invites_a_member_end_to_end(network, client_for, django_capture_on_commit_callbacks):
    owner = client_for(network.owner)
    url = reverse("franchise:unit_members", args=[network.unit.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            url, {"email": "New.Baker@Example.com", "full_name": "Пётр Пекарев", "role": "member"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.baker@example.com"]
    assert network.unit.trading_name in message.subject
    link = _link(message)
    # The token itself is never stored, only its hash.
    assert link.split("/")[2] not in Invitation.objects.values_list("token_hash", flat=True)

    guest = client_for(None)
    page = guest.get(link)
    assert page.status_code == 200
    assert "new.baker@example.com" in page.content.decode()
    bad = guest.post(link, {"full_name": "Пётр", "password1": "abc", "password2": "abd"})
    assert bad.status_code == 200
    assert not get_user_model().objects.filter(email="new.baker@example.com").exists()

    done = guest.post(
        link,
        {
            "full_name": "Пётр Пекарев",
            "password1": "Хлеб-2026-свежий",
            "password2": "Хлеб-2026-свежий",
        },
    )
    assert done.status_code == 302
    user = get_user_model().objects.get(email="new.baker@example.com")
    assert user.check_password("Хлеб-2026-свежий")
    assert access.role_on(user, network.unit) == Role.MEMBER
    assert guest.get(reverse("franchise:unit_detail", args=[network.unit.code])).status_code == 200

    # The link works once.
    again = client_for(None)
    assert again.get(link).status_code == 410
    replay = again.post(
        link, {"full_name": "X", "password1": "Другой-пароль-1", "password2": "Другой-пароль-1"}
    )
    assert replay.status_code == 410
    user.refresh_from_db()
    assert user.check_password("Хлеб-2026-свежий")
    assert (
        AuditEvent.objects.filter(action="invite_accept", target="new.baker@example.com").count()
        == 1
    )


def test_member_cannot_invite(network, client_for):
    url = reverse("franchise:unit_members", args=[network.unit.code])
    response = client_for(network.member).post(url, {"email": "x@example.com", "role": "member"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_owner_cannot_invite_an_owner(network, client_for):
    url = reverse("franchise:unit_members", args=[network.unit.code])
    response = client_for(network.owner).post(url, {"email": "x@example.com", "role": "owner"})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_existing_member_is_not_invited_twice(network, client_for):
    url = reverse("franchise:unit_members", args=[network.unit.code])
    response = client_for(network.owner).post(
        url, {"email": network.member.email, "role": "member"}
    )
    assert response.status_code == 200
    assert "already a member" in str(response.context["form"].errors["email"])


def test_unknown_token_is_refused(client, db):
    assert client.get(reverse("invitation_accept", args=["made-up"])).status_code == 410


def test_existing_account_joins_without_new_password(
    network, client_for, django_capture_on_commit_callbacks
):
    url = reverse("franchise:unit_members", args=[network.other_unit.code])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.other_manager).post(url, {"email": network.owner.email, "role": "owner"})
    link = _link(mail.outbox[0])
    assert client_for(None).post(link).status_code == 302
    assert access.role_on(network.owner, network.other_unit) == Role.OWNER
    network.owner.refresh_from_db()
    assert network.owner.check_password("correct-horse-battery")


@pytest.mark.django_db
def test_manager_invites_owner_from_wagtail_admin(
    network, client_for, django_capture_on_commit_callbacks
):
    client = client_for(network.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:add"),
            {
                "unit": network.unit.pk,
                "email": "boss@example.com",
                "full_name": "",
                "role": "owner",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mail.outbox[0].to == ["boss@example.com"]
    # Another portfolio's unit is not even a choice.
    refused = client.post(
        reverse("invitations:add"),
        {"unit": network.other_unit.pk, "email": "boss2@example.com", "role": "owner"},
    )
    assert refused.status_code == 200
    assert not Invitation.objects.filter(email="boss2@example.com").exists()
