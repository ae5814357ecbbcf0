from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("receivables/", views.receivables_page, name="receivables"),
    path("u/<slug:code>/", views.unit_ledger, name="unit_ledger"),
    path("u/<slug:code>/statement.xlsx", views.unit_statement_xlsx, name="unit_statement_xlsx"),
    path("u/<slug:code>/act.pdf", views.unit_act_pdf, name="unit_act_pdf"),
]
