from django.conf import settings


def test_default_language_is_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
