"""News moves out of the portal app: the same tables (`portal_news*`), now owned by `news`.

State only; `portal.0006_news_moved` drops the models from the portal state."""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('franchise', '0001_initial'),
        ('portal', '0005_activity'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NewsIndexPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                    ],
                    options={
                        'verbose_name': 'news index',
                        'db_table': 'portal_newsindexpage',
                    },
                    bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
                ),
                migrations.CreateModel(
                    name='NewsPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('audience_roles', models.CharField(blank=True, help_text='Comma-separated roles (owner, member, manager); empty for everyone.', max_length=60, verbose_name='only for roles')),
                        ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('summary', models.TextField(blank=True, help_text='One or two sentences shown in lists and on the dashboard.', max_length=400, verbose_name='summary')),
                        ('body', wagtail.fields.RichTextField(blank=True, verbose_name='text')),
                        ('pinned', models.BooleanField(default=False, help_text='Pinned news stays at the top of every list.', verbose_name='pinned')),
                        ('audience_regions', modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Leave empty for every region.', related_name='+', to='franchise.region', verbose_name='only for regions')),
                        ('image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='image')),
                    ],
                    options={
                        'verbose_name': 'news item',
                        'db_table': 'portal_newspage',
                        'verbose_name_plural': 'news',
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='NewsRead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('read_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='read at')),
                        ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='read_marks', to='news.newspage')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='news_reads', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'news read mark',
                        'db_table': 'portal_newsread',
                        'verbose_name_plural': 'news read marks',
                        'constraints': [models.UniqueConstraint(fields=('user', 'page'), name='one_read_mark_per_user_and_news')],
                    },
                ),
            ],
        ),
    ]
