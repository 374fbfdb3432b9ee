"""The admin site, scoped: every registered ModelAdmin goes through ``cascade.access``.

The site wraps each ModelAdmin at registration (``@admin.register`` included), so an
app that adds an admin class cannot forget the scoping: querysets, choice lists,
inlines, permissions and search all follow the user's role.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import policy
from cascade.lib.crypto import email_digest
from cascade.lib.fields import EncryptedTextField
from .scopes import REFERENCE, is_scoped, scope

# What partner staff may do in the admin, by model; network admins may do everything.
PARTNER_STAFF_EDITS = {"trainings.training", "trainings.participation", "trainings.trainingsession",
                       "network.person", "network.membership", "photos.photo",
                       "network.place"}  # a place the gazetteer lacks: a village, named per language


def _can_use_admin(user) -> bool:
    return policy.role(user) in (policy.NETWORK_ADMIN, policy.PARTNER_STAFF)


def _permission(request, model, action: str) -> bool:
    return _admin_allows(request.user, model, action)


def _admin_allows(user, model, action: str, obj=None) -> bool:
    """What a role may do to a model in the admin; with ``obj``, only within her scope."""
    if obj is not None and obj.pk is not None and action in ("change", "delete") and not scope(
            user, type(obj)._default_manager.filter(pk=obj.pk)).exists():
        return False
    if policy.is_network_admin(user):
        return True
    if policy.role(user) != policy.PARTNER_STAFF:
        return False
    label = model._meta.label_lower
    if action == "view":
        return label in PARTNER_STAFF_EDITS or label in REFERENCE or label == "network.organization"
    if action in ("add", "change"):
        return label in PARTNER_STAFF_EDITS
    return False  # deletion and erasure are for network admins


_SCOPED_CLASSES = {}


def _scoped_class(cls, mixin):
    """``cls`` with ``mixin`` in front, made once per class."""
    if cls not in _SCOPED_CLASSES:
        _SCOPED_CLASSES[cls] = type(cls.__name__, (mixin, cls), {"__module__": cls.__module__})
    return _SCOPED_CLASSES[cls]


class ScopedQuerysetMixin:
    """Querysets and permissions from ``cascade.access``; used for ModelAdmins and inlines."""

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request))

    def _app_rule(self, name, *args) -> bool:
        """An app's own, stricter permission method also holds; Django's defaults give way."""
        method = getattr(super(), name)
        if getattr(method, "__module__", "") == "django.contrib.admin.options":
            return True
        return method(*args)

    def has_view_permission(self, request, obj=None):
        return _permission(request, self.model, "view") and self._app_rule("has_view_permission", request, obj)

    def has_add_permission(self, request, *args):
        return _permission(request, self.model, "add") and self._app_rule("has_add_permission", request, *args)

    def has_change_permission(self, request, obj=None):
        return (_permission(request, self.model, "change")
                and self._app_rule("has_change_permission", request, obj)
                and (obj is None or scope(request.user, type(obj)._default_manager.filter(pk=obj.pk)).exists()))

    def has_delete_permission(self, request, obj=None):
        return _permission(request, self.model, "delete") and self._app_rule("has_delete_permission", request, obj)

    def _scoped_choices(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped(model):
            kwargs["queryset"] = scope(request.user, model._default_manager.all())
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))


class ScopedAdminMixin(ScopedQuerysetMixin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A link typed without a scheme ("ipu.org") is read as https, as Django 6 will.
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return _permission(request, self.model, "view") and self._app_rule("has_module_permission", request)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not isinstance(inline, ScopedQuerysetMixin):
                inline.__class__ = _scoped_class(inline.__class__, ScopedQuerysetMixin)
        return inlines

    def get_search_fields(self, request):
        """Encrypted columns cannot be searched in SQL; an email is found by its hash instead."""
        encrypted = {f.name for f in self.model._meta.fields if isinstance(f, EncryptedTextField)}
        return [name for name in super().get_search_fields(request) if name.lstrip("^=@") not in encrypted]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term and any(f.name == "email_hash" for f in self.model._meta.fields):
            found = found | queryset.filter(email_hash=email_digest(search_term))
        return found, may_have_duplicates

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.model._meta.label_lower == "network.person" and policy.is_network_admin(request.user):
            actions["erase_people"] = (erase_people, "erase_people", erase_people.short_description)
        return actions

    # Saves and deletions go through the same rule as every service (``access.require``)
    # and into the audit log, under codes such as ``cascade.admin.network.person.changed``.
    def save_model(self, request, obj, form, change):
        from .rules import require

        require("admin.change" if change else "admin.add", request.user, obj)
        super().save_model(request, obj, form, change)
        _admin_log(request.user, obj, "changed" if change else "added", fields=sorted(form.changed_data))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the many-to-many fields and inlines: the record must still be hers to edit
        # (a partner's staff cannot hand a training to another partner); otherwise all rolls back.
        obj = form.instance
        if not _admin_allows(request.user, type(obj), "change", obj):
            raise PermissionDenied(_("The record would leave what your role may edit; nothing was saved."))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for verb, objects in (("added", getattr(formset, "new_objects", ())),
                              ("changed", [o for o, _fields in getattr(formset, "changed_objects", ())]),
                              ("deleted", getattr(formset, "deleted_objects", ()))):
            for inline_obj in objects:
                # By the parent's key too (a training's agenda is found under the training's key).
                _admin_log(request.user, inline_obj, verb, parent=form.instance.pk,
                           **({"parent_key": form.instance.key} if getattr(form.instance, "key", None) else {}))

    #: A ModelAdmin whose deletions call its app's service (which checks and logs) sets this.
    deletes_through_service = False

    def delete_model(self, request, obj):
        from .rules import require

        if not self.deletes_through_service:
            require("admin.delete", request.user, obj)
            _admin_log(request.user, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        from .rules import require

        if not self.deletes_through_service:
            for obj in queryset:
                require("admin.delete", request.user, obj)
                _admin_log(request.user, obj, "deleted")
        super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.model._meta.label_lower == "network.person" and request.method == "GET":
            person = self.get_object(request, object_id)
            if person is not None:
                from cascade.audit import services as audit

                audit.log("cascade.person.viewed", request.user, person, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)


def _admin_log(user, obj, verb: str, **details) -> None:
    """An admin change in the audit log: the model and the key, never the record's text."""
    from cascade.audit import services as audit

    audit.log(f"cascade.admin.{obj._meta.label_lower}.{verb}", user, obj, **details)


def erase_people(modeladmin, request, queryset):
    """Admin action: erase the chosen people (see ``cascade.access.services.erase_person``)."""
    from .services import erase_person

    count = 0
    for person in queryset.filter(erased_at__isnull=True):
        erase_person(person, request.user, reason="admin action")
        count += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d person erased: name, contacts and photos removed, training counts kept.",
        "%(count)d people erased: names, contacts and photos removed, training counts kept.", count,
    ) % {"count": count})


erase_people.short_description = _("Erase personal data (keeps training counts; cannot be undone)")


# The admin's index: the network's data first, then who may sign in and how, then the logs.
APP_ORDER = ("network", "trainings", "curriculum", "photos", "indicators", "selection",
             "accounts", "auth", "otp_totp", "otp_static",
             "audit", "auditlog", "axes", "django_tasks_database")

NO_ADMIN = _("The administration is for network admins and partner staff; your role does not include it. "
              "Everything your role may see is in the app.")


class CascadeAdminSite(admin.AdminSite):
    site_header = _("Cascade administration")
    site_title = _("Cascade")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedAdminMixin):
            admin_class = _scoped_class(admin_class, ScopedAdminMixin)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_staff and _can_use_admin(user)):
            return False
        from cascade.accounts.two_factor import is_verified_enough

        return is_verified_enough(request)

    def get_app_list(self, request, app_label=None):
        """Apps in APP_ORDER (any other at the end, by name), models by name within each."""
        apps = super().get_app_list(request, app_label)
        rank = {label: i for i, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: (rank.get(app["app_label"], len(rank)), str(app["name"]).lower()))

    def admin_view(self, view, cacheable=False):
        """A signed-in user whose role has no admin is refused once (403), not sent to sign in
        again: /accounts/login/ would send her back here, and round it would go."""
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(NO_ADMIN)
            return checked(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        """One sign-in page for the whole product (with its second factor): /accounts/login/."""
        from .redirects import safe_next

        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied(NO_ADMIN)
        target = safe_next(request, reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
