"""The CommerceML 2 exchange: catalogue and offers in (twice: nothing changes), orders out."""

import base64
from pathlib import Path

import pytest
from django.test import Client

from integration import services
from orders.models import PriceListItem, Product, Stock

DATA = Path(__file__).parent / "data"


@pytest.fixture
def one_c(network, settings):
    key, raw = services.key_issue_for_network(name="1C", scopes=["exchange:write"])
    client = Client()
    auth = base64.b64encode(f"1c:{raw}".encode()).decode()
    lines = (
        client.get(
            "/exchange/1c/",
            {"type": "catalog", "mode": "checkauth"},
            HTTP_AUTHORIZATION=f"Basic {auth}",
        )
        .content.decode()
        .split("\n")
    )
    assert lines[0] == "success"
    client.cookies[lines[1]] = lines[2]
    return client


def _send(client, name, captured):
    body = (DATA / name).read_bytes()
    url = f"/exchange/1c/?type=catalog&mode=file&filename={name}"
    assert client.post(url, body, content_type="application/octet-stream").content == b"success"
    poll = {"type": "catalog", "mode": "import", "filename": name}
    with captured(execute=True):
        first = client.get("/exchange/1c/", poll)  # the job is queued when the request commits
    assert first.content.startswith(b"progress") or first.content.startswith(b"failure")
    return client.get("/exchange/1c/", poll)  # 1C polls until success or failure


@pytest.mark.django_db
def test_catalogue_and_offers_import_is_idempotent(one_c, django_capture_on_commit_callbacks):
    assert one_c.get("/exchange/1c/", {"type": "catalog", "mode": "init"}).content.startswith(
        b"zip=yes\nfile_limit="
    )
    assert _send(one_c, "import.xml", django_capture_on_commit_callbacks).content == b"success"
    loaf = Product.objects.get(external_id="a1b2c3d4-0001")
    assert (loaf.sku, loaf.name_ru, loaf.vat_rate) == ("BR-001", "Батон нарезной 400 г", 10)
    assert loaf.category.parent.name_ru == "Хлебобулочные изделия"
    assert Product.objects.get(sku="PK-100").is_active is False
    assert _send(one_c, "offers.xml", django_capture_on_commit_callbacks).content == b"success"
    assert str(PriceListItem.objects.get(product=loaf).price) == "45.50"
    assert str(Stock.objects.get(product__sku="FL-025").on_hand) == "500.500"
    before = {p.pk: p.updated_at for p in Product.objects.all()}
    stamps = list(PriceListItem.objects.values_list("updated_at", flat=True))
    from integration.models import ExchangeJob

    ExchangeJob.objects.all().delete()  # the same files again, as a new exchange would send them
    one_c.get("/exchange/1c/", {"type": "catalog", "mode": "init"})
    assert _send(one_c, "import.xml", django_capture_on_commit_callbacks).status_code == 200
    assert {p.pk: p.updated_at for p in Product.objects.all()} == before
    assert list(PriceListItem.objects.values_list("updated_at", flat=True)) == stamps


@pytest.mark.django_db
def test_bad_and_hostile_packages_fail_and_write_nothing(one_c, django_capture_on_commit_callbacks):
    bomb = _send(one_c, "bomb.xml", django_capture_on_commit_callbacks)
    assert bomb.content.startswith(b"failure") and bomb.status_code == 400
    assert not Product.objects.exists()
    _send(one_c, "import.xml", django_capture_on_commit_callbacks)
    bad = _send(one_c, "offers_bad.xml", django_capture_on_commit_callbacks)
    assert bad.content.startswith(b"failure") and "дорого" in bad.content.decode()
    assert not PriceListItem.objects.exists()  # the good line was not written either


@pytest.mark.django_db
def test_without_checkauth_or_with_a_unit_key_refused(network):
    assert Client().get("/exchange/1c/", {"type": "catalog", "mode": "init"}).status_code == 401
    _key, raw = services.key_issue_for_unit(unit=network.unit, name="x", scopes=["exchange:write"])
    auth = base64.b64encode(f"1c:{raw}".encode()).decode()
    response = Client().get(
        "/exchange/1c/",
        {"type": "catalog", "mode": "checkauth"},
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_sale_query_exports_new_orders_once(one_c, shop):
    xml = one_c.get("/exchange/1c/", {"type": "sale", "mode": "query"}).content.decode()
    assert "<Номер>Z-0001</Номер>" in xml and "<ИНН" in xml
    assert one_c.get("/exchange/1c/", {"type": "sale", "mode": "success"}).content == b"success"
    again = one_c.get("/exchange/1c/", {"type": "sale", "mode": "query"}).content.decode()
    assert "Z-0001" not in again


@pytest.mark.django_db
def test_a_changed_package_updates_only_what_changed(network, tmp_path):
    from decimal import Decimal

    from integration.exchange import importer

    importer.catalogue_import(DATA / "import.xml")
    importer.offers_import(DATA / "offers.xml")
    loaf = Product.objects.get(external_id="a1b2c3d4-0001")
    flour = Product.objects.get(external_id="a1b2c3d4-0002")
    flour_stamp = flour.updated_at
    catalogue = (DATA / "import.xml").read_text(encoding="utf-8")
    (tmp_path / "import.xml").write_text(
        catalogue.replace("Батон нарезной 400 г", "Батон нарезной 380 г"), encoding="utf-8"
    )
    counts = importer.catalogue_import(tmp_path / "import.xml")
    assert counts["products"] == {"created": 0, "updated": 1}
    loaf.refresh_from_db()
    flour.refresh_from_db()
    assert loaf.name_ru == "Батон нарезной 380 г" and loaf.sku == "BR-001"
    assert flour.updated_at == flour_stamp
    offers = (DATA / "offers.xml").read_text(encoding="utf-8")
    changed = offers.replace("<ЦенаЗаЕдиницу>45.50<", "<ЦенаЗаЕдиницу>47.00<").replace(
        'КоличествоНаСкладе="120"', 'КоличествоНаСкладе="90"'
    )
    (tmp_path / "offers.xml").write_text(changed, encoding="utf-8")
    counts = importer.offers_import(tmp_path / "offers.xml")
    assert counts == {
        "prices": {"created": 0, "updated": 1},
        "stock": {"created": 0, "updated": 1},
    }
    assert PriceListItem.objects.get(product=loaf).price == Decimal("47.00")
    assert Stock.objects.get(product=loaf).on_hand == 90
    # 1C's on hand below what the portal holds reserved: refused, nothing written.
    Stock.objects.filter(product=loaf).update(reserved=50)
    (tmp_path / "offers.xml").write_text(
        changed.replace('КоличествоНаСкладе="90"', 'КоличествоНаСкладе="10"'), encoding="utf-8"
    )
    with pytest.raises(importer.PackageInvalid, match="below the 50"):
        importer.offers_import(tmp_path / "offers.xml")
    assert Stock.objects.get(product=loaf).on_hand == 90
