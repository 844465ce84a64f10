"""Translated words the map scripts show; the pages hand them over with json_script, so the
static JavaScript holds no user-visible text of its own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from stations.models import FacilityStatus, ModularPost

COMMON = {
    "loading": _("Загрузка…"),
    "loadFailed": _("Не удалось загрузить слой «%(layer)s». Обновите страницу."),
    "station": _("Участковый пункт полиции"),
    "post": _("Модульный пост полиции"),
    "stations": _("Участковые пункты полиции"),
    "posts": _("Модульные посты полиции"),
    "statuses": dict(FacilityStatus.choices),
    "placements": dict(ModularPost.Placement.choices),
    "badge247": _("24/7"),
    "roundTheClock": _("круглосуточно"),
    "address": _("Адрес"),
    "phone": _("Телефон"),
    "receptionHours": _("Часы приёма"),
    "status": _("Статус"),
    "placement": _("Место размещения"),
    "population": _("Население"),
    "edit": _("Изменить в реестре"),
    "open": _("Открыть страницу"),
    "noData": _("нет данных"),
    "legend": _("Условные обозначения"),
    "precinctNumber": _("Участок №%(number)s"),
    "facilityLegend": _("Пункты полиции"),
}

OVERVIEW = {
    **COMMON,
    "districts": _("Районы"),
    "regions": _("Границы областей"),
    "coveredShare": _("Население в зоне шаговой доступности"),
    "inspectors": _("Инспекторов"),
    "residentsPerInspector": _("Жителей на инспектора"),
    "vacancies": _("Участков без инспектора"),
    "noDistricts": _("Районов пока нет."),
}

DISTRICT = {
    **COMMON,
    "precincts": _("Административные участки"),
    "radius": _("Радиус шаговой доступности (%(radius)s м)"),
    "uncovered": _("Вне зоны шаговой доступности"),
    "settlements": _("Населённые пункты"),
    "districtBorder": _("Граница района"),
    "metrics": {
        "covered": _("Население в зоне доступности"),
        "residents": _("Жителей на одного инспектора"),
        "vacancy": _("Вакансии инспекторов"),
        "offences": _("Преступлений на 1000 жителей за 12 месяцев"),
    },
    "offencesPer1000": _("Преступлений на 1000 жителей (12 мес.)"),
    "offencesPeriod": _("Период: %(first)s – %(last)s"),
    "offencesNone": _("Статистики правонарушений по району нет."),
    "vacant": _("нет инспектора на службе"),
    "staffed": _("инспектор есть"),
    "inspectors": _("Инспекторов на службе"),
    "residentsPerInspector": _("Жителей на инспектора"),
    "coveredPopulation": _("Население в зоне доступности"),
    "coveredArea": _("Площадь в зоне доступности"),
    "nearestFacility": _("До ближайшего пункта"),
    "beyondRadius": _("вне радиуса доступности"),
    "withinRadius": _("в радиусе доступности"),
}

PRECINCT = {
    **COMMON,
    "precinct": _("Участок"),
}

FIND = {
    **COMMON,
    "locating": _("Ищем ваш участок…"),
    "geolocating": _("Определяем местоположение…"),
    "geoUnavailable": _("Браузер не смог определить местоположение. Нажмите на карту."),
    "serverError": _("Сервер не ответил. Попробуйте ещё раз."),
    "yourPrecinct": _("Ваш участок"),
    "district": _("Район"),
    "inspector": _("Ваш участковый инспектор"),
    "inspectors": _("Ваши участковые инспекторы"),
    "noInspector": _(
        "На этом участке сейчас нет инспектора на службе. Обратитесь в ближайший пункт полиции."
    ),
    "assistants": _("Помощники"),
    "messenger": _("Написать в мессенджере"),
    "social": _("Страница в соцсети"),
    "nearest": _("Ближайшие пункты полиции"),
    "straightLine": _("%(distance)s по прямой"),
    "nextMeeting": _("Ближайшая встреча с жителями"),
    "noMeeting": _("Встреч с жителями пока не запланировано."),
    "precinctPage": _("Всё об участке"),
    "details": _("Подробнее"),
    "yourPoint": _("Выбранная точка"),
    "meetingKinds": dict(Meeting.Kind.choices),
}
