"""The price-list import screen of the Wagtail admin: upload, preview, apply."""

from __future__ import annotations

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import PriceList
from .price_import import MAX_BYTES, PriceFileError, price_list_apply, price_list_preview, read_rows


def _store() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "price-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class PriceImportForm(forms.Form):
    price_list = forms.ModelChoiceField(
        label=gettext_lazy("Price list"), queryset=PriceList.objects.all()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy('XLSX or CSV with "SKU" and "Price" columns.'),
    )
    stored = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    apply = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def clean_stored(self):
        token = self.cleaned_data["stored"]
        if token and not (token.isalnum() and (_store() / token).is_file()):
            raise forms.ValidationError(_("The uploaded file has expired: upload it again."))
        return token

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("stored"):
            self.add_error("file", _("Choose a file."))
        if data.get("file") and data["file"].size > MAX_BYTES:
            self.add_error("file", _("The file is larger than 20 MB."))
        return data


class PriceImportView(WagtailAdminTemplateMixin, FormView):
    form_class = PriceImportForm
    template_name = "orders/admin/price_import.html"
    page_title = gettext_lazy("Import a price list")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("orders.change_pricelistitem"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        token = data["stored"]
        if data.get("file"):
            token = secrets.token_hex(16)
            (_store() / token).write_bytes(data["file"].read())
            (_store() / f"{token}.name").write_text(data["file"].name[-100:], "utf-8")
        raw = (_store() / token).read_bytes()
        name = (_store() / f"{token}.name").read_text("utf-8")
        price_list = data["price_list"]
        try:
            rows = read_rows(name, raw)
        except PriceFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        if data["apply"] and not data.get("file"):
            result = price_list_apply(price_list=price_list, rows=rows)
            if not result.errors:
                (_store() / token).unlink(missing_ok=True)
                messages.success(
                    self.request,
                    _("%(list)s: %(n)s prices written.")
                    % {"list": price_list, "n": len(result.changes)},
                )
                return redirect("orders_price_import")
            preview = result
        else:
            preview = price_list_preview(price_list=price_list, rows=rows)
        apply_form = PriceImportForm(
            initial={"price_list": price_list, "stored": token, "apply": True}
        )
        return self.render_to_response(
            self.get_context_data(
                form=form, preview=preview, apply_form=apply_form, price_list=price_list
            )
        )
