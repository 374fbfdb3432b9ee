"""Encryption of contact details and keyed hashes, with keys from settings (the environment).

MultiFernet (from ``cryptography``) encrypts with the newest key and decrypts with
any listed key, which is what makes key rotation possible without downtime.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "CASCADE_FERNET_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes each); "
            "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FERNET_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored contact detail cannot be decrypted with the keys in CASCADE_FERNET_KEYS: "
            "was a retired key removed before `cascade rotate-keys` ran?"
        ) from None


def rotate(token: str) -> str:
    """The same secret, encrypted with the newest key."""
    return fernet().rotate(token.encode()).decode()


def keyed_hash(purpose: str, value: str, key: str | None = None) -> str:
    """HMAC-SHA256 of ``value``; ``purpose`` keeps hashes for different uses apart."""
    key = key or settings.LOOKUP_KEY
    return hmac.new(key.encode(), f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def email_digest(email: str) -> str:
    """The look-up hash of an email address (case and spaces ignored); "" for no email.

    Find a person by email with ``Person.objects.filter(email_hash=email_digest(value))``.
    """
    email = (email or "").strip().lower()
    return keyed_hash("email", email) if email else ""
