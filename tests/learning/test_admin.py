"""Editors author courses and quizzes in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from learning.models import CourseIndexPage, CoursePage, LessonPage
from portal.models import HomePage
from tests import factories


@pytest.fixture
def admin_client(client_for, db):
    return client_for(factories.UserFactory(username="root", is_superuser=True, is_staff=True))


def test_quiz_snippet_and_course_editing(admin_client, catalogue):
    assert admin_client.get(reverse("wagtailsnippets_learning_quiz:list")).status_code == 200
    response = admin_client.get(reverse("wagtailsnippets_learning_quiz:add"))
    assert response.status_code == 200 and "Matching" in response.content.decode()
    edit = reverse("wagtailsnippets_learning_quiz:edit", args=[catalogue.lesson_quiz.pk])
    assert admin_client.get(edit).status_code == 200
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[catalogue.course.pk]))
    assert page.status_code == 200 and "certificate_validity_months" in page.content.decode()


class TestPageRules(WagtailPageTestCase):
    def test_tree(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())


def test_read_only_training_listings_are_scoped(admin_client, network, catalogue, client_for):
    from learning import services

    cert = services.certificate_issue(
        user=network.other_member, course=catalogue.course, unit=network.other_unit
    )
    response = admin_client.get(reverse("certificates:index"))
    assert response.status_code == 200 and cert.code in response.content.decode()
    assert admin_client.get(reverse("course_assignments:index")).status_code == 200
    assert admin_client.get(reverse("certificates:inspect", args=[cert.pk])).status_code == 200
    # without the model permission an account manager is kept out entirely
    response = client_for(network.manager).get(reverse("certificates:index"))
    assert response.status_code in (302, 403)


def test_every_object_view_of_the_training_screens_is_scoped(network, catalogue, client_for):
    """Inspect, history and usage find their object apart from the listing: scoped too."""
    from django.contrib.auth.models import Permission

    from learning import services

    mine = services.certificate_issue(
        user=network.member, course=catalogue.course, unit=network.unit
    )
    theirs = services.certificate_issue(
        user=network.other_member, course=catalogue.course, unit=network.other_unit
    )
    network.manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["learning", "wagtailadmin"],
            codename__in=["change_certificate", "view_certificate", "access_admin"],
        )
    )
    client = client_for(network.manager)
    for name in ["certificates:inspect", "certificates:history", "certificates:usage"]:
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code == 404, name
        assert theirs.code not in response.content.decode()
        assert client.get(reverse(name, args=[mine.pk])).status_code == 200, name
    listing = client.get(reverse("certificates:index")).content.decode()
    assert mine.code in listing and theirs.code not in listing
