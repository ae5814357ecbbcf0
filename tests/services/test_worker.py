"""A real Celery worker against the local Redis: tasks run once, survive a crash, and are
queued only when the transaction commits.

Each test uses Redis database 13 (TEST_REDIS_URL), flushed before it starts.
"""

import pytest
from django.db import transaction

from .worker_tasks import record
from .workers import start_worker, wait_until

pytestmark = pytest.mark.redis
QUEUE = "celery"  # the default queue: the database number keeps runs apart


@pytest.fixture
def broker(redis_url, redis_client):
    redis_client.flushdb()
    yield redis_url
    redis_client.flushdb()


@pytest.fixture
def worker_log(tmp_path):
    return tmp_path / "worker.log"


@pytest.fixture
def producer(broker):
    """Point this process's Celery app at the broker (the test settings run tasks eagerly)."""
    from portal.celery import app

    def reset_pool():
        from kombu import pools

        pools.reset()  # closes and forgets the pooled connections to the old broker
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    reset_pool()
    app.conf.update(broker_url=broker, task_always_eager=False)
    yield app
    reset_pool()
    app.conf.update(saved)


def _attempts(redis_client, key):
    return [v.decode() for v in redis_client.lrange(f"{key}:attempts", 0, -1)]


def _effects(redis_client, key):
    return int(redis_client.get(f"{key}:effects") or 0)


def test_a_queued_task_runs_exactly_once(producer, broker, redis_client, worker_log, unique):
    worker = start_worker(broker, worker_log)
    try:
        for n in range(3):
            record.delay(unique, f"run-{n}")
        assert wait_until(lambda: _effects(redis_client, unique) == 3), worker.output()[-3000:]
        # Past the visibility timeout (3 s) an unacknowledged task would be handed out again.
        wait_until(lambda: False, timeout=5)
        assert sorted(_attempts(redis_client, unique)) == ["run-0", "run-1", "run-2"]
        assert _effects(redis_client, unique) == 3
        assert redis_client.llen(QUEUE) == 0
        assert redis_client.hlen("unacked") == 0
    finally:
        worker.stop()


def test_a_task_survives_a_worker_crash(producer, broker, redis_client, tmp_path, unique):
    first = start_worker(broker, tmp_path / "first.log")
    try:
        record.delay(unique, "crash", first_attempt_sleep=60)
        assert wait_until(lambda: _attempts(redis_client, unique) == ["crash"]), first.output()
    finally:
        first.kill()  # mid-task, before the acknowledgement (acks_late)
    assert _effects(redis_client, unique) == 0
    assert redis_client.hlen("unacked") == 1  # still owed to someone

    second = start_worker(broker, tmp_path / "second.log")
    try:
        assert wait_until(lambda: _effects(redis_client, unique) == 1, timeout=45), second.output()[
            -3000:
        ]
        assert _attempts(redis_client, unique) == ["crash", "crash"]
        wait_until(lambda: False, timeout=4)
        assert _effects(redis_client, unique) == 1  # the idempotent effect happened once
        assert redis_client.hlen("unacked") == 0
    finally:
        second.stop()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_before_the_transaction_commits(producer, redis_client, unique):
    with transaction.atomic():
        record.delay_on_commit(unique, "committed")
        assert redis_client.llen(QUEUE) == 0
    assert redis_client.llen(QUEUE) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_nothing(producer, redis_client, unique):
    with pytest.raises(RuntimeError), transaction.atomic():
        record.delay_on_commit(unique, "rolled-back")
        raise RuntimeError("rollback")
    assert redis_client.llen(QUEUE) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_an_invitation_after_commit(
    producer, broker, network, tmp_path, redis_client
):
    """The real thing: the service queues franchise.tasks.send_invitation on commit, and a
    worker process reading the same (PostgreSQL test) database mails the link."""
    from django.db import connection

    from franchise import services

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
    database_url += db["NAME"]
    mail_dir = tmp_path / "mail"
    worker = start_worker(
        broker,
        tmp_path / "worker.log",
        TEST_WORKER_DATABASE_URL=database_url,
        TEST_WORKER_MAIL_DIR=str(mail_dir),
    )
    try:
        with transaction.atomic():
            services.invitation_create(
                unit=network.unit, email="new.baker@example.com", by=network.owner
            )
            assert redis_client.llen(QUEUE) == 0
        sent = wait_until(lambda: list(mail_dir.glob("*.log")), timeout=30)
        assert sent, worker.output()[-3000:]
        message = sent[0].read_text()
        assert "To: new.baker@example.com" in message
        assert "/invite/" in message
    finally:
        worker.stop()
    assert len(list(mail_dir.glob("*.log"))) == 1
