"""Existing news pages, revisions and permissions follow their models to the `news` app.

The content types keep their ids (pages, revisions, permissions and search entries point at
them); only their app label changes. A `news` content type made meanwhile takes over the rows
of the old one.
"""

from django.db import migrations

MODELS = ("newsindexpage", "newspage", "newsread")


def relabel(apps, schema_editor, old="portal", new="news"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    for model in MODELS:
        moved = ContentType.objects.filter(app_label=old, model=model).first()
        if moved is None:
            continue
        present = ContentType.objects.filter(app_label=new, model=model).first()
        if present is not None:
            Page.objects.filter(content_type=present).update(content_type=moved)
            present.delete()
        moved.app_label = new
        moved.save(update_fields=["app_label"])


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, old="news", new="portal")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('news', '0001_initial'),
        ('portal', '0006_news_moved'),
    ]

    operations = [migrations.RunPython(relabel, relabel_back)]
