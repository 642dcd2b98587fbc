"""``yizhan new``: a new content file with today's date, a slug and every field explained."""

from __future__ import annotations

import glob
import json
from datetime import date
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
# rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=12   # 重复规则：每月最后一个周六，共 12 次
# exdate: [2027-02-27]       # 跳过的日期
# rdate: [2027-03-06 14:00]  # 额外增加的一次
# overrides:                 # 调整某一次（date 写原定日期）
#   - date: 2027-01-30
#     start: 2027-01-23 14:00
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
# founded: {year}            # 成立时间：YYYY、YYYY-MM 或 YYYY-MM-DD
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
# founded: {year}
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
# rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=12   # repeats: the last Saturday of each month, 12 times
# exdate: [2027-02-27]       # days left out
# rdate: [2027-03-06 14:00]  # extra occurrences
# overrides:                 # one occurrence changed (date: the day it was planned for)
#   - date: 2027-01-30
#     start: 2027-01-23 14:00
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
# founded: {year}            # YYYY, YYYY-MM or YYYY-MM-DD
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
# founded: {year}
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
        title=json.dumps(title, ensure_ascii=False), today=today.isoformat(), year=today.year
    )
    path.write_text(text, encoding="utf-8")
    return path
