"""Views of tasks and requests: thin; the unit through `access`, the rest in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.security import upload_rate_limit

from .. import access
from ..documents.storage import private_file_response
from ..models import UnitRequest, UnitTask
from . import selectors, services
from .forms import (
    REQUEST_STATUS_CHOICES,
    TASK_STATUS_CHOICES,
    ListFilterForm,
    RequestForm,
    StatusForm,
    TaskEditForm,
    TaskForm,
    WorkCommentForm,
)

PER_PAGE = 25


# Lists ---------------------------------------------------------------------------------


@login_required
def unit_tasks(request, code):
    """The unit's tasks and requests on one page (two paginated tables)."""
    unit = access.get_unit_or_404(request, code)
    form = ListFilterForm(request.GET or None)
    status = form.status_value()
    units = access.units_visible_to(request.user).filter(pk=unit.pk)
    tasks = Paginator(selectors.task_list(request.user, units=units, status=status), PER_PAGE)
    requests = Paginator(selectors.request_list(request.user, units=units, status=status), PER_PAGE)
    return render(
        request,
        "franchise/tasks/unit_tasks.html",
        {
            "unit": unit,
            "form": form,
            "tasks": tasks.get_page(request.GET.get("tasks_page")),
            "requests": requests.get_page(request.GET.get("requests_page")),
            "can_assign": services.can_assign(request.user, unit),
            "can_ask": access.can(request.user, "work", unit),
        },
    )


@login_required
def inbox(request):
    """The franchisor's view across the portfolio (the whole network, read only, for network
    leads): open requests first, then tasks."""
    units = access.units_following_tasks(request.user)
    if not units.exists():
        current = getattr(request, "current_unit", None)
        if current:
            return redirect("franchise:unit_tasks", code=current.code)
        access.deny(request, target="tasks:inbox")
    form = ListFilterForm(request.GET or None)
    status = form.status_value()
    requests = Paginator(selectors.request_list(request.user, units=units, status=status), PER_PAGE)
    tasks = Paginator(selectors.task_list(request.user, units=units, status=status), PER_PAGE)
    return render(
        request,
        "franchise/tasks/inbox.html",
        {
            "form": form,
            "network_wide": access.has_network_right(request.user),
            "tasks": tasks.get_page(request.GET.get("tasks_page")),
            "requests": requests.get_page(request.GET.get("requests_page")),
        },
    )


# Tasks ---------------------------------------------------------------------------------


@login_required
@upload_rate_limit
def task_create(request, code):
    unit = access.get_unit_or_404(request, code)
    if not services.can_assign(request.user, unit):
        access.deny(request, target=f"unit:{code}", action="assign_task")
    form = TaskForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task is assigned."))
            return redirect("franchise:task_detail", code=unit.code, pk=task.pk)
    return render(request, "franchise/tasks/task_form.html", {"unit": unit, "form": form})


def _item_or_404(request, code, pk, *, kind: str):
    """The unit's task or request (`kind`): another unit's answers 404, like a missing one."""
    unit = access.get_unit_or_404(request, code)
    item = getattr(selectors, f"{kind}_for")(request.user, unit, pk)
    if item is None:
        access.deny(request, target=f"{kind}:{pk}")
    return item


def _task_or_404(request, code, pk):
    return _item_or_404(request, code, pk, kind="task")


def _render_task(request, task, *, comment_form=None, edit_form=None, status=200):
    moves = services.task_moves(request.user, task)
    can_work = services.can_work(request.user, task.unit)
    can_assign = services.can_assign(request.user, task.unit)
    return render(
        request,
        "franchise/tasks/task_detail.html",
        {
            "unit": task.unit,
            "task": task,
            "status_form": StatusForm(moves=moves, choices=TASK_STATUS_CHOICES) if moves else None,
            "comment_form": comment_form
            or (WorkCommentForm(with_files=True) if can_work else None),
            "edit_form": edit_form
            or (
                TaskEditForm(
                    unit=task.unit,
                    initial={"due_date": task.due_date, "responsible": task.responsible},
                )
                if can_assign
                else None
            ),
            "can_tick": can_work and task.is_open,
        },
        status=status,
    )


@login_required
def task_detail(request, code, pk):
    return _render_task(request, _task_or_404(request, code, pk))


#: The status choices a task's or request's page offers.
_STATUS_CHOICES = {UnitTask: TASK_STATUS_CHOICES, UnitRequest: REQUEST_STATUS_CHOICES}


def _status_post(request, item):
    """Apply a status form posted on a task's or request's page, then back to that page."""
    kind = "task" if isinstance(item, UnitTask) else "request"
    moves = services.status_moves(request.user, item)
    form = StatusForm(request.POST, moves=moves, choices=_STATUS_CHOICES[type(item)])
    if form.is_valid():
        services.status_change(item=item, by=request.user, status=form.cleaned_data["status"])
        messages.success(
            request, _("Status changed to “%(s)s”.") % {"s": item.get_status_display()}
        )
    else:
        if not services.can_work(request.user, item.unit):
            access.deny(request, target=f"{kind}:{item.pk}", action="status")
        messages.error(request, _("This status change is not possible."))
    return redirect(f"franchise:{kind}_detail", code=item.unit.code, pk=item.pk)


@login_required
@require_POST
def task_status(request, code, pk):
    return _status_post(request, _task_or_404(request, code, pk))


@login_required
@require_POST
def task_checklist(request, code, pk, item_pk):
    task = _task_or_404(request, code, pk)
    item = next((i for i in task.checklist.all() if i.pk == item_pk), None)
    if item is None:
        access.deny(request, target=f"task:{pk}:item:{item_pk}")
    try:
        services.task_checklist_toggle(
            item=item, by=request.user, done=request.POST.get("done") == "1"
        )
    except PermissionDenied:
        access.deny(request, target=f"task:{pk}", action="checklist")
    return redirect("franchise:task_detail", code=code, pk=pk)


@login_required
@require_POST
@upload_rate_limit
def task_comment(request, code, pk):
    task = _task_or_404(request, code, pk)
    if not services.can_work(request.user, task.unit):
        access.deny(request, target=f"task:{pk}", action="comment")
    form = WorkCommentForm(request.POST, request.FILES, with_files=True)
    if not form.is_valid():
        return _render_task(request, task, comment_form=form, status=400)
    services.task_comment_add(
        task=task,
        by=request.user,
        text=form.cleaned_data["text"],
        attachments=form.cleaned_data.get("attachments", []),
    )
    messages.success(request, _("Your comment is added."))
    return redirect("franchise:task_detail", code=code, pk=pk)


@login_required
@require_POST
def task_edit(request, code, pk):
    task = _task_or_404(request, code, pk)
    if not services.can_assign(request.user, task.unit):
        access.deny(request, target=f"task:{pk}", action="edit")
    form = TaskEditForm(request.POST, unit=task.unit)
    if form.is_valid():
        try:
            services.task_update(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The task is updated."))
            return redirect("franchise:task_detail", code=code, pk=pk)
    return _render_task(request, task, edit_form=form, status=400)


@login_required
def task_attachment(request, code, pk, attachment_pk):
    task = _task_or_404(request, code, pk)
    attachment = next((a for a in task.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        access.deny(request, target=f"task:{pk}:file:{attachment_pk}")
    from ..audit import Action, audit_record

    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=task.unit,
        target=f"task:{pk}:file:{attachment.pk}",
        request=request,
        name=attachment.original_name,
    )
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# Requests ------------------------------------------------------------------------------


@login_required
def request_create(request, code):
    unit = access.get_unit_or_404(request, code)
    if not access.can(request.user, "work", unit):
        access.deny(request, target=f"unit:{code}", action="request")
    form = RequestForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        unit_request = services.request_create(unit=unit, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Your request is sent to %(name)s.")
            % {
                "name": unit.account_manager.get_full_name()
                if unit.account_manager
                else _("the franchisor")
            },
        )
        return redirect("franchise:request_detail", code=unit.code, pk=unit_request.pk)
    return render(request, "franchise/tasks/request_form.html", {"unit": unit, "form": form})


def _request_or_404(request, code, pk):
    return _item_or_404(request, code, pk, kind="request")


def _render_request(request, unit_request, *, comment_form=None, status=200):
    moves = services.request_moves(request.user, unit_request)
    is_franchisor = access.can(request.user, "review", unit_request.unit)
    can_work = services.can_work(request.user, unit_request.unit)
    return render(
        request,
        "franchise/tasks/request_detail.html",
        {
            "unit": unit_request.unit,
            "unit_request": unit_request,
            "status_form": StatusForm(moves=moves, choices=REQUEST_STATUS_CHOICES)
            if moves
            else None,
            "comment_form": comment_form
            or (
                WorkCommentForm(with_answer=is_franchisor and unit_request.is_open)
                if can_work
                else None
            ),
        },
        status=status,
    )


@login_required
def request_detail(request, code, pk):
    return _render_request(request, _request_or_404(request, code, pk))


@login_required
@require_POST
def request_status(request, code, pk):
    return _status_post(request, _request_or_404(request, code, pk))


@login_required
@require_POST
def request_comment(request, code, pk):
    unit_request = _request_or_404(request, code, pk)
    if not services.can_work(request.user, unit_request.unit):
        access.deny(request, target=f"request:{pk}", action="comment")
    is_franchisor = access.can(request.user, "review", unit_request.unit)
    form = WorkCommentForm(request.POST, with_answer=is_franchisor and unit_request.is_open)
    if not form.is_valid():
        return _render_request(request, unit_request, comment_form=form, status=400)
    services.request_comment_add(
        unit_request=unit_request,
        by=request.user,
        text=form.cleaned_data["text"],
        answer=form.cleaned_data.get("answer", False),
    )
    messages.success(request, _("Your comment is added."))
    return redirect("franchise:request_detail", code=code, pk=pk)
