"""Forms of the staff app. Every queryset a form offers comes from cascade.access."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cascade.access import suppression, visible_organizations, visible_people, visible_trainings
from cascade.curriculum.models import Manual, ManualSession
from cascade.network.models import Country, Organization, Person, Region
from cascade.trainings.models import Participation, Training

DATE = {"type": "date"}


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def language_choices(blank=True):
    choices = [(code, name) for code, name in settings.LANGUAGES]
    return [("", "—")] + choices if blank else choices


class _ByNameIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        choices = list(super().__iter__())
        blank = [c for c in choices if c[0] == ""]
        return iter(blank + sorted((c for c in choices if c[0] != ""), key=lambda c: str(c[1])))


class CountryChoiceField(forms.ModelChoiceField):
    """Countries sorted by their name in the reader's language."""

    iterator = _ByNameIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=queryset if queryset is not None else Country.objects.all(), **kwargs)


class ManualSessionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        from cascade.lib.translated import pick

        return f"{obj.number}. {pick(obj.title)}"


class FiltersForm(forms.Form):
    """Region, country, partner, manual and period: the filters of the dashboard and lists."""

    region = forms.ModelChoiceField(Region.objects.all(), required=False, label=_("Region"),
                                    to_field_name="code", empty_label=_("All regions"))
    country = CountryChoiceField(required=False, label=_("Country"), to_field_name="code",
                                 empty_label=_("All countries"))
    partner = forms.ModelChoiceField(Organization.objects.none(), required=False, label=_("Partner"),
                                     to_field_name="key", empty_label=_("All partners"))
    manual = forms.ModelChoiceField(Manual.objects.all(), required=False, label=_("Manual"),
                                    to_field_name="key", empty_label=_("All manuals"))
    since = forms.DateField(required=False, label=_("From"), widget=date_input())
    until = forms.DateField(required=False, label=_("Until"), widget=date_input())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organizations = visible_organizations(user)
        self.fields["partner"].queryset = organizations.filter(kind=Organization.Kind.PARTNER)
        self.fields["country"].queryset = Country.objects.filter(
            code__in=visible_trainings(user).values("country_id"))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self):
        """The engine's Filters for the valid values (an invalid form filters nothing)."""
        from cascade.metrics.filters import Filters

        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        filters = Filters.parse(
            region=data["region"].code if data.get("region") else None,
            country=data["country"].code if data.get("country") else None,
            partner=data["partner"].key if data.get("partner") else None,
            manual=data["manual"].key if data.get("manual") else None,
            since=data.get("since"), until=data.get("until"),
        )
        # Readers without exact figures get periods in whole quarters (cascade.access.suppression).
        return suppression.filters_for(self.user, filters)


class TrainingListForm(FiltersForm):
    q = forms.CharField(required=False, label=_("Search"), max_length=100)
    kind = forms.ChoiceField(required=False, label=_("Kind"),
                             choices=[("", _("Institutes and step-downs"))] + list(Training.Kind.choices))


class PersonListForm(forms.Form):
    # ``home_country``, not ``country``: on a list behind a dashboard figure, ``country`` is
    # the figure's filter (where the trainings took place), and a person may come from elsewhere.
    q = forms.CharField(required=False, label=_("Search"), max_length=100)
    home_country = CountryChoiceField(required=False, label=_("Home country"), to_field_name="code",
                                      empty_label=_("All countries"))
    gender = forms.ChoiceField(required=False, label=_("Gender"),
                               choices=[("", _("Any gender"))] + list(Person.Gender.choices))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_country"].queryset = Country.objects.filter(
            code__in=visible_people(user).values("country_id"))


class TrainingForm(forms.ModelForm):
    """An institute or step-down; the title is written in the reader's language."""

    title_text = forms.CharField(label=_("Title"), max_length=300,
                                 help_text=_("In the language you are using now; other languages are kept."))

    class Meta:
        model = Training
        fields = ["kind", "start_date", "end_date", "country", "city", "host", "co_organisers",
                  "language", "manuals", "source_training", "women_count", "men_count", "other_count",
                  "cancelled"]
        field_classes = {"country": CountryChoiceField}
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "co_organisers": forms.CheckboxSelectMultiple,
            "manuals": forms.CheckboxSelectMultiple,
            "language": forms.Select(choices=language_choices()),
        }
        labels = {
            "women_count": _("Women not named below"),
            "men_count": _("Men not named below"),
            "other_count": _("Others not named below"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from cascade.lib.translated import pick

        if self.instance.pk:
            self.fields["title_text"].initial = pick(self.instance.title)
        organizations = visible_organizations(user)
        self.fields["host"].queryset = organizations
        self.fields["co_organisers"].queryset = organizations
        institutes = visible_trainings(user).filter(kind=Training.Kind.INSTITUTE)
        if self.instance.pk:
            institutes = institutes.exclude(pk=self.instance.pk)
        self.fields["source_training"].queryset = institutes

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return data

    def translated_title(self) -> dict:
        title = dict(self.instance.title or {})
        title[translation.get_language() or "en"] = self.cleaned_data["title_text"]
        return title


class ParticipantForm(forms.Form):
    """One row of the participants table: someone already known, or a new name."""

    person = forms.ModelChoiceField(Person.objects.none(), required=False, label=_("Known person"))
    new_name = forms.CharField(required=False, max_length=200, label=_("or a new person’s full name"))
    gender = forms.ChoiceField(choices=Person.Gender.choices, initial=Person.Gender.WOMAN, label=_("Gender"))
    role = forms.ChoiceField(choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT,
                             label=_("Role"))
    completed = forms.BooleanField(required=False, initial=True, label=_("Attended to the end"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user)

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("new_name", "").strip():
            self.add_error("new_name", _("Choose a known person or type a new name, not both."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("person") and not data.get("new_name", "").strip()


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            person = form.cleaned_data.get("person")
            key = (person.pk if person else None, form.cleaned_data.get("role"))
            if person and key in seen:
                raise ValidationError(_("%(name)s is listed twice with the same role.") % {"name": person})
            seen.add(key)


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=True, max_num=500)


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"), help_text=_("JPEG, PNG or WebP. Location and camera data are removed."))
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("In the language you are using now."))
    caption_other = forms.CharField(label=_("Caption in another language"), max_length=500, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    caption_other_language = forms.ChoiceField(label=_("Language of that caption"), required=False,
                                               choices=language_choices())
    shows_people = forms.BooleanField(label=_("People can be recognised in this photo"), required=False,
                                      initial=True)
    consent_recorded = forms.BooleanField(
        label=_("Everyone recognisable agreed that the photo may be shown"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("caption_other") and not data.get("caption_other_language"):
            self.add_error("caption_other_language", _("Say which language the second caption is in."))
        return data

    def captions(self) -> dict:
        data = self.cleaned_data
        captions = {}
        if data.get("caption"):
            captions[translation.get_language() or "en"] = data["caption"]
        if data.get("caption_other"):
            captions[data["caption_other_language"]] = data["caption_other"]
        return captions


# --- Report a step-down: one phone screen per step --------------------------------------


class StepWhenForm(forms.Form):
    trainer = forms.ModelChoiceField(Person.objects.none(), label=_("Who led the training"))
    source_training = forms.ModelChoiceField(
        Training.objects.none(), required=False, label=_("Institute where the trainer learned"),
        help_text=_("Leave empty if you do not know."))
    start_date = forms.DateField(label=_("Date"), widget=date_input())
    end_date = forms.DateField(label=_("Last day, if more than one day"), required=False, widget=date_input())
    country = CountryChoiceField(label=_("Country"), to_field_name="code")
    city = forms.CharField(label=_("Town or village"), max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = visible_people(user)
        self.fields["source_training"].queryset = visible_trainings(user).filter(kind=Training.Kind.INSTITUTE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return data

    def clean_start_date(self):
        import datetime

        value = self.cleaned_data["start_date"]
        if value > datetime.date.today() + datetime.timedelta(days=1):
            raise ValidationError(_("This date is in the future; report a training after it took place."))
        return value


class StepManualForm(forms.Form):
    manual = forms.ModelChoiceField(Manual.objects.all(), label=_("Manual you used"), required=False,
                                    empty_label=_("No manual"))
    language = forms.ChoiceField(label=_("Language of the training"), choices=language_choices(), required=False)


class StepSessionsForm(forms.Form):
    sessions = ManualSessionChoices(ManualSession.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple, label=_("Sessions you delivered"))

    def __init__(self, *args, manual=None, **kwargs):
        super().__init__(*args, **kwargs)
        if manual is not None:
            self.fields["sessions"].queryset = manual.sessions.all()


class StepPeopleForm(forms.Form):
    women_count = forms.IntegerField(label=_("Women"), min_value=0, max_value=10000, initial=0)
    men_count = forms.IntegerField(label=_("Men"), min_value=0, max_value=10000, initial=0)
    other_count = forms.IntegerField(label=_("Others"), min_value=0, max_value=10000, initial=0, required=False)
    names = forms.CharField(
        label=_("Names of participants (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name a line. Only with their agreement: head-counts are enough."))

    def clean(self):
        data = super().clean()
        total = sum(data.get(name) or 0 for name in ("women_count", "men_count", "other_count"))
        if not self.errors and total == 0:
            raise ValidationError(_("Say how many people took part: at least one woman, man or other."))
        return data

    def clean_names(self):
        lines = [line.strip() for line in self.cleaned_data["names"].splitlines()]
        names = [line for line in lines if line]
        for name in names:
            if len(name) > 200:
                raise ValidationError(_("A name is longer than 200 characters: put one name on each line."))
        return names


STEPS = [
    ("when", StepWhenForm, _("When and where")),
    ("manual", StepManualForm, _("What you taught")),
    ("sessions", StepSessionsForm, _("Sessions")),
    ("people", StepPeopleForm, _("Who came")),
]
