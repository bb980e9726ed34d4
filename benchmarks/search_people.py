"""The search benchmark's people: Vietnamese names drawn as Thanh Hóa's are spread, built in SQL.

Each pool is (name, weight); weights are relative within the pool. A pick is a slot of an array in which each name
fills a share of the slots as large as its weight, indexed by a seeded hash of the person's number, so a build is
the same every time and the database does the whole draw (INSERT … SELECT generate_series, no row crosses Python).
"""

from drugfree.text import search_key

SLOTS = 10_000

# Kinh surnames with Thanh Hóa's own (Lê, Trịnh, Mai) high, Mường and Thái surnames (Hà, Lò, Lường, Cầm, Vi), and
# rare ones (a few hundred people each in four million) for the "rare surname" queries.
SURNAMES = [
    ("Nguyễn", 250),
    ("Lê", 160),
    ("Trịnh", 50),
    ("Phạm", 60),
    ("Trần", 50),
    ("Hoàng", 35),
    ("Bùi", 30),
    ("Đỗ", 25),
    ("Hà", 25),
    ("Vũ", 20),
    ("Mai", 20),
    ("Đinh", 20),
    ("Đặng", 15),
    ("Ngô", 15),
    ("Lò", 10),
    ("Dương", 10),
    ("Hồ", 10),
    ("Phan", 10),
    ("Đào", 10),
    ("Lường", 8),
    ("Quách", 8),
    ("Cao", 8),
    ("Lương", 8),
    ("Cầm", 5),
    ("Vi", 5),
    ("Lại", 5),
    ("Lưu", 5),
    ("Võ", 5),
    ("Tạ", 4),
    ("Triệu", 4),
    ("Tống", 3),
    ("Chu", 3),
    ("Huỳnh", 2),
    ("Kiều", 2),
    ("Khổng", 1),
    ("Thân", 1),
    ("Mạc", 1),
    ("Âu", 1),
    ("Giáp", 0.1),
    ("Hứa", 0.1),
    ("Ông", 0.1),
]
MIDDLE_MALE = [
    ("Văn", 450),
    ("Đức", 60),
    ("Minh", 60),
    ("Hữu", 50),
    ("Quang", 50),
    ("Đình", 50),
    ("Công", 40),
    ("Xuân", 40),
    ("Thanh", 40),
    ("Ngọc", 30),
    ("Trọng", 30),
    ("Tiến", 30),
    ("Mạnh", 20),
    ("Bá", 20),
    ("Duy", 20),
    ("Huy", 20),
]
MIDDLE_FEMALE = [
    ("Thị", 600),
    ("Thu", 40),
    ("Ngọc", 40),
    ("Thanh", 40),
    ("Hồng", 40),
    ("Minh", 30),
    ("Kim", 30),
    ("Phương", 20),
    ("Bích", 20),
    ("Mai", 20),
    ("Thùy", 20),
    ("Hải", 15),
    ("Lan", 15),
    ("Diệu", 10),
    ("Khánh", 10),
    ("Quỳnh", 10),
]
GIVEN_MALE = [
    ("Hùng", 40),
    ("Dũng", 40),
    ("Tuấn", 40),
    ("Nam", 35),
    ("Sơn", 35),
    ("Minh", 35),
    ("Hải", 30),
    ("Cường", 30),
    ("Thắng", 30),
    ("Long", 25),
    ("Quân", 25),
    ("Trung", 25),
    ("Đức", 25),
    ("Hiếu", 20),
    ("Hoàng", 20),
    ("Huy", 20),
    ("Việt", 20),
    ("Anh", 20),
    ("Bình", 20),
    ("Tùng", 20),
    ("Thành", 20),
    ("Phong", 15),
    ("Tâm", 15),
    ("Toàn", 15),
    ("Tiến", 15),
    ("Vinh", 15),
    ("Hưng", 15),
    ("Đạt", 15),
    ("Giang", 10),
    ("Kiên", 10),
    ("Lâm", 10),
    ("Linh", 10),
    ("Lộc", 10),
    ("Mạnh", 10),
    ("Nghĩa", 10),
    ("Phúc", 10),
    ("Tài", 10),
    ("Thịnh", 10),
    ("Tú", 10),
    ("Vũ", 10),
    ("Hậu", 8),
    ("Thái", 8),
    ("Bảo", 8),
    ("Khoa", 8),
    ("Lực", 5),
    ("Sang", 5),
    ("Tường", 5),
    ("Xuân", 5),
    ("Chiến", 5),
    ("Công", 5),
    ("Đông", 5),
    ("Hòa", 5),
    ("An", 5),
    ("Khánh", 5),
    ("Khải", 1),
    ("Toản", 1),
]
GIVEN_FEMALE = [
    ("Hương", 40),
    ("Lan", 35),
    ("Hoa", 35),
    ("Huyền", 30),
    ("Trang", 30),
    ("Thảo", 30),
    ("Hà", 30),
    ("Linh", 30),
    ("Ngọc", 25),
    ("Mai", 25),
    ("Thủy", 25),
    ("Hằng", 25),
    ("Nhung", 20),
    ("Phương", 20),
    ("Dung", 20),
    ("Yến", 20),
    ("Hạnh", 20),
    ("Hiền", 20),
    ("Anh", 20),
    ("Vân", 15),
    ("Nga", 15),
    ("Loan", 15),
    ("Giang", 15),
    ("Liên", 15),
    ("Thu", 15),
    ("Tâm", 10),
    ("Chi", 10),
    ("Duyên", 10),
    ("Huệ", 10),
    ("Ly", 10),
    ("My", 10),
    ("Ngân", 10),
    ("Oanh", 10),
    ("Quyên", 10),
    ("Quỳnh", 10),
    ("Tuyết", 10),
    ("Uyên", 10),
    ("Xuân", 10),
    ("Châu", 5),
    ("Diệp", 5),
    ("Hường", 5),
    ("Lụa", 5),
    ("Nhàn", 5),
    ("Thoa", 5),
    ("Thơm", 2),
]


def _slots(pool: list[tuple[str, float]], names: list[str]) -> list[int]:
    """SLOTS 1-based positions into `names`, each name repeated in proportion to its weight (at least once)."""
    total = sum(weight for _, weight in pool)
    slots = []
    for name, weight in pool:
        slots += [names.index(name) + 1] * max(1, round(SLOTS * weight / total))
    return slots


def parameters() -> dict:
    """The pools as SQL arrays: names with diacritics and their search keys, and the slot arrays that weight them."""
    surnames = [name for name, _ in SURNAMES]
    words = sorted({name for pool in (MIDDLE_MALE, MIDDLE_FEMALE, GIVEN_MALE, GIVEN_FEMALE) for name, _ in pool})
    return {
        "surname_names": surnames,
        "surname_keys": [search_key(name) for name in surnames],
        "surname_slots": _slots(SURNAMES, surnames),
        "word_names": words,
        "word_keys": [search_key(name) for name in words],
        "middle_male": _slots(MIDDLE_MALE, words),
        "middle_female": _slots(MIDDLE_FEMALE, words),
        "given_male": _slots(GIVEN_MALE, words),
        "given_female": _slots(GIVEN_FEMALE, words),
        # A second middle name is never the plain Văn or Thị: "Thị Thu Hà", not "Thu Thị Hà".
        "second_male": _slots(MIDDLE_MALE[1:], words),
        "second_female": _slots(MIDDLE_FEMALE[1:], words),
    }


def _pick(slots: str, salt: int, of: str = "k") -> str:
    return f"(%({slots})s::int[])[1 + (hashint8extended({of}, {salt}) & 2147483647) %% cardinality(%({slots})s::int[])]"


# Person k (0-based) is member k % 4 of household k / 4: 0 the head (a man in 85 % of households), 1 the spouse, 2
# and 3 children. Head and children share the family's surname. One in five has a second middle name ("Thị Thu").
# CCCDs are distinct: k times a number prime to 10⁹, modulo 10⁹, is a permutation; one child in seven has none.
STAGE_PEOPLE = f"""
CREATE UNLOGGED TABLE bench_people AS
SELECT k, k / 4 AS g, k %% 4 AS member, male,
       s.full || ' ' || m.full || coalesce(' ' || x.full, '') || ' ' || gv.full AS full_name,
       s.key || ' ' || m.key || coalesce(' ' || x.key, '') || ' ' || gv.key AS name_key,
       CASE WHEN k %% 4 >= 2 AND k %% 7 = 0 THEN NULL
            ELSE '038' || lpad(((k * 387420489) %% 1000000000)::text, 9, '0') END AS cccd,
       CASE WHEN k %% 4 < 2 THEN 1950 + (k / 4) %% 40 ELSE 1990 + k %% 30 END AS birth_year
FROM (
    SELECT k, male,
           {_pick("surname_slots", 3, "family")} AS s_at,
           CASE WHEN male THEN {_pick("middle_male", 4)} ELSE {_pick("middle_female", 4)} END AS m_at,
           CASE WHEN (hashint8extended(k, 6) & 1023) < 205
                THEN CASE WHEN male THEN {_pick("second_male", 7)} ELSE {_pick("second_female", 7)} END END AS x_at,
           CASE WHEN male THEN {_pick("given_male", 5)} ELSE {_pick("given_female", 5)} END AS g_at
    FROM (
        SELECT k, CASE WHEN k %% 4 = 1 THEN k ELSE k / 4 END AS family,
               CASE k %% 4 WHEN 0 THEN (hashint8extended(k / 4, 1) & 1023) < 870
                             WHEN 1 THEN (hashint8extended(k / 4, 1) & 1023) >= 870
                             ELSE (hashint8extended(k, 2) & 1) = 0 END AS male
        FROM generate_series(0::bigint, %(people)s - 1) k
    ) drawn
) picked,
LATERAL (SELECT (%(surname_names)s::text[])[s_at] AS full, (%(surname_keys)s::text[])[s_at] AS key) s,
LATERAL (SELECT (%(word_names)s::text[])[m_at] AS full, (%(word_keys)s::text[])[m_at] AS key) m,
LATERAL (SELECT (%(word_names)s::text[])[x_at] AS full, (%(word_keys)s::text[])[x_at] AS key) x,
LATERAL (SELECT (%(word_names)s::text[])[g_at] AS full, (%(word_keys)s::text[])[g_at] AS key) gv
"""
