"""What every page of every demo role must look like, whoever reads it (issue 17, "How it
looks and reads"): each coloured status dot carries its word, and no select offers Django's
raw "---------" choice.
"""

from __future__ import annotations

import re

from django.utils import translation

from portal.dashboard import LEVEL_LABELS

from .crawl import client_of, seed_demo_people, walk

DOT = re.compile(r'<span class="light light--(\w+)"[^>]*></span>')
LABELLED_DOT = re.compile(
    r'<span class="light-tag"><span class="light light--(\w+)" aria-hidden="true"></span> '
    r'<span class="light-tag__text">([^<]+)</span></span>'
)
RAW_EMPTY_OPTION = re.compile(r"<option[^>]*>\s*-{5,}\s*</option>")


def page_problems(html: str, language: str) -> list[str]:
    problems = []
    dots = DOT.findall(html)
    labelled = LABELLED_DOT.findall(html)
    if len(dots) != len(labelled):
        problems.append(f"{len(dots) - len(labelled)} status dot(s) without a word")
    with translation.override(language):
        words = {level: str(label) for level, label in LEVEL_LABELS.items()}
    problems += [f"dot {lvl} says {text!r}" for lvl, text in labelled if words.get(lvl) != text]
    problems += [f"raw empty choice {m!r}" for m in RAW_EMPTY_OPTION.findall(html)]
    return problems


def test_the_checks_catch_a_bare_dot_and_a_raw_choice():
    html = (
        '<span class="light light--red" aria-hidden="true"></span>'
        '<option value="">---------</option>'
    )
    assert page_problems(html, "en") == [
        "1 status dot(s) without a word",
        "raw empty choice '<option value=\"\">---------</option>'",
    ]


def test_status_dots_carry_words_and_filters_offer_no_raw_choice(db):
    people = seed_demo_people()
    failures, dots_seen = [], 0
    for role, user in people.items():
        client = client_of(user)
        client.cookies["django_language"] = "ru"
        for visit in walk(client, ["/dashboard/"]):
            if visit.page is None:
                continue
            html = visit.response.content.decode()
            dots_seen += len(DOT.findall(html))
            failures += [f"{role} {visit.path}: {p}" for p in page_problems(html, "ru")]
    assert not failures, "\n".join(failures)
    assert dots_seen > 20  # the portfolio, network table and scorecards were walked
