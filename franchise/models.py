import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalManyToManyField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Franchisee(models.Model):
    """A franchise unit: the tenant that owns reports, documents, tasks and attempts."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    # Tax numbers: invoices name the buyer by them and bank payments are matched to units by INN.
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    trading_name = models.CharField(_("trading name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio",
    )

    class Meta:
        verbose_name = _("franchise unit")
        verbose_name_plural = _("franchise units")
        ordering = ["code"]
        default_permissions = ("add", "change", "delete", "view")
        permissions = [
            ("view_unit", _("See the unit's cabinet")),
            ("work_in_unit", _("Act for the unit: report, upload, request, learn")),
            ("manage_unit_members", _("Invite and remove the unit's members")),
            ("review_unit", _("Review the unit: approve reports, assign tasks and training")),
        ]

    def __str__(self):
        return f"{self.trading_name} ({self.code})"


class UnitUserPermission(UserObjectPermissionBase):
    """guardian's per-user object permission with a real foreign key to the unit."""

    content_object = models.ForeignKey(Franchisee, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("unit permission of a user")


class UnitGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Franchisee, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("unit permission of a group")


class Role(models.TextChoices):
    """Named sets of unit permissions; `franchise.access.ROLE_PERMISSIONS` defines them."""

    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Staff member")
    MANAGER = "manager", _("Account manager")


class Membership(models.Model):
    """Who holds which role on a unit. Written only by `franchise.access`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_role_per_user_and_unit")
        ]

    def __str__(self):
        return f"{self.user} – {self.unit.code} ({self.get_role_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time invitation to join a unit. Only the token's hash is stored."""

    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=[(Role.OWNER, Role.OWNER.label), (Role.MEMBER, Role.MEMBER.label)],
        default=Role.MEMBER,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.unit.code}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """Append-only trail of grants, revocations, approvals, downloads and refusals."""

    class Action(models.TextChoices):
        GRANT = "grant", _("Role granted")
        REVOKE = "revoke", _("Role revoked")
        INVITE = "invite", _("Invitation sent")
        INVITE_ACCEPT = "invite_accept", _("Invitation accepted")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKOUT = "lockout", _("Login locked out")
        ACCESS_DENIED = "access_denied", _("Access denied")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")
        DOWNLOAD = "download", _("Downloaded")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Franchisee,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.CharField(_("target"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target}"


class PageAudience(models.Model):
    """Audience fields for Wagtail pages (KB articles, courses, news).

    Empty means everyone signed in. `franchise.access.audience_q` and `in_audience` apply them.
    """

    audience_regions = ParentalManyToManyField(
        Region,
        verbose_name=_("only for regions"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every region."),
    )
    audience_roles = models.CharField(
        _("only for roles"),
        max_length=60,
        blank=True,
        help_text=_("Comma-separated roles (owner, member, manager); empty for everyone."),
    )

    class Meta:
        abstract = True

    @property
    def audience_role_list(self) -> list[str]:
        return [r for r in self.audience_roles.split(",") if r]


# Notifications ------------------------------------------------------------------------


class NotificationMode(models.TextChoices):
    """How a person wants e-mail for one kind of notification (the in-app notice always exists)."""

    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Off")


class Notification(models.Model):
    """One in-app notice for one person; written only by `franchise.notifications.notify`.

    `email_mode` records the person's preference at the time of the notice, so the digest
    knows what to collect and `emailed_at` makes both e-mail paths idempotent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    unit = models.ForeignKey(
        Franchisee,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=NotificationMode.choices, default=NotificationMode.OFF
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_latest"),
            models.Index(fields=["email_mode", "emailed_at"], name="notification_email_due"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's e-mail choice for one kind; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    mode = models.CharField(_("e-mail"), max_length=10, choices=NotificationMode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.mode}"


# Document exchange ----------------------------------------------------------------------


def _private_storage():
    from .documents.storage import private_storage

    return private_storage


def _private_upload_to(instance, filename):
    from .documents.storage import private_upload_to

    return private_upload_to(instance, filename)


class DocumentCategory(models.Model):
    """A kind of document across folders (price list, brand standard, act...); kept by staff."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DocumentFolder(models.TextChoices):
    """Folders of a unit; `library` holds the franchisor's network-wide documents."""

    CONTRACTS = "contracts", _("Contracts")
    INVOICES = "invoices", _("Invoices and acts")
    MARKETING = "marketing", _("Marketing")
    LICENCES = "licences", _("Licences")
    INBOX = "inbox", _("From the franchisor")
    UPLOADS = "uploads", _("From the unit")
    LIBRARY = "library", _("Network library")


class DocumentAudience(models.TextChoices):
    ALL = "all", _("All units")
    REGIONS = "regions", _("Units of chosen regions")
    UNITS = "units", _("Chosen units")


class Document(index.Indexed, models.Model):
    """A document of one unit (unit set) or of the network library (unit empty, with audience).

    The file content lives in `DocumentVersion`s; `current_version` is the latest one.
    """

    unit = models.ForeignKey(
        Franchisee,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    folder = models.CharField(_("folder"), max_length=12, choices=DocumentFolder.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        DocumentCategory,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    must_read = models.BooleanField(
        _("must read"),
        default=False,
        help_text=_("People must confirm they have read each new version."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=DocumentAudience.choices, default=DocumentAudience.ALL
    )
    audience_regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="+"
    )
    audience_units = models.ManyToManyField(
        Franchisee, verbose_name=_("units"), blank=True, related_name="+"
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    tags = TaggableManager(
        through="DocumentTag", blank=True, verbose_name=_("tags"), related_name="unit_documents"
    )
    #: Lower-cased title, description, tags, file name and text of the current version: the
    #: search runs on this one column (case-insensitive for Cyrillic on SQLite too).
    search_text = models.TextField(blank=True, editable=False)

    #: The full-text index (Wagtail search: PostgreSQL's "russian" configuration stems Russian
    #: and English words; SQLite uses FTS5). Rights are applied by the caller's id filter.
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("search_text"),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["unit", "folder"], name="document_unit_folder")]

    def __str__(self):
        return self.title

    @property
    def is_library(self) -> bool:
        return self.unit_id is None


class DocumentTag(TaggedItemBase):
    content_object = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="tagged_items"
    )


class DocumentVersion(models.Model):
    """One uploaded file of a document; a re-upload adds a version and keeps the old ones."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Extracted")
        NONE = "none", _("No text")
        FAILED = "failed", _("Failed")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to=_private_upload_to, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_status = models.CharField(
        max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    #: When the notices of a library version went out (by a job): a second run sends nothing.
    notices_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version")
        ]

    def __str__(self):
        return f"{self.original_name} v{self.number}"

    def storage_folder(self) -> str:
        doc = self.document
        return f"documents/{doc.unit.code if doc.unit_id else 'library'}"


class DocumentAcknowledgement(models.Model):
    """A person confirmed reading one version of a must-read document: once per version."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_ack_per_version")
        ]

    def __str__(self):
        return f"{self.user} ✓ {self.version}"


class ExchangeComment(models.Model):
    """A comment in the exchange: on a document, a task or a request."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class DocumentComment(ExchangeComment):
    """A comment; `unit` is whose conversation it belongs to (empty: the franchisor, for all).

    On a library document a unit's comment is seen by that unit and the franchisor only.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    unit = models.ForeignKey(
        Franchisee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )


# Tasks and requests ---------------------------------------------------------------------


def _person(verbose_name, *, blank: bool = True):
    """A person on a task or request: the row outlives the account (SET_NULL)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )


def _work_unit(related_name: str):
    return models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name=related_name
    )


def _work_status(choices):
    return models.CharField(_("status"), max_length=12, choices=choices, default="open")


class UnitWork(models.Model):
    """What a task (franchisor → unit) and a request (unit → franchisor) have in common.

    Each subclass declares `unit`, `status` (whose `OPEN_STATUSES` are still being worked
    on), `due_date` and `created_by`; the verbose names differ, the meaning does not.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    OPEN_STATUSES: tuple = ()

    class Meta:
        abstract = True
        ordering = ["status", "due_date", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class UnitTask(UnitWork):
    """Work the franchisor assigns to a unit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    unit = _work_unit("tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible = _person(_("responsible person"))
    status = _work_status(Status.choices)
    created_by = _person(_("assigned by"), blank=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta(UnitWork.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["unit", "status", "due_date"], name="task_unit_open")]

    def __str__(self):
        return self.title


class TaskChecklistItem(models.Model):
    task = models.ForeignKey(UnitTask, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("item"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class TaskAttachment(models.Model):
    task = models.ForeignKey(UnitTask, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to=_private_upload_to, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("task attachment")
        verbose_name_plural = _("task attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def storage_folder(self) -> str:
        return f"tasks/{self.task.unit.code}"


class UnitRequest(UnitWork):
    """A unit's request to the franchisor, routed to the unit's account manager."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        MATERIALS = "materials", _("Order of materials")
        COMPLAINT = "complaint", _("Complaint")
        DOCUMENT = "document", _("Document request")

    class Status(models.TextChoices):
        OPEN = "open", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    unit = _work_unit("requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("details"))
    status = _work_status(Status.choices)
    assignee = _person(_("handled by"))
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    created_by = _person(_("asked by"), blank=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta(UnitWork.Meta):
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["unit", "status"], name="request_unit_open")]

    def __str__(self):
        return self.subject


class WorkComment(ExchangeComment):
    """A comment on a task or on a request (exactly one of the two)."""

    task = models.ForeignKey(
        UnitTask, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    request = models.ForeignKey(
        UnitRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )

    class Meta(ExchangeComment.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=False, request__isnull=True)
                | models.Q(task__isnull=True, request__isnull=False),
                name="comment_on_task_or_request",
            )
        ]
