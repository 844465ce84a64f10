"""The routing data every installation starts with: categories, bodies for every district and a
default route per category. Plain data and one function over the model classes, so the data
migration (historical models) and the demo (current models) seed the same rows.

Deadlines follow the law on the procedure for considering appeals: 15 working days for a
request the police answer themselves, up to 30 days when another body must act.
"""

from __future__ import annotations

from typing import Any

# code, name, name in Kazakh, order in lists
CATEGORIES: tuple[tuple[str, str, str, int], ...] = (
    ("lighting", "Освещение", "Жарықтандыру", 10),
    ("video", "Видеонаблюдение", "Бейнебақылау", 20),
    ("patrolling", "Патрулирование и общественный порядок", "Патрульдеу және қоғамдық тәртіп", 30),
    ("road_safety", "Безопасность дорожного движения", "Жол қозғалысы қауіпсіздігі", 40),
    ("utilities", "ЖКХ и благоустройство", "ТКШ және абаттандыру", 50),
    ("youth", "Досуг и занятость молодёжи", "Жастардың бос уақыты мен жұмыспен қамтылуы", 60),
    ("other", "Другое", "Басқа", 100),
)

# key, name, kind: bodies that exist in every district (district left empty)
BODIES: tuple[tuple[str, str, str], ...] = (
    ("police", "Районный (городской) отдел полиции", "police"),
    ("housing", "Отдел жилищно-коммунального хозяйства акимата", "akimat"),
    ("roads", "Отдел пассажирского транспорта и автомобильных дорог акимата", "akimat"),
    ("youth", "Отдел внутренней политики и по делам молодёжи акимата", "akimat"),
    ("utility", "Коммунальные предприятия (электросети, водоканал, теплосети)", "utility"),
)

# Kazakh names of the bodies above, by their Russian name (filled by migration 0007; a separate
# table because migration 0004 creates the bodies before the name_kk column exists).
BODY_NAMES_KK: dict[str, str] = {
    "Районный (городской) отдел полиции": "Аудандық (қалалық) полиция бөлімі",
    "Отдел жилищно-коммунального хозяйства акимата": (
        "Әкімдіктің тұрғын үй-коммуналдық шаруашылығы бөлімі"
    ),
    "Отдел пассажирского транспорта и автомобильных дорог акимата": (
        "Әкімдіктің жолаушылар көлігі және автомобиль жолдары бөлімі"
    ),
    "Отдел внутренней политики и по делам молодёжи акимата": (
        "Әкімдіктің ішкі саясат және жастар істері бөлімі"
    ),
    "Коммунальные предприятия (электросети, водоканал, теплосети)": (
        "Коммуналдық кәсіпорындар (электр желілері, су арнасы, жылу желілері)"
    ),
}

# category code, body key, deadline in days: the route for districts without their own
RULES: tuple[tuple[str, str, int], ...] = (
    ("lighting", "housing", 30),
    ("video", "police", 30),
    ("patrolling", "police", 15),
    ("road_safety", "roads", 30),
    ("utilities", "housing", 30),
    ("youth", "youth", 30),
    ("other", "police", 15),
)

# Free-text categories written before categories were a table, lower-cased → category code.
LEGACY_CATEGORIES: dict[str, str] = {
    "освещение": "lighting",
    "свет": "lighting",
    "видеонаблюдение": "video",
    "камеры": "video",
    "общественный порядок": "patrolling",
    "патрулирование": "patrolling",
    "безопасность дорожного движения": "road_safety",
    "дорожное движение": "road_safety",
    "парковка": "road_safety",
    "благоустройство": "utilities",
    "жкх": "utilities",
    "безнадзорные животные": "utilities",
    "досуг молодёжи": "youth",
    "молодёжь": "youth",
    "профилактика мошенничества": "other",
    "другое": "other",
}


def ensure_defaults(category_model: Any, body_model: Any, rule_model: Any) -> dict[str, Any]:
    """Create whatever of the defaults is missing; change nothing an administrator edited.

    Returns the default bodies by key. Categories are found by code, bodies by name among
    those for every district, rules by category among the defaults.
    """
    categories = {}
    for code, name, name_kk, order in CATEGORIES:
        categories[code], _ = category_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_kk": name_kk, "sort_order": order}
        )
    bodies = {}
    for key, name, kind in BODIES:
        body = body_model.objects.filter(name=name, district__isnull=True).first()
        if body is None:
            body = body_model.objects.create(name=name, kind=kind)
        bodies[key] = body
    for code, key, days in RULES:
        if not rule_model.objects.filter(category=categories[code], district__isnull=True).exists():
            rule_model.objects.create(
                category=categories[code], body=bodies[key], deadline_days=days
            )
    return bodies
