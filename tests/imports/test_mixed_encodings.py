"""Legacy encodings are detected per column and converted per cell: a list patched together from a Unicode template
and names pasted from an old TCVN3 or VNI file reads right, and no genuine Unicode cell is touched."""

from imports.reading import read_table
from residents.models import Household, Person

from .helpers import HEADER, write_xlsx
from .test_pipeline import import_file

TITLE = "DANH SÁCH HỘ GIA ĐÌNH KHU PHỐ SỎI"
UNICODE_HEADER = [*HEADER, "Dân tộc"]


def row(number: int, name: str, ethnicity: str, *, cccd_year: str = "078") -> list:
    return [number, f"M-{number:03d}", name, "12/03/1978", "Nam", f"038{cccd_year}{number:06d}", "Khu phố Sỏi", 3,
            ethnicity]  # fmt: skip


def names(table) -> list[str]:
    return [r.values["head_name"] for r in table.rows]


def test_tcvn3_names_under_unicode_headers_and_hamlets_are_converted(tmp_path):
    rows = [
        row(1, "Mêng Kh¬ng", "Mường"),
        row(2, "Lß V¨n Hïng", "Thái"),
        row(3, "Hµ ThÞ Mai", "Kinh"),
        row(4, "§inh V¨n Lôa", "Dao"),
        row(5, "Nguyễn Văn Tâm", "Mường"),  # typed later, in Unicode
    ]
    path = write_xlsx(tmp_path / "tron.xlsx", rows, header=UNICODE_HEADER, title=TITLE)

    table = read_table(path)

    assert names(table) == ["Mường Khương", "Lò Văn Hùng", "Hà Thị Mai", "Đinh Văn Lụa", "Nguyễn Văn Tâm"]
    assert [r.values["hamlet"] for r in table.rows] == ["Khu phố Sỏi"] * 5
    assert [r.values["ethnicity"] for r in table.rows] == ["Mường", "Thái", "Kinh", "Dao", "Mường"]
    assert table.headers[2] == "Họ và tên chủ hộ"
    assert (table.encoding, table.column_encodings) == ("tcvn3", {2: "tcvn3"})


def test_vni_names_under_unicode_headers_are_converted_and_unicode_ethnicities_kept(tmp_path):
    rows = [
        row(1, "Nguyeãn Vaên An", "Thái"),
        row(2, "Ñaëng Thò Lan", "Tày"),
        row(3, "Möôøng Khöông", "Thái"),
    ]
    path = write_xlsx(tmp_path / "vni.xlsx", rows, header=UNICODE_HEADER, title=TITLE)

    table = read_table(path)

    assert names(table) == ["Nguyễn Văn An", "Đặng Thị Lan", "Mường Khương"]
    # "Thái" and "Tày" use only letters Windows-1252 has: read as TCVN3 they would become "Thỏi", "Tõy".
    assert [r.values["ethnicity"] for r in table.rows] == ["Thái", "Tày", "Thái"]
    assert table.column_encodings == {2: "vni"}


def test_one_pasted_tcvn3_name_among_unicode_names_is_converted_and_the_others_left_alone(tmp_path):
    rows = [row(n, name, "Kinh") for n, name in enumerate(
        ["Lò Văn Hùng", "Hà Tâm", "Bùi Thái", "Mêng Kh¬ng", "Lê Thị Hoa", "Tô Hoài"], start=1
    )]  # fmt: skip
    path = write_xlsx(tmp_path / "mot_o.xlsx", rows, header=UNICODE_HEADER)

    table = read_table(path)

    assert names(table) == ["Lò Văn Hùng", "Hà Tâm", "Bùi Thái", "Mường Khương", "Lê Thị Hoa", "Tô Hoài"]


def test_a_mixed_list_imports_with_its_names_in_unicode(places, personas, tmp_path):
    rows = [row(1, "Mêng Kh¬ng", "Mường"), row(2, "Lß V¨n Hïng", "Thái"), row(3, "Lê Thị Hoa", "Kinh")]
    path = write_xlsx(tmp_path / "tron.xlsx", rows, header=UNICODE_HEADER, title=TITLE)

    run, _result = import_file(path, actor=personas.officer_a, commune=places.commune_a)

    assert set(Household.objects.values_list("head_name", flat=True)) == {"Mường Khương", "Lò Văn Hùng", "Lê Thị Hoa"}
    assert Person.objects.get(cccd="038078000002").ethnicity == "Thái"
    assert run.summary["encoding"] == "tcvn3"
    assert Household.objects.get(head_name="Mường Khương").hamlet == places.hamlet_a
