from django.urls import path

from . import payment_views, views

app_name = "finance"

urlpatterns = [
    path("receivables/", views.receivables_page, name="receivables"),
    path("u/<slug:code>/", views.unit_ledger, name="unit_ledger"),
    path("u/<slug:code>/statement.xlsx", views.unit_statement_xlsx, name="unit_statement_xlsx"),
    path("u/<slug:code>/act.pdf", views.unit_act_pdf, name="unit_act_pdf"),
    # Payments (finance staff only)
    path("payments/", payment_views.payments, name="payments"),
    path("payments/new/", payment_views.payment_new, name="payment_new"),
    path("payments/import/", payment_views.payment_import, name="payment_import"),
    path("payments/queue/", payment_views.payment_queue, name="payment_queue"),
    path("payments/<int:pk>/assign/", payment_views.payment_assign_view, name="payment_assign"),
]
