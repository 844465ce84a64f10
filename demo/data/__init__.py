"""What the demo data set holds: territories, facilities, name pools and texts (no database).

The places are real (Semey with its Karagaily microdistrict and central square, Ust-Kamenogorsk,
the Glubokoye district, Almaty's Alatau district with Uzhet, Atyrau) and so are the facts taken
from the press (station №19 opened in Karagaily on 18.11.2021 and handed to the police on that
day; a round-the-clock modular post on Semey's central square; five posts in Ust-Kamenogorsk;
seven round-the-clock posts in Atyrau; stations combined with housing in Atyrau Region).
Everything else is illustrative: KATO codes are plausible 9-digit codes, not the official
classifier; boundaries are rectangles of the stated size around real city centres, cut into a
grid of precincts; settlement positions are approximate; people, phone numbers, addresses'
house numbers and dates other than the ones above are invented.
"""

from .people import (
    INSPECTOR_HOURS,
    KAZAKH_FATHERS,
    KAZAKH_MEN,
    KAZAKH_SURNAMES,
    KAZAKH_WOMEN,
    MOBILE_PREFIXES,
    RUSSIAN_MEN,
    RUSSIAN_PATRONYMICS,
    RUSSIAN_SURNAMES,
    RUSSIAN_WOMEN,
)
from .posts import POSTS
from .stations import STATIONS
from .territory import (
    CLOSED,
    DISTRICTS,
    MARKET,
    OPERATING,
    PARK,
    PLANNED,
    REGIONS,
    RESIDENTIAL,
    SETTLEMENTS,
    SQUARE,
    TRANSPORT_HUB,
    UNDER_CONSTRUCTION,
    DistrictSpec,
    PostSpec,
    RegionSpec,
    SettlementSpec,
    StationSpec,
)
from .texts import (
    CANCEL_REASONS,
    KSK_NAMES,
    RURAL_SUGGESTIONS,
    SCHOOLS,
    SUGGESTIONS,
    TOPICS,
    SuggestionSpec,
)

SEED = 20211118  # the day station №19 opened in Karagaily

__all__ = [
    "CANCEL_REASONS",
    "CLOSED",
    "DISTRICTS",
    "INSPECTOR_HOURS",
    "KAZAKH_FATHERS",
    "KAZAKH_MEN",
    "KAZAKH_SURNAMES",
    "KAZAKH_WOMEN",
    "KSK_NAMES",
    "MARKET",
    "MOBILE_PREFIXES",
    "OPERATING",
    "PARK",
    "PLANNED",
    "POSTS",
    "REGIONS",
    "RESIDENTIAL",
    "RURAL_SUGGESTIONS",
    "RUSSIAN_MEN",
    "RUSSIAN_PATRONYMICS",
    "RUSSIAN_SURNAMES",
    "RUSSIAN_WOMEN",
    "SCHOOLS",
    "SEED",
    "SETTLEMENTS",
    "SQUARE",
    "STATIONS",
    "SUGGESTIONS",
    "TOPICS",
    "TRANSPORT_HUB",
    "UNDER_CONSTRUCTION",
    "DistrictSpec",
    "PostSpec",
    "RegionSpec",
    "SettlementSpec",
    "StationSpec",
    "SuggestionSpec",
]
