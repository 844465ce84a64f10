"""Abstract model bases shared by every app (imports no app)."""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("создано"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True, editable=False)

    class Meta:
        abstract = True


def validated_save(instance: models.Model) -> models.Model:
    """Validate every field and rule of a model instance (`full_clean`), then save it.

    Callers wrap this in `transaction.atomic` together with their side effects.
    """
    instance.full_clean()
    instance.save()
    return instance


def instance_from_columns(model: type[models.Model], known: dict) -> models.Model:
    """An instance of `model` from some of its columns (by attname), as a query would load it
    (`Model.from_db`), the rest deferred: for rows read by hand-written SQL."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in known]
    return model.from_db(connection.alias, fields, [known[name] for name in fields])
