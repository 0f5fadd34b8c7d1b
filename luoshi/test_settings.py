"""Settings for the test suite: the normal settings with a fixed test key."""

import os

os.environ.setdefault("LUOSHI_SECRET_KEY", "luoshi-test-secret-key-not-for-production")
os.environ.setdefault("LUOSHI_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from luoshi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
