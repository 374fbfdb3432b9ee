"""UN M49 geographic sub-regions and the ISO 3166-1 alpha-2 countries in each.

Sub-regions, not intermediate regions: Kazakhstan and Kyrgyzstan are in Central
Asia (143); Georgia, like Türkiye and Jordan, is in Western Asia (145).
"""

from django.utils.translation import gettext_noop

SUBREGIONS: dict[str, tuple[str, str]] = {
    # code: (name, space-separated ISO 3166-1 alpha-2 codes)
    "015": (gettext_noop("Northern Africa"), "DZ EG LY MA SD TN EH"),
    "202": (
        gettext_noop("Sub-Saharan Africa"),
        "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
        "AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA "
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ),
    "419": (
        gettext_noop("Latin America and the Caribbean"),
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA "
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    ),
    "021": (gettext_noop("Northern America"), "BM CA GL PM US"),
    "143": (gettext_noop("Central Asia"), "KZ KG TJ TM UZ"),
    "030": (gettext_noop("Eastern Asia"), "CN HK MO KP JP MN KR TW"),
    "035": (gettext_noop("South-eastern Asia"), "BN KH ID LA MY MM PH SG TH TL VN"),
    "034": (gettext_noop("Southern Asia"), "AF BD BT IN IR MV NP PK LK"),
    "145": (gettext_noop("Western Asia"), "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
    "151": (gettext_noop("Eastern Europe"), "BY BG CZ HU PL MD RO RU SK UA"),
    "154": (gettext_noop("Northern Europe"), "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "039": (gettext_noop("Southern Europe"), "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
    "155": (gettext_noop("Western Europe"), "AT BE FR DE LI LU MC NL CH"),
    "053": (gettext_noop("Australia and New Zealand"), "AU CX CC HM NZ NF"),
    "054": (gettext_noop("Melanesia"), "FJ NC PG SB VU"),
    "057": (gettext_noop("Micronesia"), "GU KI MH FM NR MP PW UM"),
    "061": (gettext_noop("Polynesia"), "AS CK PF NU PN WS TK TO TV WF"),
}


def region_of() -> dict[str, str]:
    """ISO alpha-2 code -> M49 sub-region code."""
    mapping = {}
    for code, (_name, countries) in SUBREGIONS.items():
        for country in countries.split():
            mapping[country] = code
    return mapping


def load_regions(Region, Country) -> None:
    """Create or update every region and country (used by a data migration and tests)."""
    from django_countries import countries

    for code, (name, _countries) in SUBREGIONS.items():
        Region.objects.update_or_create(code=code, defaults={"name": name})
    mapping = region_of()
    for iso in countries:
        Country.objects.update_or_create(
            code=iso.code, defaults={"region_id": mapping.get(iso.code)}
        )
