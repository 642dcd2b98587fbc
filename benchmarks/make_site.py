"""Write a synthetic district site (SPEC layout) for benchmarking yizhan.

A district that has run its site for ten years: N activities (about 5 % recurring with RRULE,
EXDATE and overrides; all-day, cancelled, postponed and tentative ones; categories, venues,
organisers, registrations), M news articles of realistic Chinese length with tags and
branch/club references, a tree of branches plus clubs, venues with rooms and milestone
timelines. Dates spread over the ten years before ``--today`` and one year after it.

Deterministic: the same arguments (``--seed``, ``--today``) write the same files. The text is
made from a word list, so it segments like Chinese prose without copying real articles.

    python benchmarks/make_site.py --out benchmarks/out/site            # 15,000 + 5,000
    python benchmarks/make_site.py --events 1500 --news 500 --out /tmp/s  # a tenth
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# --- words --------------------------------------------------------------------------------------

SUBJECTS = (
    "党工委", "楼宇联合党支部", "行业社团党支部", "青年志愿服务队", "党员志愿者", "社区党委",
    "驿站工作人员", "白领党员", "入党积极分子", "非公企业党组织", "党建指导员", "社团骨干",
    "退休党员", "流动党员", "两新组织", "商圈党委", "网格员", "居民代表", "企业负责人",
    "青年突击队", "巾帼志愿者", "工会小组", "团支部", "妇联执委", "新就业群体", "快递小哥",
    "外卖骑手", "物业党支部", "楼长", "法律顾问", "心理咨询师", "社区医生",
)  # fmt: skip
VERBS = (
    "组织开展", "深入学习", "积极推进", "认真落实", "联合举办", "精心策划", "广泛动员",
    "持续深化", "扎实开展", "主动对接", "共同参与", "集中宣讲", "探索建立", "不断完善",
    "有序推进", "全面推行", "热情接待", "用心服务", "协调解决", "定期走访", "及时回应",
    "创新打造", "系统梳理", "牵头组建", "试点推广",
)  # fmt: skip
OBJECTS = (
    "主题党日活动", "党史学习教育", "楼宇党建", "开放式党建", "红色物业", "志愿服务",
    "政策宣讲", "人才服务", "创业交流", "职工运动会", "公益市集", "读书分享会", "书记接待日",
    "党员先锋岗", "共建共享机制", "为民办实事项目", "垃圾分类", "文明城市创建", "邻里节",
    "社区议事会", "法律咨询", "心理疏导", "健康义诊", "亲子阅读", "非遗体验", "青年联谊",
    "技能培训", "就业招聘会", "安全生产检查", "消防演练", "防诈骗宣传", "敬老助老服务",
    "关爱新就业群体", "暖心驿站", "商圈服务联盟", "网格化管理", "议事协商", "楼宇微治理",
)  # fmt: skip
MODIFIERS = (
    "进一步", "切实", "有效", "充分", "全面", "广泛", "持续", "扎实", "积极", "主动",
    "创造性地", "常态化", "高质量", "多层次", "精准",
)  # fmt: skip
RESULTS = (
    "党员群众的获得感不断增强", "服务覆盖面持续扩大", "企业和白领的认同感明显提升",
    "基层治理效能显著提高", "党组织的凝聚力和号召力进一步彰显", "一批实事难事得到解决",
    "形成了可复制可推广的经验", "参与人数创历年新高", "居民满意度达到百分之九十以上",
    "楼宇企业之间的联系更加紧密", "志愿服务时长累计超过一万小时", "活动反响热烈",
)  # fmt: skip
CONNECTORS = ("同时", "此外", "与此同时", "在此基础上", "下一步", "活动中", "据介绍", "会上")
QUOTES = (
    "“组织的价值，就体现在一件件小事里。”",
    "“把服务送到楼宇里，把党员聚在一起。”",
    "“我们要让每一位白领都能找到组织。”",
    "“活动虽小，但很暖心。”",
    "“这样的活动希望以后多办几次。”",
)
PLACES = (
    "党群驿站报告厅", "悦读吧", "缤纷社", "活力馆", "党员活动室", "水街广场", "楼宇大堂",
    "社区议事厅", "红色书房", "邻里中心", "青年之家", "职工之家",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕晨辉鹏浩宇欣怡婷雪琳晓蕾"
AREAS = (
    "玄武", "鼓楼", "秦淮", "建邺", "栖霞", "雨花", "江宁", "浦口", "新街口", "珠江路",
    "梅园", "锁金村", "孝陵卫", "红山", "玄武门", "后宰门", "兰园", "丹凤街", "长江路", "北京东路",
)  # fmt: skip
BRANCH_KINDS = ("党支部", "联合党支部", "行业社团党支部", "企业党支部", "楼宇联合党支部")
INDUSTRIES = (
    "律师", "会计", "电商", "物流", "传媒", "设计", "软件", "金融", "医疗", "教育", "建筑",
    "物业", "餐饮", "零售", "人力资源", "文旅", "科技", "咨询", "快递", "商贸",
)  # fmt: skip
CLUB_KINDS = (
    ("读书会", "文化"), ("摄影社", "文化"), ("羽毛球社", "文体"), ("瑜伽社", "文体"),
    ("跑团", "文体"), ("合唱团", "文化"), ("书法社", "文化"), ("志愿服务队", "公益"),
    ("英语角", "学习"), ("毅行社", "文体"), ("桌游社", "兴趣"), ("茶艺社", "兴趣"),
    ("篮球社", "文体"), ("舞蹈队", "文体"), ("插花社", "兴趣"), ("编程社", "学习"),
)  # fmt: skip
CATEGORIES = (
    "主题党日", "党课", "学习沙龙", "志愿服务", "文体活动", "党建服务", "公益市集", "政策宣讲",
    "人才服务", "亲子活动", "健康讲座", "法律服务", "技能培训", "心理关爱", "节庆活动",
)  # fmt: skip
TAG_WORDS = (
    "楼宇党建", "开放式党建", "志愿服务", "主题党日", "党史学习", "青年", "白领", "社团",
    "公益", "人才", "就业", "红色物业", "新就业群体", "垃圾分类", "文明创建", "法治",
    "健康", "阅读", "文体", "为民办实事", "基层治理", "网格", "商圈", "两新组织",
    "书记项目", "党建联盟", "科技创新", "营商环境", "非遗", "敬老",
)  # fmt: skip
SYLLABLES = (
    "an", "bai", "bei", "cai", "chang", "chun", "da", "dong", "fang", "feng", "gong", "guang",
    "hai", "he", "hong", "hua", "jia", "jian", "jin", "kang", "le", "li", "lin", "long", "mei",
    "ming", "nan", "ning", "ping", "qing", "rui", "shan", "sheng", "shui", "tai", "tian", "wen",
    "xin", "xing", "yang", "yi", "yong", "yuan", "yue", "zhen", "zhi", "zhong",
)  # fmt: skip
ROOMS = (
    ("报告厅", 120, ["投影", "音响", "无线话筒"]), ("党员活动室", 30, ["党建书架", "电子屏"]),
    ("阅览室", 40, ["图书", "无线网络"]), ("多功能室", 50, ["可移动桌椅", "钢琴"]),
    ("健身房", 25, ["跑步机", "乒乓球台"]), ("心理咨询室", 4, ["沙盘"]),
    ("母婴室", 2, ["哺乳椅", "冰箱"]), ("会议室", 16, ["会议桌", "白板"]),
)  # fmt: skip
HOLIDAY_TITLES = (
    "迎新春联欢会", "元宵猜灯谜", "学雷锋志愿服务日", "清明缅怀先烈", "五四青年座谈会",
    "“七一”主题党日", "八一拥军慰问", "中秋邻里茶话会", "国庆升旗仪式", "重阳敬老活动",
    "宪法宣传日", "跨年音乐会",
)  # fmt: skip


# --- generation ---------------------------------------------------------------------------------


@dataclass
class Ids:
    branches: list[str] = field(default_factory=list)
    clubs: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    news: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


class Writer:
    def __init__(self, rng: random.Random, today: date, out: Path) -> None:
        self.rng = rng
        self.today = today
        self.content = out / "content"
        self.ids = Ids()
        self.used: set[str] = set()

    # text ----------------------------------------------------------------------------------
    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))

    def phone(self) -> str:
        return f"025-8{self.rng.randrange(1000000, 9999999)}"

    def sentence(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            return f"{self.person()}说：{r.choice(QUOTES)}"
        if roll < 0.3:
            return (
                f"{r.choice(CONNECTORS)}，{r.choice(SUBJECTS)}{r.choice(MODIFIERS)}"
                f"{r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(RESULTS)}。"
            )
        if roll < 0.45:
            n = r.randrange(12, 300)
            return (
                f"{r.randrange(2015, 2027)}年以来，{r.choice(SUBJECTS)}累计{r.choice(VERBS)}"
                f"{r.choice(OBJECTS)}{n}场次，服务群众{n * r.randrange(20, 90)}人次。"
            )
        return (
            f"{r.choice(SUBJECTS)}在{r.choice(PLACES)}{r.choice(VERBS)}{r.choice(OBJECTS)}，"
            f"{r.choice(MODIFIERS)}{r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(RESULTS)}。"
        )

    def paragraph(self, sentences: int) -> str:
        return "".join(self.sentence() for _ in range(sentences))

    def body(self, paragraphs: int, heading_every: int = 3) -> str:
        r = self.rng
        parts: list[str] = []
        for i in range(paragraphs):
            if i and i % heading_every == 0:
                parts.append(f"## {r.choice(OBJECTS)}{r.choice(('的做法', '的成效', '下一步'))}")
            if r.random() < 0.1:
                parts.append("\n".join(f"- {self.sentence()}" for _ in range(r.randrange(2, 5))))
            else:
                parts.append(self.paragraph(r.randrange(2, 6)))
        if r.random() < 0.05:
            parts.append(f"详见[{r.choice(OBJECTS)}专题](https://www.example.gov.cn/zt/{i}.html)。")
        return "\n\n".join(parts) + "\n"

    def slug(self, prefix: str = "") -> str:
        r = self.rng
        while True:
            words = "-".join(r.choice(SYLLABLES) for _ in range(r.choice((2, 3))))
            candidate = f"{prefix}{words}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
            candidate = f"{candidate}-{r.randrange(2, 999)}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def chinese_id(self, kind: str, text: str) -> str:
        """A file name in Chinese (editors do this): the URL then comes from pinyin."""
        stem = re.sub(r"[^\u4e00-\u9fff]", "", text)[:10] or "活动"
        n = 2
        candidate = stem
        while f"{kind}:{candidate}" in self.used:
            candidate = f"{stem}{n}"
            n += 1
        self.used.add(f"{kind}:{candidate}")
        return candidate

    def moment(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    # files ---------------------------------------------------------------------------------
    def write(self, rel: str, front: list[str], body: str) -> None:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(front) + "\n---\n" + body, encoding="utf-8")

    def venues(self, count: int) -> None:
        r = self.rng
        for i in range(count):
            area = AREAS[i % len(AREAS)]
            vid = f"{self.slug()}-yizhan"
            name = f"{area}{r.choice(('党群服务中心', '党群驿站', '新时代文明实践站', '楼宇党建服务站'))}"
            if i >= len(AREAS):
                name += f"{i // len(AREAS) + 1}号"
            rooms = r.sample(ROOMS, r.randrange(3, 8))
            front = [
                f"name: {name}",
                f"address: 南京市{area}区{r.choice(SYLLABLES).capitalize()}路{r.randrange(1, 300)}号",
                "hours: 周一至周五 08:30—21:00；周六 09:00—17:00",
                f"lat: {32.0 + r.random() * 0.2:.4f}",
                f"lon: {118.7 + r.random() * 0.2:.4f}",
                f"contact: {self.phone()}",
                f"summary: {self.sentence()}",
                "rooms:",
            ]
            for room, capacity, facilities in rooms:
                front += [
                    f"  - name: {room}",
                    f"    capacity: {capacity}",
                    f"    facilities: [{', '.join(facilities)}]",
                ]
            self.write(f"venues/{vid}.md", front, self.body(3))
            self.ids.venues.append(vid)

    def branches(self, count: int) -> None:
        """A tree: one working committee, Party committees, general branches, branches."""
        r = self.rng
        levels = [(1, "党工委", None)]
        committees = max(1, count // 30)
        generals = max(1, count // 8)
        levels += [(committees, "党委", 0), (generals, "党总支", 1)]
        levels.append((count - 1 - committees - generals, "", 2))
        by_level: list[list[str]] = []
        for n, kind, parent_level in levels:
            ids: list[str] = []
            for i in range(max(0, n)):
                industry = r.choice(INDUSTRIES)
                area = r.choice(AREAS)
                kind_here = kind or r.choice(BRANCH_KINDS)
                name = (
                    f"{area}{industry}{kind_here}"
                    if kind
                    else f"{area}{industry}{i + 1}{kind_here}"
                )
                if kind == "党工委":
                    name = f"{area}商务区党工委"
                if r.random() < 0.02 and parent_level is not None:
                    bid = self.chinese_id("branch", name)
                else:
                    bid = self.slug("b-")
                front = [f"name: {name}", f"kind: {kind_here}"]
                if parent_level is not None:
                    front.append(f"parent: {r.choice(by_level[parent_level])}")
                front += [
                    f'founded: "{r.randrange(1990, 2025)}-{r.randrange(1, 13):02d}"',
                    f"members: {r.randrange(3, 300)}",
                    f"secretary: {self.person()}",
                    f"contact: {self.phone()}",
                    f"address: 南京市{area}区{r.choice(PLACES)}",
                    f"summary: {self.sentence()}",
                ]
                self.write(f"branches/{bid}.md", front, self.body(r.randrange(2, 6)))
                ids.append(bid)
            by_level.append(ids)
            self.ids.branches += ids

    def clubs(self, count: int) -> None:
        r = self.rng
        for i in range(count):
            kind, category = CLUB_KINDS[i % len(CLUB_KINDS)]
            name = f"{r.choice(AREAS)}{kind}" + (f"{i // len(CLUB_KINDS) + 1}" if i >= 16 else "")
            cid = self.slug("c-")
            front = [
                f"name: {name}",
                f"category: {category}",
                f"branch: {r.choice(self.ids.branches)}",
                f"venue: {r.choice(self.ids.venues)}",
                f'founded: "{r.randrange(2005, 2026)}-{r.randrange(1, 13):02d}"',
                f"leader: {self.person()}",
                f"contact: {self.phone()}",
                f"join: {self.sentence()}",
                f"summary: {self.sentence()}",
            ]
            self.write(f"clubs/{cid}.md", front, self.body(r.randrange(2, 5)))
            self.ids.clubs.append(cid)

    def organisers(self) -> list[str]:
        r = self.rng
        lines = []
        roll = r.random()
        if roll < 0.75:
            picks = r.sample(self.ids.branches, r.choice((1, 1, 1, 2, 3)))
            lines.append(
                f"branch: [{', '.join(picks)}]" if len(picks) > 1 else f"branch: {picks[0]}"
            )
        if roll > 0.55:
            picks = r.sample(self.ids.clubs, r.choice((1, 1, 2)))
            lines.append(f"club: [{', '.join(picks)}]" if len(picks) > 1 else f"club: {picks[0]}")
        return lines

    def news(self, count: int) -> None:
        r = self.rng
        first = self.today - timedelta(days=3650)
        tags = [f"{w}" for w in TAG_WORDS] + [f"{a}{w}" for a in AREAS[:6] for w in TAG_WORDS[:25]]
        for _i in range(count):
            day = self.moment(first, self.today + timedelta(days=1))
            if r.random() < 0.005:
                day = self.today + timedelta(days=r.randrange(1, 30))  # scheduled
            title = f"{r.choice(SUBJECTS)}{r.choice(VERBS)}{r.choice(OBJECTS)}"
            if r.random() < 0.3:
                title += f"：{r.choice(RESULTS)}"
            nid = self.chinese_id("news", title) if r.random() < 0.01 else self.slug(f"{day.year}-")
            front = [
                f"title: {title}",
                f"date: {day.isoformat()} {r.randrange(8, 20):02d}:{r.choice(('00', '30'))}",
                *self.organisers(),
                f"tags: [{', '.join(r.sample(tags, r.randrange(1, 4)))}]",
                f"author: {self.person()}",
            ]
            if r.random() < 0.7:
                front.append(f"summary: {self.sentence()}")
            if r.random() < 0.01:
                front.append("draft: true")
            # ~600-2,000 characters: a district news article.
            self.write(f"news/{day.year}/{nid}.md", front, self.body(r.randrange(3, 9)))
            self.ids.news.append(nid)

    def events(self, count: int) -> None:
        r = self.rng
        first = self.today - timedelta(days=3650)
        last = self.today + timedelta(days=365)
        for _i in range(count):
            day = self.moment(first, last)
            roll = r.random()
            title = r.choice(HOLIDAY_TITLES) if roll < 0.05 else f"{r.choice(OBJECTS)}"
            if r.random() < 0.5:
                title = f"{r.choice(AREAS)}{title}"
            eid = (
                self.chinese_id("event", title) if r.random() < 0.01 else self.slug(f"{day.year}-")
            )
            front = [f"title: {title}"]
            kind = r.random()
            hour = r.choice((9, 10, 14, 15, 19))
            if kind < 0.08:  # all-day, sometimes several days
                front += [f"start: {day.isoformat()}", "all_day: true"]
                if r.random() < 0.4:
                    front.append(f"end: {(day + timedelta(days=r.randrange(1, 4))).isoformat()}")
            elif kind < 0.13:  # recurring (~5 %)
                front += self.recurrence(day, hour)
            else:
                front.append(f"start: {day.isoformat()} {hour:02d}:{r.choice(('00', '30'))}")
                if r.random() < 0.5:
                    front.append(f"end: {hour + r.randrange(1, 4):02d}:00")
                else:
                    front.append(f"duration: {r.choice(('1h', '1h30m', '2h', '2h30m', '3h'))}")
            place = r.random()
            if place < 0.7:
                front.append(f"venue: {r.choice(self.ids.venues)}")
            elif place < 0.95:
                front.append(f"location: 南京市{r.choice(AREAS)}区{r.choice(PLACES)}")
            else:
                front.append(f"online: https://meeting.example.org/j/{r.randrange(10**8, 10**9)}")
            front += self.organisers()
            front.append(f"categories: [{', '.join(r.sample(CATEGORIES, r.randrange(1, 3)))}]")
            status = r.random()
            if status < 0.03:
                front.append("status: cancelled")
            elif status < 0.04:
                front.append("status: postponed")
            elif status < 0.05:
                front.append("status: tentative")
            if r.random() < 0.15:
                deadline = day - timedelta(days=r.randrange(1, 10))
                front += [
                    "registration:",
                    f"  url: https://form.example.org/{eid}"
                    if eid.isascii()
                    else "  url: https://form.example.org/x",
                    f"  capacity: {r.randrange(10, 300)}",
                    f"  deadline: {deadline.isoformat()} 17:00",
                ]
            front.append(f"contact: {self.person()} {self.phone()}")
            front.append(f"summary: {self.sentence()}")
            self.write(f"events/{day.year}/{eid}.md", front, self.body(r.randrange(1, 5)))
            self.ids.events.append(eid)

    def recurrence(self, day: date, hour: int) -> list[str]:
        r = self.rng
        roll = r.random()
        weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
        if roll < 0.4:
            # Monthly on the last Saturday, starting on one (DTSTART is the first occurrence).
            day = last_saturday(day.year, day.month)
            lines = [f"start: {day.isoformat()} {hour:02d}:00", "duration: 2h"]
            lines.append(f"rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT={r.choice((6, 12, 24))}")
            if r.random() < 0.5:
                year, month = divmod(day.month + 1, 12)
                skipped = last_saturday(day.year + year, month + 1)
                lines.append(f"exdate: {skipped.isoformat()}")
            return lines
        lines = [f"start: {day.isoformat()} {hour:02d}:00", "duration: 2h"]
        if roll < 0.7:
            until = day + timedelta(days=r.randrange(60, 400))
            lines.append(f"rrule: FREQ=WEEKLY;BYDAY={weekday};UNTIL={until.strftime('%Y%m%d')}")
        else:
            lines.append(f"rrule: FREQ=WEEKLY;BYDAY={weekday};COUNT={r.choice((4, 8, 10, 20))}")
        if r.random() < 0.6:
            skipped = sorted({day + timedelta(days=7 * r.randrange(2, 4)) for _ in range(2)})
            lines.append(f"exdate: [{', '.join(d.isoformat() for d in skipped)}]")
        if r.random() < 0.5:
            # The second occurrence moves by an hour and gets a special title.
            moved = day + timedelta(days=7)
            lines += [
                "overrides:",
                f"  - date: {moved.isoformat()}",
                f"    start: {moved.isoformat()} {hour + 1:02d}:00",
                f"    end: {moved.isoformat()} {hour + 3:02d}:00",
                f"    title: {r.choice(OBJECTS)}（特别场）",
            ]
        return lines

    def timelines(self, per_file: int) -> None:
        r = self.rng
        roots = self.ids.branches[: max(1, len(self.ids.branches) // 30) + 1]
        for root in roots:
            lines = [f"# {root} 大事记", ""]
            dates = sorted(self.moment(date(2005, 1, 1), self.today) for _ in range(per_file))
            for day in dates:
                form = r.random()
                when = (
                    str(day.year)
                    if form < 0.2
                    else (f"{day:%Y-%m}" if form < 0.6 else day.isoformat())
                )
                lines += [
                    f'- date: "{when}"',
                    f"  title: {r.choice(SUBJECTS)}{r.choice(VERBS)}{r.choice(OBJECTS)}",
                ]
                lines.append(f"  branch: {root}")
                link = r.random()
                if link < 0.2 and self.ids.news:
                    lines.append(f"  link: {r.choice(self.ids.news)}")
                elif link < 0.3 and self.ids.events:
                    lines.append(f"  link: {r.choice(self.ids.events)}")
                if r.random() < 0.6:
                    lines.append(f"  body: {self.sentence()}")
                lines.append("")
            path = self.content / "timeline" / f"{root}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines), encoding="utf-8")


def last_saturday(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    day = following - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 5) % 7)


def write_config(out: Path, site_url: str, today: date) -> None:
    """mkdocs.yml adapted from the demo's: same theme, extensions and plugins, fixed site_url."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_url:.*$", f"site_url: {site_url}", text)
    text = re.sub(r"(?m)^site_name:.*$", "site_name: 玄武区党群服务中心（基准测试）", text)
    (out / "mkdocs.yml").write_text(text, encoding="utf-8")
    sync_theme(out)
    (out / "content" / "index.md").write_text(
        "---\ntitle: 玄武区党群服务中心\n---\n欢迎来到玄武区党群服务中心。这是一个用于性能测试的合成网站，"
        f"生成于 {today.isoformat()}。\n",
        encoding="utf-8",
    )
    (out / "content" / "about.md").write_text(
        "# 关于我们\n\n玄武区党群服务中心是全区党建工作的综合服务平台。\n", encoding="utf-8"
    )


def sync_theme(out: Path) -> None:
    """The site's ``theme/`` (Material overrides) is the project's: copy it fresh."""
    target = out / "theme"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "theme", target)


def commit(out: Path) -> None:
    """Sites live in git (history gives calendar SEQUENCE/UID): one commit of everything."""
    env_args = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    subprocess.run(["git", "-C", str(out), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(out), *env_args, "commit", "-q", "-m", "synthetic site",
         "--date", "2020-01-01T00:00:00+08:00"],
        check=True,
        env={"GIT_COMMITTER_DATE": "2020-01-01T00:00:00+08:00", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def make_site(
    out: Path,
    events: int = 15000,
    news: int = 5000,
    orgs: int = 500,
    venues: int = 20,
    seed: int = 20260428,
    today: date | None = None,
    site_url: str = "https://example.github.io/district/",
    git: bool = True,
) -> dict[str, int]:
    today = today or date.today()
    if out.exists():
        shutil.rmtree(out)
    (out / "content").mkdir(parents=True)
    w = Writer(random.Random(seed), today, out)
    w.venues(venues)
    n_branches = orgs * 3 // 5
    w.branches(n_branches)
    w.clubs(orgs - n_branches)
    w.news(news)
    w.events(events)
    w.timelines(per_file=30)
    write_config(out, site_url, today)
    if git:
        commit(out)
    return {
        "events": len(w.ids.events),
        "news": len(w.ids.news),
        "branches": len(w.ids.branches),
        "clubs": len(w.ids.clubs),
        "venues": len(w.ids.venues),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=15000)
    parser.add_argument("--news", type=int, default=5000)
    parser.add_argument("--orgs", type=int, default=500, help="branches (3/5) + clubs (2/5)")
    parser.add_argument("--venues", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20260428)
    parser.add_argument("--today", type=date.fromisoformat, help="anchor day (default: today)")
    parser.add_argument("--site-url", default="https://example.github.io/district/")
    parser.add_argument("--no-git", action="store_true", help="do not make the site a git repo")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "site")
    args = parser.parse_args()
    counts = make_site(
        args.out, args.events, args.news, args.orgs, args.venues, args.seed, args.today,
        args.site_url, not args.no_git,
    )  # fmt: skip
    print(", ".join(f"{v} {k}" for k, v in counts.items()), "->", args.out)


if __name__ == "__main__":
    main()
