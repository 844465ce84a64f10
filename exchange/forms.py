"""The admin's import form: the file and the same options as the management commands."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MSG_TOO_LARGE = _("Файл больше %(limit)s МБ.")
MSG_SHAPEFILE = _(
    "Shapefile загружается ZIP-архивом, в котором вместе лежат .shp, .shx, .dbf и .prj."
)
SUFFIXES = (".geojson", ".json", ".zip", ".gpkg", ".csv", ".xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("файл"),
        help_text=_("GeoJSON, Shapefile в ZIP-архиве, GeoPackage, CSV или XLSX."),
    )
    layer = forms.CharField(label=_("слой или лист"), required=False)
    name_field = forms.CharField(
        label=_("поле названия"),
        required=False,
        initial="name",
        help_text=_("Несколько через запятую: берётся первое непустое (name:ru,name)."),
    )
    name_kk_field = forms.CharField(label=_("поле названия на казахском"), required=False)
    kato_field = forms.CharField(label=_("поле кода КАТО"), required=False)
    population_field = forms.CharField(label=_("поле населения"), required=False)
    number_field = forms.CharField(label=_("поле номера участка"), required=False)
    parent_field = forms.CharField(
        label=_("поле родителя"),
        required=False,
        help_text=_("Код КАТО (или название) области/района; пусто — по наибольшему перекрытию."),
    )
    parent_kato = forms.CharField(label=_("код КАТО родителя для всех"), required=False)
    district_field = forms.CharField(label=_("поле района (КАТО или название)"), required=False)
    district_kato = forms.CharField(label=_("код КАТО района для всех"), required=False)
    where = forms.CharField(
        label=_("фильтр"),
        required=False,
        help_text=_("ПОЛЕ=ЗНАЧЕНИЕ, по одному в строке, например admin_level=4."),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    kind = forms.ChoiceField(
        label=_("тип новых районов"),
        required=False,
        choices=[("", "—"), ("urban", _("городской")), ("rural", _("сельский"))],
    )
    srid = forms.IntegerField(
        label=_("EPSG, если в файле нет системы координат"), required=False, min_value=1
    )
    lat_field = forms.CharField(label=_("столбец широты"), required=False)
    lon_field = forms.CharField(label=_("столбец долготы"), required=False)
    encoding = forms.CharField(
        label=_("кодировка"), required=False, help_text=_("Например cp1251; по умолчанию UTF-8.")
    )
    on = forms.DateField(
        label=_("дата смены участков"), required=False, help_text=_("По умолчанию сегодня.")
    )
    strict = forms.BooleanField(
        label=_("ничего не записывать, если есть строки с ошибками"), required=False
    )

    def __init__(self, *args, fields: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields and name not in ("file", "strict"):
                del self.fields[name]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(MSG_TOO_LARGE, params={"limit": limit})
        name = upload.name.lower()
        if name.endswith((".shp", ".dbf", ".shx", ".prj")):
            raise forms.ValidationError(MSG_SHAPEFILE)
        return upload

    def options(self) -> dict:
        """The service's keyword arguments from the filled-in fields."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "file"}
        options = {k: (v if v not in ("",) else None) for k, v in data.items()}
        if "where" in options:
            text = options["where"] or ""
            options["where"] = [line.strip() for line in text.splitlines() if line.strip()]
        if "name_field" in options and not options["name_field"]:
            options["name_field"] = "name"
        return options
