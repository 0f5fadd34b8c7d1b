from __future__ import annotations

from typing import Any

import pytest

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.ratings.tests import builders
from luoshi.testing.seed import seed_document
from luoshi.units.models import Unit


@pytest.fixture
def document(db: None) -> Document:
    return seed_document()


@pytest.fixture
def drc(db: None) -> Unit:
    return builders.unit("drc", "自治区发展改革委")


@pytest.fixture
def energy(db: None) -> Unit:
    return builders.unit("energy", "自治区能源局")


@pytest.fixture
def liaison(django_user_model: Any, drc: Unit) -> Any:
    user = django_user_model.objects.create_user(username="liaison", password="x")
    Profile.objects.create(user=user, unit=drc, role=Role.LIAISON)
    return user


@pytest.fixture
def supervisor(django_user_model: Any) -> Any:
    user = django_user_model.objects.create_user(username="supervisor", password="x")
    Profile.objects.create(user=user, role=Role.SUPERVISOR)
    return user
