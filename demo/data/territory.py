"""Regions, districts and settlements, and the shapes of every table in this package.

KATO codes are plausible 9-digit codes, not the official classifier; boundaries are rectangles
of the stated size around real town centres; settlement positions are approximate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Statuses and kinds are the models' choice values, spelled out so this module imports no app.
PLANNED, UNDER_CONSTRUCTION, OPERATING, CLOSED = (
    "planned",
    "under_construction",
    "operating",
    "closed",
)
SQUARE, PARK, MARKET, TRANSPORT_HUB, RESIDENTIAL = (
    "square",
    "park",
    "market",
    "transport_hub",
    "residential",
)


@dataclass(frozen=True)
class RegionSpec:
    kato: str
    name: str
    name_kk: str
    bbox: tuple[float, float, float, float]  # west, south, east, north (degrees)


@dataclass(frozen=True)
class DistrictSpec:
    key: str
    region: str  # region KATO
    kato: str
    name: str
    name_kk: str
    kind: str
    centre: tuple[float, float]  # lon, lat of the real town centre
    size_km: tuple[float, float]  # east-west, north-south
    grid: tuple[int, int]  # columns, rows of precincts
    population: int  # 0: the sum of the precincts (rural districts)
    precinct_names: tuple[str, ...]  # row by row from the north-west corner
    town: str  # prefix of addresses
    phone_code: str  # trunk code after +7
    streets: tuple[str, ...]
    kazakh_share: float  # share of Kazakh names among officers


@dataclass(frozen=True)
class SettlementSpec:
    district: str
    name: str
    east_km: float  # from the district centre
    north_km: float
    population: int
    name_kk: str = ""


@dataclass(frozen=True)
class StationSpec:
    district: str
    number: str
    name: str
    precinct: int
    status: str
    address: str
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    on_balance_since: datetime.date | None = None
    combined_with_housing: bool = False
    reception_hours: str = "пн–пт 09:00–18:00, сб 10:00–13:00"
    spot: tuple[float, float] = (0.5, 0.5)  # fraction of the precinct cell, from its south-west
    settlement: str = ""  # rural stations stand in a settlement instead


@dataclass(frozen=True)
class PostSpec:
    district: str
    name: str
    address: str
    placement: str
    round_the_clock: bool
    status: str
    precinct: int = 0
    spot: tuple[float, float] = (0.5, 0.5)
    offset_m: tuple[float, float] | None = None  # from the district centre, instead of a cell
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None


REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("100000000", "Абайская область", "Абай облысы", (76.5, 46.5, 81.8, 51.6)),
    RegionSpec(
        "630000000",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        (81.9, 47.6, 87.3, 51.3),
    ),
    RegionSpec("750000000", "город Алматы", "Алматы қаласы", (76.70, 43.10, 77.20, 43.42)),
    RegionSpec("230000000", "Атырауская область", "Атырау облысы", (46.5, 45.3, 54.5, 48.9)),
)

DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        key="semey",
        region="100000000",
        kato="102010000",
        name="город Семей",
        name_kk="Семей қаласы",
        kind="urban",
        centre=(80.227, 50.411),
        size_km=(16, 12),
        grid=(4, 4),
        population=350_000,
        precinct_names=(
            "Холодный Ключ",
            "Затон",
            "мкр. Карагайлы",
            "мкр. Восточный",
            "Силикатный",
            "Центр (запад)",
            "Центр — площадь Абая",
            "Набережная Иртыша",
            "Привокзальный",
            "Мясокомбинат",
            "Стадион «Спартак»",
            "Цементный",
            "Жана Семей (запад)",
            "Жана Семей",
            "Жана Семей (восток)",
            "Левобережный",
        ),
        town="г. Семей",
        phone_code="7222",
        streets=(
            "ул. Абая",
            "пр. Шакарима",
            "ул. Ауэзова",
            "ул. Кабанбай батыра",
            "ул. Найманбаева",
            "ул. Уранхаева",
            "ул. Жамакаева",
            "ул. Засядько",
        ),
        kazakh_share=0.65,
    ),
    DistrictSpec(
        key="oskemen",
        region="630000000",
        kato="631010000",
        name="город Усть-Каменогорск",
        name_kk="Өскемен қаласы",
        kind="urban",
        centre=(82.628, 49.948),
        size_km=(16, 12),
        grid=(4, 3),
        population=332_000,
        precinct_names=(
            "Аблакетка",
            "Ульбинский",
            "Заульбинка",
            "Стрежень",
            "Согра",
            "Центр",
            "КШТ",
            "Защита",
            "Новая Согра",
            "Левый берег",
            "Старый аэропорт",
            "мкр. Восточный",
        ),
        town="г. Усть-Каменогорск",
        phone_code="7232",
        streets=(
            "ул. Казахстан",
            "пр. Абая",
            "ул. Протозанова",
            "ул. Бажова",
            "ул. Кабанбай батыра",
            "ул. Утепова",
            "ул. Ворошилова",
            "ул. Сатпаева",
        ),
        kazakh_share=0.45,
    ),
    DistrictSpec(
        key="glubokoe",
        region="630000000",
        kato="633200000",
        name="Глубоковский район",
        name_kk="Глубокое ауданы",
        kind="rural",
        centre=(82.31, 50.13),
        size_km=(36, 24),
        grid=(3, 3),
        population=0,
        precinct_names=(
            "с. Черемшанка",
            "с. Ушаново",
            "с. Предгорное",
            "с. Кожохово",
            "п. Глубокое",
            "п. Белоусовка",
            "с. Прогресс",
            "с. Бобровка",
            "п. Верхнеберёзовский",
        ),
        town="Глубоковский район",
        phone_code="72331",
        streets=("ул. Центральная", "ул. Школьная", "ул. Садовая", "ул. Набережная"),
        kazakh_share=0.35,
    ),
    DistrictSpec(
        key="alatau",
        region="750000000",
        kato="751710000",
        name="Алатауский район",
        name_kk="Алатау ауданы",
        kind="urban",
        centre=(76.83, 43.27),
        size_km=(12, 9),
        grid=(3, 3),
        population=318_000,
        precinct_names=(
            "мкр. Шанырак-1",
            "мкр. Шанырак-2",
            "мкр. Айгерим-1",
            "мкр. Айгерим-2",
            "мкр. Ужет",
            "мкр. Карасу",
            "мкр. Акбулак",
            "мкр. Алгабас",
            "мкр. Дархан",
        ),
        town="г. Алматы, Алатауский район",
        phone_code="727",
        streets=(
            "пр. Райымбека",
            "ул. Бауыржана Момышулы",
            "ул. Саина",
            "ул. Рыскулова",
            "ул. Жубанова",
        ),
        kazakh_share=0.9,
    ),
    DistrictSpec(
        key="atyrau",
        region="230000000",
        kato="231010000",
        name="город Атырау",
        name_kk="Атырау қаласы",
        kind="urban",
        centre=(51.914, 47.107),
        size_km=(15, 12),
        grid=(3, 3),
        population=290_000,
        precinct_names=(
            "мкр. Авангард",
            "мкр. Нурсая",
            "мкр. Жулдыз",
            "мкр. Балыкшы",
            "Центр",
            "мкр. Привокзальный",
            "Химпоселок",
            "мкр. Береке",
            "мкр. Самал",
        ),
        town="г. Атырау",
        phone_code="7122",
        streets=(
            "пр. Азаттык",
            "ул. Сатпаева",
            "ул. Махамбета",
            "пр. Абулхаир хана",
            "ул. Смагулова",
            "ул. Кулманова",
        ),
        kazakh_share=0.95,
    ),
)

# Glubokoye district: cells are 12 × 8 km, so every village below falls inside one cell.
SETTLEMENTS: tuple[SettlementSpec, ...] = (
    SettlementSpec("glubokoe", "п. Глубокое", 0.0, 0.5, 10_900, "Глубокое кенті"),
    SettlementSpec("glubokoe", "п. Белоусовка", 12.0, 1.0, 8_300, "Белоусовка кенті"),
    SettlementSpec(
        "glubokoe", "п. Верхнеберёзовский", 11.0, -7.0, 4_900, "Верхнеберёзовский кенті"
    ),
    SettlementSpec("glubokoe", "с. Предгорное", 11.0, 8.0, 3_400, "Предгорное ауылы"),
    SettlementSpec("glubokoe", "с. Опытное Поле", -3.0, 2.0, 2_600, "Опытное Поле ауылы"),
    SettlementSpec("glubokoe", "с. Черемшанка", -12.0, 8.0, 2_100, "Черемшанка ауылы"),
    SettlementSpec("glubokoe", "с. Бобровка", 1.0, -8.0, 1_900, "Бобровка ауылы"),
    SettlementSpec("glubokoe", "с. Прогресс", -11.0, -8.0, 1_600, "Прогресс ауылы"),
    SettlementSpec("glubokoe", "с. Ушаново", 0.0, 8.0, 1_300, "Ушаново ауылы"),
    SettlementSpec("glubokoe", "с. Секисовка", 15.0, -10.0, 1_100, "Секисовка ауылы"),
    SettlementSpec("glubokoe", "с. Кожохово", -12.0, 0.0, 900, "Кожохово ауылы"),
)
