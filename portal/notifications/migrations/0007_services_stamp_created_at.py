# message_enqueue and the inbox delivery stamp these rows from the moment they are told (now=); the column is
# unchanged.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_village_staff_issue_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='inboxmessage',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间'),
        ),
    ]
