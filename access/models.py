"""Who serves where: a user's regions, districts and (for an inspector) their inspector record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history


class Membership(TimeStampedModel):
    """The territory a user serves. Roles are Django groups (see access/roles.py); this says
    where they apply: reads cover the whole region of each district, writes the districts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("пользователь"),
    )
    nationwide = models.BooleanField(
        _("вся страна"),
        default=False,
        help_text=_("Все области и районы (республиканский уровень, внешние системы)."),
    )
    regions = models.ManyToManyField(
        "stations.Region", blank=True, related_name="+", verbose_name=_("области")
    )
    districts = models.ManyToManyField(
        "stations.District", blank=True, related_name="+", verbose_name=_("районы")
    )
    inspector = models.OneToOneField(
        "officers.Inspector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("участковый инспектор"),
        help_text=_("Для роли «Участковый инспектор»: его собственная запись."),
    )

    # Who was given which territory, and by whom: part of the audit trail.
    history = audit_history(m2m_fields=[regions, districts])

    class Meta:
        verbose_name = _("участок ответственности")
        verbose_name_plural = _("участки ответственности")

    def __str__(self) -> str:
        return str(self.user)
