"""Bank statement import: the 1C exchange format in both encodings, CSV and XLSX, every bad
line named, nothing half-imported, the same file twice adds nothing."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from finance import payments as P
from finance.bank_files import StatementFileError, read_statement
from finance.models import Balance, BankStatement, Entry, Payment

pytestmark = pytest.mark.django_db

OURS = "7701234567"
UNIT_INN = "7700000019"
OTHER_INN = "7700000027"
DAY = date.today() - timedelta(days=3)


def doc(number, amount, payer_inn, purpose="Оплата роялти", *, to=OURS, day=None, extra=()):
    day = (day or DAY).strftime("%d.%m.%Y")
    return [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        "ПлательщикСчет=40702810000000000001",
        f"Плательщик=ИНН {payer_inn} ООО 'Плательщик'",
        f"ПлательщикИНН={payer_inn}",
        "Плательщик1=ООО 'Плательщик'",
        "ПолучательСчет=40702810938000012345",
        f"ПолучательИНН={to}",
        "Получатель1=ООО 'Хлебный путь'",
        f"ДатаПоступило={day}",
        *extra,
        f"НазначениеПлатежа={purpose}",
        "КонецДокумента",
    ]


def one_c(*docs, encoding="cp1251", declared=None, end=True) -> bytes:
    declared = declared or {"cp1251": "Windows", "cp866": "DOS", "utf-8": "Windows"}[encoding]
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        f"Кодировка={declared}",
        "Отправитель=Бухгалтерия предприятия",
        "Получатель=",
        f"ДатаСоздания={DAY:%d.%m.%Y}",
        "СекцияРасчСчет",
        "РасчСчет=40702810938000012345",
        "КонецРасчСчет",
    ]
    for d in docs:
        lines += d
    if end:
        lines.append("КонецФайла")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def units(network):
    from .conftest import make_agreement

    network.unit.inn = UNIT_INN
    network.unit.save()
    network.other_unit.inn = OTHER_INN
    network.other_unit.save()
    make_agreement(network.unit)
    return network


def balance(unit) -> Decimal:
    return Balance.objects.filter(unit=unit).values_list("amount", flat=True).first() or Decimal(0)


def run(data, name="statement.txt", user=None):
    with translation.override("en"):
        return P.statement_import(name=name, data=data, user=user)


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8", "cp866"])
def test_1c_file_in_each_encoding_is_read_and_matched_by_inn(units, encoding):
    data = one_c(doc("101", "12500.50", UNIT_INN), doc("102", "300", OTHER_INN), encoding=encoding)
    preview, statement = run(data)
    assert not preview.errors
    assert statement is not None and statement.file_format == "1c"
    rows = {p.number: p for p in Payment.objects.all()}
    assert rows["101"].unit == units.unit and rows["101"].amount == Decimal("12500.50")
    assert rows["101"].payer_name == "ООО 'Плательщик'"
    assert rows["101"].purpose == "Оплата роялти"
    assert rows["101"].statement == statement and rows["101"].line == 10
    assert rows["102"].unit == units.other_unit
    assert balance(units.unit) == Decimal("-12500.50")
    assert Entry.objects.filter(unit=units.unit, kind="payment").count() == 1


def test_the_same_file_twice_adds_nothing(units):
    data = one_c(doc("101", "1000", UNIT_INN))
    run(data)
    preview, statement = run(data)
    assert statement is None and preview.already_imported is not None
    assert Payment.objects.count() == 1 and balance(units.unit) == Decimal("-1000.00")


def test_a_payment_in_two_statements_is_recorded_once(units):
    run(one_c(doc("101", "1000", UNIT_INN)))
    preview, statement = run(one_c(doc("101", "1000", UNIT_INN), doc("102", "5", UNIT_INN)))
    assert statement is not None
    assert preview.recorded == [10] and [p.number for p in preview.planned] == ["102"]
    assert Payment.objects.count() == 2 and balance(units.unit) == Decimal("-1005.00")


def test_bad_lines_are_named_and_nothing_is_written(units):
    data = one_c(
        doc("101", "1000", UNIT_INN),
        doc("102", "12,5,0", UNIT_INN),
        doc("103", "-50.00", UNIT_INN),
        doc("104", "99999999999.00", UNIT_INN),
        doc("105", "10", "12ab"),
        doc("106", "10", UNIT_INN, day=date.today() + timedelta(days=30)),
    )
    preview, statement = run(data)
    assert statement is None
    text = "\n".join(message for _line, message in preview.errors)
    assert "line 27: amount “12,5,0” is not a number" in text
    assert "line 41: amount -50.00 is negative" in text
    assert "line 55: amount 99,999,999,999.00\u00a0₽ is implausibly large" in text
    assert "line 72: the payer's INN “12ab” is not an INN" in text
    assert "is in the future" in text
    assert Payment.objects.count() == 0 and BankStatement.objects.count() == 0
    assert balance(units.unit) == 0


def test_a_duplicate_line_names_the_first(units):
    preview, statement = run(one_c(doc("101", "10", UNIT_INN), doc("101", "10", UNIT_INN)))
    assert statement is None
    assert preview.errors == [
        (
            24,
            "line 24: the same payment as on line 10 (date, number, amount, payer, purpose)",
        )
    ]


def test_unknown_inn_is_named_and_waits_in_the_queue(units):
    preview, statement = run(one_c(doc("101", "10", "7799999999"), doc("102", "20", UNIT_INN)))
    assert preview.warnings == [
        (10, "no unit has INN 7799999999: the payment will wait in the queue")
    ]
    assert statement is not None
    waiting = Payment.objects.get(number="101")
    assert waiting.unit is None and not Entry.objects.filter(payment=waiting).exists()


def test_unknown_inn_with_a_bad_line_imports_nothing(units):
    preview, statement = run(one_c(doc("101", "10", "7799999999"), doc("102", "x", UNIT_INN)))
    assert statement is None and preview.warnings and preview.errors
    assert Payment.objects.count() == 0


def test_outgoing_and_foreign_payments_are_not_counted(units):
    data = one_c(
        doc("101", "10", UNIT_INN),
        doc("900", "777", OURS, to=UNIT_INN),  # our own payment to the unit
        doc("901", "888", UNIT_INN, to="7700000035"),  # to someone else
    )
    preview, statement = run(data)
    assert statement is not None and len(preview.foreign) == 2
    assert list(Payment.objects.values_list("number", flat=True)) == ["101"]


def test_invoice_number_in_the_purpose_links_the_invoice(units):
    from tests.services import url_matrix  # noqa: F401 - loads the app matrices in order
    from tests.services.matrix_orders import make_order

    invoice = make_order(units)["invoiced"].invoice
    data = one_c(
        doc("101", "20", UNIT_INN, f"Оплата по счету № {invoice.number} от 01.02.2026"),
        doc("102", "20", "7799999999", f"Оплата за ООО, счёт {invoice.number}"),
    )
    preview, _ = run(data)
    assert not preview.errors
    by_inn, by_invoice = Payment.objects.get(number="101"), Payment.objects.get(number="102")
    assert by_inn.invoice == invoice and by_inn.unit == units.unit
    assert by_invoice.invoice == invoice and by_invoice.unit == units.unit


def test_several_units_with_one_inn_wait_in_the_queue(units):
    units.other_unit.inn = UNIT_INN
    units.other_unit.save()
    preview, _ = run(one_c(doc("101", "10", UNIT_INN)))
    assert "belongs to several units" in preview.warnings[0][1]
    assert Payment.objects.get().unit is None


def test_wrong_encoding_names_the_header_line(units):
    text = one_c(doc("101", "10", UNIT_INN), encoding="cp866", declared="Windows")
    with translation.override("en"), pytest.raises(StatementFileError, match="Line 3:"):
        read_statement("x.txt", text)
    data = one_c(doc("101", "10", UNIT_INN), encoding="cp1251", declared="DOS")
    with translation.override("en"), pytest.raises(StatementFileError, match="Line 3:"):
        read_statement("x.txt", data)


def test_broken_layout_is_named(units):
    broken = doc("101", "10", UNIT_INN)[:-1]  # no КонецДокумента
    preview, statement = run(one_c(broken, doc("102", "10", UNIT_INN), end=False))
    assert statement is None
    text = "\n".join(m for _l, m in preview.errors)
    assert "line 10: The document has no КонецДокумента: a new one starts on line 23." in text
    assert "The file ends without КонецФайла" in text
    assert Payment.objects.count() == 0


def test_not_a_statement_and_binary_are_refused(units):
    with translation.override("en"), pytest.raises(StatementFileError, match="not a bank"):
        read_statement("photo.jpg", b"\xff\xd8\xff\xe0 JFIF")
    with translation.override("en"), pytest.raises(StatementFileError, match="binary"):
        read_statement("x.txt", b"1CClientBankExchange\r\n\x00\x00")


def test_no_franchisor_inn_refuses_a_1c_file(network):
    preview, statement = run(one_c(doc("101", "10", UNIT_INN)))
    assert statement is None and "franchisor's INN is not set" in preview.errors[0][1]


def test_csv_in_windows_1251_with_russian_headers(units):
    text = (
        "Дата;Сумма;ИНН плательщика;Назначение платежа\r\n"
        f"{DAY:%d.%m.%Y};1 250,50;{UNIT_INN};Роялти за январь\r\n"
        f"{DAY:%d.%m.%Y};12,5,0;{UNIT_INN};Ошибка\r\n"
    )
    preview, statement = run(text.encode("cp1251"), name="bank.csv")
    assert statement is None
    assert preview.errors == [(3, "line 3: amount “12,5,0” is not a number")]
    fixed = text.replace("12,5,0", "300")
    preview, statement = run(fixed.encode("cp1251"), name="bank.csv")
    assert statement is not None and preview.encoding == "cp1251"
    assert balance(units.unit) == Decimal("-1550.50")


def test_csv_without_the_columns_is_refused(units):
    with translation.override("en"), pytest.raises(StatementFileError, match="No header row"):
        read_statement("bank.csv", b"a,b,c\n1,2,3\n")


def test_xlsx_with_numeric_cells(units):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "amount", "payer INN", "purpose", "number"])
    sheet.append([DAY, 1250.5, int(UNIT_INN), "Royalty", "77"])
    sheet.append([DAY, 10, 274000006, "leading zero lost", "78"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview, statement = run(buffer.getvalue(), name="bank.xlsx")
    assert not preview.errors and statement is not None
    assert Payment.objects.get(number="77").amount == Decimal("1250.50")
    assert Payment.objects.get(number="78").payer_inn == "0274000006"


def test_manual_entry_is_matched_and_refuses_a_double(units):
    payment = P.payment_enter(
        paid_on=DAY, amount=Decimal("500"), payer_inn=UNIT_INN, purpose="Роялти", user=None
    )
    assert payment.unit == units.unit and balance(units.unit) == Decimal("-500.00")
    with pytest.raises(ValidationError):
        P.payment_enter(
            paid_on=DAY, amount=Decimal("500"), payer_inn=UNIT_INN, purpose="Роялти", user=None
        )
    with pytest.raises(ValidationError):
        P.payment_enter(paid_on=DAY, amount=Decimal("-1"), payer_inn=UNIT_INN, user=None)
    with pytest.raises(ValidationError):
        P.payment_enter(paid_on=DAY, amount=Decimal("1e12"), payer_inn=UNIT_INN, user=None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1250.50", Decimal("1250.50")),
        ("1 250,5", Decimal("1250.50")),
        ("1\u00a0250,50 ₽", Decimal("1250.50")),
        ("12,5,0", None),
        ("1.005", None),
        ("NaN", None),
        ("1e5", None),
        ("", None),
    ],
)
def test_parse_amount(text, value):
    assert P.parse_amount(text) == value


def test_utf8_file_is_read_whatever_its_header_says(units):
    data = one_c(doc("101", "10", UNIT_INN), encoding="utf-8", declared="DOS")
    assert read_statement("x.txt", data).encoding == "UTF-8"
    without = data.replace("Кодировка=DOS\r\n".encode(), b"")
    parsed = read_statement("x.txt", without)
    assert parsed.rows[0].purpose == "Оплата роялти" and not parsed.errors


def test_imported_payments_are_announced_like_recorded_ones(
    units, django_capture_on_commit_callbacks
):
    """A statement import announces its payments, matched or not, in one `payments_recorded`
    (webhooks, like a payment entered by hand)."""
    from finance.signals import payments_recorded

    seen = []

    def receiver(sender, *, payments, **kwargs):
        seen.append(len(payments))
        seen.extend((p.number, p.unit_id) for p in payments)

    payments_recorded.connect(receiver)
    try:
        run(one_c(doc("201", "100", UNIT_INN), doc("202", "50", "7799999999")))
    finally:
        payments_recorded.disconnect(receiver)
    assert seen[0] == 2 and sorted(seen[1:]) == [("201", units.unit.pk), ("202", None)]


def _import_queries(units, count: int, start: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = one_c(*[doc(str(start + i), "10", UNIT_INN) for i in range(count)])
    with CaptureQueriesContext(connection) as queries:
        preview, statement = run(data)
    assert statement is not None and len(preview.planned) == count
    return len(queries)


def test_an_import_looks_up_webhook_subscriptions_once(units, django_capture_on_commit_callbacks):
    """The payment webhook of a statement import: one delivery per payment, written in the
    import's transaction by a fixed number of queries (not one lookup per line)."""
    from integration.models import WebhookDelivery, WebhookSubscription

    WebhookSubscription.objects.create(
        name="ERP", url="http://127.0.0.1:9/hook", events=["payment.recorded"]
    )
    with django_capture_on_commit_callbacks(execute=False):
        _import_queries(units, 1, 900)  # the first import creates the unit's balance row
        few = _import_queries(units, 2, 100)
        many = _import_queries(units, 40, 300)
    assert few == many
    assert WebhookDelivery.objects.filter(event="payment.recorded").count() == 43
    numbers = {d.payload["data"]["payment"]["number"] for d in WebhookDelivery.objects.all()}
    assert {"100", "101", "300", "339"} <= numbers
