"""A Russian recommendation question that is still the English default was never written:
the standard one gets its standard Russian text, any other is left to the English fallback
(see Survey.save)."""

from django.db import migrations

NPS_QUESTION = "How likely are you to recommend our franchise to a friend?"
NPS_QUESTION_RU = "Насколько вероятно, что вы порекомендуете нашу франшизу другу?"


def forwards(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    untranslated = Survey.objects.filter(nps_question_ru__in=["", NPS_QUESTION])
    untranslated.filter(nps_question_en=NPS_QUESTION).update(nps_question_ru=NPS_QUESTION_RU)
    untranslated.exclude(nps_question_en=NPS_QUESTION).update(nps_question_ru="")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_bilingual_texts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
