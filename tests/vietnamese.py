"""A page rendered in Vietnamese shows none of the English strings Django and the packages fall back to.

The list is what users met before the project shipped locale/vi (Django's newer admin strings, django-simple-history,
django-import-export, Django's defaults for labels and empty values). Only what a user reads is checked: text
between tags and the attributes a screen reader speaks (aria-label, title, placeholder); scripts and styles are
skipped, and so are form values (data, not interface).
"""

import re
from html.parser import HTMLParser

SITE_NAME = "Xã không ma túy"

ENGLISH_PHRASES = (
    "Show counts", "Hide counts", "Choose a date from the list below", "change history", "Changed by",
    "Change reason", "Date/time", "Skip to main content", "Toggle theme", "Django administration",
    "Django site admin", "Trang quản trị cho Django", "Breadcrumbs", "Filter navigation items", "Select this object",
    "Select all objects", "Raw passwords", "Password-based authentication", "Reset password", "Can add ",
    "Can change ", "Can view ", "Can delete ", "relationship", "Recorded by", "Year of birth", "Task id",
    "If disabled", "Add link", "Model name", "Toggle navigation", "Recent actions", "Log out", "View site",
    "Please correct", "This field is required", "Enter a valid",
)  # fmt: skip
# Whole words only, case-sensitive: Django's defaults for empty and boolean values, and the packages' labels.
WORDS = ("Import", "Export", "Object", "Comment", "Changes", "Created", "Changed", "Deleted", "None", "True", "False",
         "Home", "History", "Sidebar", "Enabled", "Disabled", "entry", "entries", "Submit", "Save", "Search",
         "Delete", "Filter", "Previous", "Next")  # fmt: skip
ENGLISH_WORDS = re.compile(rf"\b({'|'.join(WORDS)})\b")
ENGLISH_WORDS_UPPER = re.compile(rf"\b({'|'.join(word.upper() for word in WORDS)})\b")
SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        # The document's title only: charts' SVG <title> elements are tooltips.
        self._in_title = tag == "title" and not self.title
        self.pieces.extend(value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self._skip and data.strip():
            self.pieces.append(data.strip())


def _has_english(piece: str) -> bool:
    # A browser's innerText applies CSS text-transform: the admin's "Import" button reads "IMPORT" there.
    if piece.isupper():
        return any(phrase.upper() in piece for phrase in ENGLISH_PHRASES) or bool(ENGLISH_WORDS_UPPER.search(piece))
    return any(phrase in piece for phrase in ENGLISH_PHRASES) or bool(ENGLISH_WORDS.search(piece))


def english_in(text_pieces) -> list[str]:
    """The pieces of text that contain a known English string."""
    return [piece for piece in text_pieces if _has_english(piece)]


def read_page(html: str) -> tuple[str, list[str]]:
    """The page's <title> and what a user reads on it."""
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.title.split()), parser.pieces
