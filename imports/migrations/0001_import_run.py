"""ImportRun moves from residents to imports without touching its table (residents_importrun, kept by db_table):
the model is created in imports' state only, and residents.0016 removes it from residents' state. The content type
follows, so the permissions granted on it and the admin log entries naming it stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="imports", model="importrun").exists():
        ContentType.objects.using(db).filter(app_label="residents", model="importrun").update(app_label="imports")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="residents", model="importrun").exists():
        ContentType.objects.using(db).filter(app_label="imports", model="importrun").update(app_label="residents")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        # The table already exists, created by residents (0002_import_run and after).
        ('residents', '0015_person_transfer_and_retention'),
        ('communes', '0006_search_keys_labelled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='thời điểm tải lên')),
                ('source', models.CharField(choices=[('web', 'Trang nhập danh sách'), ('admin', 'Trang quản trị'), ('command', 'Lệnh quản trị')], default='web', max_length=10, verbose_name='nguồn')),
                ('file', models.FileField(blank=True, max_length=255, upload_to='imports/%Y/%m/', verbose_name='tệp')),
                ('file_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('sheet_name', models.CharField(blank=True, max_length=100, verbose_name='trang tính')),
                ('header_row_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='dòng tiêu đề')),
                ('mapping', models.JSONField(blank=True, default=dict, verbose_name='ghép cột')),
                ('headers', models.JSONField(blank=True, default=list, verbose_name='tiêu đề cột')),
                ('full_list', models.BooleanField(default=False, help_text='Hộ đang cư trú có trong hệ thống nhưng không có trong tệp sẽ được báo cáo (không bị xóa).', verbose_name='danh sách đầy đủ của xã')),
                ('status', models.CharField(choices=[('reading', 'Đang đọc tệp'), ('preview', 'Chờ xác nhận'), ('queued', 'Đang chờ chạy'), ('running', 'Đang nhập'), ('done', 'Đã nhập xong'), ('failed', 'Thất bại'), ('cancelled', 'Đã hủy')], db_index=True, default='preview', max_length=10, verbose_name='tình trạng')),
                ('mode', models.CharField(blank=True, choices=[('all', 'Nhập tất cả (chỉ khi không có lỗi)'), ('valid_only', 'Chỉ nhập các dòng hợp lệ')], max_length=10, verbose_name='cách nhập')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                ('new_rows', models.PositiveIntegerField(default=0, verbose_name='dòng mới')),
                ('changed_rows', models.PositiveIntegerField(default=0, verbose_name='dòng thay đổi')),
                ('unchanged_rows', models.PositiveIntegerField(default=0, verbose_name='dòng không đổi')),
                ('invalid_rows', models.PositiveIntegerField(default=0, verbose_name='dòng lỗi')),
                ('created_count', models.PositiveIntegerField(default=0, verbose_name='hộ đã tạo')),
                ('updated_count', models.PositiveIntegerField(default=0, verbose_name='hộ đã cập nhật')),
                ('missing_count', models.PositiveIntegerField(default=0, verbose_name='hộ không có trong tệp')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='lỗi')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='số lỗi')),
                ('summary', models.JSONField(blank=True, default=dict, verbose_name='tóm tắt')),
                ('processed_rows', models.PositiveIntegerField(default=0, verbose_name='số dòng đã xử lý')),
                ('phase', models.CharField(blank=True, max_length=20, verbose_name='giai đoạn')),
                ('message', models.TextField(blank=True, verbose_name='thông báo')),
                ('failure_reason', models.TextField(blank=True, verbose_name='lý do thất bại')),
                ('failure_row', models.PositiveIntegerField(blank=True, null=True, verbose_name='dòng gây lỗi')),
                ('failure_column', models.CharField(blank=True, max_length=255, verbose_name='cột gây lỗi')),
                ('task_id', models.CharField(blank=True, max_length=50)),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu nhập')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='kết thúc')),
                ('file_purged_at', models.DateTimeField(blank=True, null=True, verbose_name='đã xóa tệp lúc')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_runs', to='communes.commune', verbose_name='xã')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_runs', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
            ],
            options={
                'verbose_name': 'lần nhập danh sách hộ',
                'verbose_name_plural': 'các lần nhập danh sách hộ',
                'db_table': 'residents_importrun',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['commune', '-created_at'], name='importrun_commune_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), models.Q(('mode', ''), _negated=True), _connector='OR'), name='residents_importrun_done_has_mode', violation_error_message='Lượt nhập đã xong phải ghi rõ cách nhập.')],
            },
        )]),
    ]
