"""Which part of the network a figure is about: region, country, partner, manual, dates.

A filter selects trainings; people are in it through those trainings. Values
come from users (command line, query string), so each is checked and a bad one
is reported by name rather than silently matching nothing.
"""

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _, gettext_lazy

from cascade.curriculum.models import Manual
from cascade.network.models import Country, Organization, Region


FILTER_NAMES = ("region", "country", "partner", "manual", "since", "until")


class FilterError(ValueError):
    """A filter value that names nothing known; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    """Resolved filter values (database ids and codes); build with :meth:`parse`."""

    region: str | None = None  # M49 code, "143"
    country: str | None = None  # ISO alpha-2, "KZ"
    partner: str | None = None  # organisation key: its cascade (institutes hosted or co-organised, and their step-downs)
    manual: str | None = None  # manual key
    since: datetime.date | None = None  # trainings starting on or after
    until: datetime.date | None = None  # trainings starting on or before
    partner_id: int | None = None
    manual_id: int | None = None

    @classmethod
    def parse(cls, region=None, country=None, partner=None, manual=None, since=None, until=None):
        """Check raw values (text or dates) and resolve them; raise FilterError naming the bad one."""
        values = {}
        if region not in (None, ""):
            values["region"] = _resolve_region(str(region).strip())
        if country not in (None, ""):
            code = str(country).strip().upper()
            if not Country.objects.filter(code=code).exists():
                raise FilterError(_("country: “%(value)s” is not an ISO 3166 two-letter code.") % {"value": country})
            values["country"] = code
        if partner not in (None, ""):
            org = Organization.objects.filter(key=str(partner).strip()).only("id").first()
            if org is None:
                raise FilterError(_("partner: no organisation has the key “%(value)s”.") % {"value": partner})
            values["partner"], values["partner_id"] = str(partner).strip(), org.id
        if manual not in (None, ""):
            found = Manual.objects.filter(key=str(manual).strip()).only("id").first()
            if found is None:
                raise FilterError(_("manual: no manual has the key “%(value)s”.") % {"value": manual})
            values["manual"], values["manual_id"] = str(manual).strip(), found.id
        for name, value in (("since", since), ("until", until)):
            if value not in (None, ""):
                values[name] = _parse_date(name, value)
        if values.get("since") and values.get("until") and values["until"] < values["since"]:
            raise FilterError(_("until: %(until)s is before since (%(since)s).") % {
                "until": values["until"].isoformat(), "since": values["since"].isoformat()})
        return cls(**values)

    @classmethod
    def from_options(cls, options: dict):
        """From parsed command-line options (see :func:`add_filter_arguments`)."""
        return cls.parse(**{name: options.get(name) for name in FILTER_NAMES})

    @property
    def is_empty(self) -> bool:
        return not any((self.region, self.country, self.partner_id, self.manual_id, self.since, self.until))

    @property
    def only_partner(self) -> bool:
        """A partner's whole cascade and nothing else: the engine keeps its parts apart."""
        return bool(self.partner_id) and not any((self.region, self.country, self.manual_id, self.since, self.until))

    def as_dict(self) -> dict:
        """The filter as the user gave it, for echoing in JSON and query strings."""
        data = asdict(self)
        data.pop("partner_id"), data.pop("manual_id")
        return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items() if v is not None}

    def sql(self, alias: str = "t", planned: bool = False) -> tuple[str, list]:
        """A WHERE condition on the training table aliased ``alias``, and its parameters:
        held trainings only, or with ``planned`` the planned ones instead ("upcoming")."""
        from cascade.metrics import tables as T

        if planned:
            # A planned training is in no cascade yet (only held ones are): a partner's upcoming
            # trainings are the ones it hosts or co-organises.
            partner = (f"({alias}.host_id = %s OR {alias}.id IN"
                       f" (SELECT training_id FROM {T.CO_ORGANISERS} WHERE organization_id = %s))")
        else:
            # the partner's cascade, kept by the engine with the generations (see docs/metrics.md)
            partner = f"{alias}.id IN (SELECT training_id FROM {T.CASCADE} WHERE organization_id = %s)"
        simple = (
            (self.region, f"{alias}.country_id IN (SELECT code FROM {T.COUNTRY} WHERE region_id = %s)"),
            (self.country, f"{alias}.country_id = %s"),
            (self.partner_id, partner),
            (self.since, f"{alias}.start_date >= %s"),
            (self.until, f"{alias}.start_date <= %s"),
        )
        parts = ["1=1"] + [condition for value, condition in simple if value]
        params = [value for value, condition in simple if value for _ in range(condition.count("%s"))]
        if self.manual_id:
            parts.append(
                f"({alias}.id IN (SELECT training_id FROM {T.TRAINING_MANUALS} WHERE manual_id = %s)"
                f" OR {alias}.id IN (SELECT ts.training_id FROM {T.SESSION} ts"
                f" JOIN {T.MANUAL_SESSION} ms ON ms.id = ts.manual_session_id WHERE ms.manual_id = %s))"
            )
            params += [self.manual_id, self.manual_id]
        parts.append(planned_sql(alias) if planned else held_sql(alias))
        return " AND ".join(parts), params


def held_sql(alias: str = "t") -> str:
    """A training that was held: not cancelled and its first day has come. Planned and
    cancelled trainings are in no figure (docs/metrics.md). The date is today's, as a literal
    (an ISO date: no quoting issue), so the same text serves SQLite and PostgreSQL."""
    from cascade.trainings.models import today

    return f"NOT {alias}.cancelled AND {alias}.start_date <= '{today().isoformat()}'"


def planned_sql(alias: str = "t") -> str:
    """A planned training: not cancelled and its first day still ahead (see held_sql)."""
    from cascade.trainings.models import today

    return f"NOT {alias}.cancelled AND {alias}.start_date > '{today().isoformat()}'"


def _resolve_region(value: str) -> str:
    if value.isdigit():
        code = value.zfill(3)
        if Region.objects.filter(code=code).exists():
            return code
    else:
        found = Region.objects.filter(name__iexact=value).values_list("code", flat=True).first()
        if found:
            return found
    raise FilterError(_("region: “%(value)s” is not a UN M49 sub-region code or name (Central Asia is 143).") % {"value": value})


def _parse_date(name: str, value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FilterError(_("%(name)s: “%(value)s” is not a date as YYYY-MM-DD.") % {"name": name, "value": value}) from None


def add_filter_arguments(parser) -> None:
    """The same filter options on every command (``cascade stats``, reports...)."""
    parser.add_argument("--region", help=gettext_lazy("UN M49 sub-region code or name, such as 143 or \"Central Asia\""))
    parser.add_argument("--country", help=gettext_lazy("ISO two-letter country code, such as KZ"))
    parser.add_argument("--partner", help=gettext_lazy(
        "key of a partner: its cascade (institutes it hosted or co-organised and every step-down grown from them)"))
    parser.add_argument("--manual", help=gettext_lazy("key of a manual"))
    parser.add_argument("--since", help=gettext_lazy("trainings starting on or after YYYY-MM-DD"))
    parser.add_argument("--until", help=gettext_lazy("trainings starting on or before YYYY-MM-DD"))
