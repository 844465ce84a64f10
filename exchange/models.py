"""No tables of its own: a proxy of District gives the topology check a place (and a
permission) in the admin."""

from django.utils.translation import gettext_lazy as _

from stations.models import District


class TerritoryCheck(District):
    """The admin's "territory check" page: overlaps, gaps and strays per district."""

    class Meta:
        proxy = True
        verbose_name = _("проверка территории")
        verbose_name_plural = _("проверка территории")
