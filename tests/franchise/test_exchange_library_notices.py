"""Library documents: the notices to every unit's people are written by a job after commit."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise import tasks
from franchise.documents import services
from franchise.models import Document, DocumentFolder, DocumentVersion, Notification, Role
from tests import factories
from tests.franchise.test_documents import checked, make_pdf, upload


def _publish(by, title="Standards", **kw):
    return services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title=title,
        checked=checked("std.pdf", make_pdf("std")),
        by=by,
        **kw,
    )


def _notices(title_part="Standards"):
    return Notification.objects.filter(kind="document", title__contains=title_part)


def test_upload_queues_the_fan_out_and_the_job_writes_one_notice_per_person(
    network, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(network.manager).post(
            reverse("documents:library_new"),
            {"title": "Standards", "file": upload("std.pdf", make_pdf("std")), "audience": "all"},
        )
    assert response.status_code == 302
    # The request itself wrote no notice: the fan-out waits for the commit.
    assert not _notices().exists()
    for callback in callbacks:
        callback()
    recipients = set(_notices().values_list("user__username", flat=True))
    assert recipients == {"owner", "member", "other_member"}
    assert not _notices().filter(user=network.manager).exists()
    version = Document.objects.get(title="Standards").current_version
    assert DocumentVersion.objects.get(pk=version.pk).notices_sent_at is not None


def test_audience_limits_the_notices(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(network.manager, audience="regions", audience_regions=[network.other_region])
    assert list(_notices().values_list("user__username", flat=True)) == ["other_member"]


def test_nothing_is_queued_or_written_when_the_upload_rolls_back(
    network, django_capture_on_commit_callbacks
):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            _publish(network.manager)
            raise Boom
    assert callbacks == []
    assert not Document.objects.exists()
    assert not Notification.objects.exists()


def test_running_the_job_twice_writes_no_duplicates(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = _publish(network.manager, must_read=True)
    first = list(_notices().values_list("user_id", flat=True))
    assert len(first) == 3
    assert tasks.send_library_notices.delay(document.current_version_id).get() == 0
    assert tasks.send_library_notices(document.current_version_id) == 0
    assert sorted(_notices().values_list("user_id", flat=True)) == sorted(first)
    # A new version is news again, once.
    with django_capture_on_commit_callbacks(execute=True):
        version = services.document_version_add(
            document=document, checked=checked("std.pdf", make_pdf("std v2")), by=network.manager
        )
    assert tasks.send_library_notices(version.pk) == 0
    again = _notices("New version of")
    assert again.count() == 3
    assert again.filter(body="Please read it and confirm.").count() == 3


def test_the_job_ignores_unit_documents_and_missing_versions(network):
    from tests.franchise.test_documents import create_document

    document = create_document(network.unit, network.owner)
    assert tasks.send_library_notices(document.current_version_id) == 0
    assert tasks.send_library_notices(999999) == 0


def _add_units(network, count):
    for _ in range(count):
        unit = factories.UnitFactory(region=network.region)
        factories.member_of(unit, Role.OWNER)


def _upload_queries(client, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("documents:library_new"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("audience", ["all", "regions", "units"])
def test_upload_query_count_is_the_same_for_few_and_many_units(
    network, client_for, django_capture_on_commit_callbacks, audience
):
    from franchise.models import Franchisee

    manager = client_for(network.manager)

    def data(title):
        return {
            "title": title,
            "file": upload("std.pdf", make_pdf("std")),
            "tags": "prices, menu",
            "must_read": "on",
            "audience": audience,
            "audience_regions": [network.region.pk, network.other_region.pk],
            "audience_units": " ".join(Franchisee.objects.values_list("code", flat=True)),
        }

    with django_capture_on_commit_callbacks():  # the jobs are not the request's queries
        _upload_queries(manager, data("Warm-up"))
        few = _upload_queries(manager, data("Few"))
        _add_units(network, 30)
        many = _upload_queries(manager, data("Many"))
    assert few == many


def test_the_job_runs_a_fixed_number_of_queries(network, django_capture_on_commit_callbacks):
    def job_queries(title):
        with django_capture_on_commit_callbacks():
            document = _publish(network.manager, title=title)
        with CaptureQueriesContext(connection) as ctx:
            written = tasks.send_library_notices(document.current_version_id)
        return len(ctx.captured_queries), written

    few, written_few = job_queries("Few")
    _add_units(network, 30)
    many, written_many = job_queries("Many")
    assert written_few == 3 and written_many == 33
    assert few == many
