"""Model fields that keep contact details encrypted at rest, and their look-up hashes.

The attribute reads and writes plain text (``person.email = "a@b.org"``), so forms,
the importer and the demo need no change; only the database holds ciphertext.
Encrypted columns cannot be searched or compared in SQL; look up by the hash column.
"""

from django import forms
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted with MultiFernet. ``max_length`` limits the plain text (forms, importer)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted and cannot be compared in the database; "
            f"filter on its hash column instead."
        )

    def formfield(self, **kwargs):
        # A one-line input, not the textarea of a TextField.
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedEmailField(EncryptedTextField):
    default_validators = [validators.validate_email]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class KeyedHashField(models.CharField):
    """HMAC of another field's value, recomputed on every save (see ``crypto.email_digest``)."""

    def __init__(self, *args, source: str = "email", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def digest_of(self, instance) -> str:
        return crypto.email_digest(getattr(instance, self.source))

    def pre_save(self, model_instance, add):
        value = self.digest_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def _hash_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]


class ProtectedQuerySet(models.QuerySet):
    """Keeps hash columns in step when rows are changed in bulk (the importer does)."""

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        for field in _hash_fields(self.model):
            if field.source in fields:
                for obj in objs:
                    setattr(obj, field.attname, field.digest_of(obj))
                if field.name not in fields:
                    fields.append(field.name)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        for field in _hash_fields(self.model):
            if field.source in kwargs and field.name not in kwargs:
                value = kwargs[field.source]
                if not isinstance(value, str):
                    raise FieldError(f"{field.source} is encrypted: update it with plain text, not an expression.")
                kwargs[field.name] = crypto.email_digest(value)
        return super().update(**kwargs)
