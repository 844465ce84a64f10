"""Where residents' suggestions go: categories, responsible bodies and the routing table."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history
from servicepolice.i18n import LocalizedNameMixin
from stations.models import District

MSG_RULE_BODY_OTHER_DISTRICT = _(
    "Исполнитель «%(body)s» работает в другом районе (%(district)s): выберите исполнителя "
    "этого района или общего для всех районов."
)
MSG_BODY_INACTIVE = _("Исполнитель «%(body)s» отключён: выберите действующего.")
MSG_DEADLINE_DAYS = _("Срок рассмотрения: от 1 до 365 дней.")
MSG_RULE_UNIQUE = _("Для этой категории в этом районе маршрут уже задан.")
MSG_DEFAULT_RULE_UNIQUE = _("Маршрут по умолчанию для этой категории уже задан.")


class Category(LocalizedNameMixin, TimeStampedModel):
    """Тема предложения жителей (освещение, видеонаблюдение...): справочник, правится в админке."""

    code = models.SlugField(
        _("код"), max_length=50, unique=True, help_text=_("Латиницей, для API: lighting, video…")
    )
    name = models.CharField(_("название"), max_length=200)
    name_kk = models.CharField(_("название на казахском"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("порядок в списках"), default=100)

    history = audit_history()

    class Meta:
        verbose_name = _("категория предложений")
        verbose_name_plural = _("категории предложений")
        ordering = ["sort_order", "name"]


class ResponsibleBody(LocalizedNameMixin, TimeStampedModel):
    """Исполнитель: отдел полиции, отдел акимата, коммунальное предприятие."""

    class Kind(models.TextChoices):
        POLICE = "police", _("подразделение полиции")
        AKIMAT = "akimat", _("отдел акимата")
        UTILITY = "utility", _("коммунальное предприятие")
        OTHER = "other", _("другая организация")

    name = models.CharField(_("название"), max_length=300)
    name_kk = models.CharField(_("название на казахском"), max_length=300, blank=True)
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices, default=Kind.AKIMAT)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_bodies",
        verbose_name=_("район"),
        help_text=_("Пусто: исполнитель для всех районов."),
    )
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("исполнитель")
        verbose_name_plural = _("исполнители")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["police", "akimat", "utility", "other"]),
                name="body_kind_valid",
            ),
        ]


class RoutingRule(TimeStampedModel):
    """Кто рассматривает предложения категории в районе и в какой срок (дней)."""

    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("категория"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("район"),
        help_text=_("Пусто: маршрут по умолчанию для районов без своего."),
    )
    body = models.ForeignKey(
        ResponsibleBody,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        verbose_name=_("исполнитель"),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("срок рассмотрения, дней"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    history = audit_history()

    class Meta:
        verbose_name = _("маршрут предложений")
        verbose_name_plural = _("маршруты предложений")
        ordering = ["category__sort_order", "category__name", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "district"],
                condition=Q(district__isnull=False),
                name="routing_rule_unique_in_district",
                violation_error_message=MSG_RULE_UNIQUE,
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(district__isnull=True),
                name="routing_rule_unique_default",
                violation_error_message=MSG_DEFAULT_RULE_UNIQUE,
            ),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1) & Q(deadline_days__lte=365),
                name="routing_rule_deadline_days_range",
                violation_error_message=MSG_DEADLINE_DAYS,
            ),
        ]

    def __str__(self) -> str:
        where = self.district.display_name if self.district_id else _("все районы")
        return f"{self.category} — {where} → {self.body}"

    def clean(self) -> None:
        super().clean()
        if not self.body_id:
            return
        body = self.body
        if body.district_id and body.district_id != self.district_id:
            raise ValidationError(
                {
                    "body": ValidationError(
                        MSG_RULE_BODY_OTHER_DISTRICT,
                        code="body_other_district",
                        params={"body": body.name, "district": body.district},
                    )
                }
            )
        if not body.is_active:
            raise ValidationError(
                {
                    "body": ValidationError(
                        MSG_BODY_INACTIVE, code="body_inactive", params={"body": body.name}
                    )
                }
            )
