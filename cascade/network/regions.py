"""UN M49 geographic sub-regions and the ISO 3166-1 alpha-2 countries in each.

Sub-regions, not intermediate regions: Kazakhstan and Kyrgyzstan are in Central
Asia (143); Georgia, like Türkiye and Jordan, is in Western Asia (145).
"""

from django.utils.translation import gettext_noop as N_

SUBREGIONS: dict[str, tuple[str, str]] = {
    # code: (name, space-separated ISO 3166-1 alpha-2 codes)
    "015": (N_("Northern Africa"), "DZ EG LY MA SD TN EH"),
    "202": (
        N_("Sub-Saharan Africa"),
        "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
        "AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA "
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    ),
    "419": (
        N_("Latin America and the Caribbean"),
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA "
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    ),
    "021": (N_("Northern America"), "BM CA GL PM US"),
    "143": (N_("Central Asia"), "KZ KG TJ TM UZ"),
    "030": (N_("Eastern Asia"), "CN HK MO KP JP MN KR TW"),
    "035": (N_("South-eastern Asia"), "BN KH ID LA MY MM PH SG TH TL VN"),
    "034": (N_("Southern Asia"), "AF BD BT IN IR MV NP PK LK"),
    "145": (N_("Western Asia"), "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
    "151": (N_("Eastern Europe"), "BY BG CZ HU PL MD RO RU SK UA"),
    "154": (N_("Northern Europe"), "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "039": (N_("Southern Europe"), "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
    "155": (N_("Western Europe"), "AT BE FR DE LI LU MC NL CH"),
    "053": (N_("Australia and New Zealand"), "AU CX CC HM NZ NF"),
    "054": (N_("Melanesia"), "FJ NC PG SB VU"),
    "057": (N_("Micronesia"), "GU KI MH FM NR MP PW UM"),
    "061": (N_("Polynesia"), "AS CK PF NU PN WS TK TO TV WF"),
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
