"""Document search at scale: the library and unit folders searched by an owner, a manager and
the network lead, against a bare view in the same run. Prints p95 figures and ratios only.

    .venv/bin/python bench/bench_documents.py                        # 200 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_docs \\
        .venv/bin/python bench/bench_documents.py --units 5000 --documents 50000

Builds the network with `seed_demo --units N` once, then adds synthetic documents (title,
description and file text drawn from the demo documents' own words, in the search index) up
to --documents. "After a write" samples each search right after another unit uploads a
document through the document service, so nothing cached survives that a write should refresh.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, setup  # noqa: E402

#: Words the synthetic documents are made of, so the queries below hit a realistic share.
WORDS = (
    "договор аренды поставки мука сахар масло акт сверки счёт оплата стандарт кухня "
    "санитарный журнал температура холодильник смена кассир инструкция обучение персонал "
    "маркетинг акция меню рецепт калькуляция себестоимость отчёт выручка inventory "
    "supplier delivery invoice royalty agreement training hygiene checklist"
).split()


def _extra(parser):
    parser.add_argument("--documents", type=int, default=5000, help="documents in all")
    parser.add_argument("--samples", type=int, default=20, help="requests per search")


def _grow_documents(target: int) -> None:
    from django.utils import timezone
    from wagtail.search.backends import get_search_backend

    from franchise.models import Document, DocumentFolder, DocumentVersion, Franchisee

    have = Document.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    rng = random.Random(7)
    units = list(Franchisee.objects.values_list("pk", flat=True))
    template = DocumentVersion.objects.exclude(file="").first()
    now = timezone.now()
    backend = get_search_backend()
    for start in range(have, target, 5000):
        batch = []
        for i in range(start, min(start + 5000, target)):
            title = " ".join(rng.choices(WORDS, k=4)).capitalize() + f" №{i}"
            text = " ".join(rng.choices(WORDS, k=120))
            library = i % 10 == 0
            batch.append(
                Document(
                    unit_id=None if library else units[i % len(units)],
                    folder=DocumentFolder.LIBRARY if library else DocumentFolder.INBOX,
                    title=title,
                    description=" ".join(rng.choices(WORDS, k=12)),
                    created_at=now - timedelta(days=i % 700),
                    updated_at=now - timedelta(days=i % 700),
                    search_text=f"{title} {text}".lower(),
                )
            )
        documents = Document.objects.bulk_create(batch, batch_size=2000)
        versions = DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(
                    document=d,
                    number=1,
                    file=template.file.name,
                    original_name="bench.pdf",
                    size=template.size,
                    content_type=template.content_type,
                    sha256=template.sha256,
                    uploaded_at=d.created_at,
                    text=d.search_text,
                    text_status=DocumentVersion.TextStatus.DONE,
                )
                for d in documents
            ],
            batch_size=2000,
        )
        for document, version in zip(documents, versions, strict=True):
            Document.objects.filter(pk=document.pk).update(current_version=version)
            document.current_version = version
        backend.add_bulk(Document, documents)
    print(f"added {target - have} documents: {time.perf_counter() - started:.1f} s", flush=True)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)


def main() -> None:
    args = arguments(__doc__, units=200, extra=_extra)
    setup("documents", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from franchise.documents import services
    from franchise.documents.validation import check_upload
    from franchise.models import Document, DocumentFolder, Franchisee, Membership, Role

    ensure_network(args.units)
    _grow_documents(args.documents)
    users = get_user_model().objects
    owner = Membership.objects.filter(role=Role.OWNER, user__username="owner").first()
    writer = Membership.objects.filter(role=Role.OWNER).exclude(unit=owner.unit).first()
    print(
        f"network: {Franchisee.objects.count()} units, {Document.objects.count()} documents; "
        f"database: {database_label()}"
    )
    clients = {}
    for name, user in (
        ("owner", owner.user),
        ("manager", users.get(username="manager")),
        ("lead", users.get(username="lead")),
    ):
        clients[name] = Client(HTTP_HOST="localhost")
        clients[name].force_login(user)
    written = [0]

    def upload_elsewhere():
        written[0] += 1
        upload = SimpleUploadedFile(
            "note.txt", f"договор поставки {written[0]}".encode(), content_type="text/plain"
        )
        services.document_create(
            unit=writer.unit,
            folder=DocumentFolder.UPLOADS,
            title=f"Договор поставки {written[0]}",
            checked=check_upload(upload),
            by=writer.user,
            notify=False,
        )

    def page(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101

        return run

    steps = [("bare view", page(clients["owner"], "/bench/bare"))]
    for who in ("owner", "manager", "lead"):
        for label, query in (
            ("two common words", "договор поставки"),
            ("a rare word", "калькуляция себестоимость"),
            ("misspelt", "дагавор"),
            ("part of a word", "холодил"),
        ):
            url = f"/documents/search/?q={query}"
            steps.append((f"{who}: {label}", page(clients[who], url)))
    for _label, fn in steps:
        fn()
    bare = None
    print(f"{'search':34} {'p95 warm':>10} {'p95 after a write':>18} {'× bare':>8}")
    for label, fn in steps:
        warm, after = [], []
        for _ in range(args.samples):
            started = time.perf_counter()
            fn()
            warm.append(time.perf_counter() - started)
            upload_elsewhere()
            started = time.perf_counter()
            fn()
            after.append(time.perf_counter() - started)
        w, a = p95(warm) * 1000, p95(after) * 1000
        bare = bare or w
        print(f"{label:34} {w:8.1f} ms {a:15.1f} ms {a / bare:8.1f}", flush=True)


if __name__ == "__main__":
    main()
