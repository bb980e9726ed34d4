"""HouseholdPledge.commune, copied from the household, so the dashboards count pledges per commune without a join."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('communes', '0001_initial'),
        ('pledges', '0002_version'),
        ('residents', '0004_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalhouseholdpledge',
            name='commune',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='communes.commune', verbose_name='xã'),
        ),
        migrations.AddField(
            model_name='householdpledge',
            name='commune',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='communes.commune', verbose_name='xã'),
        ),
        migrations.RunSQL(
            "UPDATE pledges_householdpledge SET commune_id = (SELECT h.commune_id FROM residents_household h"
            " WHERE h.id = pledges_householdpledge.household_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE pledges_historicalhouseholdpledge SET commune_id = (SELECT h.commune_id FROM residents_household h"
            " WHERE h.id = pledges_historicalhouseholdpledge.household_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='householdpledge',
            name='commune',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='communes.commune', verbose_name='xã'),
        ),
        migrations.AddIndex(
            model_name='householdpledge',
            index=models.Index(fields=['year', 'commune'], name='pledges_year_commune_idx'),
        ),
    ]
