"""Where the demo's suggestions go: each district's own police department and a few local
bodies with their routes, on top of the defaults every installation has (meetings/defaults.py).
Names follow the usual pattern of Kazakh state bodies and companies; they are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

# The demo's suggestion texts carry a plain-language topic; this is its category code.
CATEGORY_OF_TOPIC: dict[str, str] = {
    "освещение": "lighting",
    "видеонаблюдение": "video",
    "общественный порядок": "patrolling",
    "безопасность дорожного движения": "road_safety",
    "парковка": "road_safety",
    "благоустройство": "utilities",
    "безнадзорные животные": "utilities",
    "досуг молодёжи": "youth",
    "профилактика мошенничества": "other",
}


@dataclass(frozen=True)
class BodySpec:
    district: str  # district key
    name: str
    kind: str
    phone: str
    email: str = ""
    name_kk: str = ""


@dataclass(frozen=True)
class RouteSpec:
    district: str
    category: str  # category code
    body: str  # BodySpec.name
    days: int


BODIES: tuple[BodySpec, ...] = (
    BodySpec(
        "semey",
        "Управление полиции города Семей",
        "police",
        "+7 7222 52-02-02",
        name_kk="Семей қаласының полиция басқармасы",
    ),
    BodySpec(
        "semey",
        "ГУ «Отдел жилищно-коммунального хозяйства города Семей»",
        "akimat",
        "+7 7222 56-31-12",
        name_kk="«Семей қаласының тұрғын үй-коммуналдық шаруашылығы бөлімі» ММ",
    ),
    BodySpec(
        "semey", "ГКП «Семей Горсвет»", "utility", "+7 7222 44-10-50", name_kk="«Семей Горсвет» МКК"
    ),
    BodySpec(
        "oskemen",
        "Управление полиции города Усть-Каменогорска",
        "police",
        "+7 7232 25-02-02",
        name_kk="Өскемен қаласының полиция басқармасы",
    ),
    BodySpec(
        "oskemen",
        "ГУ «Отдел пассажирского транспорта и автодорог города Усть-Каменогорска»",
        "akimat",
        "+7 7232 76-40-11",
        name_kk="«Өскемен қаласының жолаушылар көлігі және автомобиль жолдары бөлімі» ММ",
    ),
    BodySpec(
        "glubokoe",
        "Глубоковский районный отдел полиции",
        "police",
        "+7 72331 2-21-02",
        name_kk="Глубокое аудандық полиция бөлімі",
    ),
    BodySpec(
        "glubokoe",
        "Аппарат акима Глубоковского района",
        "akimat",
        "+7 72331 2-12-40",
        name_kk="Глубокое ауданы әкімінің аппараты",
    ),
    BodySpec(
        "alatau",
        "Управление полиции Алатауского района",
        "police",
        "+7 727 300-02-02",
        name_kk="Алатау ауданының полиция басқармасы",
    ),
    BodySpec(
        "alatau",
        "ГУ «Аппарат акима Алатауского района города Алматы»",
        "akimat",
        "+7 727 300-03-03",
        name_kk="«Алматы қаласы Алатау ауданы әкімінің аппараты» ММ",
    ),
    BodySpec(
        "atyrau",
        "Управление полиции города Атырау",
        "police",
        "+7 7122 32-02-02",
        name_kk="Атырау қаласының полиция басқармасы",
    ),
    BodySpec(
        "atyrau", "ТОО «Атырау Жарык»", "utility", "+7 7122 21-60-60", name_kk="«Атырау Жарық» ЖШС"
    ),
)

ROUTES: tuple[RouteSpec, ...] = (
    RouteSpec("semey", "patrolling", "Управление полиции города Семей", 15),
    RouteSpec("semey", "video", "Управление полиции города Семей", 30),
    RouteSpec("semey", "other", "Управление полиции города Семей", 15),
    RouteSpec("semey", "lighting", "ГКП «Семей Горсвет»", 20),
    RouteSpec("semey", "utilities", "ГУ «Отдел жилищно-коммунального хозяйства города Семей»", 30),
    RouteSpec("oskemen", "patrolling", "Управление полиции города Усть-Каменогорска", 15),
    RouteSpec("oskemen", "other", "Управление полиции города Усть-Каменогорска", 15),
    RouteSpec(
        "oskemen",
        "road_safety",
        "ГУ «Отдел пассажирского транспорта и автодорог города Усть-Каменогорска»",
        30,
    ),
    RouteSpec("glubokoe", "patrolling", "Глубоковский районный отдел полиции", 15),
    RouteSpec("glubokoe", "lighting", "Аппарат акима Глубоковского района", 30),
    RouteSpec("glubokoe", "youth", "Аппарат акима Глубоковского района", 30),
    RouteSpec("alatau", "patrolling", "Управление полиции Алатауского района", 15),
    RouteSpec("alatau", "utilities", "ГУ «Аппарат акима Алатауского района города Алматы»", 30),
    RouteSpec("atyrau", "patrolling", "Управление полиции города Атырау", 15),
    RouteSpec("atyrau", "lighting", "ТОО «Атырау Жарык»", 20),
)

# History comments the demo's transitions carry (the final ones are the suggestion's result).
FORWARDED_NOTE = "Направлено исполнителю письмом для рассмотрения и ответа заявителям."
IN_PROGRESS_NOTE = "Исполнитель принял предложение в работу, ответственный назначен."
NOT_COMPETENT_NOTE = (
    "Исполнитель сообщил, что вопрос не относится к его компетенции; нужно перенаправить."
)
MERGED_NOTE = "Жители повторно подняли тот же вопрос: рассматривается вместе с прежним."
