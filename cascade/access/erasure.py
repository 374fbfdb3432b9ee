"""Where a person's name can live, and how an erasure forgets it there.

Every text, JSON and file field of every model is listed in exactly one of three
tables (``tests/access/test_erasure_places.py`` discovers the fields through the
app registry and fails on a field that is in none):

- ``REWRITTEN``: any row may mention her (a caption, a story, a change-history
  entry); the erasure scans every row and replaces her names, former keys, e-mail
  and phone (``forget``).
- ``CLEARED``: the field belongs to her own rows (her record, her accounts, her
  applications), which the erasure empties or deletes.
- ``NO_NAME``: the field cannot hold a name; each entry says why.

The erasure is also written to a register outside the database (``ERASURES_FILE``,
0600): a keyed hash of her former key, never the key or a name. A restore of an
older backup reads it and erases again whoever the backup brings back (``reapply``).
"""

import dataclasses
import datetime
import functools
import itertools
import json
import os
import re
from pathlib import Path

from anyascii import anyascii
from django.apps import apps
from django.conf import settings
from django.db import models

PLACEHOLDER = "[…]"

REWRITTEN = {
    "admin.logentry.object_repr": "Django's admin names what it changed as str(obj), her name",
    "admin.logentry.change_message": "admin change messages may quote names",
    "auditlog.logentry.object_repr": "change history names the object: 'trainer (Saule Mysalova)'",
    "auditlog.logentry.changes": "change history holds old and new values of names and captions",
    "auditlog.logentry.changes_text": "the same changes as text",
    "auditlog.logentry.serialized_data": "a full copy of the object when it was changed",
    "auditlog.logentry.additional_data": "anything a model adds to its history",
    "audit.auditentry.object_label": "labels carry her key, which may be made of her name",
    "audit.auditentry.details": "details may quote a reason, a file name or a search",
    "photos.photo.caption": "captions name the people in the picture, in every language",
    "stories.storydraft.text": "story drafts name facilitators and participants; exports are made from it",
    "stories.storydraft.facts": "the facts a story was written from",
    "trainings.training.title": "a title may name a person ('Aigul's step-down in Arys')",
    "trainings.training.description": "free text in every language",
    "trainings.trainingsession.title": "free text in every language",
    "network.organization.description": "free text may name its president",
    "network.membership.title": "free text; her own memberships are deleted too",
    "selection.application.answers": "answers may name another applicant or a referee",
    "selection.application.override_reason": "a reviewer's free text",
    "selection.review.comment": "a reviewer's free text about an applicant",
    "selection.review.conflict_note": "a reviewer's free text ('I know her')",
    "selection.score.comment": "a reviewer's free text",
    "indicators.indicatorobservation.note": "free text",
    "indicators.indicatorobservation.source_file": "a file name, chosen by whoever saved the file",
    "axes.accessattempt.username": "sign-in attempts keep the username typed",
    "axes.accessfailurelog.username": "sign-in failures keep the username typed",
    "axes.accesslog.username": "sign-ins keep the username",
    "jobs.job.title": "a job's title is free text",
    "jobs.job.params": "a job's parameters may quote a search or a file name",
    "jobs.job.result": "an import's problems quote the values of its rows",
    "jobs.job.error": "an error may quote a row's values",
    "api.apitoken.name": "what a token is for, free text typed by its owner",
    "api.idempotentrequest.key": "an Idempotency-Key is of the sender's making and may quote a name",
}

CLEARED = {
    "network.person.key": "replaced by a random erased-… key",
    "network.person.full_name": "emptied",
    "network.person.city": "emptied",
    "network.person.email": "emptied",
    "network.person.email_hash": "follows the e-mail",
    "network.person.phone": "emptied",
    "network.person.languages": "emptied",
    "auth.user.username": "her accounts (through her role) get a random erased-… username",
    "auth.user.first_name": "emptied on her accounts",
    "auth.user.last_name": "emptied on her accounts",
    "auth.user.email": "emptied on her accounts",
    "auth.user.password": "made unusable on her accounts",
    "auditlog.logentry.actor_email": "emptied where it is hers",
    "audit.auditentry.username": "her former usernames are replaced by the new one",
    "selection.application.full_name": "her applications are erased (selection.services)",
    "selection.application.email": "her applications are erased",
    "selection.application.email_hash": "her applications are erased",
    "selection.application.phone": "her applications are erased",
    "selection.applicationfile.name": "her applications' files are erased",
    "selection.applicationfile.file": "her applications' files are erased",
    "photos.photo.image": "photos showing her are deleted, files included; other names are random",
    "photos.photo.thumbnail": "as the image",
    "otp_totp.totpdevice.name": "devices of her accounts are deleted",
    "otp_static.staticdevice.name": "devices of her accounts are deleted",
    "sessions.session.session_data": "sessions of her accounts are deleted",
    "accounts.invitation.email": "invitations to her e-mail, her accounts' or her record are deleted",
}

NO_NAME = {
    "accounts.invitation.language": "a language code",
    "accounts.invitation.token_digest": "a hash of a random secret",
    "admin.logentry.object_id": "a primary key",
    "auth.permission.name": "Django's permission names",
    "auth.permission.codename": "Django's permission codes",
    "auth.group.name": "names of groups of users, set by the network admin",
    "contenttypes.contenttype.app_label": "names of apps",
    "contenttypes.contenttype.model": "names of models",
    "sessions.session.session_key": "a random token",
    "otp_totp.totpdevice.key": "a random secret",
    "otp_static.statictoken.token": "a random code",
    "axes.accessattempt.user_agent": "the browser's self-description",
    "axes.accessattempt.http_accept": "the browser's accepted types",
    "axes.accessattempt.path_info": "a URL path of the sign-in page",
    "axes.accessattempt.get_data": "query strings of the sign-in page (axes keeps no passwords)",
    "axes.accessattempt.post_data": "the sign-in form without the password: the username, rewritten above",
    "axes.accessfailurelog.user_agent": "the browser's self-description",
    "axes.accessfailurelog.http_accept": "the browser's accepted types",
    "axes.accessfailurelog.path_info": "a URL path of the sign-in page",
    "axes.accesslog.user_agent": "the browser's self-description",
    "axes.accesslog.http_accept": "the browser's accepted types",
    "axes.accesslog.path_info": "a URL path of the sign-in page",
    "axes.accesslog.session_hash": "a hash",
    "auditlog.logentry.object_pk": "a primary key",
    "auditlog.logentry.cid": "a correlation id",
    "network.region.code": "a UN M49 code",
    "network.region.name": "a region's name",
    "network.country.code": "an ISO code",
    "network.organization.key": "an organisation's identifier",
    "network.organization.name": "an organisation's name, a public body",
    "network.organization.short_name": "an organisation's acronym",
    "network.organization.names": "an organisation's name in other languages",
    "network.organization.short_names": "an organisation's acronym in other languages",
    "network.organization.city": "where an organisation is, a public fact",
    "network.place.name": "a city's name, from the gazetteer or added by staff",
    "network.place.names": "a city's name in other languages",
    "network.place.forms": "a city's name in grammatical cases",
    "network.place.alternate_names": "a city's other spellings (GeoNames)",
    "network.organization.website": "a public website",
    "curriculum.manual.key": "a manual's identifier",
    "curriculum.manual.title": "a published manual's title",
    "curriculum.manual.isbn": "an ISBN",
    "curriculum.manual.description": "a published manual's description",
    "curriculum.manualsession.part": "a part number of a manual",
    "curriculum.manualsession.part_title": "a published manual's part title",
    "curriculum.manualsession.title": "a published manual's session title",
    "curriculum.edition.language": "a language code",
    "curriculum.edition.variant": "a language variant ('Maghrebi')",
    "curriculum.edition.title": "a published edition's title",
    "curriculum.edition.url": "a published edition's address",
    "curriculum.edition.file": "a manual's file, stored under the name given by staff to a publication",
    "trainings.training.key": "a training's identifier (place and year)",
    "trainings.training.city": "where a training was held",
    "trainings.training.language": "a language code",
    "indicators.indicatorobservation.indicator": "an indicator code",
    "indicators.indicatorobservation.unit": "a unit",
    "indicators.indicatorobservation.source_name": "a publisher's name",
    "indicators.indicatorobservation.source_url": "a publisher's address",
    "indicators.indicatorobservation.licence": "a licence name",
    "metrics.figuresmemo.filters_key": "a hash of filters",
    "metrics.figuresmemo.figures": "computed counts, never names",
    "metrics.figuresmemo.filters": "filter values: codes, keys of organisations and manuals, dates",
    "metrics.pending.kind": "what a write to trainings or participations can change: one of four words",
    "jobs.job.kind": "a kind of job",
    "offline.submission.root_uuid": "a random instance ID given by the phone",
    "offline.submission.instance_id": "a random instance ID given by the phone",
    "offline.submission.people": "primary keys of the people a submission created",
    "offline.submission.photos": "primary keys of the photos a submission stored",
    "offline.submission.earlier": "random instance IDs of a submission's earlier versions",
    "jobs.job.owner_name": "the operator's account on the server (her own accounts are renamed)",
    "jobs.job.language": "a language code",
    "jobs.job.phase": "a phase of the work, named by the program",
    "jobs.job.result_file": "a path of the program's making (the erasure deletes every result file)",
    "jobs.job.result_name": "a file name of the program's making",
    "jobs.job.result_type": "a media type",
    "jobs.job.task_id": "a random id",
    "jobs.job.worker_id": "a random id",
    "api.apitoken.digest": "a hash of a random secret",
    "api.apitoken.prefix": "the start of a random secret",
    "api.idempotentrequest.path": "a URL path of the API",
    "api.idempotentrequest.body": "a hash of the request",
    "api.idempotentrequest.response": "the answer to a report: a training's key, number and URL",
    "jobs.workerheartbeat.worker_id": "a random id",
    "jobs.workerheartbeat.host": "the server's host name",
    "django_tasks_database.dbtaskresult.args_kwargs": "a job's id",
    "django_tasks_database.dbtaskresult.task_path": "a function's path",
    "django_tasks_database.dbtaskresult.worker_ids": "random ids",
    "django_tasks_database.dbtaskresult.queue_name": "a queue's name",
    "django_tasks_database.dbtaskresult.backend_name": "a backend's name",
    "django_tasks_database.dbtaskresult.return_value": "a job's final state",
    "django_tasks_database.dbtaskresult.exception_class_path": "a class path",
    "django_tasks_database.dbtaskresult.traceback": "jobs catch their errors: a traceback here is of the queue, not of rows",
    "audit.auditentry.action": "a namespaced action code",
    "audit.auditentry.object_type": "a model label",
    "audit.auditentry.object_id": "a primary key",
    "stories.storydraft.language": "a language code",
    "selection.call.slug": "a call's address",
    "selection.call.title": "a call's public title",
    "selection.call.description": "a call's public text",
    "selection.call.languages": "language codes",
    "selection.call.eligible_countries": "country codes",
    "selection.question.label": "a question of a public form",
    "selection.question.help_text": "help of a public form",
    "selection.question.choices": "choices of a public form",
    "selection.criterion.name": "a scoring criterion",
    "selection.criterion.anchor_low": "a scoring criterion's anchor",
    "selection.criterion.anchor_high": "a scoring criterion's anchor",
    "selection.quota.attribute": "an attribute name",
    "selection.quota.value": "an attribute value such as a country code",
    "selection.application.token": "a random token",
    "selection.application.language": "a language code",
    "selection.certificate.code": "a random code",
    "selection.certificate.language": "a language code",
    "selection.emailtemplate.subject": "a template with placeholders, filled in when sent",
    "selection.emailtemplate.body": "a template with placeholders, filled in when sent",
}


def text_fields():
    """Every field of every model that can hold free text: ``"app.model.field"`` labels.

    Fields with fixed choices cannot hold a name and are left out."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField, models.FileField)) \
                    and not field.choices:
                found.append(f"{model._meta.label_lower}.{field.name}")
    return found


# --- What to look for --------------------------------------------------------------


@dataclasses.dataclass
class Traces:
    """What of her the erasure looks for: her names (every spelling her history kept),
    and literal traces (former keys, e-mails, phone) with what replaces each."""

    names: set[str]
    literals: dict[str, str | None]  # None: her new key, known once she is erased

    def resolved(self, new_key: str) -> "Traces":
        return Traces(self.names, {text: new_key if by is None else by for text, by in self.literals.items()})


def traces(person, accounts: dict | None = None) -> Traces:
    """Her names, keys, e-mails and phone; former names and keys come from her change
    history, which remembers every one."""
    from auditlog.models import LogEntry
    from django.contrib.admin.models import LogEntry as AdminEntry
    from django.contrib.contenttypes.models import ContentType

    names, keys = {person.full_name}, {person.key}
    unset = {"None", ""}  # what the history writes for a value that was not there
    content_type = ContentType.objects.get_for_model(type(person))
    for changes in LogEntry.objects.filter(content_type=content_type, object_pk=str(person.pk)) \
            .values_list("changes", flat=True):
        changes = json.loads(changes) if isinstance(changes, str) else (changes or {})
        names.update(v for v in changes.get("full_name", ()) if isinstance(v, str) and v not in unset)
        keys.update(v for v in changes.get("key", ()) if isinstance(v, str) and v not in unset)
    names.update(AdminEntry.objects.filter(content_type=content_type, object_id=str(person.pk))
                 .values_list("object_repr", flat=True))
    literals = {person.email: PLACEHOLDER, person.phone: PLACEHOLDER}
    accounts = accounts or {}  # her sign-in accounts and the username each will have
    for account, new_username in accounts.items():
        names.add(f"{account.first_name} {account.last_name}")
        literals[account.email] = PLACEHOLDER
        literals[account.get_username()] = new_username
    literals.update({key: None for key in keys})
    # Three characters or more: a shorter trace would match everywhere.
    return Traces(names={name.strip() for name in names if len(_parts(name)) and len(name.strip()) >= 3},
                  literals={text.strip().lower(): by for text, by in literals.items()
                            if text and len(text.strip()) >= 3})


@functools.lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """A word in plain Latin letters, so 'Айгуль', 'Aygul' and 'Aigul' compare equal."""
    word = re.sub(r"[^a-z0-9]", "", anyascii(word).lower())
    for spelling, same in (("zh", "j"), ("kh", "h"), ("y", "i"), ("j", "i")):
        word = word.replace(spelling, same)
    return re.sub(r"(.)\1+", r"\1", word)


def _parts(name: str) -> tuple[str, ...]:
    """The folded words of a name, initials left out ('Aigul K. Karimova': aigul, karimova)."""
    return tuple(part for part in (fold(word) for word in re.findall(r"\w+", name)) if len(part) >= 2)


def _same(word: str, part: str) -> bool:
    """A name's word, also declined ('Karimova', 'Каримовой'): a longer name may change its last letter
    and take up to three more."""
    if len(part) >= 5:
        return word.startswith(part[:-1]) and len(word) - len(part) <= 3
    return word == part


class Rewriter:
    """Replaces her names (whole words, any order, any script, declined) and her literal
    traces (whatever their case) in text and in JSON values.

    ``each_word``: every word of her names on its own too, for texts about her own
    trainings ('Aigul led the session')."""

    def __init__(self, found: Traces, each_word: bool = False):
        self.literals = found.literals
        words = sorted(self.literals, key=len, reverse=True)
        # Whole traces only: not 'aigul@example.org' inside 'aigul@example.org.uk'.
        self.pattern = re.compile(r"(?<![\w.@+-])(?:" + "|".join(
            re.escape(word) + (r"(?!\.\w)" if "@" in word else "") for word in words) + r")(?![\w@-])",
                                  re.IGNORECASE) if words else None
        names = {_parts(name) for name in found.names}
        if each_word:
            names |= {(part,) for parts in list(names) for part in parts if len(part) >= 3}
        self.names = sorted((parts for parts in names if parts), key=len, reverse=True)

    def text(self, value: str) -> str:
        if not value:
            return value
        if self.pattern:
            value = self.pattern.sub(lambda match: self.literals[match.group(0).lower()], value)
        return self._names(value) if self.names else value

    def _names(self, value: str) -> str:
        tokens = [(m.start(), m.end(), fold(m.group())) for m in re.finditer(r"\w+", value)]
        tokens = [token for token in tokens if len(token[2]) >= 2]
        spans, i = [], 0
        while i < len(tokens):
            for parts in self.names:
                window = tokens[i:i + len(parts)]
                if len(window) == len(parts) and any(
                        all(_same(t[2], p) for t, p in zip(window, order))
                        for order in itertools.permutations(parts)):
                    spans.append((window[0][0], window[-1][1]))
                    i += len(parts)
                    break
            else:
                i += 1
        for start, end in reversed(spans):
            value = value[:start] + PLACEHOLDER + value[end:]
        return value

    def __call__(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, dict):
            return {self(key): self(item) for key, item in value.items()}
        return value


def rewrite(model, field_names, rewriter: Rewriter, queryset=None) -> int:
    """Rewrite the traces in ``field_names`` of every row (or of ``queryset``); returns rows changed."""
    rows = (queryset if queryset is not None else model._base_manager.all()).values_list("pk", *field_names)
    changed = 0
    for pk, *values in rows.iterator(chunk_size=1000):
        new = {}
        for name, value in zip(field_names, values):
            rewritten = rewriter(value)
            if rewritten != value:
                new[name] = rewritten
        if new:
            model._base_manager.filter(pk=pk).update(**new)
            changed += 1
    return changed


def forget(found: Traces, local=()) -> int:
    """Rewrite every ``REWRITTEN`` field of every row; ``local`` adds (model, queryset)
    pairs whose texts also lose each word of her names. Returns rows changed."""
    by_model: dict[str, list[str]] = {}
    for label in REWRITTEN:
        app_model, field = label.rsplit(".", 1)
        by_model.setdefault(app_model, []).append(field)
    changed = 0
    rewriter = Rewriter(found)
    for app_model, fields in by_model.items():
        try:
            model = apps.get_model(app_model)
        except LookupError:
            continue
        changed += rewrite(model, fields, rewriter)
    each_word = Rewriter(found, each_word=True)
    for model, queryset in local:
        changed += rewrite(model, by_model[model._meta.label_lower], each_word, queryset)
    return changed


# --- The register of erasures, outside the database ---------------------------------

PURPOSE = "erased-person-key"


def register_path() -> Path:
    return Path(settings.ERASURES_FILE)


def record(former_key: str, new_key: str) -> None:
    """Add one line to the register: a keyed hash of her former key, never the key itself.

    Written inside the erasure's transaction: if the register cannot be written, nothing
    is erased (and the error says where the register is)."""
    from cascade.lib.crypto import keyed_hash

    path = register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"key_hash": keyed_hash(PURPOSE, former_key), "erased_key": new_key,
                       "at": datetime.datetime.now(datetime.UTC).isoformat()})
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def erased_key_hashes() -> set[str] | None:
    """The hashed keys of everyone ever erased here, or None when there is no register."""
    try:
        lines = register_path().read_text().splitlines()
    except FileNotFoundError:
        return None
    return {json.loads(line)["key_hash"] for line in lines if line.strip()}


def key_hash(key: str) -> str:
    """How the register holds a former key (keyed, so the register names no one)."""
    from cascade.lib.crypto import keyed_hash

    return keyed_hash(PURPOSE, key)


def was_erased(key: str) -> bool:
    """Whether the person who had ``key`` was erased here (an import must not bring her back)."""
    return key_hash(key) in (erased_key_hashes() or ())


def reapply() -> int | None:
    """Erase again everyone the register lists whom the database holds unerased.

    Called by the restore of a backup made before those erasures. Returns how many
    were erased again, or None when there is no register to read."""
    from cascade.lib.crypto import keyed_hash
    from cascade.access import operator
    from cascade.access.services import erase_person
    from cascade.network.models import Person

    hashes = erased_key_hashes()
    if hashes is None:
        return None
    back = [pk for pk, key in Person.objects.filter(erased_at__isnull=True).values_list("pk", "key")
            if keyed_hash(PURPOSE, key) in hashes]
    for person in Person.objects.filter(pk__in=back).order_by("pk"):
        erase_person(person, operator(), reason="re-applied after a restore")
    return len(back)


def unlisted_fields() -> list[str]:
    """Text fields nobody decided about: the erasure would leave a name there."""
    listed = REWRITTEN.keys() | CLEARED.keys() | NO_NAME.keys()
    return sorted(label for label in text_fields() if label not in listed)
