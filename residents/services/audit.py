"""Saving through simple-history with the acting user, so every write is attributed even outside a request."""

from django.db import models


def audited_save(instance: models.Model, *, actor, validate: bool = True, **save_kwargs) -> models.Model:
    if validate:
        instance.full_clean()
    instance._history_user = actor
    instance.save(**save_kwargs)
    return instance
