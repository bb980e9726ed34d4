"""Filling in a hamlet checklist the way the browser does: start from the rendered rows, change some, post."""

from html.parser import HTMLParser


class _Fields(HTMLParser):
    """The checklist form's fields as the page wrote them: values of text and hidden boxes, ticked checkboxes, and
    each row's household code (the label of its checkbox)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.checked: set[str] = set()
        self.codes: dict[str, str] = {}  # row prefix ("pledges-3") → household code
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and (name.startswith("pledges-") or name == "default_signed_on"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.checked.add(name)
            else:
                self.values[name] = a.get("value") or ""
        if tag == "label" and (a.get("for") or "").endswith("-signed"):
            self._label_for = a["for"].removeprefix("id_").removesuffix("-signed")

    def handle_data(self, data):
        if self._label_for and data.strip():
            self.codes[self._label_for] = data.strip()
            self._label_for = None


def checklist_data(response, *, tick=(), untick=(), rows=None, default_signed_on="") -> dict:
    """POST data for the checklist page in `response`, ticking/unticking households by code.

    `rows` maps a household code to overrides of its fields (signed_on, representative_name).
    """
    page = _Fields()
    page.feed(response.content.decode())
    data = {name: value for name, value in page.values.items() if name != "default_signed_on"}
    data["default_signed_on"] = default_signed_on
    for prefix, code in page.codes.items():
        signed = (f"{prefix}-signed" in page.checked or code in tick) and code not in untick
        if signed:
            data[f"{prefix}-signed"] = "on"
        for field, value in (rows or {}).get(code, {}).items():
            data[f"{prefix}-{field}"] = value
    return data
