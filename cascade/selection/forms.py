"""Forms: the public application form (built from the call's questions) and the staff forms."""

import os

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_lazy as _

from cascade.lib.collation import sorted_by_name
from cascade.lib.translated import pick
from cascade.network.models import Country, Organization, Person
from cascade.selection.models import Application, Call, Criterion, EmailTemplate, Question, Quota
from cascade.web.forms import ByNameChoiceField, CountryChoiceField

MAX_UPLOAD = getattr(settings, "SELECTION_MAX_UPLOAD", 5 * 1024 * 1024)
UPLOAD_TYPES = {".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".jpg", ".jpeg", ".png"}


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


class TranslationsWidget(forms.MultiWidget):
    template_name = "selection/widgets/translations.html"

    def __init__(self, languages, textarea=False, attrs=None):
        self.languages = list(languages)
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        super().__init__([widget] * len(self.languages), attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, code in zip(context["widget"]["subwidgets"], self.languages):
            sub["language"] = code
            sub["language_name"] = language_name(code)
            sub["attrs"]["lang"] = code
        return context


class TranslationsField(forms.MultiValueField):
    """Text in each of the given languages, stored as ``{language: text}``; one language is enough."""

    def __init__(self, languages, textarea=False, **kwargs):
        self.languages = list(languages)
        fields = [forms.CharField(required=False) for _ in self.languages]
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields, widget=TranslationsWidget(self.languages, textarea), **kwargs)

    def compress(self, data_list):
        return {code: text.strip() for code, text in zip(self.languages, data_list or []) if text and text.strip()}

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(_("Write it in at least one language."), code="required")


def all_languages():
    return [code for code, _name in settings.LANGUAGES]


def country_choices(codes=None):
    countries = Country.objects.all()
    if codes:
        countries = countries.filter(code__in=codes)
    return sorted_by_name(((c.code, c.name) for c in countries), lambda item: item[1])


# --- The public form --------------------------------------------------------------


class ApplicationForm(forms.Form):
    """Built from the call's questions. A draft needs nothing filled; a submission needs all required answers."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    country = forms.ChoiceField(label=_("Country"))
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices], required=False)
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    consent_data = forms.BooleanField(
        label=_("I agree that the organisers keep my answers to select participants, and erase them on request."),
    )
    consent_verification = forms.BooleanField(
        label=_("If I receive a certificate, anyone with its code may see my name, the training and the date."),
        required=False,
    )

    def __init__(self, *args, call: Call, application=None, draft=False, **kwargs):
        self.call = call
        self.application = application
        self.draft = draft
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(application, name) for name in
                   ["full_name", "email", "phone", "gender", "consent_data", "consent_verification"]},
                "country": application.country_id,
                **application.answers,
            }
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices(call.eligible_countries)]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.questions = list(call.questions.all())
        uploaded = set(application.files.values_list("question_id", flat=True)) if application else set()
        for question in self.questions:
            self.fields[question.field_name] = self._field(question, question.pk in uploaded)
        if draft:
            for name, field in self.fields.items():
                field.required = False

    def _field(self, question: Question, has_file: bool):
        common = {"label": pick(question.label), "help_text": pick(question.help_text), "required": question.required}
        kind = question.kind
        if kind == Question.Kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, **common)
        if kind == Question.Kind.CHOICE:
            choices = [(c["value"], pick(c.get("label")) or c["value"]) for c in question.choices]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == Question.Kind.NUMBER:
            return forms.IntegerField(
                min_value=question.min_value, max_value=question.max_value,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common,
            )
        if kind == Question.Kind.FILE:
            if has_file:
                common["required"] = False
                common["help_text"] = f"{common['help_text']} {_('A file is already attached; choose another to replace it.')}"
            return forms.FileField(**common)
        return forms.CharField(max_length=500, **common)

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            upload = cleaned.get(question.field_name)
            if question.kind == Question.Kind.FILE and upload:
                extension = os.path.splitext(upload.name)[1].lower()
                if extension not in UPLOAD_TYPES:
                    self.add_error(question.field_name, _("%(name)s: files of type “%(type)s” are not accepted; send PDF, a document or a picture.")
                                   % {"name": pick(question.label), "type": extension or "?"})
                elif upload.size > MAX_UPLOAD:
                    self.add_error(question.field_name, _("%(name)s: the file is %(size)s; at most %(limit)s is accepted.")
                                   % {"name": pick(question.label), "size": filesizeformat(upload.size),
                                      "limit": filesizeformat(MAX_UPLOAD)})
        if cleaned.get("country"):
            cleaned["country"] = Country.objects.get(code=cleaned["country"])
        else:
            cleaned["country"] = None
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def error_summary(self):
        """(label, message) pairs for the list at the top of the form."""
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                yield label, error


# --- Staff forms --------------------------------------------------------------------


class CallTextsForm(forms.Form):
    """What a call says and the rules it keeps; the new-call form adds its institute."""

    title = TranslationsField(all_languages(), label=_("Title"))
    description = TranslationsField(all_languages(), textarea=True, label=_("Description"), required=False)
    deadline = forms.DateTimeField(label=_("Deadline for applications"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)
    waitlist_places = forms.IntegerField(label=_("Wait-list places"), min_value=0, max_value=1000, initial=0)
    languages = forms.MultipleChoiceField(label=_("Languages of the form"), choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    eligible_countries = forms.MultipleChoiceField(label=_("Eligible countries (none chosen: every country)"),
                                                   required=False)
    blind_review = forms.BooleanField(label=_("Blind review"), required=False, initial=True,
                                      help_text=Call._meta.get_field("blind_review").help_text)
    completion_days = forms.IntegerField(label=_("Days needed to complete (empty: every day)"),
                                         required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_countries"].choices = country_choices()

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if deadline and deadline <= timezone.now() and "deadline" in self.changed_data:
            self.add_error("deadline", _("The deadline must be in the future."))
        return cleaned


class CallForm(CallTextsForm):
    host = ByNameChoiceField(queryset=Organization.objects.none(), label=_("Host partner"))
    country = CountryChoiceField(label=_("Country of the institute"))
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["title", "description", "host", "country", "city", "start_date", "end_date"]

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts
        from cascade.web.forms import offer_places

        offer_places(self)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot come before the first."))
        deadline = cleaned.get("deadline")
        if deadline and start and deadline.date() > start:
            self.add_error("deadline", _("The deadline must come before the first day."))
        return cleaned


class CallEditForm(CallTextsForm):
    """A call's own fields and e-mail texts. Once someone has applied, only the texts stay open."""

    EMAIL_KINDS = [EmailTemplate.Kind.RECEIVED, EmailTemplate.Kind.ACCEPTED, EmailTemplate.Kind.WAITLISTED,
                   EmailTemplate.Kind.DECLINED, EmailTemplate.Kind.DRAFT]

    def __init__(self, *args, call: Call, **kwargs):
        templates = {t.kind: t for t in call.email_templates.all()}
        initial = {name: getattr(call, name) for name in
                   ["title", "description", "deadline", "places", "waitlist_places", "languages",
                    "eligible_countries", "blind_review", "completion_days"]}
        initial["deadline"] = timezone.localtime(call.deadline)
        for kind in self.EMAIL_KINDS:
            template = templates.get(kind)
            initial[f"subject_{kind}"] = template.subject if template else {}
            initial[f"body_{kind}"] = template.body if template else {}
        super().__init__(*args, initial=initial, **kwargs)
        self.call = call
        self.locked = call.has_applications
        languages = call.languages or all_languages()
        for kind in self.EMAIL_KINDS:
            label = EmailTemplate.Kind(kind).label
            self.fields[f"subject_{kind}"] = TranslationsField(
                languages, label=_("Subject: %(kind)s") % {"kind": label}, required=False)
            self.fields[f"body_{kind}"] = TranslationsField(
                languages, textarea=True, label=_("Text: %(kind)s") % {"kind": label}, required=False,
                help_text=_("May use {greeting}, {name}, {call}, {link} and {deadline}. Empty: the network's text."))
        if self.locked:
            for name in self.rule_fields:
                self.fields[name].disabled = True

    rule_fields = ["deadline", "places", "waitlist_places", "languages", "eligible_countries", "blind_review",
                   "completion_days"]

    def text_fields(self):
        return [self[name] for name in ["title", "description"]]

    def email_fields(self):
        return [(self[f"subject_{kind}"], self[f"body_{kind}"]) for kind in self.EMAIL_KINDS]

    def rules(self):
        return [self[name] for name in self.rule_fields]

    def changes(self) -> dict:
        """The call's fields to give services.update_call (the locked ones left out)."""
        names = ["title", "description"] + ([] if self.locked else self.rule_fields)
        return {name: self.cleaned_data[name] for name in names}

    def emails(self) -> dict:
        return {kind: (self.cleaned_data[f"subject_{kind}"], self.cleaned_data[f"body_{kind}"])
                for kind in self.EMAIL_KINDS}


def _translations_for(call, textarea=False, **kwargs):
    return TranslationsField(call.languages or all_languages(), textarea=textarea, **kwargs)


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices, one a line: value = label"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “yes = Yes / Да”: the value is kept, the label shown in every language."),
    )

    class Meta:
        model = Question
        fields = ["kind", "label", "help_text", "required", "identifying", "min_value", "max_value", "order"]

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"] = _translations_for(call, label=_("Question"))
        self.fields["help_text"] = _translations_for(call, label=_("Help text"), required=False)

    def clean(self):
        cleaned = super().clean()
        choices = []
        for line in (cleaned.get("choices_text") or "").splitlines():
            if not line.strip():
                continue
            value, _sep, label = line.partition("=")
            choices.append({"value": value.strip(), "label": {"en": (label or value).strip()}})
        if cleaned.get("kind") == Question.Kind.CHOICE and len(choices) < 2:
            self.add_error("choices_text", _("A choice question needs at least two choices."))
        self.instance.choices = choices
        return cleaned


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "scale_min", "scale_max", "anchor_low", "anchor_high", "order"]

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = _translations_for(call, label=_("Criterion"))
        self.fields["anchor_low"] = _translations_for(call, textarea=True, label=_("What the lowest score looks like"))
        self.fields["anchor_high"] = _translations_for(call, textarea=True, label=_("What the highest score looks like"))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest score must be above the lowest."))
        return cleaned


class QuotaForm(forms.ModelForm):
    class Meta:
        model = Quota
        fields = ["attribute", "value", "minimum", "maximum"]

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.call = call
        attributes = [("country", _("country")), ("gender", _("gender"))]
        attributes += [(q.field_name, pick(q.label)) for q in call.questions.filter(kind=Question.Kind.CHOICE)]
        self.fields["attribute"] = forms.ChoiceField(label=_("Attribute"), choices=attributes)
        self.fields["value"].help_text = _("A country code (KZ), a gender (woman) or a choice's value.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if high is not None and low is not None and high < low:
            self.add_error("maximum", _("“At most” cannot be below “at least”."))
        if cleaned.get("attribute") == "country" and cleaned.get("value"):
            cleaned["value"] = self.instance.value = cleaned["value"].strip().upper()
        return cleaned


class ReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Reviewers"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = candidates


class ReviewForm(forms.Form):
    conflict = forms.BooleanField(label=_("I have a conflict of interest with this applicant"), required=False)
    conflict_note = forms.CharField(label=_("About the conflict"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            choices = [(n, str(n)) for n in range(criterion.scale_min, criterion.scale_max + 1)]
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=pick(criterion.name), choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"n{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"c{criterion.pk}"], self[f"n{criterion.pk}"]

    def scores(self) -> dict:
        return {
            c.pk: (self.cleaned_data.get(f"c{c.pk}"), self.cleaned_data.get(f"n{c.pk}", ""))
            for c in self.criteria
        }


class OverrideForm(forms.Form):
    override = forms.ChoiceField(
        label=_("Override"), required=False,
        choices=[("", _("none")), ("include", _("include")), ("exclude", _("exclude"))],
    )
    override_reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("accept")), ("waitlist", _("wait-list")), ("decline", _("decline")),
                 ("reset", _("undo"))]
    )



class ReopenForm(forms.Form):
    deadline = forms.DateTimeField(label=_("Deadline for applications"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
