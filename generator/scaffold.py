"""``yizhan new``: a new content file with today's date, a slug and every field explained."""

from __future__ import annotations

import glob
import json
import re
from datetime import date, timedelta
from pathlib import Path

from . import urls

FOLDERS = {
    "news": "news",
    "event": "events",
    "branch": "branches",
    "club": "clubs",
    "venue": "venues",
}
KINDS = tuple(FOLDERS)

# Every optional field is written commented out with what it means, so editors discover them.
TEMPLATES = {
    "news": """---
title: {title}
date: {today}                # 发布日期；写成将来的日期则到那天才发布
# branch: caizhi             # 相关党组织的编号（文件名），可写多个：[caizhi, lvshi]
# club: guangying            # 相关社团的编号
# tags: [志愿服务, 垃圾分类]   # 标签
# author: 张三               # 作者
# summary: 一句话摘要          # 列表和订阅中显示；不写则自动截取正文
# image: images/cover.jpg    # 封面图片
# draft: true                # 草稿：正式生成时不发布，预览时可见
---

在这里写正文（Markdown）。
""",
    "event": """---
title: {title}
start: {today} 14:00         # 开始时间：YYYY-MM-DD HH:MM；只写日期表示全天活动
end: 16:30                   # 结束时间：可只写时间（同一天），或写完整日期时间
# duration: 2h30m            # 或者写时长（与 end 二选一）
# all_day: true              # 全天活动；多天活动的 end 写最后一天
# timezone: Asia/Shanghai    # 时区（默认网站时区）
# venue: yizhan              # 场地编号（venues/ 下的文件名）
# location: 某某路 100 号      # 或者直接写地点
# online: https://meeting.example.com/123   # 线上会议链接
# branch: caizhi             # 主办党组织编号，可写多个
# club: guangying            # 主办社团编号
# categories: [党课, 志愿服务] # 分类
# status: confirmed          # confirmed 确定 / tentative 待定 / cancelled 取消 / postponed 延期
# rrule: FREQ=WEEKLY;BYDAY={byday};COUNT=12   # 重复规则：每{weekday_zh}，共 12 次（start 要是其中一天）
# exdate: [{skipped}]       # 跳过的日期
# rdate: [{extra} 14:00]  # 额外增加的一次
# overrides:                 # 调整某一次（date 写原定日期）
#   - date: {changed}
#     start: {moved} 14:00
#     end: 16:30
# registration:              # 报名
#   url: https://example.com/signup
#   capacity: 50
#   deadline: {today} 12:00
# contact: 王老师 0574-00000000
# summary: 一句话介绍
# image: images/cover.jpg
# draft: true
---

在这里写活动介绍（Markdown）。
""",
    "branch": """---
name: {title}
# kind: 党支部               # 组织类型：党工委 / 党委 / 党总支 / 党支部 / 联合党支部 …
# parent: nbswq-dgw          # 上级党组织编号
# founded: "{year}"          # 成立时间：YYYY、YYYY-MM 或 YYYY-MM-DD（只写年或年月时加引号）
# members: 30                # 党员人数
# secretary: 张三            # 书记
# contact: 0574-00000000
# address: 某某大厦 10 楼
# summary: 一句话介绍
# image: images/logo.svg
---

在这里写组织介绍（Markdown）。
""",
    "club": """---
name: {title}
# category: 文体             # 类别
# branch: caizhi             # 指导党组织编号
# venue: yizhan              # 活动场地编号
# founded: "{year}"
# leader: 李四               # 负责人
# contact: 微信群 / 电话
# join: 扫码入群或到驿站前台登记   # 如何加入
# summary: 一句话介绍
# image: images/club.jpg
---

在这里写社团介绍（Markdown）。
""",
    "venue": """---
name: {title}
# address: 某某路 100 号
# hours: 周一至周五 9:00–21:00
# rooms:                     # 功能室
#   - name: 多功能厅
#     capacity: 120
#     facilities: [投影, 音响]
# lat: 29.82                 # 纬度
# lon: 121.55                # 经度
# contact: 0574-00000000
# summary: 一句话介绍
# image: images/venue.jpg
---

在这里写场地介绍（Markdown）。
""",
}

# The same files for an English site (``theme.language: en``).
TEMPLATES_EN = {
    "news": """---
title: {title}
date: {today}                # publication date; a future date publishes on that day
# branch: caizhi             # id (file name) of a related branch; a list for several: [caizhi, lvshi]
# club: guangying            # id of a related club
# tags: [volunteering, recycling]
# author: Jane Zhang
# summary: One sentence      # shown in lists and feeds; the text's start when left out
# image: images/cover.jpg    # cover picture, from the content folder
# draft: true                # a draft: previewed, but not published
---

Write the article here (Markdown).
""",
    "event": """---
title: {title}
start: {today} 14:00         # YYYY-MM-DD HH:MM; a date alone is an all-day activity
end: 16:30                   # a time alone (the same day), or a full date and time
# duration: 2h30m            # or a duration (instead of end)
# all_day: true              # an all-day activity; a multi-day one's end is its last day
# timezone: Asia/Shanghai    # time zone (the site's by default)
# venue: yizhan              # venue id (a file name in venues/)
# location: 100 Example Road # or the place in words
# online: https://meeting.example.com/123   # link to an online meeting
# branch: caizhi             # organising branch id(s)
# club: guangying            # organising club id(s)
# categories: [party lecture, volunteering]
# status: confirmed          # confirmed / tentative / cancelled / postponed
# rrule: FREQ=WEEKLY;BYDAY={byday};COUNT=12   # repeats: every {weekday_en}, 12 times (start is one of them)
# exdate: [{skipped}]       # days left out
# rdate: [{extra} 14:00]  # extra occurrences
# overrides:                 # one occurrence changed (date: the day it was planned for)
#   - date: {changed}
#     start: {moved} 14:00
#     end: 16:30
# registration:
#   url: https://example.com/signup
#   capacity: 50
#   deadline: {today} 12:00
# contact: Ms Wang 0574-00000000
# summary: One sentence
# image: images/cover.jpg
# draft: true
---

Describe the activity here (Markdown).
""",
    "branch": """---
name: {title}
# kind: Party branch         # kind of organisation
# parent: nbswq-dgw          # id of the branch above
# founded: "{year}"          # YYYY, YYYY-MM or YYYY-MM-DD (quoted when a year or month alone)
# members: 30                # number of party members
# secretary: Jane Zhang
# contact: 0574-00000000
# address: 10th floor, Example Tower
# summary: One sentence
# image: images/logo.svg
---

Introduce the organisation here (Markdown).
""",
    "club": """---
name: {title}
# category: Sports           # kind of club
# branch: caizhi             # id of the sponsoring branch
# venue: yizhan              # id of the venue it meets at
# founded: "{year}"
# leader: Li Si
# contact: WeChat group / phone
# join: Scan the code or sign up at the front desk   # how to join
# summary: One sentence
# image: images/club.jpg
---

Introduce the club here (Markdown).
""",
    "venue": """---
name: {title}
# address: 100 Example Road
# hours: Mon-Fri 9:00-21:00
# rooms:
#   - name: Main hall
#     capacity: 120
#     facilities: [projector, sound]
# lat: 29.82                 # latitude
# lon: 121.55                # longitude
# contact: 0574-00000000
# summary: One sentence
# image: images/venue.jpg
---

Describe the venue here (Markdown).
""",
}


PLACEHOLDERS = tuple(
    template.rstrip().rsplit("\n", 1)[-1]
    for templates in (TEMPLATES, TEMPLATES_EN)
    for template in templates.values()
)
"""The body each template leaves to write (``在这里写活动介绍（Markdown）。``): ``check`` tells a
file that still has it, which would publish it."""

LONGEST_ID = 60
"""Characters of an id made from a title: a file name and a URL stay short (a 200-character
Chinese title is ~900 characters of pinyin, past what file systems allow)."""


def new_id(folder: Path, kind: str, title: str, today: date) -> str:
    """The new file's id: the title's pinyin slug, cut at a word within ``LONGEST_ID``; for a
    title with nothing to spell (punctuation, emoji), the kind and the day, numbered so that
    a second one gets its own file."""
    slug = urls.slugify(title)
    if len(slug) > LONGEST_ID:
        cut = slug[: LONGEST_ID + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:LONGEST_ID]
    if slug != "x":
        return slug
    base = f"{kind}-{today:%Y%m%d}"
    number = 1
    while (folder / f"{base if number == 1 else f'{base}-{number}'}.md").exists():
        number += 1
    return base if number == 1 else f"{base}-{number}"


def write_new(content: Path, kind: str, title: str, today: date, language: str = "zh") -> Path:
    """Write the file, explained in the site's language, and return its path; never
    overwrites."""
    folder = content / FOLDERS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id(folder, kind, title, today)}.md"
    # ids are unique across subfolders: content/events/2026/x.md is x too
    existing = next(iter(sorted(folder.rglob(glob.escape(path.name)))), None)
    if existing is not None:
        raise FileExistsError(existing)
    templates = TEMPLATES_EN if language.startswith("en") else TEMPLATES
    text = templates[kind].format(
        title=yaml_text(title), today=today.isoformat(), year=today.year, **rule_example(today)
    )
    path.write_text(with_site_ids(text, content, language), encoding="utf-8")
    return path


WEEKDAYS = (("MO", "周一", "Monday"), ("TU", "周二", "Tuesday"), ("WE", "周三", "Wednesday"),
            ("TH", "周四", "Thursday"), ("FR", "周五", "Friday"), ("SA", "周六", "Saturday"),
            ("SU", "周日", "Sunday"))  # fmt: skip


def rule_example(today: date) -> dict[str, str]:
    """The recurrence examples of a new activity starting ``today``: a weekly rule on its
    weekday, and a skipped, an extra and a changed session that fit it (uncommented as they
    are, ``check`` accepts them)."""
    code, zh, en = WEEKDAYS[today.weekday()]
    week = timedelta(days=7)
    return {
        "byday": code, "weekday_zh": zh, "weekday_en": en,
        "skipped": (today + 3 * week).isoformat(), "extra": (today + 13 * week).isoformat(),
        "changed": (today + 2 * week).isoformat(),
        "moved": (today + 2 * week + timedelta(days=1)).isoformat(),
    }  # fmt: skip


def yaml_text(value: str) -> str:
    """``value`` quoted as the editor guide teaches: in double quotes, or in single quotes when
    it holds a double quote (``'"护航电商" 座谈会'``); escaped only when it holds both."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


EXAMPLE_IDS = {"caizhi": "branches", "lvshi": "branches", "nbswq-dgw": "branches",
               "guangying": "clubs", "yizhan": "venues"}  # fmt: skip
"""The ids the templates' comments give as examples, and the folder of their kind."""
COMMENTED_REFERENCE = re.compile(
    r"^(# (?:branch|club|venue|parent): )(\[?[a-z0-9, -]+?\]?)( +)(#[^\n]*)$", re.M
)
NONE_YET = {
    "branches": (
        "；网站还没有党组织，先用 yizhan new branch 新建",
        "; no branch yet: yizhan new branch",
    ),
    "clubs": ("；网站还没有社团，先用 yizhan new club 新建", "; no club yet: yizhan new club"),
    "venues": ("；网站还没有阵地，先用 yizhan new venue 新建", "; no venue yet: yizhan new venue"),
}
"""What a reference line says when the site has nothing of its kind to name."""


def with_site_ids(text: str, content: Path, language: str = "zh") -> str:
    """The template with its example ids replaced by ids the site has (the first ones, by
    name), so a line uncommented as it is names something that exists; with none of a kind,
    the line is left empty and says so (the example, uncommented, named another site's)."""
    found = {folder: sorted(p.stem for p in (content / folder).rglob("*.md"))
             for folder in set(EXAMPLE_IDS.values())}  # fmt: skip

    def site_ids(match: re.Match[str]) -> str:
        written = [name.strip() for name in match.group(2).strip("[]").split(",")]
        ids, missing = [], ""
        for position, example in enumerate(written):
            folder = EXAMPLE_IDS.get(example, "")
            have = found.get(folder, [])
            if have:
                ids.append(have[min(position, len(have) - 1)])
            elif folder:
                missing = NONE_YET[folder][1 if language.startswith("en") else 0]
            else:
                ids.append(example)
        value = ", ".join(dict.fromkeys(ids))
        value = f"[{value}]" if match.group(2).startswith("[") and value else value
        width = len(match.group(2)) + len(match.group(3))  # the comments stay in a column
        return match.group(1) + value + " " * max(2, width - len(value)) + match.group(4) + missing

    return COMMENTED_REFERENCE.sub(site_ids, text)
