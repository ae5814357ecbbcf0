"""Wagtail admin screens of the catalogue (franchisor staff) and of orders (scoped)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from franchise.viewsets import NetworkViewSet

from .models import Category, Order, PriceList, PriceListItem, Product, Stock, Warehouse


class CategoryViewSet(ModelViewSet):
    name = "orders_category"
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    form_fields = ["parent", "name_en", "name_ru", "sort_order", "is_active", "external_id"]
    list_display = ["name_en", "name_ru", "parent", "is_active"]
    list_filter = ["is_active", "parent"]
    list_export = ["name_en", "name_ru", "parent", "sort_order", "is_active", "external_id"]
    search_fields = ["name_en", "name_ru"]


class ProductViewSet(ModelViewSet):
    name = "orders_product"
    model = Product
    icon = "tag"
    menu_label = _("Products")
    form_fields = [
        "sku", "name_en", "name_ru", "description_en", "description_ru", "category",
        "unit_of_measure", "pack_size", "min_qty", "vat_rate", "image", "is_active", "external_id",
    ]  # fmt: skip
    list_display = ["sku", "name_ru", "name_en", "category", "unit_of_measure", "is_active"]
    list_filter = ["category", "is_active", "unit_of_measure", "vat_rate"]
    list_export = [
        "sku", "name_en", "name_ru", "category", "unit_of_measure", "pack_size", "min_qty",
        "vat_rate", "is_active", "external_id",
    ]  # fmt: skip
    search_fields = ["sku", "name_en", "name_ru"]
    #: The database's own LIKE search: an SKU such as "FL-1" is not full-text syntax.
    search_backend_name = None
    list_per_page = 50


class PriceListViewSet(ModelViewSet):
    name = "orders_pricelist"
    model = PriceList
    icon = "list-ul"
    menu_label = _("Price lists")
    form_fields = ["name", "is_base", "regions", "units", "valid_from", "valid_to"]
    list_display = ["name", "is_base", "valid_from", "valid_to"]
    list_filter = ["is_base", "regions"]
    list_export = ["name", "is_base", "valid_from", "valid_to"]
    search_fields = ["name"]


class PriceViewSet(ModelViewSet):
    name = "orders_price"
    model = PriceListItem
    icon = "pick"
    menu_label = _("Prices")
    form_fields = ["price_list", "product", "price"]
    list_display = ["product", "price_list", "price", "updated_at"]
    list_filter = ["price_list", "product__category"]
    list_export = ["price_list", "product__sku", "product", "price", "updated_at"]
    search_fields = ["product__sku", "product__name_ru", "product__name_en"]
    list_per_page = 50


class WarehouseViewSet(ModelViewSet):
    name = "orders_warehouse"
    model = Warehouse
    icon = "home"
    menu_label = _("Warehouses")
    form_fields = ["name", "code", "address", "regions", "is_active", "sort_order", "external_id"]
    list_display = ["name", "code", "is_active"]
    list_export = ["name", "code", "address", "is_active", "external_id"]
    search_fields = ["name", "code"]


class StockViewSet(ModelViewSet):
    name = "orders_stock"
    model = Stock
    icon = "table"
    menu_label = _("Stock")
    form_fields = ["warehouse", "product", "on_hand", "reserved", "expected_on"]
    list_display = ["product", "warehouse", "on_hand", "reserved", "expected_on"]
    list_filter = ["warehouse", "product__category"]
    list_export = ["warehouse", "product__sku", "product", "on_hand", "reserved", "expected_on"]
    search_fields = ["product__sku", "product__name_ru", "product__name_en"]
    list_per_page = 50


class OrderViewSet(NetworkViewSet):
    """Orders as a table to filter and export; they are handled on the order desk."""

    name = "orders_order"
    model = Order
    icon = "form"
    menu_label = _("Orders")
    add_to_admin_menu = False
    inspect_view_enabled = True
    form_fields = ["comment"]
    list_display = ["number", "unit", "status", "source", "submitted_at", "total"]
    list_filter = ["status", "source", "unit__region", "submitted_at"]
    list_export = [
        "number", "unit", "status", "source", "submitted_at", "confirmed_at", "delivery_date",
        "delivered_at", "total", "vat_total",
    ]  # fmt: skip
    search_fields = ["number", "unit__code", "unit__trading_name"]
    list_select_related = ("unit",)


class CatalogueViewSetGroup(ViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "tag"
    menu_order = 160
    items = (
        ProductViewSet,
        CategoryViewSet,
        PriceListViewSet,
        PriceViewSet,
        WarehouseViewSet,
        StockViewSet,
        OrderViewSet,
    )


catalogue_viewset_group = CatalogueViewSetGroup()
