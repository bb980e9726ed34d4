"""The story's fixed inputs: the communes' codes, the hamlets' names, the names people are given."""

from pathlib import Path

# The sample household list of Khu phố Sỏi (89 households, 415 members), loaded through the real import so that the
# demo and the sample agree: importing the sample over the demo changes nothing.
KHU_PHO_SOI_LIST = Path(__file__).resolve().parent.parent / "data" / "ho_gia_dinh_khu_pho_soi.xlsx"
QUAN_SON, NGOC_LAC = "15016", "15061"
NGOC_LAC_HAMLETS = [
    "Quang Thắng",
    "Quang Hợp",
    "Quang Thái",
    "Quang Hưng",
    "Quang Lợi",
    "Quang Thịnh",
    "Quang Phúc",
    "Quang Vinh",
    "Quang Minh",
    "Quang Sơn",
    "Quang Hòa",
    "Quang Tiến",
]
SURNAMES = ["Hà", "Lò", "Lương", "Phạm", "Bùi", "Lê", "Nguyễn", "Trương", "Vi", "Cầm", "Đinh", "Quách", "Triệu"]
MIDDLE_MALE = ["Văn", "Đình", "Công", "Minh", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Hồng"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Sơn",
    "Tám",
    "Thắng",
]
GIVEN_FEMALE = ["Hoa", "Lan", "Linh", "Mai", "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến"]
# Khu phố Sỏi: 70 % Mường, Thái and Dao (docs/domain.md §1).
SOI_ETHNICITIES = ["Mường"] * 35 + ["Thái"] * 25 + ["Dao"] * 10 + ["Kinh"] * 30
