"""Catalog fixtures. Uploaded files go to a temporary MEDIA_ROOT, never into the repository."""

import pytest

from exercises.library import library_load
from exercises.models import Exercise


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def library(db):
    """The shared library loaded from exercises/library/ (the real data file)."""
    library_load()
    return Exercise.objects.library()
