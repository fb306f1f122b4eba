import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from employers.uscc import make_uscc, normalise, validate_uscc
from tests.factories import make_employer

# Published codes of real companies (from their public business registrations).
REAL_CODES = [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    "91110108551385082Q",
    "91440300708461136T",
    "91310000717866186P",
    "9144030071526726XG",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_single_character_change_is_caught(code):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            if position in range(2, 8) and not replacement.isdigit():
                continue  # caught by the region rule, tested below
            with pytest.raises(ValidationError):
                validate_uscc(changed)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("", "uscc_length"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100M000100I43", "uscc_chars"),  # I is not in the alphabet
        ("91350100O000100Y43", "uscc_chars"),
        ("9135A100M000100Y43", "uscc_region"),
        ("91350100M000100Y44", "uscc_check"),
    ],
)
def test_bad_codes_give_clear_errors(code, error):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == error


def test_full_width_and_lower_case_are_normalised():
    assert normalise("９１３５０１００ｍ０００１００ｙ４３".upper()) == "91350100M000100Y43"
    assert validate_uscc("91350100m000100y43") == "91350100M000100Y43"


def test_make_uscc_builds_valid_codes():
    assert validate_uscc(make_uscc("91370202MA0000001"))


def test_messages_in_chinese_and_english():
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as zh:
            validate_uscc("91350100M000100Y44")
        assert "校验位" in zh.value.messages[0]
    with translation.override("en"):
        with pytest.raises(ValidationError) as en:
            validate_uscc("91350100M000100Y44")
        assert "check character" in en.value.messages[0]


@pytest.mark.django_db
def test_code_is_unique():
    employer = make_employer()
    with pytest.raises(IntegrityError):
        make_employer(name="another").__class__.objects.create(
            name="重复", uscc=employer.uscc, region=employer.region, address="x", sector="catering"
        )
