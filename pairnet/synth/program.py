"""The public facts the national generator builds on: who helps whom, and where the poor
counties are.

``ARRANGEMENTS`` is the east–west pairing of December 2016 (《关于进一步加强东西部扶贫协作
工作的指导意见》): 9 eastern provinces and municipalities and 13 cities helping the 10 western
provinces and the minority autonomous prefectures outside them. It is the list as
published then; it leaves out what is not east–west cooperation (the 对口支援 of Tibet,
Xinjiang and Qinghai's Tibetan prefectures) and the later adjustments of 2021.

``POOR_COUNTIES`` gives how many of the 832 nationally designated poor counties each
province had (2014 list). Which counties they are is chosen by the generator, except the
ones in ``KNOWN_POOR`` (Yanhe, the sample's county).
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "ARRANGEMENTS",
    "ARRANGEMENT_START",
    "DEEP_POVERTY_AREAS",
    "DEPARTMENTS",
    "HELPER_PROVINCES",
    "KNOWN_COUNTY_PAIRS",
    "KNOWN_POOR",
    "POOR_COUNTIES",
    "POOR_VILLAGES",
    "DEEPLY_POOR_SHARE",
    "SCALES",
]

# The eastern provinces and municipalities whose units are on the helper side.
HELPER_PROVINCES = frozenset({"11", "12", "21", "31", "32", "33", "35", "37", "44"})

# (helper division code, helped division code), as in the 2016 guideline.
ARRANGEMENTS: tuple[tuple[str, str], ...] = (
    ("11", "15"),
    ("11", "1307"),
    ("11", "1306"),  # 北京 → 内蒙古, 张家口, 保定
    ("12", "62"),
    ("12", "1308"),  # 天津 → 甘肃, 承德
    ("2102", "5202"),  # 大连 → 六盘水
    ("31", "53"),
    ("31", "5203"),  # 上海 → 云南, 遵义
    ("32", "61"),
    ("32", "6301"),
    ("32", "6302"),  # 江苏 → 陕西, 西宁, 海东
    ("3205", "5206"),  # 苏州 → 铜仁
    ("33", "51"),  # 浙江 → 四川
    ("3301", "4228"),
    ("3301", "5226"),  # 杭州 → 恩施, 黔东南
    ("3302", "2224"),
    ("3302", "5223"),  # 宁波 → 延边, 黔西南
    ("35", "64"),
    ("3501", "6211"),
    ("3502", "6229"),  # 福建 → 宁夏; 福州 → 定西; 厦门 → 临夏
    ("37", "50"),
    ("3701", "4331"),  # 山东 → 重庆; 济南 → 湘西
    ("3702", "5204"),
    ("3702", "6212"),  # 青岛 → 安顺, 陇南
    ("44", "45"),
    ("44", "5133"),  # 广东 → 广西, 甘孜
    ("4401", "5227"),
    ("4401", "5205"),  # 广州 → 黔南, 毕节
    ("4406", "5134"),  # 佛山 → 凉山
    ("4420", "5306"),
    ("4419", "5306"),  # 中山, 东莞 → 昭通
    ("4404", "5333"),  # 珠海 → 怒江
)
ARRANGEMENT_START = dt.date(2016, 12, 7)

# Poor counties per province, 2014 (they add up to 832).
POOR_COUNTIES: dict[str, int] = {
    "13": 45,
    "14": 36,
    "15": 31,
    "22": 8,
    "23": 20,
    "34": 20,
    "36": 24,
    "41": 38,
    "42": 28,
    "43": 40,
    "45": 33,
    "46": 5,
    "50": 14,
    "51": 66,
    "52": 66,
    "53": 88,
    "54": 74,
    "61": 56,
    "62": 58,
    "63": 42,
    "64": 8,
    "65": 32,
}
KNOWN_POOR = frozenset({"520627"})

# The one county pair the generator keeps real: Zhangjiagang → Yanhe, March 2017.
KNOWN_COUNTY_PAIRS: dict[str, tuple[str, dt.date]] = {"520627": ("320582", dt.date(2017, 3, 1))}

# About 128,000 poor villages nationally; the share that is deeply poor is higher in the
# deep-poverty areas (三区三州 and similar): Tibet, Qinghai, southern Xinjiang, 甘孜, 阿坝,
# 凉山, 怒江, 迪庆, 临夏, 甘南.
POOR_VILLAGES = 128_000
DEEP_POVERTY_AREAS = (
    "54",
    "63",
    "6529",
    "6530",
    "6531",
    "6532",
    "5132",
    "5133",
    "5134",
    "5333",
    "5334",
    "6229",
    "6230",
)
DEEPLY_POOR_SHARE = {"deep_area": 0.45, "elsewhere": 0.2}

# The counterpart departments a county pair signs framework agreements between.
DEPARTMENTS = (
    "发展和改革局",
    "人力资源和社会保障局",
    "教育局",
    "卫生健康局",
    "农业农村局",
    "商务局",
    "民政局",
    "财政局",
    "交通运输局",
    "文化广电旅游局",
    "工业和信息化局",
    "扶贫开发办公室",
)

# The division codes each scale keeps (with their ancestors); "" keeps the whole country.
SCALES: dict[str, tuple[str, ...]] = {
    "county": ("320582", "520627"),
    "province": ("52", "3205", "31", "2102", "3301", "3302", "3702", "4401"),
    "national": ("",),
}
