"""ImportRun now belongs to imports (see imports.0001_import_run): state only, its table and rows stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_import_run"),
        ("residents", "0015_person_transfer_and_retention"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="persontransfer",
                    name="import_run",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="imports.importrun",
                        verbose_name="lần nhập",
                    ),
                ),
                migrations.DeleteModel(
                    name="ImportRun",
                ),
            ]
        ),
    ]
