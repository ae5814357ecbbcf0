"""A news item published for the first time tells its audience, once, after commit."""

from franchise.models import Notification
from news.models import NewsPage
from news.services import news_announce
from tests import factories
from tests.news.helpers import make_news


def _publish(page):
    page.save_revision().publish()


def test_first_publication_notifies_the_audience_after_commit(
    network, django_capture_on_commit_callbacks
):
    page = make_news("Volga audit", regions=[network.region], live=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish(page)
        assert not Notification.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    told = set(Notification.objects.filter(kind="news").values_list("user__username", flat=True))
    assert told == {"owner", "member", "manager"}
    notice = Notification.objects.filter(kind="news").first()
    assert notice.title == "Volga audit" and notice.url == page.url


def test_republishing_tells_nobody_again(network, django_capture_on_commit_callbacks):
    page = make_news("Price list", roles="owner", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(page)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "owner",
        "other_member",
    }
    page = NewsPage.objects.get(pk=page.pk)  # as the editor's next edit loads it
    page.summary = "Corrected"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _publish(page)
    assert callbacks == []
    assert news_announce(page_id=page.pk) == 0  # the task itself is idempotent too
    assert Notification.objects.count() == 2


def test_closed_units_and_drafts_are_not_told(network, django_capture_on_commit_callbacks):
    closed = factories.UnitFactory(region=network.region, status="closed")
    factories.member_of(closed, username="closed_member")
    draft = make_news("Draft", live=False)
    assert news_announce(page_id=draft.pk) == 0
    page = make_news("Everyone", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(page)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert "closed_member" not in told and "lead" not in told and "editor" not in told
    assert {"owner", "member", "manager", "other_member", "other_manager"} <= told
