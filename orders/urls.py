from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.orders_home, name="home"),
    path("desk/", views.desk, name="desk"),
    path("desk/confirm/", views.desk_confirm, name="desk_confirm"),
    path("figures/", views.figures, name="figures"),
    path("<slug:code>/catalogue/", views.catalogue, name="catalogue"),
    path("<slug:code>/cart/", views.cart, name="cart"),
    path("<slug:code>/cart/add/", views.cart_add, name="cart_add"),
    path("<slug:code>/cart/usual/", views.cart_usual, name="cart_usual"),
    path("<slug:code>/cart/submit/", views.cart_submit, name="cart_submit"),
    path("<slug:code>/", views.unit_orders, name="unit_orders"),
    path("<slug:code>/<slug:number>/", views.order_detail, name="order_detail"),
    path("<slug:code>/<slug:number>/repeat/", views.order_repeat, name="order_repeat"),
    path("<slug:code>/<slug:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("<slug:code>/<slug:number>/received/", views.order_received, name="order_received"),
    path("<slug:code>/<slug:number>/confirm/", views.order_confirm, name="order_confirm"),
    path("<slug:code>/<slug:number>/reject/", views.order_reject, name="order_reject"),
    path("<slug:code>/<slug:number>/paid/", views.order_paid, name="order_paid"),
    path("<slug:code>/<slug:number>/ship/", views.order_ship, name="order_ship"),
    path("<slug:code>/<slug:number>/invoice/", views.order_invoice, name="order_invoice"),
]
