"""Forms of the staff app. Every queryset a form offers comes from cascade.access."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cascade.access import (
    report_sources, suppression, visible_organizations, visible_people, visible_trainings,
)
from cascade.curriculum.models import Manual, ManualSession
from cascade.lib.collation import sorted_by_name
from cascade.network.models import Country, Organization, Person, Region
from cascade.trainings.models import Participation, Training

DATE = {"type": "date"}


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class CityInput(forms.TextInput):
    """The city box, with the places of the chosen country named in the page's language to pick from
    (a <datalist>; any name in any script may still be typed, and is matched to its place when saved)."""

    template_name = "web/widgets/city.html"
    country = None
    list_attrs: dict = {}

    def get_context(self, name, value, attrs):
        from cascade.network.places import suggestions

        context = super().get_context(name, value, attrs)
        context["widget"]["places"] = suggestions(self.country, translation.get_language() or "en") if self.country else []
        context["widget"]["list_attrs"] = getattr(self, "list_attrs", {})
        return context


def offer_places(form, country_field: str = "country", city_field: str = "city") -> None:
    """Give ``form``'s city box the list of its country's places, refreshed (htmx) when the country changes.

    The list itself listens to the country box (``change from:``), so the country box keeps its own
    htmx attributes (the phone report checks each field as it is typed)."""
    from django.urls import reverse

    list_id = f"places-{form.add_prefix(city_field)}"
    widget = CityInput(attrs={**form.fields[city_field].widget.attrs, "list": list_id, "autocomplete": "off"})
    if form.is_bound:
        widget.country = form.data.get(form.add_prefix(country_field))
    else:
        initial = form.initial.get(country_field) or getattr(form.instance if hasattr(form, "instance") else None,
                                                             f"{country_field}_id", None)
        widget.country = getattr(initial, "pk", initial)
    widget.country = str(widget.country or "").upper()[:2] if str(widget.country or "").isalpha() else ""
    country_id = form[country_field].auto_id
    widget.list_attrs = {"hx-get": reverse("web:place_names"), "hx-trigger": f"change from:#{country_id}",
                         "hx-include": f"#{country_id}", "hx-target": "this", "hx-swap": "innerHTML"}
    form.fields[city_field].widget = widget


def language_choices(blank=True):
    choices = [(code, name) for code, name in settings.LANGUAGES]
    return [("", "—")] + choices if blank else choices


class _ByNameIterator(forms.models.ModelChoiceIterator):
    """Choices in the reader's alphabetical order of their labels, the blank one first."""

    def __iter__(self):
        choices = list(super().__iter__())
        blank = [c for c in choices if c[0] == ""]
        return iter(blank + sorted_by_name((c for c in choices if c[0] != ""), lambda c: str(c[1])))


class ByNameChoiceField(forms.ModelChoiceField):
    """A model choice sorted by its label in the reader's language (names that follow
    the reader are not stored, so the database cannot sort them)."""

    iterator = _ByNameIterator


class CountryChoiceField(ByNameChoiceField):
    """Countries sorted by their name in the reader's language."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset=queryset if queryset is not None else Country.objects.all(), **kwargs)


class ManualSessionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        from cascade.lib.translated import pick

        # The title is isolated (FSI ... PDI): an English title on an Arabic page keeps its
        # question mark at its end and its number before it.
        return f"{obj.number}. \u2068{pick(obj.title)}\u2069"


class FiltersForm(forms.Form):
    """Region, country, partner, manual and period: the filters of the dashboard and lists."""

    region = ByNameChoiceField(Region.objects.all(), required=False, label=_("Region"),
                               to_field_name="code", empty_label=_("All regions"))
    country = CountryChoiceField(required=False, label=_("Country"), to_field_name="code",
                                 empty_label=_("All countries"))
    partner = ByNameChoiceField(Organization.objects.none(), required=False, label=_("Partner"),
                                to_field_name="key", empty_label=_("All partners"))
    manual = ByNameChoiceField(Manual.objects.all(), required=False, label=_("Manual"),
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


#: Said above the three counts, in the phone report and the staff form alike.
ATTENDED_LEAD = _("Everyone who attended, by gender, named or not.")


class TrainingForm(forms.ModelForm):
    """An institute or step-down; the title is written in the reader's language."""

    lead = ATTENDED_LEAD

    title_text = forms.CharField(label=_("Title"), max_length=300,
                                 help_text=_("In the language you are using now; other languages are kept."))

    class Meta:
        model = Training
        fields = ["kind", "start_date", "end_date", "country", "city", "host", "co_organisers",
                  "language", "manuals", "source_training", "cancelled"]
        field_classes = {"country": CountryChoiceField}
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "co_organisers": forms.CheckboxSelectMultiple,
            "manuals": forms.CheckboxSelectMultiple,
            "language": forms.Select(choices=language_choices()),
        }

    # Everyone who attended, as in the phone report; the training keeps those not named
    # (cascade.trainings.headcounts, applied by web.services.save_training).
    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=100000, required=False)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=100000, required=False)
    other = forms.IntegerField(label=_("Others or not stated"), min_value=0, max_value=100000, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from cascade.lib.translated import pick

        if self.instance.pk:
            self.fields["title_text"].initial = pick(self.instance.title)
            from cascade.trainings import headcounts

            unnamed = {"women": self.instance.women_count, "men": self.instance.men_count,
                       "other": self.instance.other_count}
            for group, number in headcounts.attended(self.instance).items():
                # Empty when everyone of that gender is named: adding a name then needs no number.
                if unnamed[group]:
                    self.fields[group].initial = number
        organizations = visible_organizations(user)
        self.fields["host"].queryset = organizations
        self.fields["co_organisers"].queryset = organizations
        sources = visible_trainings(user).filter(kind=Training.Kind.INSTITUTE)
        if self.instance.pk:
            # A reported step-down may name a step-down where its trainer trained: keep its source
            # on offer, so that saving the form never drops it, and staff can change it.
            sources = Training.objects.filter(
                Q(pk__in=sources.values("pk")) | Q(pk=self.instance.source_training_id)
            ).exclude(pk=self.instance.pk)
        self.fields["source_training"].queryset = sources
        offer_places(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return data

    def translated_title(self) -> dict:
        from cascade.lib.translated import with_text

        return with_text(self.instance.title, translation.get_language() or "en", self.cleaned_data["title_text"])


class ParticipantForm(forms.Form):
    """One row of the participants table: someone already known, or a new name.

    A known person is carried by a hidden field (the table shows her name): rows come from
    the search, the pasted list or a call's applicants, never from a list of everyone. A row
    from a call also carries its ``application``: saving finds or creates her record from it.
    """

    person = forms.ModelChoiceField(Person.objects.none(), required=False, label=_("Known person"),
                                    widget=forms.HiddenInput)
    application = forms.ModelChoiceField(Person.objects.none(), required=False, widget=forms.HiddenInput)
    new_name = forms.CharField(required=False, max_length=200, label=_("or a new person’s full name"))
    gender = forms.ChoiceField(choices=Person.Gender.choices, initial=Person.Gender.WOMAN, label=_("Gender"))
    role = forms.ChoiceField(choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT,
                             label=_("Role"))
    completed = forms.BooleanField(required=False, initial=True, label=_("Attended to the end"))

    def __init__(self, *args, user=None, applications=None, **kwargs):
        from cascade.selection.models import Application

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user)
        self.fields["application"].queryset = Application.objects.none() if applications is None else applications

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("new_name", "").strip():
            self.add_error("new_name", _("Choose a known person or type a new name, not both."))
        if data.get("application") and not data.get("person") and not data.get("new_name", "").strip():
            data["new_name"] = data["application"].full_name
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("person") and not data.get("new_name", "").strip()

    @property
    def person_name(self) -> str:
        """The name the row shows for a known person (hidden field)."""
        value = self["person"].value()
        if not value or not str(value).isdigit():
            return ""
        person = self.fields["person"].queryset.filter(pk=value).first()
        return person.full_name if person else ""


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


#: Rows are added in the browser (or five at a time without a script); the server takes any number.
ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=0, can_delete=True, max_num=1000,
    absolute_max=1000)


def call_applicants(user):
    """Accepted and confirmed applications of the calls this user may manage."""
    from cascade.access import can_manage_call, visible_calls
    from cascade.selection.models import Application

    calls = [call.pk for call in visible_calls(user).select_related("training") if can_manage_call(user, call)]
    return Application.objects.filter(call__in=calls, status__in=[
        Application.Status.ACCEPTED, Application.Status.CONFIRMED])


def managed_calls(user):
    from cascade.access import can_manage_call, visible_calls

    calls = visible_calls(user).select_related("training")
    return calls.filter(pk__in=[call.pk for call in calls if can_manage_call(user, call)])


class AddPeopleForm(forms.Form):
    """Many participants at once: a pasted list of names or person keys, or a call's accepted applicants."""

    paste = forms.CharField(
        required=False, label=_("Paste names or person keys, one a line"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each line must name one person you can see, by full name or by key. "
                    "New people are typed in the table instead."))
    paste_role = forms.ChoiceField(choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT, required=False,
                                   label=_("Role of the pasted people"))
    call = forms.ModelChoiceField(Person.objects.none(), required=False, label=_("Call for applications"),
                                  empty_label="—",
                                  help_text=_("Its accepted and confirmed applicants are added to the table."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["call"].queryset = managed_calls(user)

    def clean_paste(self):
        """The people of the pasted lines; a line that names nobody, or several, is an error naming it."""
        people, errors = [], []
        visible = visible_people(self.user)
        for number, line in enumerate(self.cleaned_data["paste"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            found = list(visible.filter(key=text)[:1]) or list(visible.filter(full_name__iexact=text)[:2])
            if not found:
                errors.append(_("Line %(number)d (“%(text)s”): no one you can see has this name or key.")
                              % {"number": number, "text": text[:80]})
            elif len(found) > 1:
                errors.append(_("Line %(number)d (“%(text)s”): several people have this name; "
                                "write the person key instead.") % {"number": number, "text": text[:80]})
            else:
                people.append(found[0])
        if errors:
            raise ValidationError(errors)
        return people

    def rows(self) -> list[dict]:
        """Rows for the participants table: the pasted people, then the call's applicants."""
        data = self.cleaned_data
        role = data.get("paste_role") or Participation.Role.PARTICIPANT
        rows = [{"person": person, "role": role, "gender": person.gender, "completed": True}
                for person in data.get("paste") or []]
        if data.get("call"):
            for application in call_applicants(self.user).filter(call=data["call"]).select_related(
                    "participation__person"):
                if application.participation_id:
                    person = application.participation.person
                    rows.append({"person": person, "gender": person.gender, "role": Participation.Role.PARTICIPANT,
                                 "completed": True})
                else:
                    rows.append({"application": application, "new_name": application.full_name,
                                 "gender": application.gender or Person.Gender.NOT_STATED,
                                 "role": Participation.Role.PARTICIPANT, "completed": True})
        return rows


class ManualSessionField(forms.ModelChoiceField):
    """A manual's session, offered grouped by manual."""

    def label_from_instance(self, obj):
        from cascade.lib.translated import pick

        return f"{obj.number}. {pick(obj.title)}"


class AgendaItemForm(forms.Form):
    """One session of the agenda: its day, a manual's session or a title, and who facilitates it.

    Every field may be empty: a row with neither a session nor a title is left out.
    """

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(required=False, label=_("Day"), widget=date_input())
    manual_session = ManualSessionField(ManualSession.objects.none(), required=False, label=_("Manual session"),
                                        empty_label="—")
    title_text = forms.CharField(required=False, max_length=300, label=_("Title"))
    facilitators = forms.ModelMultipleChoiceField(Person.objects.none(), required=False,
                                                  label=_("Facilitators"),
                                                  widget=forms.SelectMultiple(attrs={"size": 3}))

    def __init__(self, *args, user=None, sessions=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manual_session"].queryset = ManualSession.objects.all()
        self.fields["manual_session"].widget.choices = sessions
        self.fields["facilitators"].queryset = visible_people(user)
        self.fields["facilitators"].widget.choices = candidates

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("manual_session") and not data.get("title_text", "").strip()

    def clean(self):
        data = super().clean()
        if not self.is_blank and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Give the day of this session."))
        return data


class BaseAgendaFormSet(forms.BaseFormSet):
    def check_training(self, start, end, manuals) -> None:
        """Each session on one of the training's days, from one of its manuals (after ``is_valid``)."""
        from django.utils import formats

        last = end or start
        manual_ids = {manual.pk for manual in manuals}
        for form in self.forms:
            data = form.cleaned_data
            if not data or form.is_blank or data.get("DELETE"):
                continue
            day = data.get("date")
            if day and start and not (start <= day <= last):
                form.add_error("date", _("Choose a day from %(first)s to %(last)s.") % {
                    "first": formats.date_format(start, "SHORT_DATE_FORMAT"),
                    "last": formats.date_format(last, "SHORT_DATE_FORMAT")})
            session = data.get("manual_session")
            if session and session.manual_id not in manual_ids:
                form.add_error("manual_session", _("This session is from a manual not ticked above."))

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms
                if form.cleaned_data and not form.is_blank and not form.cleaned_data.get("DELETE")]


AgendaFormSet = forms.formset_factory(
    AgendaItemForm, formset=BaseAgendaFormSet, extra=0, can_delete=True, max_num=500, absolute_max=500)


def manual_session_choices():
    """The sessions of every manual, grouped under the manual's title."""
    from cascade.lib.translated import pick

    groups = {}
    for session in ManualSession.objects.select_related("manual").order_by("manual_id", "number"):
        groups.setdefault(session.manual, []).append((session.pk, f"{session.number}. {pick(session.title)}"))
    return [("", "—")] + [(str(manual), choices) for manual, choices in groups.items()]


def facilitator_choices(user, training=None, extra_ids=()):
    """Whom the agenda offers as facilitators: people in scope who facilitate anywhere, this
    training's people, and those already chosen (any visible person is accepted on a post)."""
    people = visible_people(user)
    condition = Q(participations__role=Participation.Role.FACILITATOR) | Q(pk__in=list(extra_ids))
    if training is not None and training.pk:
        condition |= Q(participations__training=training) | Q(sessions_facilitated__training=training)
    return [(person.pk, person.full_name) for person in people.filter(condition).distinct().order_by("full_name")]


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


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from django.utils import formats

        return f"{obj} ({formats.date_format(obj.last_day, 'SHORT_DATE_FORMAT')})"


class StepWhenForm(forms.Form):
    trainer = forms.ModelChoiceField(Person.objects.none(), label=_("Who led the training"))
    source_training = SourceChoiceField(
        Training.objects.none(), required=False, label=_("Training where the trainer trained"),
        error_messages={"invalid_choice": _("Choose one of the trainings this trainer completed by the "
                                            "date of this one, or leave it empty.")},
        help_text=_("The trainings she completed, newest first. Leave empty if you do not know."))
    start_date = forms.DateField(label=_("Date"), widget=date_input())
    end_date = forms.DateField(label=_("Last day, if more than one day"), required=False, widget=date_input())
    country = CountryChoiceField(label=_("Country"), to_field_name="code")
    city = forms.CharField(label=_("Town or village"), max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = visible_people(user)
        self.fields["trainer"].queryset = people
        trainer_pk = self.data.get(self.add_prefix("trainer")) if self.is_bound else self.initial.get("trainer")
        trainer = people.filter(pk=trainer_pk).first() if str(trainer_pk or "").isdigit() else None
        # Her completed trainings that ended by the step-down's first day, when that is known yet.
        start = self.data.get(self.add_prefix("start_date")) if self.is_bound else self.initial.get("start_date")
        try:
            start = forms.DateField().to_python(start)
        except ValidationError:
            start = None
        self.fields["source_training"].queryset = report_sources(user, trainer, before=start)
        offer_places(self)

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
    manual = ByNameChoiceField(Manual.objects.all(), label=_("Manual you used"), required=False,
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
    """Everyone who came, by gender, then the names of those who agreed to be named.

    The training keeps the unnamed remainder (cascade.trainings.headcounts)."""

    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=10000, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=10000, initial=0)
    other = forms.IntegerField(label=_("Others or not stated"), min_value=0, max_value=10000, initial=0,
                               required=False)
    women_names = forms.CharField(
        label=_("Names of women (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name a line, only with their agreement. Named people are counted above too."))
    men_names = forms.CharField(label=_("Names of men (optional)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    other_names = forms.CharField(label=_("Names of others or of people whose gender is not stated (optional)"),
                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))

    NAMES = {"women_names": "woman", "men_names": "man", "other_names": "not stated"}
    lead = ATTENDED_LEAD

    def clean(self):
        from cascade.trainings import headcounts

        data = super().clean()
        total = sum(data.get(name) or 0 for name in headcounts.GROUPS)
        if not self.errors and total == 0:
            raise ValidationError(_("Say how many people took part: at least one woman, man or other."))
        if not self.errors:
            try:
                headcounts.unnamed({group: data.get(group) or 0 for group in headcounts.GROUPS},
                                   headcounts.count_named(gender for _name, gender in self.named()))
            except ValidationError as error:
                for group, messages in error.message_dict.items():
                    self.add_error(group, messages)
        return data

    def named(self) -> list[tuple[str, str]]:
        """The names given, each with the gender of the box it was written in."""
        data = getattr(self, "cleaned_data", {})
        return [(name, gender) for field, gender in self.NAMES.items() for name in data.get(field) or []]

    def _names(self, field):
        lines = [line.strip() for line in self.cleaned_data[field].splitlines()]
        names = [line for line in lines if line]
        for name in names:
            if len(name) > 200:
                raise ValidationError(_("A name is longer than 200 characters: put one name on each line."))
        return names

    def clean_women_names(self):
        return self._names("women_names")

    def clean_men_names(self):
        return self._names("men_names")

    def clean_other_names(self):
        return self._names("other_names")


STEPS = [
    ("when", StepWhenForm, _("When and where")),
    ("manual", StepManualForm, _("What you taught")),
    ("sessions", StepSessionsForm, _("Sessions")),
    ("people", StepPeopleForm, _("Who came")),
]

#: The report's last screen, after the steps: everything they gathered, photos, and the save button.
REVIEW_TITLE = _("Check and save")


def report_screens() -> list:
    """The titles of the report's screens, as the phone numbers them ("Step 2 of 5"); the help
    page lists and counts them from here, so it always says what the phone shows."""
    return [title for _name, _form, title in STEPS] + [REVIEW_TITLE]
