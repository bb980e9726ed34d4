"""URL converters shared by every app's URLs (registered once, in CommunesConfig.ready)."""


class CommuneCodeConverter:
    """The official 5-digit commune code: it names the commune in every URL about one."""

    regex = "[0-9]{5}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class ProgrammeYearConverter:
    """Programme years as four digits, within the range the pledge and commitment tables accept."""

    regex = "20[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
