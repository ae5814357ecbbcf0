"""Catalogue, prices, stock, carts, orders, shipments and invoices.

Every row a unit owns (cart, order, invoice) has a foreign key to `franchise.Franchisee` and
is read through `franchise/access.py`. Rows the 1C exchange syncs carry `external_id` (1C's
Ид) and an indexed `updated_at` so the integration lists them by "updated since".
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string
from wagtail.search import index

from franchise.models import Document, Franchisee, Region

MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 3}


def _external_id():
    return models.CharField(
        _("1C id"), max_length=64, unique=True, null=True, blank=True, editable=True
    )


def _updated_at():
    return models.DateTimeField(_("updated"), auto_now=True, db_index=True)


class Localised:
    """`name` in the current language (Russian when it is active and filled in)."""

    def _localised(self, field: str) -> str:
        if (get_language() or "").startswith("ru"):
            return getattr(self, f"{field}_ru") or getattr(self, f"{field}_en")
        return getattr(self, f"{field}_en") or getattr(self, f"{field}_ru")

    @property
    def name(self) -> str:
        return self._localised("name")


class Category(Localised, models.Model):
    """A node of the catalogue tree (parent empty for a top-level category)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    external_id = _external_id()
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["sort_order", "name_en", "pk"]

    def __str__(self):
        return self.name


class UnitOfMeasure(models.TextChoices):
    PIECE = "pcs", _("pcs")
    PACK = "pack", _("pack")
    KILOGRAM = "kg", _("kg")
    LITRE = "l", _("l")
    METRE = "m", _("m")


#: Units counted in whole numbers: a fractional quantity of these is refused.
PIECE_UNITS = frozenset({UnitOfMeasure.PIECE, UnitOfMeasure.PACK})


class Product(Localised, index.Indexed, models.Model):
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    unit_of_measure = models.CharField(
        _("unit of measure"),
        max_length=8,
        choices=UnitOfMeasure.choices,
        default=UnitOfMeasure.PIECE,
    )
    pack_size = models.DecimalField(
        _("pack size"),
        **QUANTITY,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("Quantities are ordered in multiples of this."),
    )
    min_qty = models.DecimalField(
        _("minimum order quantity"),
        **QUANTITY,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    vat_rate = models.DecimalField(
        _("VAT rate, %"), max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    external_id = _external_id()
    updated_at = _updated_at()
    #: PostgreSQL only: the SKU and names (weight A) and descriptions (D) as one `tsvector`
    #: in the "russian" configuration, which stems Cyrillic words with the Russian and Latin
    #: words with the English Snowball stemmer. A trigger writes it on every insert and update
    #: (bulk writes of the importer included) and a GIN index serves the catalogue search
    #: (migration 0003). On SQLite it stays empty: the search backend's index is used there.
    search_vector = SearchVectorField(null=True, editable=False)

    search_fields = [
        index.SearchField("name_ru", boost=3),
        index.SearchField("name_en", boost=3),
        index.SearchField("sku", boost=4),
        index.SearchField("description_ru"),
        index.SearchField("description_en"),
        index.AutocompleteField("name_ru"),
        index.AutocompleteField("name_en"),
        index.FilterField("is_active"),
        index.FilterField("category_id"),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name_en", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pack_size__gt=0) & Q(min_qty__gt=0), name="product_positive_pack_min"
            )
        ]

    def __str__(self):
        return f"{self.sku} {self.name}"

    @property
    def description(self) -> str:
        return self._localised("description")

    @property
    def is_piece_goods(self) -> bool:
        return self.unit_of_measure in PIECE_UNITS


class PriceList(models.Model):
    """A set of prices: the base list, or one for regions or chosen units, valid for dates.

    Which list's price a unit pays is decided in one place: `orders.pricing.prices_for`.
    """

    name = models.CharField(_("name"), max_length=200)
    is_base = models.BooleanField(
        _("base price list"),
        default=False,
        help_text=_("Prices for every unit that no regional or unit price list covers."),
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="price_lists"
    )
    units = models.ManyToManyField(
        Franchisee, verbose_name=_("units"), blank=True, related_name="price_lists"
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-is_base", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="pricelist_valid_range",
            )
        ]

    def __str__(self):
        return self.name


class PriceListItem(models.Model):
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="prices"
    )
    price = models.DecimalField(
        _("price"), **MONEY, validators=[MinValueValidator(Decimal("0.00"))]
    )
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="pricelistitem_unique_product"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricelistitem_price_gte_0"),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.price}"


class Warehouse(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions served"),
        blank=True,
        related_name="warehouses",
        help_text=_("Orders of units in these regions are reserved here; empty: any region."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    external_id = _external_id()
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["sort_order", "name", "pk"]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """On hand and reserved quantities of one product in one warehouse.

    Reservations change `reserved` by conditional UPDATEs (orders.stock), and the database
    refuses any row with reserved above on hand or below zero.
    """

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="stock"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock"
    )
    on_hand = models.DecimalField(_("on hand"), **QUANTITY, default=Decimal("0"))
    reserved = models.DecimalField(_("reserved"), **QUANTITY, default=Decimal("0"))
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "product"], name="stock_unique_product"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=F("reserved")), name="stock_on_hand_gte_reserved"
            ),
        ]

    def __str__(self):
        return f"{self.warehouse_id}/{self.product_id}: {self.on_hand} ({self.reserved})"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class DeliverySchedule(models.Model):
    """The weekdays on which the franchisor delivers to a unit, and the lead time."""

    unit = models.OneToOneField(
        Franchisee,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="delivery_schedule",
    )
    weekdays = models.CharField(
        _("delivery weekdays"),
        max_length=20,
        default="1,4",
        help_text=_("ISO weekday numbers separated by commas (1 = Monday)."),
    )
    lead_days = models.PositiveSmallIntegerField(_("lead time, days"), default=2)
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("delivery schedule")
        verbose_name_plural = _("delivery schedules")

    def __str__(self):
        return f"{self.unit_id}: {self.weekdays}"


class Cart(models.Model):
    """The unit's cart: one per unit, shared by its people, kept on the server."""

    unit = models.OneToOneField(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="cart"
    )
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return f"cart {self.unit_id}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    #: The price the unit saw when the line was added: a different price at submit is shown.
    price_seen = models.DecimalField(_("price seen"), **MONEY, null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = _updated_at()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartline_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cartline_quantity_gt_0"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class UsualOrderLine(models.Model):
    """One line of the unit's saved usual order (filled into the cart in one click)."""

    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="usual_order"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    updated_at = _updated_at()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "product"], name="usualorder_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="usualorder_quantity_gt_0"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    PARTIALLY_SHIPPED = "part_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


#: Statuses in which an order still waits for something (the dashboard's "open orders").
OPEN_STATUSES = (
    OrderStatus.SUBMITTED,
    OrderStatus.CONFIRMED,
    OrderStatus.INVOICED,
    OrderStatus.PAID,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
)


class OrderSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    REPEAT = "repeat", _("Repeat order")
    USUAL = "usual", _("Usual order")
    ONE_C = "1c", _("1C")


class Order(models.Model):
    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="orders"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        db_index=True,
    )
    source = models.CharField(
        _("source"), max_length=8, choices=OrderSource.choices, default=OrderSource.PORTAL
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"))
    vat_total = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0.00"))
    #: A token of the submit form: the same form posted twice makes one order.
    idempotency_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    external_id = _external_id()
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="order_unit_created"),
            models.Index(fields=["status", "submitted_at", "id"], name="order_queue"),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """A line of an order: price and VAT copied from the server at submit, rounded once."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity_ordered = models.DecimalField(_("ordered"), **QUANTITY)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    quantity_shipped = models.DecimalField(_("shipped"), **QUANTITY, default=Decimal("0"))
    price = models.DecimalField(_("price"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2)
    line_total = models.DecimalField(_("amount"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="orderline_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="orderline_quantity_gte_0"),
            models.CheckConstraint(
                condition=Q(quantity_shipped__gte=0) & Q(quantity_shipped__lte=F("quantity")),
                name="orderline_shipped_range",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class OrderEvent(models.Model):
    """One status change of an order: the timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"], name="orderevent_order_at")]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(_("shipped"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = _updated_at()

    class Meta:
        ordering = ["shipped_at", "pk"]

    def __str__(self):
        return f"shipment {self.pk} of {self.order_id}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipped")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentline_quantity_gt_0")
        ]

    def __str__(self):
        return f"{self.order_line_id} × {self.quantity}"


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    total = models.DecimalField(_("total"), **MONEY)
    vat_total = models.DecimalField(_("VAT"), **MONEY)
    #: The PDF, filed in the unit's documents ("Invoices and acts").
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = _updated_at()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return self.number


class DefaultSiteSetting(BaseSiteSetting):
    """A site setting read outside a request (tasks, services): the default site's."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        return cls.for_site(site) if site else cls()


class AvailabilityDisplay(models.TextChoices):
    FIGURE = "figure", _("Quantity available")
    BAND = "band", _("Band (in stock, few left, out of stock)")


@register_setting(icon="form")
class OrderSettings(DefaultSiteSetting):
    """How units see stock and how long the franchisor has to confirm an order."""

    availability_display = models.CharField(
        _("availability shown as"),
        max_length=8,
        choices=AvailabilityDisplay.choices,
        default=AvailabilityDisplay.BAND,
    )
    few_left_threshold = models.DecimalField(
        _("'few left' below"), **QUANTITY, default=Decimal("10")
    )
    confirmation_hours = models.PositiveSmallIntegerField(
        _("confirmation deadline, hours"), default=24
    )
    payment_days = models.PositiveSmallIntegerField(_("invoice due in, days"), default=5)

    panels = [
        FieldPanel("availability_display"),
        FieldPanel("few_left_threshold"),
        FieldPanel("confirmation_hours"),
        FieldPanel("payment_days"),
    ]

    class Meta:
        verbose_name = _("order settings")


@register_setting(icon="doc-full")
class FranchisorDetails(DefaultSiteSetting):
    """The franchisor's legal details printed on invoices."""

    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    bank = models.CharField(_("bank"), max_length=255, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True)
    account = models.CharField(_("account"), max_length=20, blank=True)
    correspondent_account = models.CharField(_("correspondent account"), max_length=20, blank=True)
    director = models.CharField(_("director"), max_length=200, blank=True)
    chief_accountant = models.CharField(_("chief accountant"), max_length=200, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("legal_name"),
                FieldPanel("inn"),
                FieldPanel("kpp"),
                FieldPanel("ogrn"),
                FieldPanel("address"),
            ],
            heading=_("Company"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("bank"),
                FieldPanel("bik"),
                FieldPanel("account"),
                FieldPanel("correspondent_account"),
            ],
            heading=_("Bank"),
        ),
        FieldPanel("director"),
        FieldPanel("chief_accountant"),
    ]

    class Meta:
        verbose_name = _("franchisor's legal details")
