"""Existing quizzes are in the default language: each gets the default locale and its own
translation key, so editors can translate it ("Translate" on the snippet)."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_quiz_locale_bootstrap"),
    ]

    operations = [
        BootstrapTranslatableModel("learning.Quiz"),
    ]
