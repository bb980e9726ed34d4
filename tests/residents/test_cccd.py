import pytest
from django.core.exceptions import ValidationError

from residents.cccd import normalise_cccd, validate_cccd_format, validate_cccd_matches_person


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (38012345678, "038012345678"),
        (38012345678.0, "038012345678"),
        ("38012345678", "038012345678"),
        (" 038.012.345.678 ", "038012345678"),
        ("038 012 345 678", "038012345678"),
        ("03801234567A", "03801234567A"),
        (None, ""),
    ],
)
def test_cccd_is_cleaned_like_a_careful_clerk_would(raw, expected):
    assert normalise_cccd(raw) == expected


@pytest.mark.parametrize("bad", ["03801234567", "0380123456789", "03801234567A", "038712345678"])
def test_malformed_cccd_is_refused(bad):
    with pytest.raises(ValidationError):
        validate_cccd_format(bad)


def test_cccd_century_digit_encodes_sex_and_century():
    validate_cccd_matches_person("038301234567", birth_year=2001, sex="female")
    with pytest.raises(ValidationError):
        validate_cccd_matches_person("038301234567", birth_year=1901, sex="female")
    with pytest.raises(ValidationError):
        validate_cccd_matches_person("038301234567", birth_year=2001, sex="male")
