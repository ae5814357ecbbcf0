"""News now belongs to the `news` app (same tables): drop its models from the portal state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_activity'),
        ('news', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='NewsRead'),
                migrations.DeleteModel(name='NewsPage'),
                migrations.DeleteModel(name='NewsIndexPage'),
            ],
        ),
    ]
