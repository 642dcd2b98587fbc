"""Loader and validator: every SPEC rule, checked on content an editor could write."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitetools import SHANGHAI, config, load_tree, site_from

from generator import load, urls, validate
from generator.problems import MESSAGES, format_problems

BROKEN = Path(__file__).parent / "fixtures" / "broken"
# Codes covered by other test modules (history, build) rather than the broken content tree.
ELSEWHERE = {
    "history.shallow",
    "history.unreadable",  # test_history
    "file.timeline-md",  # test_a_milestone_written_as_a_markdown_file_is_told
    # test_names_windows_cannot_have_are_told_and_derived_addresses_avoid_them (a file so
    # named in the fixture would break this repository's own checkout on Windows)
    "file.windows-name",
    "file.unreadable",
    "config.site-url",
    "config.site-url-env",  # test_build: test_a_literal_site_url_other_than_where_pages_publishes_is_told
    "config.directory-urls",  # test_build: test_a_site_without_directory_urls_is_told
    "config.missing",
    # test_build: test_a_source_date_epoch_that_names_no_instant_is_told_and_a_blank_one_is_unset
    "config.source-date-epoch",
    "config.content-missing",  # test_build: test_a_site_without_its_content_folder_is_told…
    "url.reserved",
    "link.missing",
    "link.anchor",  # test_anchors
    # test_build: test_links_content_may_not_hold_are_told_before_anything_is_built
    "file.symlink-outside",
    "file.symlink-folder",
    "file.symlink-broken",
    "field.free-page-html",  # test_build: test_a_free_pages_title_with_markup_is_an_error
    "field.slug-long",  # test_build: test_long_names_make_addresses_a_file_system_takes
    "body.placeholder",  # test_build: test_check_is_clean_on_the_fixture_and_new_files_pass_it
    "body.image-alt",  # test_build: test_a_picture_without_words_is_a_warning_at_its_line
    "body.remote-image",  # test_build: test_what_a_pasted_wechat_article_fetches_from_other…
    "body.lazy-image",  # the same
    "body.embed",  # the same
    "body.script",  # the same
    "field.remote-image",  # the same
    "body.local-image",  # test_build: test_a_picture_on_the_editors_own_disk_is_told_at_its…
    "field.local-image",  # the same
    "link.rooted",  # test_build: test_a_link_from_the_sites_root_is_told_with_the_path_that_works
    "field.missing-file",  # test_build: test_a_missing_image_is_a_warning_at_its_line
    "field.file-case",  # test_build: test_a_file_named_in_another_case_is_told_with_the_name…
    "link.file-case",  # the same
    "yaml.too-large",  # test_yaml_alias_bomb_is_a_problem_not_a_hang
    "field.path-escape",  # test_a_windows_path_is_told_with_the_path_to_write
    "field.backslash",  # the same
    "link.backslash",  # test_build: test_a_link_with_windows_separators_says_what_to_write
    "yaml.fullwidth-space",  # test_a_full_width_space_is_told_where_it_is
    "event.end-time-all-day",  # test_an_end_time_alone_after_a_start_day_alone_says_why
    "event.start-no-time",  # the same
    "file.large",  # test_a_huge_pasted_article_is_a_warning_at_its_body
    "theme.template",  # test_build: test_a_slip_in_a_theme_override_is_told_at_its_line
}


def test_broken_tree_reports_every_problem_with_path_line_and_message() -> None:
    _, problems = load_tree(BROKEN)
    expected = (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert format_problems(problems).splitlines() == expected


def test_broken_tree_has_one_case_per_problem_code() -> None:
    _, problems = load_tree(BROKEN)
    assert {p.code for p in problems} | ELSEWHERE | {c for _, c, _ in YAML_MISTAKES} == set(
        MESSAGES
    )


def test_messages_in_english_when_site_language_is_en() -> None:
    _, problems = load_tree(BROKEN)
    text = format_problems(problems, "en")
    assert "content/events/fields.md:9: venue: unknown venue “nowhere” [error ref.unknown]" in text
    assert (
        "content/events/no-start.md:3: satus: unknown field (did you mean status?) [warning field.unknown]"
        in text
    )
    assert "content/news/gbk.md:2: file is not UTF-8 (perhaps GBK); save it again as UTF-8" in text


def test_unknown_key_is_a_warning_with_suggestion(tmp_path: Path) -> None:
    _, problems = site_from(
        tmp_path,
        {"content/events/a.md": "---\ntitle: 甲\nstart: 2026-12-01 14:00\nsatus: cancelled\n---\n"},
    )
    assert [(p.code, p.severity, p.origin.line, p.field) for p in problems] == [
        ("field.unknown", "warning", 4, "satus")
    ]
    assert "status" in problems[0].message()


def test_yaml_11_traps_never_reach_the_model(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": """
                ---
                title: no
                start: 2026-12-01 14:00
                end: 16:30
                location: on
                categories: yes
                ---
            """,
            "content/branches/b.md": "---\nname: 1e3\nmembers: 012\nsecretary: 0x1F\n---\n",
        },
    )
    assert problems == []
    event = site.events["a"]
    assert event.title == "no"
    assert event.end == datetime(2026, 12, 1, 16, 30, tzinfo=SHANGHAI)
    assert event.location == "on"
    assert event.categories == ("yes",)
    branch = site.branches["b"]
    assert (branch.name, branch.members, branch.secretary) == ("1e3", 12, "0x1F")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2026-04-28", date(2026, 4, 28)),
        ("2026-04-28 14:00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026-04-28T14:00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026-04-28T14:00:30", datetime(2026, 4, 28, 14, 0, 30, tzinfo=SHANGHAI)),
        ("2026年4月28日 14:00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026年4月28日", date(2026, 4, 28)),
        ("2026-04-28T06:00:00Z", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026-04-28 08:00+02:00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
    ],
)
def test_every_spec_date_form_is_read(written: str, expected: object) -> None:
    value = validate.parse_moment(written, SHANGHAI)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "written, minutes",
    [("2h30m", 150), ("90m", 90), ("1h", 60), ("2小时30分钟", 150), ("PT1H15M", 75), ("1.5h", 90)],
)
def test_durations(written: str, minutes: int) -> None:
    assert validate.parse_duration(written) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("２０２６－０４－２８", date(2026, 4, 28)),
        ("2026／4／28 14：00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("２０２６年４月２８日　１４：００", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026.4.28", date(2026, 4, 28)),
        ("2026．04．28 14:00", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("“2026-04-28 14:00”", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("‘2026年4月28日’", date(2026, 4, 28)),
        ("2026-04-28 下午2点", datetime(2026, 4, 28, 14, 0, tzinfo=SHANGHAI)),
        ("2026年4月28日下午2点半", datetime(2026, 4, 28, 14, 30, tzinfo=SHANGHAI)),
        ("2026-04-28 上午9:30", datetime(2026, 4, 28, 9, 30, tzinfo=SHANGHAI)),
        ("2026-04-28 中午12点", datetime(2026, 4, 28, 12, 0, tzinfo=SHANGHAI)),
        ("2026年4月28日 晚上7点15分", datetime(2026, 4, 28, 19, 15, tzinfo=SHANGHAI)),
        ("2026-04-28 晚上12点", None),  # midnight to some, noon to others: told, not guessed
    ],
)
def test_a_date_typed_with_a_chinese_input_method_is_read_as_meant(
    written: str, expected: object
) -> None:
    """Full-width digits and punctuation, dots between the parts, and Word's quotes around
    the value were each an “unrecognised date” whose message showed the right date."""
    assert validate.parse_moment(written, SHANGHAI) == expected


def test_full_width_and_quoted_values_of_an_activity_are_read_as_meant(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": "---\ntitle: “读书会”\nstart: ２０２６－１２－０１ １４：００\n"
            "end: “１６：３０”\ndraft: “false”\n---\n",
            "content/events/b.md": "---\ntitle: 乙\nstart: 2026.12.2 9:00\nduration: ２ｈ\n---\n",
            "content/events/c.md": "---\ntitle: 丙\nstart: 2026-12-03 下午2点\nend: 下午4点半\n---\n",
            "content/timeline/t.yml": "- date: ２０１２．０５\n  title: 丙\n",
        },
    )
    assert problems == []
    a, b = site.events["a"], site.events["b"]
    assert a.title == "“读书会”"  # a title's quotes are the editor's own
    assert (a.start, a.end) == (
        datetime(2026, 12, 1, 14, 0, tzinfo=SHANGHAI),
        datetime(2026, 12, 1, 16, 30, tzinfo=SHANGHAI),
    )
    assert b.end == datetime(2026, 12, 2, 11, 0, tzinfo=SHANGHAI)
    c = site.events["c"]  # 2 o'clock said as the afternoon's is not told as a 12-hour slip
    assert (c.start.hour, c.end.hour, c.end.minute) == (14, 16, 30)  # type: ignore[union-attr]
    assert (site.milestones[0].date.year, site.milestones[0].date.month) == (2012, 5)


@pytest.mark.parametrize(
    "until, written",
    [("20270112T0930", "20270112T013000Z"), ("2027-01-12T09:30:00", "20270112T013000Z")],
)
def test_an_until_written_without_seconds_or_with_dashes_is_read(
    tmp_path: Path, until: str, written: str
) -> None:
    """``UNTIL=20270112T0930`` (a time as editors write times) was dateutil's English “RRULE
    UNTIL values must be specified in UTC” on a Chinese site."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/r.md": "---\ntitle: 接待日\nstart: 2026-12-01 09:30\n"
            f"rrule: FREQ=WEEKLY;BYDAY=TU;UNTIL={until}\n---\n",
        },
    )
    assert problems == []
    assert site.events["r"].rrule == f"FREQ=WEEKLY;BYDAY=TU;UNTIL={written}"


def test_numbers_typed_with_a_chinese_input_method_are_read_as_meant(tmp_path: Path) -> None:
    """``members: “38”`` (quoted in Word) or ``３８`` (full-width) was “not a whole number”,
    its message showing what looked like one."""
    site, problems = site_from(
        tmp_path,
        {
            "content/branches/a.md": "---\nname: 甲支部\nmembers: “38”\n---\n",
            "content/branches/b.md": "---\nname: 乙支部\nmembers: ３８\n---\n",
            "content/venues/v.md": "---\nname: 驿站\nlat: ２９．８２\nlon: “121.55”\n---\n",
        },
    )
    assert problems == []
    assert site.branches["a"].members == site.branches["b"].members == 38
    assert (site.venues["v"].lat, site.venues["v"].lon) == (29.82, 121.55)


def test_event_times_end_duration_and_all_day(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/events/timed.md": "---\ntitle: 甲\nstart: 2026-12-01 14:00\nduration: 2h30m\n---\n",
            "content/events/days.md": "---\ntitle: 乙\nstart: 2026-11-05\nend: 2026-11-07\n---\n",
            "content/events/paris.md": "---\ntitle: 丙\nstart: 2026-07-01 19:00\ntimezone: Europe/Paris\n---\n",
            "content/events/night.md": "---\ntitle: 丁\nstart: 2026-12-31 21:00\nend: 2027-01-01 00:30\n---\n",
        },
    )
    assert problems == []
    assert site.events["timed"].end == datetime(2026, 12, 1, 16, 30, tzinfo=SHANGHAI)
    days = site.events["days"]
    assert (days.all_day, days.start, days.end) == (True, date(2026, 11, 5), date(2026, 11, 7))
    paris = site.events["paris"]
    assert paris.timezone == "Europe/Paris"
    assert paris.start.utcoffset() == timedelta(hours=2)  # type: ignore[union-attr]
    assert site.events["night"].end == datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)


def test_wall_times_a_zone_skips_are_problems(tmp_path: Path) -> None:
    """New York's clocks go from 02:00 to 03:00 on 2027-03-14: 02:30 is no time at all there
    (calendar apps would each place it differently); the hour repeated in November exists."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/gap-end.md": (
                "---\ntitle: 甲\nstart: 2027-03-14 01:30\nend: 02:30\n"
                "timezone: America/New_York\n---\n"
            ),
            "content/events/after.md": (
                "---\ntitle: 乙\nstart: 2027-03-14 03:00\nend: 2027-11-07 01:30\n"
                "timezone: America/New_York\n---\n"
            ),
            "content/events/shanghai.md": "---\ntitle: 丙\nstart: 2027-03-14 02:30\n---\n",
        },
    )
    assert [(p.origin.path, p.origin.line, p.field, p.code) for p in problems] == [
        ("content/events/gap-end.md", 4, "end", "field.time-gap")
    ]
    assert "是否想写 2027-03-14 03:30" in format_problems(problems)
    assert {"after", "shanghai"} <= set(site.events)
    assert site.events["after"].start == datetime(
        2027, 3, 14, 3, 0, tzinfo=ZoneInfo("America/New_York")
    )


def test_spellings_of_one_address_merge_with_a_warning(tmp_path: Path) -> None:
    """“党 建” and “党建” are both news/tags/dang-jian/: one tag, written as most files write
    it, and a warning where it is written otherwise (a category likewise)."""
    article = "---\ntitle: {t}\ndate: 2026-03-0{d}\ntags: [{tags}]\n---\n"
    site, problems = site_from(
        tmp_path,
        {
            "content/news/a.md": article.format(t="甲", d=1, tags="党建, 读书"),
            "content/news/b.md": article.format(t="乙", d=2, tags="党建"),
            "content/news/c.md": article.format(t="丙", d=3, tags="读书, 党 建"),
            "content/events/walk.md": (
                "---\ntitle: 徒步\nstart: 2026-04-18 08:30\ncategories: [户外]\n---\n"
            ),
            "content/events/run.md": (
                "---\ntitle: 晨跑\nstart: 2026-04-19 07:00\n\ncategories: [Hu Wai, 户外]\n---\n"
            ),
        },
    )
    found = [(p.origin.path, p.origin.line, p.field, p.severity) for p in problems]
    assert found == [
        ("content/events/run.md", 5, "categories", "warning"),
        ("content/news/c.md", 4, "tags", "warning"),
    ]
    assert {n.id: n.tags for n in site.news} == {
        "a": ("党建", "读书"),
        "b": ("党建",),
        "c": ("读书", "党建"),
    }
    assert site.events["run"].categories == ("户外",)
    assert "按“党建”合并" in format_problems(problems)


def test_recurrence_fields_are_normalised(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/events/r.md": """
                ---
                title: 接待日
                start: 2026-09-02 09:00
                end: 11:30
                rrule: "RRULE:freq=weekly;byday=WE;until=20270630"
                exdate: 2026-10-07
                rdate: [2026-10-09 09:00]
                overrides:
                  - date: 2026-09-09
                    start: 2026-09-10 09:00
                    status: tentative
                ---
            """
        },
    )
    assert problems == []
    event = site.events["r"]
    # UNTIL of a date alone means the end of that day, written in UTC as RFC 5545 requires.
    assert event.rrule == "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630T155959Z"
    assert event.exdates == (date(2026, 10, 7),)
    assert event.rdates == (datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI),)
    (override,) = event.overrides
    assert override.recurrence_id == datetime(2026, 9, 9, 9, 0, tzinfo=SHANGHAI)
    assert override.start == datetime(2026, 9, 10, 9, 0, tzinfo=SHANGHAI)
    assert override.status == "tentative"


def test_lists_may_be_single_values_and_references_resolve_by_id_or_slug(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/branches/律师行业党支部.md": "---\nname: 律师行业党支部\n---\n",
            "content/branches/top.md": "---\nname: 党工委\nslug: dang-gong-wei\n---\n",
            "content/news/n.md": "---\ntitle: 新闻\ndate: 2026-11-01\nbranch: 律师行业党支部\ntags: 法律\n---\n",
            "content/events/e.md": "---\ntitle: 活动\nstart: 2026-12-01 14:00\nbranch: [dang-gong-wei, 律师行业党支部]\n---\n",
        },
    )
    assert problems == []
    assert site.branches["律师行业党支部"].slug == "lv-shi-hang-ye-dang-zhi-bu"
    assert site.branches["top"].slug == "dang-gong-wei"
    assert site.news[0].branches == ("律师行业党支部",)
    assert site.news[0].tags == ("法律",)
    assert site.events["e"].branches == ("top", "律师行业党支部")


def test_bom_and_crlf_files_load_with_correct_lines(tmp_path: Path) -> None:
    text = "---\r\ntitle: 甲\r\nstart: 2026-12-01 14:00\r\nvenue: nowhere\r\n---\r\n正文\r\n"
    _, problems = site_from(tmp_path, {"content/events/a.md": b"\xef\xbb\xbf" + text.encode()})
    assert [(p.code, p.origin.line) for p in problems] == [("ref.unknown", 4)]


def test_a_file_with_its_byte_order_mark_twice_loads(tmp_path: Path) -> None:
    """A tool that adds a BOM to a file that had one (a batch convert to "UTF-8 with BOM"):
    the second was read as text before the ``---``, and the file as having no front matter."""
    text = "---\ntitle: 甲\nstart: 2026-12-01 14:00\n---\n正文\n"
    site, problems = site_from(
        tmp_path, {"content/events/a.md": b"\xef\xbb\xbf" * 2 + text.encode()}
    )
    assert problems == [] and site.events["a"].title == "甲"


def test_a_content_file_with_a_near_miss_extension_says_the_name_to_give_it(
    tmp_path: Path,
) -> None:
    """Windows hides extensions: ``通知.MD``, Notepad's ``通知.md.txt``, ``.markdown`` in a
    folder of articles or ``.YML`` in the timeline were copied to the site as raw files (a
    draft too) while the article never appeared; so was Notepad's ``公告.txt`` that opens
    with front matter. Names MkDocs reads as pages, images and a ``.txt`` attachment are
    left alone."""
    article = "---\ntitle: 甲\ndate: 2026-11-01\n---\n正文\n"
    site, problems = site_from(
        tmp_path,
        {
            "content/news/通知.MD": article,
            "content/news/2026/plain.md.txt": article,
            "content/events/salon.markdown": "---\ntitle: 沙龙\nstart: 2026-12-01 14:00\n---\n",
            "content/timeline/大事记.YML": "- date: 2026\n  title: 乙\n",
            "content/about.MD": "关于\n",
            "content/guide.markdown": "指南\n",
            "content/news/notes.txt": "附件\n",
            "content/news/公告.txt": "\ufeff" + article,  # Notepad's own .txt, with front matter
            "content/images/a.PNG": b"\x89PNG",
            "content/news/ok.md": article,
        },
    )
    assert [(p.origin.path, p.code, p.origin.line) for p in problems] == [
        ("content/about.MD", "file.extension", 1),
        ("content/events/salon.markdown", "file.extension", 1),
        ("content/news/公告.txt", "file.extension", 1),
        ("content/news/通知.MD", "file.extension", 1),
        ("content/news/2026/plain.md.txt", "file.extension", 1),
        ("content/timeline/大事记.YML", "file.extension", 1),
    ]
    fixed = [dict(p.params)["fixed"] for p in problems]
    assert fixed == ["about.md", "salon.md", "公告.md", "通知.md", "plain.md", "大事记.yml"]
    assert "请改名为“通知.md”" in problems[3].message()
    assert [n.id for n in site.news] == ["ok"]


def test_a_milestone_written_as_a_markdown_file_is_told(tmp_path: Path) -> None:
    """``timeline/成立.md`` became a page no list links, and the timeline lacked it, unsaid."""
    site, problems = site_from(
        tmp_path,
        {
            "content/timeline/成立.md": "---\ndate: 2012\ntitle: 党委成立\n---\n",
            "content/timeline/t.yml": "- date: 2013\n  title: 驿站启用\n",
        },
    )
    assert [(p.origin.path, p.code, p.severity) for p in problems] == [
        ("content/timeline/成立.md", "file.timeline-md", "warning")
    ]
    assert "要写在 .yml 文件里" in problems[0].message()
    assert [m.title for m in site.milestones] == ["驿站启用"]


def test_a_huge_pasted_article_is_a_warning_at_its_body(tmp_path: Path) -> None:
    """An image pasted from a WeChat article as ``data:`` text, or a paste repeated: the
    build slowed to minutes and the page reached phones, with no word to the editor."""
    head = "---\ntitle: 甲\ndate: 2026-11-01\n---\n"
    pasted = "![](data:image/png;base64," + "iVBORw0KGgo" * 50_000 + ")\n"
    site, problems = site_from(
        tmp_path,
        {"content/news/huge.md": head + pasted, "content/news/long.md": head + "长文。" * 50_000},
    )
    assert [(p.origin.path, p.code, p.severity, p.origin.line, p.field) for p in problems] == [
        ("content/news/huge.md", "file.large", "warning", 5, "body")
    ]
    assert problems[0].message().startswith("这个文件有 55 万字")
    assert len(site.news) == 2


def test_control_characters_pasted_from_word_never_reach_the_model(tmp_path: Path) -> None:
    """Word's Shift+Enter pastes U+000B, which YAML rejects and no HTML page may hold; other
    invisible control characters likewise: the first becomes a space, the others go, and
    the lines stay where they were."""
    text = "---\ntitle: 甲\x0b乙\nstart: 2026-12-01 14:00\nvenue: nowhere\n---\n正文\x1b\x0b第二句\x7f\n"
    site, problems = site_from(tmp_path, {"content/events/a.md": text.encode()})
    assert [(p.code, p.origin.line) for p in problems] == [("ref.unknown", 4)]
    event = site.events["a"]
    assert (event.title, event.body) == ("甲 乙", "正文 第二句\n")


def test_an_extra_day_without_a_time_is_at_the_activitys_usual_time(tmp_path: Path) -> None:
    """``rdate: 2026-12-12`` on a 19:00 activity is 19:00 that day (as ``exdate`` with a date
    alone means that day's occurrence), not a midnight session; with a time it is as written."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/reading.md": "---\ntitle: 读书会\nstart: 2026-12-08 19:00\n"
            "end: 20:00\nrrule: FREQ=WEEKLY;COUNT=3\nrdate: [2026-12-12, 2026-12-13 10:00]\n---\n",
            "content/events/london.md": "---\ntitle: 连线\nstart: 2027-03-20 18:30\n"
            "timezone: Europe/London\nrrule: FREQ=WEEKLY;COUNT=2\nrdate: 2027-04-01\n---\n",
            "content/events/fair.md": "---\ntitle: 集市\nstart: 2026-12-05\n"
            "rrule: FREQ=WEEKLY;COUNT=2\nrdate: 2026-12-08\n---\n",
        },
    )
    assert problems == []
    assert site.events["reading"].rdates == (
        datetime(2026, 12, 12, 19, 0, tzinfo=SHANGHAI),
        datetime(2026, 12, 13, 10, 0, tzinfo=SHANGHAI),
    )
    # after the clocks change: 18:30 London time still (BST), not 18:30 GMT
    assert site.events["london"].rdates == (
        datetime(2027, 4, 1, 18, 30, tzinfo=ZoneInfo("Europe/London")),
    )
    assert site.events["fair"].rdates == (date(2026, 12, 8),)


def test_an_override_of_a_cancelled_day_is_a_warning_and_the_day_stays_cancelled(
    tmp_path: Path,
) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/events/run.md": "---\ntitle: 夜跑\nstart: 2026-12-10 19:00\nduration: 1h\n"
            "rrule: FREQ=WEEKLY;COUNT=5\nexdate: 2026-12-17\noverrides:\n"
            "  - date: 2026-12-17\n    start: 2026-12-17 20:00\n"
            "  - date: 2026-12-24\n    title: 平安夜跑\n---\n",
        },
    )
    assert [(p.code, p.origin.line, p.field, p.severity) for p in problems] == [
        ("event.override-excluded", 8, "overrides.date", "warning")
    ]
    # one answer for every calendar app: the 17th is cancelled, the 24th changed
    run = site.events["run"]
    assert [o.title for o in run.overrides] == ["平安夜跑"]
    assert run.exdates == (date(2026, 12, 17),)


def test_a_time_in_one_session_of_an_all_day_series_is_told_and_the_day_kept(
    tmp_path: Path,
) -> None:
    """The page said 2026年12月19日 周六 14:00–16:00 全天 and the feed all day; khal, given
    the one timed session a mixed feed would have, shows it twice (all day and timed)."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/open.md": "---\ntitle: 开放日\nstart: 2026-12-12\nall_day: true\n"
            "rrule: FREQ=WEEKLY;BYDAY=SA;COUNT=3\noverrides:\n"
            "  - date: 2026-12-19\n    start: 2026-12-19 14:00\n    end: 2026-12-19 16:00\n"
            "  - date: 2026-12-26\n    start: 2026-12-27\n---\n",
        },
    )
    assert [(p.code, p.origin.line, p.field, p.severity) for p in problems] == [
        ("event.all-day-time", 8, "overrides.start", "error"),
        ("event.all-day-time", 9, "overrides.end", "error"),
    ]
    moved = site.events["open"].overrides
    assert [(o.start, o.end) for o in moved] == [
        (date(2026, 12, 19), date(2026, 12, 19)),
        (date(2026, 12, 27), None),
    ]


def test_a_session_moved_to_a_day_alone_keeps_its_time(tmp_path: Path) -> None:
    """``start: 2026-12-22`` in an override of a 19:00 series, as ``rdate: 2026-12-22`` is:
    that day at 19:00 (it was midnight: 00:00–01:00 on the page and in every calendar)."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/talk.md": "---\ntitle: 讲座\nstart: 2026-12-14 19:00\nduration: 1h\n"
            "rrule: FREQ=WEEKLY;BYDAY=MO;COUNT=3\noverrides:\n"
            "  - date: 2026-12-21\n    start: 2026-12-22\n---\n",
        },
    )
    assert problems == []
    (moved,) = site.events["talk"].overrides
    assert moved.start == datetime(2026, 12, 22, 19, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("rule", "part"),
    [
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0"),  # dateutil parsed it, then failed the build
        ("FREQ=MONTHLY;BYMONTHDAY=40;COUNT=3", "BYMONTHDAY=40"),  # never occurs
        ("FREQ=MONTHLY;BYDAY=0SA", "BYDAY=0SA"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT=0"),
        ("FREQ=MINUTELY;COUNT=3", "FREQ=MINUTELY"),  # half a million a year without COUNT
        ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=0", "BYSETPOS=0"),
        ("FREQ=MONTHLY;BYDAY=-1SA,2MO;BYSETPOS=-1;INTERVAL=2", None),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1;BYHOUR=9", None),
    ],
)
def test_rule_numbers_out_of_range_are_told_at_the_rule(
    tmp_path: Path, rule: str, part: str | None
) -> None:
    site, problems = site_from(
        tmp_path,
        {"content/events/a.md": f"---\ntitle: 例会\nstart: 2026-12-01 10:00\nrrule: {rule}\n---\n"},
    )
    if part is None:  # (a start off the rule's days is only a warning: they are examples)
        assert [p for p in problems if p.code != "event.start-off-rule"] == []
        assert site.events["a"].rrule == rule
        return
    assert [(p.code, p.origin.line, p.field) for p in problems] == [
        ("field.rrule-range", 4, "rrule")
    ]
    assert part in problems[0].message() and part in problems[0].message("en")


def test_registration_closing_after_a_one_off_activity_starts_is_a_warning(
    tmp_path: Path,
) -> None:
    def event(name: str, start: str, deadline: str, rule: str = "") -> tuple[str, str]:
        text = (
            f"---\ntitle: 讲座\nstart: {start}\n{rule}registration:\n  deadline: {deadline}\n---\n"
        )
        return f"content/events/{name}.md", text

    _, problems = site_from(
        tmp_path,
        dict(
            [
                event("late", "2026-12-10 10:00", "2026-12-31"),  # a typo: December for November
                event("hour-late", "2026-12-10 10:00", "2026-12-10 12:00"),
                event("same-day", "2026-12-10 10:00", "2026-12-10"),  # a day: may mean "by then"
                event("early", "2026-12-10 10:00", "2026-12-08 17:00"),
                event("all-day", "2026-12-10", "2026-12-11"),
                event("series", "2026-12-10 10:00", "2026-12-20", "rrule: FREQ=WEEKLY;COUNT=4\n"),
            ]
        ),
    )
    assert sorted((p.origin.path, p.origin.line, p.code) for p in problems) == [
        ("content/events/all-day.md", 5, "event.deadline-after-start"),
        ("content/events/hour-late.md", 5, "event.deadline-after-start"),
        ("content/events/late.md", 5, "event.deadline-after-start"),
    ]
    assert all(p.severity == "warning" and p.field == "registration.deadline" for p in problems)


@pytest.mark.parametrize(
    ("rule", "zh", "en"),
    [
        ("FREQ=SOMETIMES", "FREQ 的值“SOMETIMES”无效", "“SOMETIMES” is not a valid FREQ"),
        ("FREQ=WEEKLY;FOO=1", "没有“FOO”这一项", "there is no part called FOO"),
        ("FREQ=WEEKLY,COUNT=3", "之间用英文分号 ; 分隔", "separated by semicolons"),
        ("COUNT=3", "缺少 FREQ", "FREQ is missing"),
    ],
)
def test_a_rule_that_does_not_parse_is_told_in_the_sites_language(
    tmp_path: Path, rule: str, zh: str, en: str
) -> None:
    _, problems = site_from(
        tmp_path,
        {"content/events/a.md": f"---\ntitle: 例会\nstart: 2026-12-01 10:00\nrrule: {rule}\n---\n"},
    )
    assert [(p.code, p.origin.line) for p in problems] == [("field.rrule", 4)]
    assert zh in problems[0].message() and en in problems[0].message("en")
    assert "unpack" not in problems[0].message() and "parameter" not in problems[0].message()


def test_an_exdate_that_cancels_nothing_is_a_warning(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            # every Tuesday 19:00, four times, plus one extra Saturday
            "content/events/weekly.md": "---\ntitle: 例会\nstart: 2026-12-01 19:00\n"
            "rrule: FREQ=WEEKLY;COUNT=4\nrdate: 2026-12-05 10:00\nexdate:\n"
            "  - 2026-12-08\n  - 2026-12-15 19:00\n  - 2026-12-05\n"  # all three cancel one
            "  - 2026-12-03\n  - 2026-12-22 18:00\n  - 2026-12-29\n---\n",  # these cancel none
            "content/events/fair.md": "---\ntitle: 集市\nstart: 2026-12-05\n"
            "rrule: FREQ=WEEKLY;COUNT=3\nexdate: [2026-12-12, 2026-12-13]\n---\n",
        },
    )
    assert [(p.origin.path, p.origin.line, p.field, p.severity) for p in problems] == [
        ("content/events/fair.md", 5, "exdate", "warning"),
        ("content/events/weekly.md", 10, "exdate", "warning"),
        ("content/events/weekly.md", 11, "exdate", "warning"),
        ("content/events/weekly.md", 12, "exdate", "warning"),
    ]
    assert {p.code for p in problems} == {"event.exdate-unmatched"}
    assert "2026-12-13" in problems[0].message() and "2026-12-22 18:00" in problems[2].message()
    # the warning changes nothing: the model keeps what the editor wrote
    assert len(site.events["weekly"].exdates) == 6


def test_ids_and_slugs_of_generated_pages_are_reserved(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/news/2026/tags.md": "---\ntitle: 标签说明\ndate: 2026-11-02\n---\n",
            "content/events/past.md": "---\ntitle: 往期回顾\nstart: 2026-11-02 10:00\n---\n",
            "content/events/fenlei.md": "---\ntitle: 分类\nstart: 2026-11-02 10:00\n"
            "slug: categories\n---\n",
            "content/events/ok.md": "---\ntitle: 正常\nstart: 2026-11-02 10:00\n"
            "categories: past\n---\n",  # a category may be called anything
        },
    )
    assert [(p.code, p.origin.path, p.origin.line, p.field) for p in problems] == [
        ("url.reserved", "content/events/fenlei.md", 4, "slug"),
        ("url.reserved", "content/events/past.md", 1, ""),
        ("url.reserved", "content/news/2026/tags.md", 1, ""),
    ]
    assert "/events/past/" in problems[1].message()
    assert set(site.events) == {"ok"} and not site.news


def test_a_bad_rule_is_the_one_problem_of_its_overrides(tmp_path: Path) -> None:
    """With an rrule that does not parse, the overrides are not blamed for needing one."""
    text = (
        "---\ntitle: 甲\nstart: 2026-12-01 14:00\nrrule: FREQ=SOMETIMES\n"
        "overrides:\n  - date: 2026-12-08 14:00\n    status: cancelled\n---\n"
    )
    _, problems = site_from(tmp_path, {"content/events/a.md": text})
    assert [(p.code, p.origin.line) for p in problems] == [("field.rrule", 4)]
    _, problems = site_from(
        tmp_path, {"content/events/a.md": text.replace("rrule: FREQ=SOMETIMES\n", "")}
    )
    assert [p.code for p in problems] == ["event.override-needs-rule"]


def test_drafts_and_future_news_are_left_out_unless_asked(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/news/old.md": "---\ntitle: 旧\ndate: 2026-11-01\n---\n",
        "content/news/today.md": "---\ntitle: 今天\ndate: 2026-11-22 23:00\n---\n",
        "content/news/later.md": "---\ntitle: 以后\ndate: 2026-11-23\n---\n",
        "content/news/draft.md": "---\ntitle: 草稿\ndate: 2026-11-02\ndraft: true\n---\n",
        "content/events/d.md": "---\ntitle: 草稿活动\nstart: 2026-12-01 14:00\ndraft: yes\n---\n",
    }
    site, problems = site_from(tmp_path, files)
    assert problems == []
    assert [n.id for n in site.news] == ["today", "old"]
    assert site.events == {}
    site, _ = load_tree(tmp_path, drafts=True)
    assert sorted(n.id for n in site.news) == ["draft", "later", "old", "today"]
    assert list(site.events) == ["d"]


def test_milestone_dates_and_links(tmp_path: Path) -> None:
    site, problems = site_from(
        tmp_path,
        {
            "content/news/n.md": "---\ntitle: 新闻\ndate: 2026-11-01\n---\n",
            "content/timeline/t.yml": """
                - date: "2014-10"
                  title: 成立
                  link: n
                - date: 2012
                  title: 起步
                - date: 2015-03-01
                  title: 外链
                  link: https://example.org/x
            """,
        },
    )
    assert problems == []
    assert [(m.date.iso(), m.link_kind) for m in site.milestones] == [
        ("2012", None),
        ("2014-10", "news"),
        ("2015-03-01", "url"),
    ]


def test_a_milestone_linking_to_a_draft_is_told_that_the_link_is_left_out(
    tmp_path: Path,
) -> None:
    """The published timeline drops a link to a draft; the editor was not told. A link to an
    article dated ahead is not told: its scheduled publication brings the link."""
    files = {
        "content/news/n.md": "---\ntitle: 新闻\ndate: 2026-11-01\ndraft: true\n---\n",
        "content/news/later.md": "---\ntitle: 预告\ndate: 2026-12-20\n---\n",
        "content/events/e.md": "---\ntitle: 活动\nstart: 2026-12-01\nslug: huodong\n"
        "draft: yes\n---\n",
        "content/timeline/t.yml": """
            - date: "2014-10"
              title: 成立
              link: n
            - date: 2015
              title: 活动
              body: 一年一次
              link: huodong
            - date: 2016
              title: 以后
              link: later
        """,
    }
    site, problems = site_from(tmp_path, files)
    assert [(p.code, p.severity, p.origin.line, dict(p.params)) for p in problems] == [
        ("ref.draft-link", "warning", 3,
         {"kind": "news", "title": "新闻", "path": "content/news/n.md"}),
        ("ref.draft-link", "warning", 7,
         {"kind": "event", "title": "活动", "path": "content/events/e.md"}),
    ]  # fmt: skip
    # named as the editor knows it, with the file to edit: the link wrote the slug “huodong”,
    # the message said the id “e”, which no line of the milestone wrote
    assert "链接的活动“活动”（content/events/e.md）是草稿" in problems[1].message()
    assert [m.link for m in site.milestones] == [None, None, None]
    preview, told = site_from(tmp_path, {}, drafts=True)
    assert [m.link for m in preview.milestones] == ["n", "e", "later"]
    assert [p.code for p in told] == ["ref.draft-link", "ref.draft-link"]


def test_yaml_alias_bomb_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    bomb = "---\n" + "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]\n"
    bomb += "title: x\nstart: 2026-12-01\n---\n"
    _, problems = site_from(tmp_path, {"content/events/bomb.md": bomb})
    assert [p.code for p in problems] == ["yaml.too-large"]


# Mistakes editors make in front matter, each told as the mistake on the line where it is:
# (front matter, code, line in the file).
YAML_MISTAKES = [
    ("title: 例会\n\tstart: 2026-12-01\n", "yaml.tab", 3),
    ("title：例会\nstart: 2026-12-01\n", "yaml.fullwidth-colon", 2),
    ("title: 例会\nstart：2026-12-01\nvenue: hall\n", "yaml.fullwidth-colon", 3),
    ("title: 例会\nstart:2026-12-01\nvenue: hall\n", "yaml.colon-space", 3),
    ("title: 会议: 第一次\nstart: 2026-12-01\n", "yaml.colon-in-value", 2),
    ("title: 例会\n  start: 2026-12-01\n", "yaml.colon-in-value", 3),
    ("title: @居民\nstart: 2026-12-01\n", "yaml.quote-value", 2),
    ("title: *重要*活动\nstart: 2026-12-01\n", "yaml.quote-value", 2),
    ('title: "例会\nstart: 2026-12-01\nvenue: hall\n', "yaml.unclosed-quote", 2),
    ("title: 例会\ncategories: [学习, 讲座\nstart: 2026-12-01\n", "yaml.unclosed-bracket", 3),
    ("title: 例会\nstart 2026-12-01\nvenue: hall\n", "yaml.no-colon", 3),
    ('title: "例会" 第二期\nstart: 2026-12-01\n', "yaml.indent", 2),
    ("title: 例会\nrooms:\n  - name: a\n   capacity: 3\n", "yaml.indent", 5),
    ("title: 例会\nsummary: |简介\nstart: 2026-12-01\n", "yaml.quote-value", 3),
    ('title: 例会\nimage: "C:\\图片\\a.jpg"\nstart: 2026-12-01\n', "yaml.escape", 3),
    # Anything else keeps the parser's own words after a translated lead.
    ("title: !<例 会\nstart: 2026-12-01\n", "yaml.syntax", 2),
]


@pytest.mark.parametrize(("front", "code", "line"), YAML_MISTAKES)
def test_yaml_mistakes_are_named_on_their_line(
    tmp_path: Path, front: str, code: str, line: int
) -> None:
    _, found = site_from(tmp_path, {"content/events/a.md": f"---\n{front}---\n正文\n"})
    # (a mistake mended for sure lets the rest be read: its fields' problems come too)
    problems = [p for p in found if p.code.startswith("yaml.")]
    assert [(p.code, p.origin.line) for p in problems] == [(code, line)]
    for language in ("zh", "en"):
        # The message explains the mistake; PyYAML's own English never reaches the editor.
        message = problems[0].message(language)
        if code == "yaml.syntax":
            assert message.startswith(("YAML 语法错误：", "YAML syntax error: "))
            continue
        assert "token" not in message and "scanning" not in message and "block" not in message


def test_yaml_tags_cannot_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\ntitle: !!python/object/apply:os.system [touch {marker}]\nstart: 2026-12-01\n---\n"
    _, problems = site_from(tmp_path, {"content/events/x.md": text})
    # The base loader builds no Python object: the tag is inert and the value is a plain list.
    assert not marker.exists()
    assert [(p.code, p.field) for p in problems] == [("field.type-text", "title")]


def test_config_file_is_read_safely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: 驿站\nsite_url: !ENV [SITE_URL, 'https://fallback.example/']\n"
        "x: !!python/name:os.system\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SITE_URL", "https://org.github.io/repo/")
    data = load.read_config_file(tmp_path / "mkdocs.yml")
    # a python tag is kept by its name, not run (the heading ids' check reads slugify's)
    assert data == {
        "site_name": "驿站",
        "site_url": "https://org.github.io/repo/",
        "x": load.PythonTag("name:os.system", ""),
    }


def test_site_zone_applies_to_times_without_offset(tmp_path: Path) -> None:
    site, _ = site_from(
        tmp_path,
        {"content/events/a.md": "---\ntitle: 甲\nstart: 2026-12-01 14:00\n---\n"},
        timezone="Europe/Paris",
    )
    assert site.events["a"].start == datetime(2026, 12, 1, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert config().timezone == "Asia/Shanghai"


# --- validated entities kept between builds (issue 5) ------------------------------------


def validate_with_memo(root: Path, folder: Path | None, **overrides: object) -> tuple[object, ...]:
    """One build's load and validation, with ``folder`` as the memo folder (None: none)."""
    from generator import memo

    memo.use(folder)
    load.parse_front_matter_once.cache_clear()
    try:
        loaded = load.load_content(root, "content")
        site, problems = validate.validate(loaded.documents, config(**overrides))
        memo.flush()
    finally:
        memo.use(None)
        load.parse_front_matter_once.cache_clear()
    return site, [*loaded.problems, *problems]


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the documents whose front matter is checked (made, not taken from the shelf)."""
    checked: list[str] = []
    check_keys = validate.Checker.check_keys

    def counting(self: validate.Checker) -> None:
        checked.append(self.path)
        check_keys(self)

    monkeypatch.setattr(validate.Checker, "check_keys", counting)
    return checked


@pytest.mark.parametrize("fixture", ["site", "broken"])
def test_entities_kept_by_text_give_the_same_site_and_problems(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm build makes no entity again, yet its site and its problems (warnings, unknown
    references with their lines, duplicate ids) are a cold build's, in the same order."""
    root = Path(__file__).parent / "fixtures" / fixture
    fresh = validate_with_memo(root, None)
    checked = count_checks(monkeypatch)
    assert validate_with_memo(root, tmp_path) == fresh
    first = len(checked)
    assert first > 5
    assert validate_with_memo(root, tmp_path) == fresh
    milestones = [p for p in checked[first:] if "/timeline/" not in p]
    assert milestones == []  # every document but the timelines' items came from the shelf
    assert len(list(tmp_path.glob("validate.made.*.pickle"))) > 1
    if fixture == "broken":
        assert any(p.code == "ref.unknown" and p.origin.line > 1 for p in fresh[1])  # type: ignore[attr-defined]


@pytest.mark.parametrize("fixture", ["site", "broken"])
def test_entities_made_half_in_a_child_give_the_same_site_and_problems(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build makes the second half of the entities in a forked child (issue 5): the
    site and its problems, in their order, are those of one process; this process checks only
    its own half, and the next build finds the child's half on the shelf and forks nothing."""
    from generator import parallel

    root = Path(__file__).parent / "fixtures" / fixture
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    checked = count_checks(monkeypatch)
    alone = validate_with_memo(root, None)
    every = {p for p in checked if "/timeline/" not in p}
    monkeypatch.undo()
    monkeypatch.setattr(validate, "SPLIT_FROM", 4)
    forked: list[int] = []
    beside = parallel.beside
    monkeypatch.setattr(
        parallel,
        "beside",
        lambda step, ctx, jobs: forked.append(len(jobs)) or beside(step, ctx, jobs),
    )
    checked = count_checks(monkeypatch)  # in this process only: the child's stay in the child
    assert validate_with_memo(root, tmp_path) == alone
    assert forked and forked[0] >= len(every) // 2
    made_here = {p for p in checked if "/timeline/" not in p}
    assert made_here and len(made_here) == len(every) - forked[0]
    del checked[:]
    assert validate_with_memo(root, tmp_path) == alone
    assert len(forked) == 1  # everything kept: nothing forked
    assert [p for p in checked if "/timeline/" not in p] == []
    if fixture == "broken":
        assert alone[1]


def test_an_edited_file_or_a_new_time_zone_makes_its_entities_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitetools import write_tree

    root = write_tree(
        tmp_path / "site",
        {
            "content/venues/hall.md": "---\nname: 礼堂\n---\n",
            "content/events/a.md": "---\ntitle: 党课\nstart: 2026-12-01 14:00\nvenue: hall\n---\n",
            "content/events/b.md": "---\ntitle: 读书会\nstart: 2026-12-02 19:00\nvenue: hal\n---\n",
        },
    )
    memo_dir = tmp_path / "memo"
    checked = count_checks(monkeypatch)
    validate_with_memo(root, memo_dir)
    assert len(checked) == 3
    (root / "content/events/a.md").write_text(
        "---\ntitle: 党课（改期）\nstart: 2026-12-03 14:00\nvenue: hall\n---\n", encoding="utf-8"
    )
    site, problems = validate_with_memo(root, memo_dir)
    assert checked[3:] == ["content/events/a.md"]  # only the edited file is made again
    assert site.events["a"].title == "党课（改期）"  # type: ignore[attr-defined]
    assert site.events["a"].start == datetime(2026, 12, 3, 14, 0, tzinfo=SHANGHAI)  # type: ignore[attr-defined]
    unknown = [p for p in problems if p.code == "ref.unknown"]  # type: ignore[attr-defined]
    assert [(p.origin.path, p.origin.line) for p in unknown] == [("content/events/b.md", 4)]
    site, _ = validate_with_memo(root, memo_dir, timezone="Europe/Berlin")
    assert len(checked) == 4 + 3  # another zone: every entity made again
    assert site.events["a"].start.utcoffset() == timedelta(hours=1)  # type: ignore[attr-defined]


def test_a_shelf_reads_back_only_its_own_kinds_of_values(tmp_path: Path) -> None:
    """A cache folder is not trusted to run code: a pickle naming any other global is
    refused and the shelf starts empty; what a shelf wrote reads back whole."""
    import os
    import pickle

    from generator import memo
    from generator.model import Source

    class Exploit:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    zone_value = (datetime(2026, 12, 1, 14, 0, tzinfo=SHANGHAI), Source("content/a.md", 1, "a.md"))
    try:
        memo.use(tmp_path)
        shelf = memo.shelf("s", "generator.model")
        shelf.put(shelf.key("a"), zone_value)
        memo.flush()
        memo.use(tmp_path)
        shelf = memo.shelf("s", "generator.model")
        assert shelf.get(shelf.key("a")) == zone_value
        assert shelf.get(shelf.key("a"))[0].tzinfo is SHANGHAI
        payload = {"version": shelf.version, "entries": {shelf.key("a"): Exploit()}}
        (tmp_path / f"s.{shelf.key('a')[0]}.pickle").write_bytes(pickle.dumps(payload))
        memo.use(tmp_path)
        shelf = memo.shelf("s", "generator.model")
        assert shelf.get(shelf.key("a")) is None
        assert not (tmp_path / "pwned").exists()
        assert len({shelf.key("a\0b"), shelf.key("a", "b"), shelf.key("ab")}) == 3
    finally:
        memo.use(None)


def test_a_shelf_is_written_by_its_own_process_only_and_keeps_what_was_used(
    tmp_path: Path,
) -> None:
    """Forked steps never write it; an unchanged shelf is not written; after one change only
    the file holding that entry is; entries a build did not use are gone after it."""
    import os

    from generator import memo

    def files() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("s.*.pickle")}

    try:
        memo.use(tmp_path)
        shelf = memo.shelf("s")
        names = {}  # one name per file, for three files
        for i in range(100):
            names.setdefault(shelf.key(f"n{i}")[0], f"n{i}")
        a, b, c = list(names.values())[:3]
        for value, name in enumerate((a, b, c)):
            shelf.put(shelf.key(name), value)
        pid = os.fork()
        if pid == 0:  # a forked step of the build flushes its memo: never this shelf
            memo.flush()
            os._exit(0 if not files() else 1)
        assert os.waitpid(pid, 0)[1] == 0
        memo.flush()
        first = files()
        assert len(first) == 3
        memo.use(tmp_path)
        shelf = memo.shelf("s")
        assert [shelf.get(shelf.key(n)) for n in (a, b, c)] == [0, 1, 2]
        memo.flush()
        assert files() == first  # unchanged: not written
        memo.use(tmp_path)
        shelf = memo.shelf("s")
        assert shelf.get(shelf.key(a)) == 0 and shelf.get(shelf.key(c)) == 2
        shelf.put(shelf.key(c), 3)
        memo.flush()  # b was not used by this build; c changed
        after = files()
        name_a = f"s.{shelf.key(a)[0]}.pickle"
        assert after[name_a] == first[name_a] and f"s.{shelf.key(b)[0]}.pickle" not in after
        memo.use(tmp_path)
        shelf = memo.shelf("s")
        assert [shelf.get(shelf.key(n)) for n in (a, b, c)] == [0, None, 3]
    finally:
        memo.use(None)


def test_names_written_in_one_value_with_chinese_commas_are_as_many_names(tmp_path: Path) -> None:
    """``categories: [党课，志愿服务]``, ``tags: 志愿服务、垃圾分类`` or ``tags: 志愿服务 爱心助学``
    meant two: one joined name made a page and a calendar no one subscribed to, and neither
    category's showed it."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/dangke.md": """\
                ---
                title: 党课
                start: 2026-12-08 14:00
                categories: [党课，志愿服务]
                ---
                """,
            "content/news/a.md": """\
                ---
                title: 甲
                date: 2026-11-20
                tags: 志愿服务、垃圾分类
                ---
                """,
            "content/news/b.md": """\
                ---
                title: 乙
                date: 2026-11-21
                tags: [文明, 健康， 文明]
                ---
                """,
            "content/news/c.md": """\
                ---
                title: 丙
                date: 2026-11-21
                tags:
                  - "1,000 人健步走"
                  - 健康
                ---
                """,
            "content/news/d.md": """\
                ---
                title: 丁
                date: 2026-11-21
                tags: 文明, 健康
                ---
                """,
            "content/news/e.md": """\
                ---
                title: 戊
                date: 2026-11-21
                tags: 志愿服务 爱心助学
                ---
                """,
            "content/news/f.md": """\
                ---
                title: 己
                date: 2026-11-21
                tags: 党 建
                ---
                """,
            "content/news/g.md": """\
                ---
                title: 庚
                date: 2026-11-21
                tags: Open Day
                ---
                """,
            "content/venues/hall.md": """\
                ---
                name: 礼堂
                rooms:
                  - name: 会议室
                    facilities:
                      - 会议桌（可坐 20 人，可拆分）
                      - 图书 1,200 册
                ---
                """,
        },
    )
    assert problems == []
    assert site.events["dangke"].categories == ("党课", "志愿服务")
    tags = {item.id: item.tags for item in site.news}
    assert tags == {
        "a": ("志愿服务", "垃圾分类"),
        "b": ("文明", "健康"),
        "c": ("1,000 人健步走", "健康"),
        "d": ("文明", "健康"),
        "e": ("志愿服务", "爱心助学"),  # spaced Chinese names, as many
        "f": ("党 建",),  # one name spaced out (told with 党建 by field.same-address)
        "g": ("Open Day",),
    }
    # free text keeps its commas
    (room,) = site.venues["hall"].rooms
    assert room.facilities == ("会议桌（可坐 20 人，可拆分）", "图书 1,200 册")


def test_a_windows_path_is_told_with_the_path_to_write(tmp_path: Path) -> None:
    """``image: images\\a.png`` names no file (the site's folders are ``/``-separated) and in
    double quotes YAML reads ``\\a`` as a bell: both are told at the ``image`` line, with the
    path to write; a path with ``/`` is fine."""
    _, problems = site_from(
        tmp_path,
        {
            "content/images/a.png": b"\x89PNG",
            "content/news/quoted.md": '---\ntitle: 甲\ndate: 2026-11-20\n\nimage: "images\\a.png"\n---\n',
            "content/news/plain.md": "---\ntitle: 乙\ndate: 2026-11-20\nimage: images\\new.png\n---\n",
            "content/news/good.md": "---\ntitle: 丙\ndate: 2026-11-20\nimage: images/a.png\n---\n",
        },
    )
    told = {(p.origin.path, p.origin.line, p.code, p.severity) for p in problems}
    assert told == {
        ("content/news/quoted.md", 5, "field.path-escape", "error"),
        ("content/news/plain.md", 4, "field.backslash", "warning"),
    }
    text = format_problems(tuple(problems), "zh")
    assert "写成 images/a.png" in text and "写成 images/new.png" in text


def test_a_reference_in_other_capitals_is_told_the_id_it_meant(tmp_path: Path) -> None:
    _, problems = site_from(
        tmp_path,
        {
            "content/venues/nbswq-yizhan.md": "---\nname: 南部商务区党群驿站\n---\n",
            "content/events/a.md": "---\ntitle: 甲\nstart: 2026-12-08 14:00\nvenue: NBSWQ-Yizhan\n---\n",
            "content/events/b.md": "---\ntitle: 乙\nstart: 2026-12-08 14:00\nvenue: NBSWQ-Yizhen\n---\n",
        },
    )
    text = format_problems(tuple(problems), "zh")
    assert [p.code for p in problems] == ["ref.unknown", "ref.unknown"]
    assert text.count("是否想写 nbswq-yizhan") == 2, text


def test_a_full_width_space_is_told_where_it_is(tmp_path: Path) -> None:
    """A full-width space (“　”, typed with a Chinese input method) after a key's colon, as
    an indent or beside a key: YAML reads none of them as a space, so the messages were
    about a missing colon, on a later line, or an unknown field spelt as the known one."""
    head = "---\ntitle: 甲\nstart: 2026-12-08 14:00\n"
    _, problems = site_from(
        tmp_path,
        {
            "content/events/after-colon.md": head + "venue:　yizhan\n---\n",
            "content/events/indent.md": head
            + "registration:\n  url: https://a.org/r\n　capacity: 50\n  deadline: 2026-12-01\n---\n",
            "content/events/key.md": head + "venue　: yizhan\n---\n",
            "content/events/before-key.md": head + "　contact: 王老师\n---\n",
            "content/venues/yizhan.md": "---\nname: 驿站\n---\n",
        },
    )
    told = sorted((p.origin.path.rsplit("/", 1)[1], p.origin.line, p.code) for p in problems)
    assert told == [
        ("after-colon.md", 4, "yaml.fullwidth-space"),
        ("before-key.md", 4, "yaml.fullwidth-space"),
        ("indent.md", 6, "yaml.fullwidth-space"),
        ("key.md", 4, "yaml.fullwidth-space"),
    ], told


def test_an_end_time_alone_after_a_start_day_alone_says_why(tmp_path: Path) -> None:
    """``start: 2026-12-08`` (all day, as the scaffold's comment says) with ``end: 16:30``:
    the message says the start is a day alone, not that 16:30 is no date."""
    _, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": "---\ntitle: 甲\nstart: 2026-12-08\nend: 16:30\n---\n",
            "content/events/b.md": "---\ntitle: 乙\nstart: 2026-12-08 14:00\nend: 下午两点\n---\n",
            "content/events/c.md": (
                "---\ntitle: 丙\nstart: 2026-12-08\nall_day: false\nend: 16:30\n---\n"
            ),
            "content/events/d.md": (
                "---\ntitle: 丁\nstart: 2026-12-08 00:00\nall_day: false\nend: 06:30\n---\n"
            ),
        },
    )
    assert [(p.origin.path[-4:], p.origin.line, p.code) for p in problems] == [
        ("a.md", 4, "event.end-time-all-day"),
        ("b.md", 4, "field.date"),
        ("c.md", 3, "event.start-no-time"),
    ]
    text = format_problems(tuple(problems), "zh")
    assert "start 只写了日期，是全天活动" in text and "如 2026-12-08 14:00" in text


def test_a_full_width_space_in_text_is_not_blamed_for_the_next_lines_mistake(
    tmp_path: Path,
) -> None:
    """A paragraph indented with full-width spaces in a block of text is right; a missing
    colon or an unclosed bracket on the next line is told as what it is."""
    _, problems = site_from(
        tmp_path,
        {
            "content/news/a.md": "---\ntitle: 甲\nsummary: |\n  　　首行缩进的段落。\ndate 2026-12-01\n---\n",
            "content/news/b.md": "---\ntitle: 乙\ndate: 2026-12-01\nsummary: |\n  地点:　驿站\nauthor: [王伟\n---\n",
        },
    )
    told = sorted((p.origin.path.rsplit("/", 1)[1], p.origin.line, p.code) for p in problems)
    assert told == [("a.md", 5, "yaml.no-colon"), ("b.md", 6, "yaml.unclosed-bracket")], told


def test_a_time_span_in_one_value_is_told_and_an_iso_offset_is_kept(tmp_path: Path) -> None:
    """``2026-12-17 09:00-11:30`` is a span an editor wrote where one time goes: YAML-style,
    ``-11:30`` would be a UTC offset and the activity would move to the next day at 04:30.
    It is an error with the start and end to write; an ISO 8601 offset after ``T`` or after
    seconds is still that instant."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/span.md": ("---\ntitle: 甲\nstart: 2026-12-15 14:00-16:00\n---\n"),
            "content/events/iso.md": (
                "---\ntitle: 乙\nstart: 2026-12-15T14:00-05:00\nend: 2026-12-15 16:00:00-05:00\n---\n"
            ),
        },
    )
    assert [(p.origin.line, p.code, p.field, p.message()) for p in problems] == [
        (
            3,
            "field.time-span",
            "start",
            "“2026-12-15 14:00-16:00”是一段时间，这里只写开始的时刻：写成 2026-12-15 14:00，"
            "结束的时刻 16:00 写在 end 里（不拆开的话，“-”后面的时刻会被当成时区，活动会排到别的时间）",
        )
    ]
    iso = site.events["iso"]
    assert iso.start == datetime(2026, 12, 16, 3, 0, tzinfo=SHANGHAI)
    assert iso.end == datetime(2026, 12, 16, 5, 0, tzinfo=SHANGHAI)


def test_a_reference_written_by_name_or_address_is_told_the_id(tmp_path: Path) -> None:
    """Editors write the branch's name (``财智支部``, the full one) or a page's address
    (``/events/salon/``) where its id goes: the problem says which id they meant."""
    _, problems = site_from(
        tmp_path,
        {
            "content/branches/caizhi.md": "---\nname: 财智行业社团党支部\n---\n",
            "content/branches/louyu.md": "---\nname: 楼宇联合党总支\n---\n",
            "content/events/salon.md": "---\ntitle: 白领沙龙\nstart: 2026-12-01 14:00\n---\n",
            "content/clubs/a.md": "---\nname: 甲\nbranch: 财智支部\n---\n",
            "content/clubs/b.md": "---\nname: 乙\nbranch: 楼宇联合党总支\n---\n",
            "content/clubs/c.md": "---\nname: 丙\nbranch: 完全无关的名字\n---\n",
            "content/timeline/t.yml": "- date: 2026\n  title: 开办\n  link: /events/salon/\n",
        },
    )
    assert [(p.origin.path, p.message()) for p in problems] == [
        ("content/clubs/a.md", "引用的党组织“财智支部”不存在（是否想写 caizhi？）"),
        ("content/clubs/b.md", "引用的党组织“楼宇联合党总支”不存在（是否想写 louyu？）"),
        ("content/clubs/c.md", "引用的党组织“完全无关的名字”不存在"),
        ("content/timeline/t.yml", "引用的新闻或活动“/events/salon/”不存在（是否想写 salon？）"),
    ]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("北京时间", "Asia/Shanghai"), ("UTC+8", "Asia/Shanghai"), ("london", "Europe/London")],
)
def test_a_time_zone_written_as_people_say_it_is_told_its_name(
    tmp_path: Path, written: str, meant: str
) -> None:
    _, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": f"---\ntitle: 甲\nstart: 2026-12-01 14:00\ntimezone: {written}\n---\n"
        },
    )
    assert [(p.code, p.origin.line) for p in problems] == [("field.timezone", 4)]
    assert f"（是否想写 {meant}？）" in problems[0].message()
    assert f"(did you mean {meant}?)" in problems[0].message("en")


@pytest.mark.parametrize(
    ("written", "ends"),
    [("16点30", (16, 30)), ("16点30分", (16, 30)), ("16点半", (16, 30)), ("17点", (17, 0))],
)
def test_an_end_time_alone_may_be_written_as_chinese_writes_it(
    tmp_path: Path, written: str, ends: tuple[int, int]
) -> None:
    """``end: 16点30`` is the start's day at 16:30, as ``16:30`` is (and an override's end
    past midnight's hours is told, not a crash)."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": (
                f"---\ntitle: 甲\nstart: 2026-12-17 14:00\nend: {written}\n"
                "rrule: FREQ=WEEKLY;COUNT=3\noverrides:\n  - date: 2026-12-24\n    end: 25:00\n---\n"
            )
        },
    )
    assert site.events["a"].end == datetime(2026, 12, 17, *ends, tzinfo=SHANGHAI)
    assert [(p.code, p.origin.line, p.field) for p in problems] == [
        ("field.date", 8, "overrides.end")
    ]


@pytest.mark.parametrize(
    ("words", "days"),
    [
        ("每月最后一个周六，共3次", ["2026-12-26", "2027-01-30", "2027-02-27"]),
        ("每月第三个周六 共3次", ["2026-12-19", "2027-01-16", "2027-02-20"]),
        ("每周二、四，共3次", ["2026-12-01", "2026-12-03", "2026-12-08"]),
        ("每两周周五，共3次", ["2026-12-04", "2026-12-18", "2027-01-01"]),
        ("每月15号，共2次", ["2026-12-15", "2027-01-15"]),
    ],
)
def test_a_rule_written_in_words_is_told_with_the_rule_it_means(
    tmp_path: Path, words: str, days: list[str]
) -> None:
    """``rrule: 每月第三个周六`` is an error that gives the RFC 5545 rule, which dateutil expands
    to the days the words say."""
    from dateutil.rrule import rrulestr

    _, problems = site_from(
        tmp_path,
        {"content/events/a.md": f"---\ntitle: 甲\nstart: 2026-12-01 14:00\nrrule: {words}\n---\n"},
    )
    assert [(p.code, p.origin.line) for p in problems] == [("field.rrule-words", 4)]
    rule = validate.rule_of_words(words)
    assert rule is not None and f"它应写成 {rule}" in problems[0].message()
    expanded = rrulestr(rule, dtstart=datetime(2026, 12, 1, 14, 0))
    assert [d.date().isoformat() for d in expanded] == days


def test_a_start_that_does_not_read_still_lets_the_rules_mistake_be_told(tmp_path: Path) -> None:
    """All of a file's problems in one run: a bad start hid the rule's."""
    _, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": (
                "---\ntitle: 甲\nstart: 2026-13-45 14:00\nend: 2026-12-99\n"
                "rrule: FREQ=WEEKLY;BYDAY=XX\n---\n"
            )
        },
    )
    assert [(p.code, p.field) for p in problems] == [
        ("field.date", "start"),
        ("field.date", "end"),
        ("field.rrule", "rrule"),
    ]


def test_every_sure_yaml_mistake_of_a_file_is_told_in_one_run(tmp_path: Path) -> None:
    """Full-width colons on two lines, a missing space and a field's own problem: all told at
    once (each run told one, so an editor went round four times)."""
    _, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": (
                "---\ntitle：甲\nstart: 2026-12-17 14:00\nend:16:30\ncontact：王老师\n"
                "venue: nowhere\nstatus: 取消了\n---\n"
            )
        },
    )
    assert [(p.code, p.origin.line) for p in problems] == [
        ("yaml.fullwidth-colon", 2),
        ("yaml.colon-space", 4),
        ("yaml.fullwidth-colon", 5),
        ("field.choice", 7),
        ("ref.unknown", 6),
    ]


def test_yaml_nested_thousands_deep_is_told_not_a_traceback(tmp_path: Path) -> None:
    """150 nested lists (past orjson's depth for the kept results) is read; 3,000 nested
    mappings (past PyYAML's recursion) is yaml.too-large at the file, not a traceback."""
    deeper = "".join("  " * i + f"k{i}:\n" for i in range(3000))
    _, problems = site_from(
        tmp_path,
        {
            "content/events/deep.md": "---\ntitle: 甲\nstart: 2026-12-01 14:00\nx: "
            + "[" * 150
            + "]" * 150
            + "\n---\n",
            "content/events/deeper.md": f"---\ntitle: 乙\nstart: 2026-12-01 14:00\n{deeper}---\n",
        },
    )
    assert sorted((p.origin.path, p.code) for p in problems) == [
        ("content/events/deep.md", "field.unknown"),
        ("content/events/deeper.md", "yaml.too-large"),
    ]


def test_characters_yaml_escapes_make_do_not_reach_the_site(tmp_path: Path) -> None:
    """``title: "沙龙\\a\\0"``: YAML reads a bell and a NUL, which went raw into the pages and
    the calendar (``SUMMARY:沙龙^G^@``); a text keeps what a reader sees, line ends too."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/a.md": (
                '---\ntitle: "沙龙\\a\\0\\e\\uFFFE"\nstart: 2026-12-01 14:00\n'
                'summary: "第一行\\n第二行\\t续"\n---\n'
            )
        },
    )
    assert problems == []
    assert site.events["a"].title == "沙龙"
    assert site.events["a"].summary == "第一行\n第二行\t续"


def test_an_articles_date_over_a_year_ahead_is_told_and_a_schedule_is_not(tmp_path: Path) -> None:
    """A slip of the year (``2062`` for ``2026``) left the article out as scheduled, with no
    word; one dated days or months ahead is scheduled on purpose. The live preview's check of
    the edited file tells it alike."""
    files: dict[str, str | bytes] = {
        "content/news/slip.md": "---\ntitle: 五一\n# 年份\ndate: 2062-05-01\n---\n",
        "content/news/soon.md": "---\ntitle: 下周\ndate: 2026-11-29\n---\n",
        "content/news/year.md": "---\ntitle: 明年今天\ndate: 2027-11-22 23:00\n---\n",
    }
    site, problems = site_from(tmp_path, files)
    assert [(p.code, p.severity, p.origin.path, p.origin.line, p.field) for p in problems] == [
        ("news.far-ahead", "warning", "content/news/slip.md", 4, "date")
    ]
    assert "2062-05-01 在一年多以后（今天是 2026-11-22）" in problems[0].message()
    loaded = load.load_content(tmp_path, "content")
    slip = next(d for d in loaded.documents if d.id == "slip")
    assert validate.revalidate(slip, site)[1] == problems
    _, drafts = site_from(tmp_path, {}, drafts=True)  # the preview shows it, and says so
    assert [p.code for p in drafts] == ["news.far-ahead"]


def test_an_activity_years_away_is_told_and_a_plan_or_an_archive_is_not(tmp_path: Path) -> None:
    """A slip of the year (``2072`` for ``2027``, ``1926`` for ``2026``) made a month grid for
    every month between it and the other activities (550 empty pages on the demo), with no
    word; an activity planned a year or so ahead or held ten years ago is not told. A start
    that could not be read is told by its own error alone. The preview's check tells it alike."""
    event = "---\ntitle: 甲\n# 年份\nstart: {}\n---\n"
    files: dict[str, str | bytes] = {
        "content/events/ahead.md": event.format("2072-03-18 19:00"),
        "content/events/before.md": event.format("1926-05-01"),
        "content/events/plan.md": event.format("2028-06-30 14:00"),
        "content/events/archive.md": event.format("2006-03-01 09:00"),
    }
    site, problems = site_from(tmp_path, files)
    told = [(p.code, p.severity, p.origin.path, p.origin.line, p.field) for p in problems]
    assert told == [
        ("event.far-day", "warning", "content/events/ahead.md", 4, "start"),
        ("event.far-day", "warning", "content/events/before.md", 4, "start"),
    ]
    assert "2072-03-18 离今天（2026-11-22）太远" in problems[0].message()
    loaded = load.load_content(tmp_path, "content")
    ahead = next(d for d in loaded.documents if d.id == "ahead")
    assert validate.revalidate(ahead, site)[1] == problems[:1]
    (tmp_path / "content/events/ahead.md").write_text(event.format("2072-02-30"), "utf-8")
    _, unread = site_from(tmp_path, {})
    assert [(p.code, p.origin.path) for p in unread if "ahead" in p.origin.path] == [
        ("field.date", "content/events/ahead.md")
    ]


def test_names_windows_cannot_have_are_told_and_derived_addresses_avoid_them(
    tmp_path: Path,
) -> None:
    """``con``, ``aux``, ``nul``, ``com1``, ``lpt1`` (any case, any extension) and names ending
    with a dot or a space: a file so named, made on a Mac, broke every checkout on Windows, and
    its page's folder (``events/con/``) the build there. The file is told (a folder once); an
    address made from a name (a tag ``AUX``) avoids them; a ``slug:`` is the editor's and is
    told, not changed (it may be published)."""
    event = "---\ntitle: 甲\nstart: 2026-12-01 14:00\n---\n"
    site, problems = site_from(
        tmp_path,
        {
            "content/events/con.md": event,
            "content/events/Lpt1.md": event,
            "content/events/slug.md": event.replace("---\n", "---\nslug: com1\n", 1)
            .replace("甲", "乙")
            .replace("\n---\n", "\ncategories: [PRN, 党课]\n---\n"),
            "content/news/nul/a.md": "---\ntitle: 甲\ndate: 2026-11-01\ntags: Aux\n---\n",
            "content/news/nul/b.md": "---\ntitle: 乙\ndate: 2026-11-01\n---\n",
            "content/news/通知.md ": "---\ntitle: 丙\ndate: 2026-11-01\n---\n",
            "content/images/aux.png": b"\x89PNG",
        },
    )
    told = sorted((p.origin.path, p.code, p.severity, p.origin.line) for p in problems)
    assert told == [
        ("content/events/Lpt1.md", "file.windows-name", "warning", 1),
        ("content/events/con.md", "file.windows-name", "warning", 1),
        ("content/events/slug.md", "field.slug-windows", "warning", 2),
        ("content/images/aux.png", "file.windows-name", "warning", 1),
        ("content/news/nul", "file.windows-name", "warning", 1),
        ("content/news/通知.md ", "file.windows-name", "warning", 1),
    ]
    spaced = next(p for p in problems if p.origin.path.endswith(" "))
    assert "“通知.md ”这个名字在 Windows 上不能用" in spaced.message()
    assert {e.id: e.slug for e in site.events.values()} == {
        "con": "con",  # the file's name is the editor's to change, and told
        "Lpt1": "lpt1-1",
        "slug": "com1",
    }
    assert site.events["slug"].categories == ("PRN", "党课")
    assert [urls.event_category(c) for c in site.events["slug"].categories] == [
        "events/categories/prn-1/",
        "events/categories/dang-ke/",
    ]
    assert urls.news_tag("Aux") == "news/tags/aux-1/"


def test_accented_latin_letters_become_ascii_in_addresses() -> None:
    """``Müller`` was ``m-ller`` and ``Café 咖啡`` ``caf-ka-fei``: the accents went with their
    letters. Addresses of ASCII and Chinese names are as they were."""
    assert urls.slugify("Café 咖啡") == "cafe-ka-fei"
    assert urls.slugify("Müller") == "muller"
    assert urls.slugify("Straße Ærø") == "strasse-aero"
    assert urls.slugify("Party Building") == "party-building"
    assert urls.slugify("垃圾分类") == "la-ji-fen-lei"
    assert urls.slugify("绿色出行") == "lv-se-chu-xing"
