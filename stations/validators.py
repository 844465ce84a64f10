"""Field validators and error messages for territories and facilities (tests assert on these)."""

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from servicepolice import geo

MSG_KATO = _("Код КАТО состоит ровно из 9 цифр.")
MSG_OUTSIDE_KZ = _(
    "Координаты вне территории Казахстана (долгота 46.4–87.4, широта 40.5–55.5). "
    "Проверьте, не перепутаны ли широта и долгота."
)
MSG_INVALID_POLYGON = _("Некорректный полигон: %(reason)s.")
MSG_POINT_OUTSIDE_DISTRICT = _(
    "Точка лежит вне границ района «%(district)s» (в %(distance)s м от границы)."
)
MSG_POLYGON_OUTSIDE_DISTRICT = _(
    "Участок выходит за границы района «%(district)s» более чем на %(tolerance)s м."
)
MSG_CLOSED_BEFORE_OPENED = _("Дата закрытия не может быть раньше даты открытия.")
MSG_CLOSED_WITHOUT_DATE = _("Для закрытого объекта укажите дату закрытия.")
MSG_CLOSED_DATE_NOT_CLOSED = _("Дата закрытия указывается только для закрытого объекта.")
MSG_PRECINCT_OTHER_DISTRICT = _("Участок относится к другому району.")
MSG_SETTLEMENT_OUTSIDE = _("Населённый пункт лежит вне границ района «%(district)s».")

kato_validator = RegexValidator(r"^\d{9}$", MSG_KATO, code="kato")


def validate_in_kazakhstan(geom: GEOSGeometry) -> None:
    """Reject a geometry whose bounding box leaves Kazakhstan's extent."""
    if geom is not None and not geom.empty and not geo.in_kazakhstan(geom):
        raise ValidationError(MSG_OUTSIDE_KZ, code="outside_kazakhstan")


def validate_polygon(geom: GEOSGeometry) -> None:
    """Reject an invalid polygon with GEOS's reason and the place it found."""
    if geom is None:
        return
    reason = geo.invalid_reason(geom)
    if reason:
        raise ValidationError(
            MSG_INVALID_POLYGON, code="invalid_geometry", params={"reason": reason}
        )


def tolerance_m() -> float:
    return settings.TERRITORY_TOLERANCE_M
