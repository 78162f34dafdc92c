"""The written rubric behind the judged cases added in the second round (`"graded_by": "rubric"`).

A counsellor at the provincial employment service centre grades what a search or a match should show
from what the person said, never from what the ranking does: this module reads only the judged corpus
and the reference data (communes, pre-2025 districts), and imports nothing from search/. Each case says
what was asked (`occupations`, `words`, `place`, `languages`…) and its note says why.

Queries:
- the text part: a vacancy whose title or skills say what was asked (`words`) is exactly it (3), one of
  the occupations the words name is relevant (`occupations`, with its grade), a description that says it
  is marginal (1);
- a place ("thợ hàn Cam Lộ", "việc làm Hướng Hóa"; a 2025 commune or a pre-2025 district): in one of its
  communes the text grade stands; within 25 km one less (at least 1 for a grade of 3); further at home
  two less (1 for a grade of 3); abroad 0, since the person named a place at home. A place alone: in
  it 3, within 10 km of its centre 2, within 20 km 1;
- languages ("JLPT N4", "tiếng Đức"): a vacancy that asks for that language is 3 at the level named or
  below it, 1 above it; one in the language's country that asks nothing is 1.
Profiles:
- the worker's wishes are hard: abroad only where they want to go (the countries they chose, any when
  none), at home only if they want work at home; the age band; a language required and not held is 0,
  one level short is 1;
- the occupation: desired, or backed by a verified certificate, 3; backed only by a declared certificate 2;
  the same ISCO minor group (three digits) 1, or 2 when the worker's skills are in the vacancy's; else 0;
- at home, the distance from the nearest of home and the communes the worker wants to work in: up to
  20 km the grade stands, up to 50 km one less (at least 1), further two less (at least 1 for a 3);
- pay below 80 % of what the worker expects, or training above theirs: one less.

`python tests/relevance/rubric.py` writes the cases into queries.json and profiles.json (replacing the
rubric's own cases, leaving the hand-graded ones as they are).
"""

import json
import math
import re
from pathlib import Path

HERE = Path(__file__).parent
UNITS = json.loads((HERE.parents[1] / "jobs" / "data" / "admin_units.json").read_text(encoding="utf-8"))
VACANCIES = json.loads((HERE / "vacancies.json").read_text(encoding="utf-8"))
TRAINING = ["none", "short_course", "elementary", "intermediate", "college", "university"]
SCALES = {
    "jlpt": ["N5", "N4", "N3", "N2", "N1"],
    "jft_basic": ["A2"],
    "topik": ["1", "2", "3", "4", "5", "6"],
    "cefr_en": ["A1", "A2", "B1", "B2", "C1", "C2"],
    "cefr_de": ["A1", "A2", "B1", "B2", "C1", "C2"],
    "tocfl": ["1", "2", "3", "4", "5", "6"],
}
COUNTRY_OF = {"jlpt": "JP", "jft_basic": "JP", "topik": "KR", "eps_topik": "KR", "cefr_de": "DE", "tocfl": "TW"}


def fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


COMMUNES = {c["code"]: c for c in UNITS["communes"]}


def _places() -> dict[str, set[str]]:
    places = {}
    for commune in UNITS["communes"]:
        places.setdefault(fold(commune["name"]), set()).add(commune["code"])
    for district in UNITS["old_districts"]:
        name = fold(district["name"])
        for kind in ("thanh pho ", "thi xa ", "huyen "):
            name = name.removeprefix(kind)
        places.setdefault(name, set()).update(
            c["code"] for c in UNITS["communes"] if district["code"] in c["old_districts"]
        )
    return places


PLACES = _places()


def km(a: str, b) -> float:
    """Great-circle distance between a commune and a commune or a (lat, lon) point."""
    one = COMMUNES[a]
    lat2, lon2 = b if isinstance(b, tuple) else (COMMUNES[b]["latitude"], COMMUNES[b]["longitude"])
    lat1, lon1 = one["latitude"], one["longitude"]
    p = math.pi / 180
    h = (
        0.5
        - math.cos((lat2 - lat1) * p) / 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * (1 - math.cos((lon2 - lon1) * p)) / 2
    )
    return 12742 * math.asin(math.sqrt(h))


def centre(codes) -> tuple[float, float]:
    return (
        sum(COMMUNES[c]["latitude"] for c in codes) / len(codes),
        sum(COMMUNES[c]["longitude"] for c in codes) / len(codes),
    )


def rank(framework, level):
    return int(level) if framework == "eps_topik" else SCALES[framework].index(level.upper())


# --- Queries -------------------------------------------------------------------------------------


def says(text: str, words: str) -> bool:
    """The words stand in the (folded) text as words: "han" is not in "nhan"."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def text_grade(v: dict, case: dict) -> int:
    title = fold(v["title"])
    skills = [fold(s) for s in v["skills"]]
    grade = 0
    for word, g in case.get("words", {}).items():
        if says(title, word) or any(says(s, word) for s in skills):
            grade = max(grade, g)
        elif says(fold(v["description"]), word):
            grade = max(grade, 1)
    grade = max(grade, case.get("occupations", {}).get(v["occupation"], 0))
    for prefix, g in case.get("groups", {}).items():
        if v["occupation"].startswith(prefix):
            grade = max(grade, g)
    if "languages" in case:
        grade = max(grade, language_grade(v, case["languages"]))
    if case.get("abroad") is not None and v["is_overseas"] != case["abroad"]:
        grade = 0
    if case.get("country") and v["country"] != case["country"]:
        grade = 0
    return grade


def language_grade(v: dict, named: tuple[str, str | None]) -> int:
    framework, level = named
    for lang in v["languages"]:
        if lang["framework"] == framework:
            if level is None or rank(framework, lang["level"]) <= rank(framework, level):
                return 3
            return 1
    return 1 if v["is_overseas"] and v["country"] == COUNTRY_OF.get(framework) else 0


def place_grade(v: dict, case: dict, text: int | None) -> int:
    codes = PLACES[case["place"]]
    if v["is_overseas"]:
        return 0
    if text is None:  # the place alone
        if v["commune"] in codes:
            return 3
        d = km(v["commune"], centre(codes))
        return 2 if d <= 10 else 1 if d <= 20 else 0
    if not text or v["commune"] in codes:
        return text
    d = min(km(v["commune"], c) for c in codes)
    if d <= 25:
        return max(text - 1, 1) if text >= 2 else 0
    return 1 if text == 3 else 0


def grade_query(case: dict) -> dict[str, int]:
    judged = {}
    for v in VACANCIES:
        asked = bool(case.get("words") or case.get("occupations") or case.get("groups") or "languages" in case)
        text = text_grade(v, case) if asked else None
        grade = place_grade(v, case, text) if case.get("place") else text
        if grade:
            judged[v["key"]] = grade
    return judged


W = {"7212": 3, "7214": 1, "7213": 1}  # welding, and the steel trades next to it
SEW = {"8153": 3, "7531": 2, "7532": 2, "7533": 1}
QUERIES = [
    # Places: 2025 communes, pre-2025 districts people still name, border places; with and without diacritics.
    (
        {"query": "việc làm Đông Hà", "place": "dong ha"},
        "Work in Đông Hà: the old city's two wards (Đông Hà, Nam Đông Hà) 3, Cam Lộ and Quảng Trị within 10–20 km less.",
    ),
    ({"query": "viec lam dong ha", "place": "dong ha"}, "The same typed without diacritics."),
    (
        {"query": "việc làm Đồng Hới", "place": "dong hoi"},
        "Work in Đồng Hới (the old city: Đồng Hới, Đồng Sơn, Đồng Thuận) 3; not Đông Hà, a look-alike 95 km away.",
    ),
    (
        {"query": "tuyển dụng Hải Lăng", "place": "hai lang"},
        "Hải Lăng, a 2025 commune and the old district (Diên Sanh, Mỹ Thủy, Nam Hải Lăng…) 3.",
    ),
    ({"query": "Lao Bảo", "place": "lao bao"}, "The border town alone: its vacancies 3, Khe Sanh (18 km) 1."),
    ({"query": "viec lam lao bao", "place": "lao bao"}, "Lao Bảo typed without diacritics."),
    ({"query": "Khe Sanh", "place": "khe sanh"}, "Khe Sanh alone: its vacancies 3, Lao Bảo (18 km) 1."),
    (
        {"query": "việc làm Hướng Hóa", "place": "huong hoa"},
        "Hướng Hóa is no longer a unit: people mean the old district (Khe Sanh, Lao Bảo, Hướng Phùng, Hướng Lập, Tân Lập, A Dơi, Lìa), all 3.",
    ),
    (
        {"query": "việc làm Vĩnh Linh", "place": "vinh linh"},
        "The old district Vĩnh Linh: Vĩnh Linh, Cửa Tùng, Vĩnh Thủy, Bến Quan, Vĩnh Hoàng 3.",
    ),
    (
        {"query": "Gio Linh", "place": "gio linh"},
        "The old district Gio Linh (Gio Linh, Cửa Việt, Bến Hải, Cồn Tiên) 3.",
    ),
    (
        {"query": "việc làm Triệu Phong", "place": "trieu phong"},
        "The old district Triệu Phong (Ái Tử, Triệu Phong, Nam Cửa Việt…) 3.",
    ),
    (
        {"query": "việc làm Đa Krông", "place": "da krong"},
        "The old district spelt 'Đa Krông' (the 2025 commune is 'Đakrông'): Đakrông, Ba Lòng, Hướng Hiệp… 3.",
    ),
    ({"query": "Ba Đồn", "place": "ba don"}, "Ba Đồn, ward and old town: Ba Đồn, Bắc Gianh, Nam Gianh, Nam Ba Đồn 3."),
    (
        {"query": "thợ hàn Cam Lộ", "place": "cam lo", "occupations": W, "words": {"han": 2}},
        "A welder near Cam Lộ (the 2025 commune and the old district with Hiếu Giang): welding there 3, in Đông Hà 12 km away 2, elsewhere at home 1; welding abroad 0 (they named a place at home).",
    ),
    (
        {"query": "tho han cam lo", "place": "cam lo", "occupations": W, "words": {"han": 2}},
        "The same without diacritics.",
    ),
    (
        {"query": "thợ hàn Đồng Hới", "place": "dong hoi", "occupations": W, "words": {"han": 2}},
        "Welding in Đồng Hới 3, within 25 km 2, elsewhere at home 1.",
    ),
    (
        {"query": "thợ hàn Đông Hà", "place": "dong ha", "occupations": W, "words": {"han": 2}},
        "Welding in Đông Hà's wards 3, Cam Lộ and Quảng Trị 2, elsewhere 1.",
    ),
    (
        {
            "query": "lái xe Đông Hà",
            "place": "dong ha",
            "occupations": {"8322": 3, "8332": 3, "8331": 3, "8321": 2, "8344": 1},
        },
        "Driving jobs in Đông Hà 3, nearby 2, further 1.",
    ),
    (
        {
            "query": "bán hàng Đồng Hới",
            "place": "dong hoi",
            "occupations": {"5223": 3, "5242": 2, "5244": 2, "3322": 2, "5230": 1},
            "words": {"ban hang": 3},
        },
        "Shop sales in Đồng Hới 3; sales staff and cashiers less.",
    ),
    (
        {
            "query": "phục vụ Phong Nha",
            "place": "phong nha",
            "occupations": {"5131": 3, "5132": 2, "9412": 1, "4224": 1},
            "words": {"phuc vu": 3},
        },
        "Waiting staff around Phong Nha (tourism): there 3, nearby 2.",
    ),
    (
        {
            "query": "phục vụ Bố Trạch",
            "place": "bo trach",
            "occupations": {"5131": 3, "5132": 2, "9412": 1, "4224": 1},
            "words": {"phuc vu": 3},
        },
        "Bố Trạch, the old district around Phong Nha: waiting jobs in its communes 3.",
    ),
    (
        {"query": "đầu bếp Cửa Tùng", "place": "cua tung", "occupations": {"5120": 3, "3434": 3, "9412": 1}},
        "Cooks at the Cửa Tùng beach 3, Vĩnh Linh nearby 2.",
    ),
    (
        {"query": "kế toán Đông Hà", "place": "dong ha", "occupations": {"2411": 3, "3313": 3, "4311": 2}},
        "Accounting in Đông Hà 3, nearby 2, elsewhere 1.",
    ),
    (
        {"query": "điều dưỡng Đồng Hới", "place": "dong hoi", "occupations": {"2221": 3, "3221": 3, "5321": 1}},
        "Nursing in Đồng Hới 3.",
    ),
    (
        {"query": "may mặc Hải Lăng", "place": "hai lang", "occupations": SEW, "words": {"may": 2}},
        "Sewing near Hải Lăng (a garment park): there 3, Quảng Trị ward 2.",
    ),
    (
        {"query": "bảo vệ Nam Đông Hà", "place": "nam dong ha", "occupations": {"5414": 3}},
        "Guards in Nam Đông Hà 3 (not the whole of Đông Hà: the longer name wins), Đông Hà 2.",
    ),
    (
        {"query": "công nhân Quảng Trị", "occupations": {}, "groups": {"81": 2, "82": 2}, "words": {"cong nhan": 3}},
        "'Quảng Trị' names the province here: no place, factory work anywhere.",
    ),
    (
        {"query": "nuôi tôm Gio Linh", "place": "gio linh", "occupations": {"6221": 3, "9216": 2}},
        "Shrimp farming in the old Gio Linh district (Cửa Việt) 3.",
    ),
    (
        {"query": "việc làm Lệ Thủy", "place": "le thuy"},
        "The old district Lệ Thủy: Lệ Thủy, Sen Ngư, Cam Hồng, Tân Mỹ… 3.",
    ),
    # Occupations named without diacritics, as people type on a phone.
    (
        {"query": "cong nhan", "groups": {"81": 2, "82": 2, "93": 1}, "words": {"cong nhan": 3}},
        "'Công nhân' typed bare: a title saying it 3, machine operators and assemblers 2, labourers 1.",
    ),
    (
        {"query": "nhan vien ban hang", "occupations": {"5223": 3, "5242": 2, "5244": 2, "3322": 1}},
        "Shop sales staff 3; product promoters and phone sales 2.",
    ),
    (
        {"query": "nhan vien kho", "occupations": {"4321": 3, "9333": 1}, "words": {"kho": 2}},
        "Stock clerks 3; a title with 'kho' 2; loaders 1.",
    ),
    (
        {"query": "giao vien", "groups": {"23": 3}, "occupations": {"5165": 1, "2320": 3}},
        "Teachers of any kind 3; a driving instructor 1.",
    ),
    (
        {"query": "tho moc", "occupations": {"7115": 3, "7522": 3, "7523": 2}},
        "Carpenters and joiners 3, wood machine operators 2.",
    ),
    (
        {"query": "tho dien lanh", "occupations": {"7127": 3, "7411": 1, "7412": 1}},
        "Air-conditioning mechanics 3; other electricians 1.",
    ),
    ({"query": "nhan vien phuc vu", "occupations": {"5131": 3, "5132": 2, "9412": 1}}, "Waiting staff 3."),
    ({"query": "ho ly", "occupations": {"5321": 3, "5322": 3, "3221": 1}}, "Care aides 3; nurses 1."),
    ({"query": "bac si", "occupations": {"2211": 3, "2250": 2}}, "Doctors 3, a vet 2."),
    ({"query": "tho sua xe may", "occupations": {"7231": 3}, "words": {"xe may": 3}}, "Motorbike and car repair 3."),
    ({"query": "lai may xuc", "occupations": {"8342": 3, "8341": 1, "8343": 1}}, "Excavator operators 3."),
    ({"query": "thu ngan", "occupations": {"5230": 3, "5223": 1}}, "Cashiers 3."),
    (
        {"query": "nhan vien van phong", "occupations": {"4110": 3, "4120": 2, "3343": 2, "4132": 1}},
        "Office clerks 3, secretaries 2.",
    ),
    # Skills, as people list them.
    (
        {"query": "hàn CO2", "occupations": {"7212": 2}, "words": {"han co2": 3, "han mig": 3}},
        "The CO2/MIG process named 3; other welding 2.",
    ),
    ({"query": "đọc bản vẽ", "words": {"doc ban ve": 3}}, "Jobs asking to read drawings 3."),
    ({"query": "Excel", "words": {"excel": 3, "tin hoc van phong": 2}}, "Spreadsheets named 3, office computing 2."),
    ({"query": "xe nâng", "occupations": {"8344": 3}, "words": {"xe nang": 3}}, "Forklift driving 3."),
    (
        {"query": "sơ chế", "words": {"so che": 3}, "occupations": {"9412": 2}},
        "Food preparation named 3, kitchen helpers 2.",
    ),
    (
        {"query": "PLC", "words": {"plc": 3}, "occupations": {"7412": 1, "3113": 1}},
        "PLC named 3; industrial electricians 1.",
    ),
    (
        {"query": "tiếng Anh giao tiếp", "words": {"tieng anh": 3}, "languages": ("cefr_en", None)},
        "Jobs that use English: asking it or saying it 3.",
    ),
    (
        {"query": "bằng C", "words": {"bang c": 3}, "occupations": {"8332": 2}},
        "A class-C licence named 3, truck drivers 2.",
    ),
    (
        {
            "query": "chăm sóc người cao tuổi",
            "words": {"cham soc nguoi cao tuoi": 3, "nguoi gia": 3},
            "occupations": {"5321": 2, "5322": 2},
        },
        "Elderly care 3, care aides 2.",
    ),
    (
        {"query": "nhảy size", "words": {"nhay size": 3, "ra rap": 2}, "occupations": {"7532": 2}},
        "Pattern grading named 3; pattern makers 2.",
    ),
    # Language scales.
    (
        {"query": "JLPT N4", "languages": ("jlpt", "N4")},
        "Jobs open to an N4 holder: asking N4 or N5 3, N3 or more 1, Japan asking nothing 1.",
    ),
    ({"query": "tiếng Nhật N3", "languages": ("jlpt", "N3")}, "Asking N3 or less 3, more 1, Japan asking nothing 1."),
    (
        {"query": "tiếng Đức B1", "languages": ("cefr_de", "B1")},
        "German up to B1 3, B2 1; English B1 is not German B1 (0).",
    ),
    ({"query": "tieng duc", "languages": ("cefr_de", None)}, "Any job asking German 3; Germany asking nothing 1."),
    ({"query": "TOPIK", "languages": ("topik", None)}, "TOPIK asked 3; Korea asking nothing 1."),
    (
        {"query": "EPS-TOPIK", "languages": ("eps_topik", None)},
        "The EPS-TOPIK test asked 3 (the EPS orders); Korea otherwise 1.",
    ),
    (
        {"query": "tiếng Anh B1", "languages": ("cefr_en", "B1")},
        "English up to B1 3, above it 1; German B1 is not English B1 (0).",
    ),
    (
        {"query": "JFT Basic", "languages": ("jft_basic", None)},
        "JFT-Basic asked 3 (SSW care and farming); Japan otherwise 1.",
    ),
    # Abroad and at home.
    ({"query": "đi Đức", "abroad": True, "country": "DE", "groups": {"": 3}}, "Every German order 3."),
    (
        {"query": "xuất khẩu lao động Đài Loan", "abroad": True, "country": "TW", "groups": {"": 3}},
        "Every Taiwan order 3.",
    ),
    ({"query": "di nhat", "abroad": True, "country": "JP", "groups": {"": 3}}, "Every Japan order 3."),
    ({"query": "Ả Rập Xê Út", "abroad": True, "country": "SA", "groups": {"": 3}}, "Every Saudi order 3."),
    (
        {"query": "kỹ năng đặc định", "abroad": True, "country": "JP", "words": {"ky nang dac dinh": 3, "tokutei": 3}},
        "The SSW programme named 3.",
    ),
    (
        {"query": "thực tập sinh may", "abroad": True, "occupations": SEW, "words": {"may": 2}},
        "Sewing trainees abroad 3 (Japan, and the others).",
    ),
    (
        {
            "query": "hàn quốc xây dựng",
            "abroad": True,
            "country": "KR",
            "groups": {"71": 2, "93": 3},
            "words": {"xay dung": 3},
        },
        "Construction in Korea 3.",
    ),
    (
        {"query": "điện tử Nhật Bản", "abroad": True, "country": "JP", "occupations": {"8212": 3, "8211": 2}},
        "Electronics assembly in Japan 3.",
    ),
    # Look-alikes and text that should find nothing.
    ({"query": "Kim Điền", "place": "kim dien"}, "The commune (not 'điện', electricity): its vacancies 3."),
    ({"query": "phi hành gia"}, "Astronaut: nothing in Quảng Trị, and nothing should pretend."),
    ({"query": "thợ lặn biển sâu"}, "Deep-sea diver: no such vacancy."),
    (
        {"query": "việc làm Hà Nội", "words": {"ha noi": 1}},
        "Hà Nội is not in the province: only the coach route Đông Hà – Hà Nội says it, and is marginal (1).",
    ),
]


# --- Profiles ------------------------------------------------------------------------------------


def related(a: str, b: str) -> bool:
    return a[:3] == b[:3]


def profile_grade(v: dict, p: dict) -> int:
    age = 2026 - p["birth_year"]
    if (v.get("age_min") and age < v["age_min"]) or (v.get("age_max") and age > v["age_max"]):
        return 0
    if v["is_overseas"]:
        if not p.get("wants_abroad") or (p.get("countries") and v["country"] not in p["countries"]):
            return 0
        if age < 18:
            return 0
    elif not p.get("wants_home", True):
        return 0
    held = {}
    for lang in p.get("languages", []):
        held[lang["framework"]] = max(held.get(lang["framework"], -1), rank(lang["framework"], lang["level"]))
    short = 0
    for lang in v["languages"]:
        need = rank(lang["framework"], lang["level"])
        have = held.get(lang["framework"])
        if have is None or have < need - (10 if lang["framework"] == "eps_topik" else 1):
            return 0
        short += have < need
    certificates = p.get("certificates", [])
    verified = {c["occupation"] for c in certificates if c.get("occupation") and c.get("verified")}
    declared = {c["occupation"] for c in certificates if c.get("occupation")} - verified
    wanted = set(p.get("desired_occupations", [])) | verified
    skills = {fold(s) for s in p.get("skills", [])}
    skilled = any(says(fold(x), s) for s in skills for x in v["skills"] + [v["title"]])
    if v["occupation"] in wanted:
        grade = 3
    elif v["occupation"] in declared:
        grade = 2
    elif any(related(v["occupation"], o) for o in wanted | declared):
        grade = 2 if skilled else 1
    else:
        grade = 1 if skilled else 0
    if not grade:
        return 0
    if not v["is_overseas"]:
        d = min(km(v["commune"], c) for c in [p["commune"], *p.get("desired_communes", [])])
        if d > 50:
            grade = 1 if grade == 3 else grade - 2
        elif d > 20:
            grade = max(grade - 1, 1)
    level = max((TRAINING.index(c["level"]) for c in certificates if c.get("level")), default=0)
    if TRAINING.index(v["training_level"]) > level:
        grade -= 1
    if p.get("expected_salary_vnd") and v["salary_max_vnd"] < 0.8 * p["expected_salary_vnd"]:
        grade -= 1
    if short:
        grade = min(grade, 1)
    return max(grade, 0)


def cert(occupation, level="elementary", verified=False):
    return {"level": level, "occupation": occupation, "verified": verified}


def lang(framework, level):
    return {"framework": framework, "level": level}


PROFILES = [
    # Abroad only, home only, both.
    (
        {
            "key": "p23",
            "birth_year": 2001,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["7212"],
            "certificates": [cert("7212", verified=True)],
            "languages": [lang("jlpt", "N4")],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["JP"],
            "expected_salary_vnd": 25000000,
        },
        "Welder in Đông Hà, verified certificate, JLPT N4, wants Japan only (not work at home): Japanese welding orders 3, steel trades there 1–2; nothing at home.",
    ),
    (
        {
            "key": "p24",
            "birth_year": 1998,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["7212"],
            "certificates": [cert("7212", verified=True)],
            "languages": [lang("jlpt", "N4")],
            "wants_abroad": True,
            "countries": ["JP"],
            "expected_salary_vnd": 12000000,
        },
        "The same welder open to both: welding in Đông Hà and nearby 3 and the Japanese orders 3 alike; a job next door must not push Japan out.",
    ),
    (
        {
            "key": "p25",
            "birth_year": 1990,
            "sex": "female",
            "commune": "18880",
            "desired_occupations": ["8153"],
            "certificates": [cert("8153", "short_course")],
            "wants_abroad": False,
            "expected_salary_vnd": 7000000,
        },
        "Sewer in Đồng Hới who wants home only: sewing near Đồng Hới 3, further 1–2; no order abroad.",
    ),
    (
        {
            "key": "p26",
            "birth_year": 1996,
            "sex": "male",
            "commune": "19009",
            "desired_occupations": ["9313", "9329"],
            "wants_abroad": True,
            "wants_home": False,
            "countries": [],
            "expected_salary_vnd": 20000000,
        },
        "Labourer in Ba Đồn who will go anywhere abroad but not stay: construction and factory orders in every country 3 (EPS ones need EPS-TOPIK he has not: 0).",
    ),
    (
        {
            "key": "p27",
            "birth_year": 1985,
            "sex": "female",
            "commune": "19360",
            "desired_occupations": ["5322", "5321"],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["TW"],
            "expected_salary_vnd": 15000000,
        },
        "Carer (41) in Quảng Trị ward, Taiwan only: caregiver orders in Taiwan 3.",
    ),
    # Wanted communes.
    (
        {
            "key": "p28",
            "birth_year": 1995,
            "sex": "male",
            "commune": "19432",
            "desired_occupations": ["7212"],
            "desired_communes": ["19333"],
            "wants_abroad": False,
            "expected_salary_vnd": 9000000,
        },
        "Welder living in Lao Bảo who wants to work in Đông Hà: welding in Đông Hà 3 as if next door; near Lao Bảo 3 too.",
    ),
    (
        {
            "key": "p29",
            "birth_year": 1999,
            "sex": "female",
            "commune": "19249",
            "desired_occupations": ["4224", "5131"],
            "desired_communes": ["19138", "18880"],
            "languages": [lang("cefr_en", "B1")],
            "wants_abroad": False,
            "expected_salary_vnd": 6000000,
        },
        "Receptionist in Lệ Thủy who wants Phong Nha or Đồng Hới: hotels there 3.",
    ),
    (
        {
            "key": "p30",
            "birth_year": 1992,
            "sex": "male",
            "commune": "19441",
            "desired_occupations": ["8332", "8322"],
            "desired_communes": ["19333", "19351"],
            "wants_abroad": False,
            "expected_salary_vnd": 10000000,
        },
        "Driver in Hướng Phùng who wants Đông Hà or Nam Đông Hà: driving there 3.",
    ),
    (
        {
            "key": "p31",
            "birth_year": 1988,
            "sex": "female",
            "commune": "19702",
            "desired_occupations": ["2411"],
            "desired_communes": ["18880"],
            "certificates": [cert("2411", "university", True)],
            "wants_abroad": False,
            "expected_salary_vnd": 9000000,
        },
        "Accountant in Hải Lăng moving to Đồng Hới: accounting in Đồng Hới and around Hải Lăng 3.",
    ),
    # Skills.
    (
        {
            "key": "p32",
            "birth_year": 1997,
            "sex": "male",
            "commune": "19351",
            "desired_occupations": ["7212"],
            "skills": ["hàn TIG", "đọc bản vẽ"],
            "wants_abroad": False,
            "expected_salary_vnd": 10000000,
        },
        "TIG welder who reads drawings, Nam Đông Hà: welding near 3; steel fabrication asking for drawings 2.",
    ),
    (
        {
            "key": "p33",
            "birth_year": 2000,
            "sex": "female",
            "commune": "18880",
            "desired_occupations": ["4110"],
            "skills": ["Excel", "tin học văn phòng"],
            "wants_abroad": False,
            "expected_salary_vnd": 7000000,
        },
        "Office clerk with Excel in Đồng Hới: office jobs near 3; secretaries 1–2.",
    ),
    (
        {
            "key": "p34",
            "birth_year": 1994,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["2513", "2512"],
            "skills": ["PHP", "Laravel"],
            "languages": [lang("cefr_en", "B1")],
            "wants_abroad": False,
            "expected_salary_vnd": 15000000,
        },
        "PHP developer in Đông Hà: web development near 3.",
    ),
    (
        {
            "key": "p35",
            "birth_year": 1993,
            "sex": "male",
            "commune": "19495",
            "desired_occupations": ["7412"],
            "skills": ["PLC", "điện công nghiệp"],
            "wants_abroad": False,
            "expected_salary_vnd": 10000000,
        },
        "Industrial electrician with PLC in Gio Linh: industrial electrical work near 3.",
    ),
    (
        {
            "key": "p36",
            "birth_year": 2002,
            "sex": "female",
            "commune": "19138",
            "desired_occupations": ["9412", "5120"],
            "skills": ["sơ chế", "phụ bếp"],
            "wants_abroad": False,
            "expected_salary_vnd": 6000000,
        },
        "Kitchen helper in Phong Nha: kitchen jobs near 3.",
    ),
    # Verified or declared certificates.
    (
        {
            "key": "p37",
            "birth_year": 1996,
            "sex": "male",
            "commune": "19333",
            "certificates": [cert("7411", "intermediate", True)],
            "wants_abroad": False,
            "expected_salary_vnd": 9000000,
        },
        "Electrician whose trung cấp certificate an officer verified, no occupation chosen: electrical jobs near 3.",
    ),
    (
        {
            "key": "p38",
            "birth_year": 1996,
            "sex": "male",
            "commune": "19333",
            "certificates": [cert("7411", "intermediate")],
            "wants_abroad": False,
            "expected_salary_vnd": 9000000,
        },
        "The same, certificate declared only: electrical jobs 2 (a counsellor checks it first).",
    ),
    (
        {
            "key": "p39",
            "birth_year": 1990,
            "sex": "male",
            "commune": "18880",
            "desired_occupations": ["8322"],
            "certificates": [cert("7231", "elementary", True)],
            "wants_abroad": False,
            "expected_salary_vnd": 8000000,
        },
        "Wants to drive, holds a verified mechanic's certificate, Đồng Hới: driving and repair jobs near 3.",
    ),
    # Language scales.
    (
        {
            "key": "p40",
            "birth_year": 2000,
            "sex": "female",
            "commune": "19597",
            "desired_occupations": ["5321"],
            "languages": [lang("jft_basic", "A2")],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["JP"],
            "expected_salary_vnd": 30000000,
        },
        "Care aide with JFT-Basic, Japan only: SSW care asking JFT 3; kaigo asking JLPT N4 0 (no JLPT).",
    ),
    (
        {
            "key": "p41",
            "birth_year": 1997,
            "sex": "male",
            "commune": "19363",
            "desired_occupations": ["7212", "9329"],
            "languages": [lang("eps_topik", "120")],
            "wants_abroad": True,
            "countries": ["KR"],
            "expected_salary_vnd": 12000000,
        },
        "EPS-TOPIK 120 in Vĩnh Linh, Korea or home: EPS welding and manufacturing 3; welding and factory work near home 3.",
    ),
    (
        {
            "key": "p42",
            "birth_year": 1994,
            "sex": "female",
            "commune": "18880",
            "desired_occupations": ["2221", "3221"],
            "languages": [lang("cefr_en", "B2")],
            "wants_abroad": True,
            "countries": ["DE"],
            "expected_salary_vnd": 12000000,
        },
        "Nurse with English B2 only, wants Germany: the German orders ask German (0); nursing near Đồng Hới 3.",
    ),
    (
        {
            "key": "p43",
            "birth_year": 1996,
            "sex": "female",
            "commune": "18880",
            "desired_occupations": ["2221"],
            "languages": [lang("cefr_de", "B1")],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["DE"],
            "expected_salary_vnd": 40000000,
        },
        "Nurse with German B1, Germany only: Triple Win asks B2 (one short: 1); the B1 care apprenticeship is another occupation.",
    ),
    (
        {
            "key": "p44",
            "birth_year": 1993,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["2144", "2142"],
            "languages": [lang("jlpt", "N3")],
            "wants_abroad": True,
            "countries": ["JP"],
            "expected_salary_vnd": 20000000,
        },
        "Engineer with N3 in Đông Hà: engineer visas in Japan asking N3 3; engineering near home 3.",
    ),
    (
        {
            "key": "p45",
            "birth_year": 1992,
            "sex": "female",
            "commune": "19333",
            "desired_occupations": ["5321"],
            "languages": [lang("topik", "3")],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["KR"],
            "expected_salary_vnd": 30000000,
        },
        "Care aide with TOPIK 3, Korea only: the Korean elderly care job asking TOPIK 3 is it (3).",
    ),
    (
        {
            "key": "p46",
            "birth_year": 2003,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["5321"],
            "languages": [lang("jlpt", "N5")],
            "wants_abroad": True,
            "wants_home": False,
            "countries": ["JP"],
            "expected_salary_vnd": 25000000,
        },
        "N5 holder wanting kaigo in Japan: N4 orders one level short (1).",
    ),
    (
        {
            "key": "p47",
            "birth_year": 1999,
            "sex": "male",
            "commune": "19333",
            "desired_occupations": ["5120"],
            "languages": [lang("jlpt", "N4")],
            "wants_abroad": True,
            "countries": ["JP"],
            "expected_salary_vnd": 10000000,
        },
        "Cook with N4 in Đông Hà, Japan or home: the SSW restaurant order 3; cooking near home 3.",
    ),
    # More at home.
    (
        {
            "key": "p48",
            "birth_year": 1975,
            "sex": "male",
            "commune": "19429",
            "desired_occupations": ["5414"],
            "wants_abroad": False,
            "expected_salary_vnd": 6000000,
        },
        "Guard (51) in Khe Sanh: guard jobs near 3, far 1.",
    ),
    (
        {
            "key": "p49",
            "birth_year": 2004,
            "sex": "female",
            "commune": "19351",
            "desired_occupations": ["5223", "5230"],
            "wants_abroad": False,
            "expected_salary_vnd": 6000000,
        },
        "Shop assistant or cashier in Nam Đông Hà: sales and cashier jobs near 3.",
    ),
    (
        {
            "key": "p50",
            "birth_year": 1987,
            "sex": "male",
            "commune": "19496",
            "desired_occupations": ["6221", "6223"],
            "wants_abroad": False,
            "expected_salary_vnd": 8000000,
        },
        "Fish farmer and fisherman in Cửa Việt, home only: aquaculture and fishing near 3.",
    ),
]


def main():
    queries = [
        q for q in json.loads((HERE / "queries.json").read_text(encoding="utf-8")) if q.get("graded_by") != "rubric"
    ]
    for case, note in QUERIES:
        filters = {}
        queries.append(
            {
                "query": case["query"],
                "filters": filters,
                "judgments": grade_query(case),
                "note": note,
                "graded_by": "rubric",
            }
        )
    (HERE / "queries.json").write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    profiles = [
        p for p in json.loads((HERE / "profiles.json").read_text(encoding="utf-8")) if p.get("graded_by") != "rubric"
    ]
    for case, note in PROFILES:
        judged = {v["key"]: g for v in VACANCIES if (g := profile_grade(v, case))}
        profiles.append({**case, "judgments": judged, "note": note, "graded_by": "rubric"})
    (HERE / "profiles.json").write_text(json.dumps(profiles, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
