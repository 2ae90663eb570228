"""Canonical keys: scripts, legal forms, business words, word order."""

from __future__ import annotations

import pytest

from streams.resolution import name_tokens, normalize_name


@pytest.mark.parametrize("a, b", [
    ("Cong ty TNHH Nhua Xanh", "CÔNG TY TNHH NHỰA XANH"),
    ("CÔNG TY TNHH NHỰA XANH", "Nhua Xanh Co., Ltd."),
    ("PT Sinar Plastik Abadi Tbk", "Sinar Plastik Abadi, PT"),
    ("Green Polymer Recycling Sdn. Bhd.", "GREEN POLYMER RECYCLING SDN BHD"),
    ("Ceylon Rubber Reclaim (Pvt) Ltd", "Ceylon Rubber Reclaim Private Limited"),
    ("Everbright Polymer Trading Co., Ltd", "Everbright Polymer Trading Company Limited"),
    ("Lion City Metals Pte Ltd", "LION CITY METALS"),
    ("บริษัท รีไซเคิล พลาสติก จำกัด", "บริษัท รีไซเคิล พลาสติก จำกัด (มหาชน)"),
    ("ບໍລິສັດ ພລາສຕິກ ລາວ ຈຳກັດ", "ພລາສຕິກ ລາວ"),
    ("ក្រុមហ៊ុន កែច្នៃ ផ្លាស្ទិក", "កែច្នៃ ផ្លាស្ទិក"),
    ("ලංකා ප්ලාස්ටික් (පුද්ගලික) සමාගම", "ලංකා ප්ලාස්ටික්"),
    ("Ｇｒｅｅｎ　Ｐｌａｓｔｉｃ", "Green Plastic"),
])
def test_spellings_of_one_company_share_a_key(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_business_words_are_kept() -> None:
    assert normalize_name("Green Polymer Trading Ltd") == "green polymer trading"
    assert normalize_name("Green Polymer Recycling Sdn Bhd") == "green polymer recycling"


def test_key_ignores_word_order_but_tokens_keep_it() -> None:
    assert normalize_name("Sinar Plastik Abadi") == normalize_name("Abadi Sinar Plastik")
    assert name_tokens("PT Sinar Plastik Abadi Tbk") == ("sinar", "plastik", "abadi")


def test_ambiguous_forms_only_go_at_the_edges() -> None:
    assert name_tokens("PT Alpha Co Industries Tbk") == ("alpha", "co", "industries")
    assert name_tokens("Alpha Company Trading Co") == ("alpha", "company", "trading")


def test_thai_forms_glued_to_the_name_are_cut() -> None:
    assert normalize_name("บริษัทไทยพลาสติกจำกัด(มหาชน)") == normalize_name("บริษัท ไทยพลาสติก จำกัด")


def test_a_name_made_only_of_legal_forms_keeps_them() -> None:
    assert normalize_name("Company Limited") == "company limited"


def test_chinese_ideographs_become_syllables() -> None:
    assert name_tokens("宁波海鑫塑料有限公司") == ("ning", "bo", "hai", "xin", "su", "liao")
