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
    *(
        path(
            f"<slug:code>/<slug:number>/{action}/",
            views.order_transition,
            {"action": action},
            name=f"order_{action}",
        )
        for action in views.TRANSITIONS
    ),
    path("<slug:code>/<slug:number>/invoice/", views.order_invoice, name="order_invoice"),
]
