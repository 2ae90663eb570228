"""Reference code lists and code checks (check digits, shapes) the record model relies on.

A code missing here is reported as a warning by validation, never silently accepted as
known; update the lists when a standard changes (dates of the last change are noted).
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Literal

# ISO 3166-1 alpha-2, all 249 officially assigned codes
COUNTRIES: frozenset[str] = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

# ISO 4217 alphabetic codes in use (incl. funds codes and precious metals; XCG from 2025,
# ANG kept while it circulates; no test codes XTS/XXX)
CURRENCIES: frozenset[str] = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD
EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL
MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES
VND VUV WST XAF XAG XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG
""".split())


def _span(prefix: str, numbers: str) -> frozenset[str]:
    return frozenset(f"{prefix}{n}" for n in numbers.split())


# Basel Convention Annex VIII (list A), as amended: A3210 from 2021, A1181 replaced A1180 in 2025
BASEL_ANNEX_VIII = _span("A", """
1010 1020 1030 1040 1050 1060 1070 1080 1090 1100 1110 1120 1130 1140 1150 1160 1170 1181
1190 2010 2020 2030 2040 2050 2060 3010 3020 3030 3040 3050 3060 3070 3080 3090 3100 3110
3120 3130 3140 3150 3160 3170 3180 3190 3200 3210 4010 4020 4030 4040 4050 4060 4070 4080
4090 4100 4110 4120 4130 4140 4150 4160
""")
# Annex IX (list B): B3011 replaced B3010 in 2021; B1110 and B4030 deleted in 2025
BASEL_ANNEX_IX = _span("B", """
1010 1020 1030 1031 1040 1050 1060 1070 1080 1090 1100 1115 1120 1130 1140 1150 1160 1170
1180 1190 1200 1210 1220 1230 1240 1250 2010 2020 2030 2040 2050 2060 2070 2080 2090 2100
2110 2120 2130 3011 3020 3026 3027 3030 3035 3040 3050 3060 3065 3070 3080 3090 3100 3110
3120 3130 3140 4010 4020
""")
# Annex I categories Y1-Y45 and Annex II (special consideration) Y46-Y49
BASEL_Y = frozenset(f"Y{n}" for n in range(1, 50))
BASEL_CODES: frozenset[str] = BASEL_ANNEX_VIII | BASEL_ANNEX_IX | BASEL_Y
# entries deleted from the annexes, with what to declare instead
BASEL_SUPERSEDED: dict[str, str] = {
    "A1180": "A1181 (hazardous e-waste) since 1 January 2025",
    "B1110": "Y49 or A1181 (e-waste) since 1 January 2025",
    "B4030": "no replacement; deleted on 1 January 2025",
    "B3010": "B3011 (plastic waste) since 1 January 2021",
}
# plastic and e-waste entries that need prior informed consent between Parties
BASEL_PIC_REQUIRED: frozenset[str] = frozenset({"A3210", "Y48", "A1181", "Y49"})


_CONTAINER = re.compile(r"[A-Z]{3}[UJZ][0-9]{7}")
_IMO = re.compile(r"IMO([0-9]{7})")
_HS6 = re.compile(r"[0-9]{6}")
_LOCODE = re.compile(r"([A-Z]{2})([A-Z2-9]{3})")
_BASEL = re.compile(r"A[0-9]{4}|B[0-9]{4}|Y[0-9]{1,2}")


def _letter_values() -> dict[str, int]:
    values, n = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:  # ISO 6346 skips multiples of 11
            n += 1
        values[letter] = n
        n += 1
    return values


_LETTER_VALUES = _letter_values()


def iso6346_check_digit(first_ten: str) -> int:
    """Check digit of owner code + category + serial: sum of value * 2^position, mod 11, mod 10."""
    total = sum((_LETTER_VALUES[c] if c.isalpha() else int(c)) << i for i, c in enumerate(first_ten))
    return total % 11 % 10


def iso6346_shape_ok(number: str) -> bool:
    return isinstance(number, str) and _CONTAINER.fullmatch(number) is not None


def iso6346_check_digit_ok(number: str) -> bool:
    """True for a well-formed ISO 6346 container number whose check digit is right."""
    return iso6346_shape_ok(number) and iso6346_check_digit(number[:10]) == int(number[10])


def imo_check_digit(six: str) -> int:
    return sum(int(d) * w for d, w in zip(six, (7, 6, 5, 4, 3, 2), strict=True)) % 10


def imo_shape_ok(number: str) -> bool:
    return isinstance(number, str) and _IMO.fullmatch(number) is not None


def imo_ok(number: str) -> bool:
    """True for "IMO" + 7 digits whose last digit is the weighted check digit of the first six."""
    return imo_shape_ok(number) and imo_check_digit(number[3:9]) == int(number[9])


def hs_subheading_ok(code: str) -> bool:
    """Six digits in a real HS chapter (01-97, chapter 77 is reserved)."""
    return (isinstance(code, str) and _HS6.fullmatch(code) is not None
            and 1 <= int(code[:2]) <= 97 and code[:2] != "77")


def national_line_ok(line: str, subheading: str) -> bool:
    """A national tariff line is 8 to 12 digits and starts with the 6-digit subheading."""
    return (isinstance(line, str) and line.isascii() and line.isdigit() and 8 <= len(line) <= 12
            and line.startswith(subheading))


def basel_status(code: str) -> Literal["known", "superseded", "unknown", "invalid"]:
    if not isinstance(code, str) or _BASEL.fullmatch(code) is None:
        return "invalid"
    if code in BASEL_CODES:
        return "known"
    return "superseded" if code in BASEL_SUPERSEDED else "unknown"


def country_ok(code: str) -> bool:
    return isinstance(code, str) and code in COUNTRIES


def locode_shape_ok(code: str) -> bool:
    return isinstance(code, str) and _LOCODE.fullmatch(code) is not None


def locode_ok(code: str) -> bool:
    """UN/LOCODE shape (country + 3 of A-Z, 2-9) with an ISO 3166 country part."""
    return locode_shape_ok(code) and code[:2] in COUNTRIES


def currency_ok(code: str) -> bool:
    return isinstance(code, str) and code in CURRENCIES


def uuid_ok(value: Any) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True
