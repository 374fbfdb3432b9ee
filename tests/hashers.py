"""Argon2 at its smallest cost, for the test suite.

The product hashes passwords with Argon2 at Django's cost (100 MB, two passes): about a second on
two busy cores, each time a test signs a user in, accepts an invitation or sets a password. The
suite uses the same hasher, the same algorithm name and the same code, at a few kilobytes and one
pass; a hash made with the product's cost still checks (its parameters are in the hash).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1


PRODUCT = "django.contrib.auth.hashers.Argon2PasswordHasher"
QUICK = "tests.hashers.QuickArgon2PasswordHasher"


def quick(hashers) -> list:
    """The product's list with Argon2, where it is, at the quick cost (a list without Argon2 stays as it is)."""
    return [QUICK if hasher == PRODUCT else hasher for hasher in hashers]
