"""The price-list import screen of the Wagtail admin: the upload; the preview and the write run
as a background job (orders.price_jobs), shown on the job's status page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import PriceList
from .price_import import MAX_BYTES
from .price_jobs import allowed, price_import_job_create


class PriceImportForm(forms.Form):
    price_list = forms.ModelChoiceField(
        label=gettext_lazy("Price list"), queryset=PriceList.objects.all()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy('XLSX or CSV with "SKU" and "Price" columns.'),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file"):
            self.add_error("file", _("Choose a file."))
        elif data["file"].size > MAX_BYTES:
            self.add_error("file", _("The file is larger than 20 MB."))
        return data


class PriceImportView(WagtailAdminTemplateMixin, FormView):
    form_class = PriceImportForm
    template_name = "orders/admin/price_import.html"
    page_title = gettext_lazy("Import a price list")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = price_import_job_create(
            user=self.request.user,
            price_list=form.cleaned_data["price_list"],
            name=upload.name[-100:],
            data=upload.read(),
        )
        return redirect("jobs:status", pk=job.pk)
