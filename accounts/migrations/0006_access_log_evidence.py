"""The access log becomes evidence: the ids of everything a page showed, scoped by commune, and no UPDATE or DELETE.

`commune_id` was a plain integer; it becomes a foreign key without a database constraint over the same column (no
table rebuild), so the log can be scoped like any record. Triggers refuse UPDATE and DELETE on PostgreSQL and
SQLite alike. On PostgreSQL TRUNCATE (a table owner's statement the application never issues, and what the test
suite's flush uses) stays possible; on SQLite the test suite's flush switches the guard off for its own connection
through `accounts.db.access_log_maintenance`, which the application never calls.
"""

from django.db import migrations, models

MESSAGE = "accounts_accesslog_immutable: nhật ký truy cập không được sửa hoặc xóa"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION accounts_accesslog_immutable() RETURNS trigger AS $$
BEGIN
    IF current_setting('drugfree.access_log_maintenance', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_accesslog_immutable BEFORE UPDATE OR DELETE ON accounts_accesslog
    FOR EACH ROW EXECUTE FUNCTION accounts_accesslog_immutable();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS accounts_accesslog_immutable ON accounts_accesslog;
DROP FUNCTION IF EXISTS accounts_accesslog_immutable();
"""

# drugfree_access_log_maintenance() is registered on every connection Django opens (accounts.db); anywhere else
# (the sqlite3 shell) it does not exist, so the trigger fails and the change is refused all the same.
SQLITE = [
    f"""CREATE TRIGGER accounts_accesslog_no_{event.lower()} BEFORE {event} ON accounts_accesslog
    WHEN NOT drugfree_access_log_maintenance()
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    for event in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS accounts_accesslog_no_{event};" for event in ("update", "delete")]


def guard(apps, schema_editor):
    statements = {"postgresql": [POSTGRESQL], "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def unguard(apps, schema_editor):
    statements = {"postgresql": [POSTGRESQL_REVERSE], "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_staff_only_officers_and_administrators"),
        ("accounts", "0005_login_security"),
        ("communes", "0006_search_keys_labelled"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="accesslog", name="commune_id"),
                migrations.AddField(
                    model_name="accesslog",
                    name="commune",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.commune",
                        verbose_name="xã",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="accesslog",
            name="object_ids",
            field=models.JSONField(blank=True, default=list, verbose_name="các mã đối tượng đã hiển thị"),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="object_id",
            field=models.CharField(blank=True, max_length=50, verbose_name="mã đối tượng"),
        ),
        migrations.AlterModelOptions(
            name="accesslog",
            options={
                "ordering": ["-at", "-pk"],
                "verbose_name": "nhật ký truy cập",
                "verbose_name_plural": "nhật ký truy cập",
            },
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["commune", "-at"], name="accesslog_commune_idx"),
        ),
        migrations.RunPython(guard, unguard),
    ]
