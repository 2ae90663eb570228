"""Check digits and code shapes, with real numbers that are right and wrong."""

from __future__ import annotations

import pytest

from schemas.codes import BASEL_CODES, COUNTRIES, CURRENCIES
from streams.validation.checks import (
    basel_status,
    country_ok,
    currency_ok,
    hs_subheading_ok,
    imo_check_digit,
    imo_ok,
    iso6346_check_digit,
    iso6346_check_digit_ok,
    locode_ok,
    locode_shape_ok,
    national_line_ok,
)


@pytest.mark.parametrize("number", ["CSQU3054383", "MSCU1234566", "MAEU7654320", "TGHU4809135",
                                    "OOLU1234567", "CMAU7654327"])
def test_valid_container_numbers(number: str) -> None:
    assert iso6346_check_digit_ok(number)


@pytest.mark.parametrize("number", [
    "CSQU3054384",   # wrong check digit
    "CSQU3054388",
    "CSQX3054383",   # category must be U, J or Z
    "CSQU 305438 3",  # spaces
    "csqu3054383",   # lower case
    "CSQU305438",    # too short
    "",
])
def test_invalid_container_numbers(number: str) -> None:
    assert not iso6346_check_digit_ok(number)


def test_container_check_digit_of_the_standards_example() -> None:
    assert iso6346_check_digit("CSQU305438") == 3


def test_container_letter_values_skip_multiples_of_eleven() -> None:
    # A=10, then 11 is skipped so B=12; likewise L=23 and V=34; U=32
    assert iso6346_check_digit("BAAU000000") == (12 + 10 * 2 + 10 * 4 + 32 * 8) % 11 % 10


@pytest.mark.parametrize("number", ["IMO9074729", "IMO9321483"])
def test_valid_imo_numbers(number: str) -> None:
    assert imo_ok(number)


@pytest.mark.parametrize("number", ["IMO9074728", "IMO9321484", "9074729", "IMO907472", "imo9074729",
                                    "IMO 9074729", None])
def test_invalid_imo_numbers(number) -> None:
    assert not imo_ok(number)


def test_imo_check_digit() -> None:
    assert imo_check_digit("907472") == 9


@pytest.mark.parametrize(("code", "ok"), [("391590", True), ("854900", True), ("720449", True),
                                          ("3915.90", False), ("39159", False), ("3915900", False),
                                          ("001000", False), ("770000", False), ("990000", False)])
def test_hs_subheading(code: str, ok: bool) -> None:
    assert hs_subheading_ok(code) is ok


def test_national_line_starts_with_its_subheading() -> None:
    assert national_line_ok("39159000", "391590")
    assert national_line_ok("3915900010", "391590")
    assert not national_line_ok("39151000", "391590")
    assert not national_line_ok("3915.90.00", "391590")
    assert not national_line_ok("391590", "391590")


@pytest.mark.parametrize(("code", "status"), [
    ("A3210", "known"), ("B3011", "known"), ("Y48", "known"), ("A1181", "known"), ("Y49", "known"),
    ("A1180", "superseded"), ("B3010", "superseded"), ("B1110", "superseded"),
    ("A9999", "unknown"), ("Y50", "unknown"),
    ("a3210", "invalid"), ("3210", "invalid"), ("Y048x", "invalid"), ("", "invalid"),
])
def test_basel_codes(code: str, status: str) -> None:
    assert basel_status(code) == status


def test_reference_lists_are_complete_enough() -> None:
    assert len(COUNTRIES) == 249
    assert {"KH", "ID", "LA", "MY", "PH", "TH", "LK", "VN", "AU", "SG", "HK", "CN"} <= COUNTRIES
    assert {"USD", "VND", "THB", "MYR", "IDR", "PHP", "KHR", "LAK", "LKR", "AUD", "SGD", "EUR"} <= CURRENCIES
    assert {"A3210", "B3011", "Y48", "A1181", "Y49"} <= BASEL_CODES
    assert not {"A1180", "B3010", "B1110", "B4030"} & BASEL_CODES
    assert country_ok("VN") and not country_ok("XX") and not country_ok("UK")
    assert currency_ok("VND") and not currency_ok("XXX")


@pytest.mark.parametrize("code", ["VNHPH", "VNCLI", "THLCH", "MYPKG", "IDTPP", "PHMNL", "KHKOS", "LAVTE",
                                  "LKCMB", "SGSIN", "HKHKG", "AUSYD", "MYTPP"])
def test_known_locodes(code: str) -> None:
    assert locode_ok(code)


def test_bad_locodes() -> None:
    assert not locode_shape_ok("VN HPH") and not locode_shape_ok("VNHP") and not locode_shape_ok("vnhph")
    assert locode_shape_ok("XXHPH") and not locode_ok("XXHPH")
