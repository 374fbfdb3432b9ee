from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cascade import access
from cascade.web.forms import ByNameChoiceField


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, verify=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.verify = verify
        self.device = None

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        self.device = self.verify(token)
        if self.device is None:
            raise forms.ValidationError(_("This code is not right or has expired. Codes change every 30 seconds."))
        return token


class PasswordForm(forms.Form):
    """The password typed again before a change to the second factor."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person):
        where = person.organization.short_name_in() or person.organization.name_in() if person.organization else ""
        return f"{person.full_name} ({where})" if where else person.full_name


class RoleForm(forms.Form):
    """A role to give, chosen from what the actor may give (``cascade.access``): never a raw id.

    The people offered for a trainer's account are those who led or organised a training, or,
    with ``find``, whoever's name holds it, among the people the actor may give an account."""

    kind = forms.ChoiceField(label=_("Role"))
    organization = ByNameChoiceField(
        label=_("Organisation"), required=False, queryset=None,
        help_text=_("For partner staff: the organisation whose trainings they manage."))
    person = PersonChoice(
        label=_("Trainer's record"), required=False, queryset=None,
        help_text=_("For trainers: her own record among the people."))
    manages_users = forms.BooleanField(
        label=_("Partner admin: invites colleagues and trainers of her organisation"), required=False)

    def __init__(self, actor, *args, find: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from cascade.accounts.models import Role

        self.actor = actor
        kinds = access.grantable_kinds(actor)
        self.fields["kind"].choices = [(kind, Role.Kind(kind).label) for kind in kinds]
        organizations = access.grantable_organizations(actor)
        self.fields["organization"].queryset = organizations
        if not access.is_network_admin(actor):
            self.fields["organization"].empty_label = None
            self.fields["organization"].initial = organizations.first()
        people = access.grantable_people(actor).select_related("organization")
        if self.is_bound:  # whoever she may give an account, whatever the list showed
            pass
        else:  # the person already chosen stays on offer
            chosen = Q(pk=getattr(self.initial.get("person"), "pk", self.initial.get("person")) or 0)
            if find.strip():
                people = people.filter(Q(full_name__icontains=find.strip()) | chosen)
            else:
                people = people.filter(Q(participations__role__in=["facilitator", "organiser"]) | chosen).distinct()
        self.fields["person"].queryset = people.order_by("full_name")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == access.PARTNER_STAFF and not data.get("organization"):
            self.add_error("organization", _("Choose the organisation of this partner's staff."))
        elif kind == access.TRAINER and not data.get("person"):
            self.add_error("person", _("Choose the trainer's record among the people."))
        elif kind and not access.can_give_role(self.actor, kind, data.get("organization"), data.get("person"),
                                               data.get("manages_users")):
            raise forms.ValidationError(_("You may not give this role."))
        return data

    def role(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "organization": data.get("organization"), "person": data.get("person"),
                "manages_users": data.get("manages_users", False)}


class InviteForm(RoleForm):
    email = forms.EmailField(label=_("Her e-mail"))
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    field_order = ["email", "language", "kind", "organization", "person", "manages_users"]

    def __init__(self, actor, *args, **kwargs):
        super().__init__(actor, *args, **kwargs)
        self.fields["language"].initial = (get_language() or "en").split("-")[0]


class AcceptForm(forms.Form):
    """The invitee's username and password (Django's password validators)."""

    username = UsernameField(label=_("Username"), max_length=150,
                             widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=lazy(lambda: " ".join(password_validation.password_validators_help_texts()),
                                               str)())
    password2 = forms.CharField(label=_("The password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken: choose another."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=data.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
