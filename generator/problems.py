"""Problems in content as values: where, what code, which field, and a message in zh or en."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# code -> (Chinese, English). Parameters are filled with str.format(**params).
MESSAGES: dict[str, tuple[str, str]] = {
    "file.encoding": (
        "文件不是 UTF-8 编码（可能是 GBK），请用 UTF-8 重新保存",
        "file is not UTF-8 (perhaps GBK); save it again as UTF-8",
    ),
    "file.binary": ("文件不是文本文件", "file is not a text file"),
    "file.utf16": (
        "文件是 UTF-16 编码（记事本的“Unicode”），请用 UTF-8 重新保存",
        "file is UTF-16 (Notepad's “Unicode”); save it again as UTF-8",
    ),
    "file.extension": (
        "文件名“{name}”的扩展名不对：它不会作为内容发布，只会原样复制到网站上。请改名为“{fixed}”"
        "（资源管理器要勾选“查看 → 文件扩展名”才看得到扩展名；记事本另存为时，“保存类型”选“所有文件”）",
        "the file name “{name}” has the wrong extension: it is not published as content, only "
        "copied to the site as it is. Rename it “{fixed}” (Windows Explorer shows extensions "
        "with View → File name extensions; in Notepad's Save As, choose the type “All files”)",
    ),
    "file.timeline-md": (
        "大事记文件夹里的 .md 文件不会进大事记，只会成为一个单独的页面：大事记要写在 .yml 文件里，"
        "每条一个 - date: 和 title:（见编辑指南“大事记”）",
        "a .md file in the timeline folder is not part of the timeline, only a page of its own: "
        "milestones go in a .yml file, each a - date: and a title: (see the editor's guide)",
    ),
    "file.large": (
        "这个文件有 {n} 万字，远远超过一篇文章的长度：可能粘贴进了图片的数据（data:image…）"
        "或把同一段内容粘贴了很多遍。网站生成会很慢，读者的手机也难以打开；请检查正文，"
        "图片请存到 images/ 文件夹里再用 ![说明](路径) 引用",
        "this file has {n}0,000 characters, far beyond any article: perhaps an image's data "
        "(data:image…) or the same text many times was pasted in. The build slows down and "
        "phones can hardly open the page; check the body, and save images in images/ to "
        "link them with ![caption](path)",
    ),
    "file.windows-name": (
        "“{name}”这个名字在 Windows 上不能用（CON、PRN、AUX、NUL、COM1–9、LPT1–9 是 Windows "
        "留给设备的名字，带扩展名也不行；名字结尾的“.”或空格会被 Windows 去掉）：同事在 Windows "
        "电脑上取出（git clone）仓库会失败，网站里同名的文件夹也建不起来。请给它换一个名字",
        "the name “{name}” cannot be used on Windows (CON, PRN, AUX, NUL, COM1–9 and LPT1–9 "
        "are kept for devices, with any extension too; Windows drops a dot or space at a "
        "name's end): a colleague's checkout (git clone) on Windows fails, and so does the "
        "site's folder of that name. Give it another name",
    ),
    "file.unreadable": ("无法读取文件：{error}", "cannot read file: {error}"),
    "frontmatter.unclosed": (
        "front matter 缺少结尾的 ---",
        "front matter has no closing ---",
    ),
    "frontmatter.missing": (
        "缺少 front matter（文件应以 --- 开头）",
        "no front matter (the file should start with ---)",
    ),
    "yaml.syntax": ("YAML 语法错误：{error}", "YAML syntax error: {error}"),
    "yaml.tab": (
        "YAML 不能用 Tab 缩进，请改用空格",
        "YAML cannot be indented with tabs; use spaces",
    ),
    "yaml.fullwidth-colon": (
        "“{key}：”用了中文冒号；键后面应为英文冒号加空格（“{key}: ”）",
        "“{key}：” has a full-width colon; write an ASCII colon and a space (“{key}: ”)",
    ),
    "yaml.colon-space": (
        "“{key}:”后面缺少空格；键后面应为冒号加空格（“{key}: ”）",
        "“{key}:” needs a space after the colon (“{key}: ”)",
    ),
    "yaml.colon-in-value": (
        "这里不能有“: ”：值里含冒号时请给整个值加引号；否则请检查这一行的缩进",
        "“: ” is not allowed here: put a value that contains a colon in quotes, or check this line's indentation",
    ),
    "yaml.no-colon": (
        "这一行缺少“: ”（应为“键: 值”）；若是上一行的续行，请检查缩进",
        "this line has no “: ” (expected key: value); if it continues the line above, check the indentation",
    ),
    "yaml.quote-value": (
        "以“{char}”开头的值请加引号",
        "a value that starts with “{char}” must be put in quotes",
    ),
    "yaml.fullwidth-space": (
        "这一行用了全角空格（“　”）；缩进和“键: 值”中间都要用半角空格",
        "this line has a full-width space (“　”); indent and separate “key: value” with "
        "ordinary spaces",
    ),
    "yaml.escape": (
        "双引号里的“\\”要写成“\\\\”（或改用单引号）",
        "inside double quotes write “\\” as “\\\\” (or use single quotes)",
    ),
    "yaml.unclosed-quote": (
        "这一行开始的引号没有闭合",
        "the quote opened on this line is never closed",
    ),
    "yaml.unclosed-bracket": (
        "这一行开始的 [ ] 或 {{ }} 没有闭合（或其中的值含“:”需要加引号）",
        "the [ ] or {{ }} opened on this line is not closed (or a value in it needs quotes)",
    ),
    "yaml.indent": (
        "缩进不一致，或引号后面多了文字：同一层的键应左对齐",
        "inconsistent indentation, or text after a quoted value: keys of one level line up",
    ),
    "yaml.too-large": (
        "YAML 内容过大、嵌套过深，或 * 别名展开过多",
        "the YAML is too large, nested too deeply, or has too many * aliases",
    ),
    "yaml.not-mapping": ("应为“键: 值”形式的映射", "expected a mapping of key: value"),
    "yaml.not-list": ("大事记文件应为列表（每项以 - 开头）", "a timeline file must be a YAML list"),
    "yaml.duplicate-key": ("键重复出现", "key appears twice"),
    "field.required": ("缺少必填字段", "required field is missing"),
    "field.unknown": ("未知字段{hint}", "unknown field{hint}"),
    "field.type-text": ("应为文本", "expected text"),
    "field.type-list": ("应为文本或文本列表", "expected text or a list of text"),
    "field.type-mapping": ("应为映射（键: 值）", "expected a mapping (key: value)"),
    "field.empty": ("不能为空", "must not be empty"),
    "field.bool": ("应为 true 或 false，而不是“{value}”", "expected true or false, not “{value}”"),
    "field.int": ("应为非负整数，而不是“{value}”", "expected a whole number ≥ 0, not “{value}”"),
    "field.number": ("应为数字，而不是“{value}”", "expected a number, not “{value}”"),
    "field.date": (
        "无法识别的日期或时间“{value}”（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，如 2026-12-08 14:00）",
        "unrecognised date or time “{value}” (expected YYYY-MM-DD or YYYY-MM-DD HH:MM, as "
        "2026-12-08 14:00)",
    ),
    "event.start-no-time": (
        "写了 all_day: false，start 却只写了日期，活动会从 0:00 开始：请写上开始时刻"
        "（如 2026-12-08 14:00；确实从零点开始就写 00:00）",
        "all_day is false but start is a date alone, so the activity starts at 0:00: write "
        "its start time (as 2026-12-08 14:00; 00:00 if it does start at midnight)",
    ),
    "event.small-hours": (
        "“{value}”是凌晨 {hour} 点：下午请写 {afternoon}（24 小时制）；确是凌晨就写成 {night}",
        "“{value}” is {hour} a.m.: write {afternoon} for {hour} p.m. (a 24-hour clock), or "
        "{night} if it is {hour} a.m.",
    ),
    "event.end-no-time": (
        "只写了日期“{value}”，和开始是同一天，活动会一直到当天 24:00：请写上结束的时刻（如 16:30）",
        "a date alone (“{value}”), the start's day, so the activity lasts until midnight: "
        "write the time it ends (as 16:30)",
    ),
    "event.end-time-all-day": (
        "start 只写了日期，是全天活动，end 就不能只写时刻“{value}”：要么给 start 加上开始时刻"
        "（如 2026-12-08 14:00），要么 end 写结束的日期",
        "start is a date alone, an all-day activity, so end cannot be a time alone (“{value}”):"
        " give start a time (as 2026-12-08 14:00), or end a date",
    ),
    "event.start-off-rule": (
        "“{value}”不是 rrule 规律里的一天：它会成为另加的一场，规律的场次从 {first} 开始"
        "（COUNT 不算这一场）。第一场就是 {first} 的话，请把 start 改成它；确要另加一场，"
        "start 写 {first}，这一天写在 rdate 里",
        "“{value}” is not one of the rrule's days: it becomes a session of its own, and "
        "the rule's sessions start on {first} (COUNT does not count it). If the first session "
        "is on {first}, make that the start; to add one, start on {first} and write this day "
        "as an rdate",
    ),
    "field.time-span": (
        "“{value}”是一段时间，这里只写开始的时刻：写成 {start}，结束的时刻 {end} 写在 end 里"
        "（不拆开的话，“-”后面的时刻会被当成时区，活动会排到别的时间）",
        "“{value}” is a span of time; write only when it starts here, {start}, and its end, "
        "{end}, as end (left together, the time after “-” reads as a time zone and moves "
        "the activity)",
    ),
    "field.date-range": (
        "日期“{value}”超出范围（年份应在 1900–2199 之间）",
        "date “{value}” is out of range (years 1900–2199)",
    ),
    "field.time-gap": (
        "“{value}”在时区 {zone} 并不存在（夏令时拨快，这一小时被跳过；是否想写 {shifted}？）",
        "“{value}” does not exist in {zone} (clocks go forward and skip that hour; did you mean {shifted}?)",
    ),
    "field.same-address": (
        "“{value}”与“{chosen}”的网址相同（{url}），按“{chosen}”合并为一个；请统一写法",
        "“{value}” has the same address as “{chosen}” ({url}); merged as “{chosen}”: write it one way",
    ),
    "file.symlink-outside": (
        "这是一个指向 content 文件夹之外的链接（{target}）：网站只发布 content 里的文件，"
        "请把文件本身复制进来",
        "a link to something outside the content folder ({target}): the site publishes "
        "the content folder's files only; copy the file itself in",
    ),
    "file.symlink-folder": (
        "文件夹不能是链接（{target}）：生成网站时会顺着它读遍别处的文件；请把要发布的文件复制进来",
        "a folder cannot be a link ({target}): the build would read everything it leads to; "
        "copy the files to publish in",
    ),
    "file.symlink-broken": (
        "链接指向的文件不存在，或者链接互相循环（{target}）：请删掉它，或换成文件本身",
        "a link to nothing, or in a loop of links ({target}): delete it, or put the file "
        "itself there",
    ),
    "field.slug-long": ("太长：网址的这一段最多 {n} 个字符", "too long: at most {n} characters"),
    "field.free-page-html": (
        "“{value}”里不能有 < > 或英文双引号：这一项会原样写进每一页的导航和标题里"
        "（写中文引号“”或书名号《》）",
        "“{value}” may not hold < > or \" : it goes into every page's navigation and title "
        "as written (use typographic quotes)",
    ),
    "link.missing": (
        "链接的文件不存在：{url}（相对于本文件；访问者会打开一个不存在的网页）",
        "link to a file that does not exist: {url} (relative to this file; visitors would get a missing page)",
    ),
    "body.image-alt": (
        "图片 {url} 没有说明文字，读屏软件的用户不知道图里是什么：在 ![ ] 的方括号里写上图片的内容，"
        '如 ![志愿者在社区宣传垃圾分类]({url})；只作装饰的图片请写成 <img src="{url}" alt="">',
        "the picture {url} has no description, so screen reader users cannot tell what it shows: "
        "write it between the brackets of ![ ], e.g. ![Volunteers at the street fair]({url}); "
        'for a picture that is only decoration, write <img src="{url}" alt="">',
    ),
    "body.remote-image": (
        "图片 {url} 在别的网站（{host}）上{why}。请把图片下载下来放进 content/images/，"
        "再用相对于本文件的路径引用，如 ![说明]({folder}/文件名.jpg)",
        "the picture {url} is on another site ({host}){why}. Download it into content/images/ "
        "and link it relative to this file, e.g. ![caption]({folder}/name.jpg)",
    ),
    "body.local-image": (
        "图片 {url} 是你自己电脑上的文件，读者的电脑和手机上没有它，网站上只会显示一个破图标。"
        "请把图片复制到 content/images/，再用相对于本文件的路径引用，如 ![说明]({folder}/文件名.jpg)",
        "the picture {url} is a file on your own computer, which no reader has: the site "
        "shows a broken picture. Copy it into content/images/ and link it relative to this "
        "file, e.g. ![caption]({folder}/name.jpg)",
    ),
    "body.lazy-image": (
        "这张图片只写了 data-src，没有 src：这是公众号“滑到才加载”的写法，要靠微信自己的脚本"
        "才显示，在网站上读者看到的是一片空白。请把图片 {url} 下载下来放进 content/images/，"
        "写成 ![说明]({folder}/文件名.jpg)",
        "this picture has a data-src and no src: WeChat's way to load a picture when it is "
        "scrolled to, which needs WeChat's own scripts; on the site readers see nothing. "
        "Download {url} into content/images/ and write ![caption]({folder}/name.jpg)",
    ),
    "body.embed": (
        "<{tag}> 从别的网站（{host}）加载内容：每位读者打开这一页都要去连那个网站，境内可能很慢"
        "或被拦截，整个页面跟着变慢。请改成链接，如 [观看视频]({url})；视频文件也可以放进 "
        'content/ 文件夹，用 <video src="…" controls></video> 播放',
        "<{tag}> loads from another site ({host}): every reader who opens this page connects "
        "to it, which may be slow or blocked in mainland China, and the whole page waits. "
        "Write a link instead, e.g. [Watch the video]({url}); a video file can also go into "
        'the content/ folder, played with <video src="…" controls></video>',
    ),
    "body.script": (
        "正文里不能放 <script>：它会在每位读者的浏览器里运行，从公众号或排版工具复制来的脚本"
        "在网站上不起作用，还可能让页面出错或去连别的网站。请删掉它；确实需要的功能请网站维护人员"
        "加到主题里",
        "no <script> in a text: it runs in every reader's browser; one copied from WeChat or "
        "a layout tool does nothing on the site and may break the page or connect to other "
        "sites. Delete it; a feature the site needs goes into its theme (ask its maintainer)",
    ),
    "body.placeholder": (
        "正文还是模板里的“{value}”：请写上内容，或删掉这一句（不然它会原样发布）",
        "the text is still the template's “{value}”: write it, or delete that line (else it "
        "is published as it is)",
    ),
    "link.rooted": (
        "以“/”开头的链接 {url} 从网站的根目录算起，网站发布在 {base} 下，它会打开一个不存在的网页："
        "写成相对于本文件的路径 {fixed}",
        "link {url} starts at the site's root, but the site is published under {base}, so "
        "it opens a page that is not there: write it relative to this file, {fixed}",
    ),
    "link.anchor": (
        "链接 {url} 指向的位置“#{place}”在页面上不存在{hint}（访问者只会打开页面的开头；"
        "标题的位置是“#”加上标题文字）",
        "link {url} names a place “#{place}” that its page does not have{hint} (visitors "
        "would land at the page's top; a heading's place is “#” and its text)",
    ),
    "field.path-escape": (
        "路径里的“\\”在双引号中被读成了控制字符：路径请用“/”分隔，写成 {value}",
        "a “\\” in this double-quoted path was read as a control character: separate "
        "folders with “/”: {value}",
    ),
    "field.backslash": (
        "路径请用“/”分隔，不要用“\\”：写成 {fixed}",
        "separate folders with “/”, not “\\”: write {fixed}",
    ),
    "link.backslash": (
        "链接的路径请用“/”分隔，不要用“\\”：写成 {fixed}",
        "separate the link's folders with “/”, not “\\”: write {fixed}",
    ),
    "field.missing-file": (
        "文件不存在：{value}（路径从内容文件夹算起；以 ./ 或 ../ 开头时相对于本文件）",
        "no such file: {value} (paths start at the content folder; with ./ or ../ at this file)",
    ),
    "field.remote-image": (
        "封面图 {value} 在别的网站（{host}）上{why}。请把图片下载下来放进 content/images/，"
        "写成 image: images/文件名.jpg",
        "the cover {value} is on another site ({host}){why}. Download it into content/images/ "
        "and write image: images/name.jpg",
    ),
    "field.local-image": (
        "封面图 {value} 是你自己电脑上的文件，读者的电脑和手机上没有它，网站上只会显示一个破图标。"
        "请把图片复制到 content/images/，写成 image: images/文件名.jpg",
        "the cover {value} is a file on your own computer, which no reader has: the site shows "
        "a broken picture. Copy it into content/images/ and write image: images/name.jpg",
    ),
    "field.file-case": (
        "文件名的大小写不对：文件叫 {fixed}，这里写的是 {value}。Windows 不分大小写，本机预览"
        "看得到；发布的网站分大小写，会找不到它：写成 {fixed}",
        "the file's name differs in case: it is {fixed}, written here as {value}. Windows "
        "ignores case, so the preview there shows it; the published site does not, and misses "
        "it: write {fixed}",
    ),
    "link.file-case": (
        "链接里文件名的大小写不对：{url} 应写成 {fixed}。Windows 不分大小写，本机预览能打开；"
        "发布的网站分大小写，会找不到这个文件",
        "the link's file name differs in case: write {url} as {fixed}. Windows ignores case, "
        "so the preview there opens it; the published site does not, and misses the file",
    ),
    "field.partial-date": (
        "无法识别的日期“{value}”（应为 YYYY、YYYY-MM 或 YYYY-MM-DD）",
        "unrecognised date “{value}” (expected YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    "field.duration": (
        "无法识别的时长“{value}”（例如 2h30m、90m）",
        "unrecognised duration “{value}” (e.g. 2h30m, 90m)",
    ),
    "field.duration-long": (
        "时长“{value}”超过一年；跨多天的活动请写 end（结束日期）",
        "duration “{value}” is over a year; give an activity of several days an end",
    ),
    "field.timezone": (
        "未知的时区“{value}”{hint}（写 IANA 时区名，如 Asia/Shanghai；北京时间就不用写这一项）",
        "unknown time zone “{value}”{hint} (write an IANA zone name, as Europe/London)",
    ),
    "field.url": ("应为 http(s) 网址，而不是“{value}”", "expected an http(s) URL, not “{value}”"),
    "field.choice": (
        "“{value}”不是允许的值（可选：{choices}）",
        "“{value}” is not allowed (choose from: {choices})",
    ),
    "field.slug": (
        "slug“{value}”只能包含小写字母、数字和连字符（连字符不能连写，也不能在开头或结尾）",
        "slug “{value}” may only contain lowercase letters, digits and single hyphens between them",
    ),
    "field.slug-windows": (
        "slug“{value}”是 Windows 留给设备的名字（CON、PRN、AUX、NUL、COM1–9、LPT1–9）：网站的"
        "这个文件夹在 Windows 电脑上建不起来，同事在 Windows 上预览或取出发布的网站都会失败；"
        "请换一个 slug",
        "slug “{value}” is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1–9, "
        "LPT1–9): the site's folder of that name cannot be made on Windows, so a colleague's "
        "preview or checkout of the published site there fails; choose another slug",
    ),
    "field.lat-lon": ("坐标超出范围", "coordinate out of range"),
    "field.rrule": ("重复规则无法解析：{error}", "recurrence rule does not parse: {error}"),
    "field.rrule-words": (
        "重复规则要按 RFC 5545 的格式写，不能用文字“{value}”{rule}（例：每月最后一个周六 "
        "FREQ=MONTHLY;BYDAY=-1SA，每周三 FREQ=WEEKLY;BYDAY=WE，共 12 次再加 ;COUNT=12）",
        "write the recurrence rule in RFC 5545's form, not in words (“{value}”){rule} (e.g. "
        "the last Saturday of each month: FREQ=MONTHLY;BYDAY=-1SA)",
    ),
    "field.rrule-range": (
        "重复规则中的 {part}={value} 超出范围（可写：{range}）",
        "{part}={value} is out of range in the rule (allowed: {range})",
    ),
    "event.count-and-until": (
        "COUNT（共几次）和 UNTIL（到哪天为止）只能写一个",
        "write COUNT (how many times) or UNTIL (until when), not both",
    ),
    "event.end-before-start": ("结束时间必须晚于开始时间", "end must be after start"),
    "event.end-and-duration": (
        "end 和 duration 只能写一个",
        "give either end or duration, not both",
    ),
    "event.all-day-time": (
        "全天活动的日期不应包含时间",
        "an all-day activity takes dates without a time",
    ),
    "event.override-date": (
        "调整的日期 {value} 不是该活动的一次重复",
        "override date {value} is not an occurrence of this activity",
    ),
    "event.exdate-unmatched": (
        "排除的日期 {value} 不是该活动的一次重复，不会取消任何一次",
        "exdate {value} is not an occurrence of this activity, so it cancels nothing",
    ),
    "event.override-excluded": (
        "{value} 这一次已写在 exdate 里取消，这条调整不会生效（要调整它，请从 exdate 中删掉这一天）",
        "the occurrence of {value} is cancelled by exdate, so this change is ignored (remove the day from exdate to change it)",
    ),
    "event.deadline-after-start": (
        "报名截止时间 {value} 晚于活动开始",
        "registration closes ({value}) after the activity starts",
    ),
    "event.override-needs-rule": (
        "只有重复活动才能写 overrides",
        "overrides need a recurring activity (rrule or rdate)",
    ),
    "event.far-day": (
        "开始日期 {value} 离今天（{today}）太远：月历从最早一场活动的月份排到最晚一场的月份，"
        "每个月一页，中间的月份全是空的。年份是不是写错了？",
        "the start {value} is far from today ({today}): the month grids run from the earliest "
        "activity's month to the latest one's, a page a month, the months between empty. Is "
        "the year a slip?",
    ),
    "news.far-ahead": (
        "日期 {value} 在一年多以后（今天是 {today}）：新闻要到那一天才会发布，在那之前网站上"
        "看不到它。年份是不是写错了？",
        "the date {value} is over a year ahead (today is {today}): the article is published "
        "on that day, and until then the site does not show it. Is the year a slip?",
    ),
    "ref.draft-link": (
        "链接的{kind}“{title}”（{path}）是草稿（draft: true），发布的网站上这条大事记不会带链接："
        "要带链接，先发布它（在那个文件里删掉 draft: true）；不打算发布就删掉这一行 link",
        "the linked {kind} “{title}” ({path}) is a draft (draft: true), so the published "
        "milestone has no link: publish it (remove draft: true in that file) for the link, or "
        "remove this link",
    ),
    "ref.unknown": ("引用的{kind}“{value}”不存在{hint}", "unknown {kind} “{value}”{hint}"),
    "ref.parent-loop": (
        "上级组织形成循环：{chain}",
        "parent chain loops: {chain}",
    ),
    "id.duplicate": (
        "编号“{value}”与 {other} 重复",
        "id “{value}” is also used by {other}",
    ),
    "url.conflict": (
        "网址 {value} 与 {other} 冲突",
        "URL {value} is also claimed by {other}",
    ),
    "url.reserved": (
        "网址 {value} 是自动生成的页面，请给这个文件换一个名字",
        "URL {value} belongs to a generated page; give this file another name",
    ),
    "history.shallow": (
        "Git 仓库是浅克隆，无法计算日历的 SEQUENCE/UID；请完整克隆（GitHub Actions 中设 fetch-depth: 0），"
        "或在 mkdocs.yml 中设置 git_history: false",
        "the Git checkout is shallow, so calendar SEQUENCE/UID cannot be derived; fetch full "
        "history (fetch-depth: 0 in GitHub Actions) or set git_history: false in mkdocs.yml",
    ),
    "history.unreadable": (
        "Git 读不了网站所在的仓库（{reason}），无法计算日历的 UID/SEQUENCE/LAST-MODIFIED；"
        "仓库属于另一个用户时（CI 容器、挂载的目录）运行 git config --global --add "
        "safe.directory {path}，没有安装 Git 就先安装，或在 mkdocs.yml 中设置 git_history: false",
        "Git cannot read the repository the site is in ({reason}), so calendar UID/SEQUENCE/"
        "LAST-MODIFIED cannot be derived; if another user owns the checkout (a CI container, a "
        "mounted folder) run git config --global --add safe.directory {path}, install Git if it "
        "is missing, or set git_history: false in mkdocs.yml",
    ),
    "config.missing": (
        "找不到配置文件（请在网站仓库的根目录运行，或用 -f 指定 mkdocs.yml 的路径）",
        "no configuration file (run this in the site's folder, or give -f path/to/mkdocs.yml)",
    ),
    "config.content-missing": (
        "内容文件夹 {value}/ 不存在：Git 不保存空文件夹，新网站也请至少放一个文件"
        "（如 {value}/index.md）；内容在别的文件夹时，把 mkdocs.yml 的 docs_dir 写成它的名字",
        "the content folder {value}/ does not exist: Git keeps no empty folder, so give a new "
        "site at least one file ({value}/index.md, say); if the content is in another folder, "
        "write its name as docs_dir in mkdocs.yml",
    ),
    "config.site-url-env": (
        "site_url 是 {value}，但网站发布在 {published}（环境变量 SITE_URL，发布流程按 GitHub Pages "
        "的设置给出）：订阅源、日历和分享链接会指向旧网址；请在 mkdocs.yml 里写 "
        'site_url: !ENV [SITE_URL, "{published}"]',
        "site_url is {value}, but the site is published at {published} (the SITE_URL "
        "environment variable, which the publishing workflow takes from the GitHub Pages "
        "settings): feeds, calendars and shared links would point at the old address; write "
        'site_url: !ENV [SITE_URL, "{published}"] in mkdocs.yml',
    ),
    "config.source-date-epoch": (
        "环境变量 SOURCE_DATE_EPOCH 是“{value}”，不是一个时刻：它应是自 1970-01-01 00:00 UTC 起的"
        "整秒数（如 git log -1 --format=%ct 给出的 1795312800）；请改正它，或删掉它按当前时间生成",
        "the environment variable SOURCE_DATE_EPOCH is “{value}”, which is no instant: it must be "
        "whole seconds since 1970-01-01 00:00 UTC (such as 1795312800, from "
        "git log -1 --format=%ct); correct it, or unset it to build at the current time",
    ),
    "config.directory-urls": (
        "yizhan 生成的页面按目录式网址（events/x/）互相链接：use_directory_urls: false 时，"
        "直接打开文件（file://）浏览会打不开这些链接，订阅里指向普通页面（about.md）的链接也会失效；"
        "请删掉这一项",
        "yizhan's pages link to each other at folder addresses (events/x/): with "
        "use_directory_urls: false, those links do not open from files (file://) and feeds' "
        "links to free pages (about.md) are broken; remove the setting",
    ),
    "theme.template": (
        "主题模板有错误，网站没有生成：{error}。改正这个模板（或删掉它，用回默认的）后保存即可",
        "the theme template has an error and the site was not built: {error}. Fix the template "
        "(or delete it to use the default one) and save",
    ),
    "config.site-url": (
        "mkdocs.yml 缺少 site_url：订阅源、日历和二维码里的网址会指向 http://localhost:8000，"
        "居民打不开；请写上网站发布的网址，如 site_url: https://org.github.io/repo/",
        "mkdocs.yml has no site_url: the addresses in feeds, calendars and QR codes would "
        "point at http://localhost:8000, which residents cannot open; write where the site "
        "is published, as site_url: https://org.github.io/repo/",
    ),
}

# dateutil's words for a rule it cannot read, said as what to write instead.
RULE_ERRORS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"invalid '(\w+)': (.*)"), "{0} 的值“{1}”无效", "“{1}” is not a valid {0}"),
    (
        re.compile(r"unknown parameter '(\w+)'"),
        "没有“{0}”这一项（可用 FREQ、INTERVAL、COUNT、UNTIL、BYDAY、BYMONTHDAY、BYMONTH、BYSETPOS 等）",
        "there is no part called {0} (use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS …)",
    ),
    (
        re.compile(r"(too many|not enough) values to unpack"),
        "各项应写成“名称=值”，之间用英文分号 ; 分隔",
        "write each part as NAME=value, separated by semicolons",
    ),
    (
        re.compile(r"FREQ is missing|required positional argument: 'freq'"),
        "缺少 FREQ（频率：DAILY、WEEKLY、MONTHLY、YEARLY）",
        "FREQ is missing (DAILY, WEEKLY, MONTHLY or YEARLY)",
    ),
)


WECHAT_IMAGE_HOSTS = (".qpic.cn", ".qlogo.cn")
"""Where WeChat keeps an official account's pictures (``mmbiz.qpic.cn``)."""


def remote_why(host: str, english: bool) -> str:
    """Why a picture on ``host`` fails the site's readers: WeChat's refuses other sites."""
    if f".{host}".endswith(WECHAT_IMAGE_HOSTS):
        return (
            ": WeChat refuses its pictures to other sites, so readers see “此图片来自微信公众平台 "
            "未经允许不可引用” (not allowed to be quoted) or nothing"
            if english
            else "：微信不允许别的网站引用公众号的图片，读者看到的是“此图片来自微信公众平台 "
            "未经允许不可引用”或一片空白"
        )
    return (
        ": each reader who opens the page fetches it from there, which may be slow or blocked "
        "in mainland China, and it is gone when that site moves or deletes it"
        if english
        else "：读者每打开一次这一页都要去那个网站取图，境内可能很慢或打不开；对方删掉或改了地址，"
        "这里就空了"
    )


def rule_error(error: str, english: bool) -> str:
    for pattern, zh, en in RULE_ERRORS:
        if match := pattern.search(error):
            return (en if english else zh).format(*match.groups())
    return error


KIND_NAMES: dict[str, tuple[str, str]] = {
    "branch": ("党组织", "branch"),
    "club": ("社团", "club"),
    "venue": ("阵地", "venue"),
    "news": ("新闻", "news article"),
    "event": ("活动", "activity"),
    "link": ("新闻或活动", "news article or activity"),
}


# Parts of a file that are not a front-matter key, named in the site's language.
FIELD_NAMES: dict[str, tuple[str, str]] = {"body": ("正文", "body")}


@dataclass(frozen=True, order=True)
class Origin:
    """Where a problem is: a path relative to the site root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One problem in content. ``params`` fill the message template of ``code``."""

    origin: Origin
    code: str
    field: str
    params: tuple[tuple[str, str], ...] = ()
    severity: Severity = "error"

    def message(self, language: str = "zh") -> str:
        english = language.startswith("en")
        zh, en = MESSAGES[self.code]
        params = dict(self.params)
        # Words that depend on the language are filled in here, not where the problem is found.
        if "kind" in params:
            params["kind"] = kind_name(params["kind"], language)
        if self.code == "field.rrule":
            params["error"] = rule_error(params.get("error", ""), english)
        if self.code == "field.rrule-words" and params.get("rule"):
            rule = params["rule"]
            params["rule"] = f"; it means {rule}" if english else f"，它应写成 {rule}"
        if "host" in params and self.code.endswith("remote-image"):
            params["why"] = remote_why(params["host"], english)
        suggestion = params.pop("suggestion", "")
        if suggestion:
            params["hint"] = (
                f" (did you mean {suggestion}?)" if english else f"（是否想写 {suggestion}？）"
            )
        else:
            params.setdefault("hint", "")
        return (en if english else zh).format(**params)

    def format(self, language: str = "zh") -> str:
        label = (
            ("警告" if self.severity == "warning" else "错误")
            if not language.startswith("en")
            else self.severity
        )
        field = FIELD_NAMES.get(self.field, (self.field, self.field))[language.startswith("en")]
        where = f"{self.origin}: {field}" if field else str(self.origin)
        return f"{where}: {self.message(language)} [{label} {self.code}]"


def problem(
    origin: Origin,
    code: str,
    field: str = "",
    severity: Severity = "error",
    **params: object,
) -> Problem:
    """Build a Problem; params are kept as sorted string pairs so problems stay hashable."""
    return Problem(
        origin, code, field, tuple(sorted((k, str(v)) for k, v in params.items())), severity
    )


def kind_name(kind: str, language: str = "zh") -> str:
    zh, en = KIND_NAMES.get(kind, (kind, kind))
    return en if language.startswith("en") else zh


@dataclass
class ProblemLog:
    """Collects problems while a stage runs; every stage reports all it finds, then fails once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, item: Problem) -> None:
        self.items.append(item)

    def extend(self, items: Iterable[Problem]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


class ContentError(Exception):
    """Raised when content has errors; carries every problem of the run, sorted by place."""

    def __init__(self, problems: Iterable[Problem], language: str = "zh") -> None:
        self.problems = tuple(sorted(problems, key=sort_key))
        self.language = language
        super().__init__(format_problems(self.problems, language))


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.origin.path, p.origin.line, p.origin.col, p.code)


def format_problems(problems: Iterable[Problem], language: str = "zh") -> str:
    return "\n".join(p.format(language) for p in sorted(problems, key=sort_key))
