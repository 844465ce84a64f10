"""Texts the planning page's script shows (handed over with json_script, translated here)."""

from django.utils.translation import gettext_lazy as _

from reach.labels import COMMON

PLANNING = {
    **COMMON,
    "running": _("Идёт расчёт… %(seconds)s с (лимит %(limit)s с)"),
    "failed": _("Расчёт не выполнен: %(message)s"),
    "proposed": _("Предлагаемые площадки"),
    "proposedCircles": _("Новые зоны доступности"),
    "candidates": _("Площадки-кандидаты"),
    "existingCircles": _("Зоны доступности действующих"),
    "districtBorder": _("Граница района"),
    "rank": _("№"),
    "site": _("Площадка"),
    "newlyCovered": _("Новых жителей в доступности"),
    "gridPoint": _("точка сетки (%(lat)s, %(lon)s)"),
    "exact": _("Точное решение (CBC): оптимум доказан."),
    "greedy": _(
        "Точное решение не найдено за %(limit)s с: показан ответ жадного алгоритма "
        "(не хуже 63 % оптимума)."
    ),
    "noSites": _(
        "Ни одна площадка не добавляет жителей в зону доступности: добавьте площадки-кандидаты "
        "или включите сетку."
    ),
    "fewerSites": _(
        "Предложено %(found)s из %(asked)s: остальные площадки не добавили бы ни одного жителя."
    ),
    "greedyAlongside": _("Жадный алгоритм: %(value)s; точное решение: %(exact)s."),
    "before": _("до"),
    "after": _("после"),
    "coveredPopulation": _("Жителей в зоне доступности"),
    "coveredShare": _("Доля жителей в зоне доступности"),
    "coveredArea": _("Доля площади в зоне доступности"),
    "facilities": _("Пунктов и постов"),
    "candidatesUsed": _(
        "Площадок рассмотрено: %(candidates)s; исключено вне района: %(outside)s, "
        "ближе допустимого к действующим: %(near)s. Точек спроса: %(demand)s."
    ),
    "runtime": _("Расчёт занял %(seconds)s с."),
    "downloadGeojson": _("Скачать GeoJSON"),
    "downloadXlsx": _("Скачать XLSX"),
    "planTitle": _("План №%(id)s от %(date)s"),
    "legendProposed": _("предлагаемая площадка"),
    "legendCandidate": _("площадка-кандидат"),
}
