"""The import pages: upload → preview → (correct the mapping) → confirm → progress → done, scoped per commune."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from imports.models import ImportRun
from imports.tasks import fail_stalled_imports
from residents.models import Household
from tests import factories as f

from .conftest import KHU_PHO_SOI, WITH_ERRORS
from .helpers import household_row, write_xlsx


def upload(client, path, **data):
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("imports:index"), {"file": file, **data})


def uploaded_run(client, path, **data) -> ImportRun:
    response = upload(client, path, **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_officer_previews_then_imports_the_khu_pho_soi_list(client_for, personas, places):
    client = client_for(personas.officer_a)

    run = uploaded_run(client, KHU_PHO_SOI)
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert run.commune == places.commune_a and run.status == ImportRun.Status.PREVIEW
    assert 'data-count="new">89<' in page
    assert "SOI-001" in page and "Đặng Thị Lan" in page
    assert Household.objects.count() == 0  # nothing written before the confirmation

    response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert Household.objects.filter(commune=places.commune_a).count() == 89
    done = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'data-count="created">89<' in done


def test_preview_of_the_error_file_names_each_bad_row_column_and_reason(client_for, personas):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, WITH_ERRORS)

    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert (run.invalid_rows, run.valid_rows) == (8, 2)
    assert sorted({error["row"] for error in run.errors}) == [3, 4, 5, 6, 7, 8, 10, 11]
    for row, column, message in [
        (3, "Ngày sinh", "Ngày sinh không hợp lệ: 31/02/1990"),
        (4, "Họ và tên chủ hộ", "Thiếu họ tên chủ hộ"),
        (5, "Số CCCD", "Số CCCD phải có đúng 12 chữ số (đang có 11)."),
        (6, "Thôn/Khu phố", "Thôn/khu phố “Khu phố Không Có” không có trong Xã Quan Sơn."),
        (7, "Số nhân khẩu", "Số nhân khẩu phải là số nguyên từ 1 trở lên: -1"),
        (8, "Mã hộ", "Trùng với dòng 2 (hộ E-001)."),
        (10, "Ngày sinh", "Ngày sinh nằm trong tương lai: 01/01/2099"),
        (11, "Số CCCD", "Số CCCD chỉ được gồm chữ số."),
    ]:
        assert {"row": row, "column": column, "message": message} in [
            {k: e[k] for k in ("row", "column", "message")} for e in run.errors
        ]
        assert f"<td>{row}</td><td>{column}</td>" in page
    assert "Chỉ nhập 2 dòng hợp lệ" in page


def test_import_all_is_refused_while_errors_remain_but_valid_rows_can_be_imported(client_for, personas):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, WITH_ERRORS)

    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})
    assert Household.objects.count() == 0
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW

    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "valid_only"})

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created_count == 2
    assert set(Household.objects.values_list("code", flat=True)) == {"E-001", "E-008"}


def test_cancel_writes_nothing_and_deletes_the_uploaded_file(client_for, personas):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, KHU_PHO_SOI)
    stored = run.file.path

    client.post(reverse("imports:cancel", args=[run.pk]))

    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    assert not run.file and not __import__("os").path.exists(stored)
    assert Household.objects.count() == 0
    assert client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}).status_code == 302
    assert Household.objects.count() == 0


def test_the_user_corrects_a_column_the_reader_did_not_recognise(client_for, personas, tmp_path):
    header = ["Mã hộ", "Họ và tên chủ hộ", "Nơi sinh sống", "Số nhân khẩu"]
    path = write_xlsx(tmp_path / "khac.xlsx", [["K-1", "Lò Văn A", "Khu phố Sỏi", 3]], header=header)
    client = client_for(personas.officer_a)
    run = uploaded_run(client, path)
    assert run.invalid_rows == 1  # two hamlets in the commune: which one?
    assert run.column_mapping()[2] is None

    data = {"sheet": run.sheet_name, "header_row_number": 1, "column_0": "code", "column_1": "head_name",
            "column_2": "hamlet", "column_3": "members_count"}  # fmt: skip
    client.post(reverse("imports:mapping", args=[run.pk]), data)

    run.refresh_from_db()
    assert run.column_mapping()[2] == "hamlet"
    assert (run.new_rows, run.invalid_rows) == (1, 0)


def test_the_same_field_on_two_columns_is_refused(client_for, personas):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, WITH_ERRORS)
    data = {"sheet": run.sheet_name, "header_row_number": 1, "column_0": "code", "column_1": "code"}

    response = client.post(reverse("imports:mapping", args=[run.pk]), data, follow=True)

    assert "Mỗi trường chỉ lấy từ một cột" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh_sach.docx", b"PK\x03\x04word", "không phải là bảng tính"),
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "không phải là bảng tính"),
        ("mat_khau.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"),
         "đặt mật khẩu"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_imported_are_refused_with_a_message(client_for, personas, name, content, message):
    client = client_for(personas.officer_a)

    response = client.post(reverse("imports:index"), {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_an_absurdly_large_file_is_refused(client_for, personas, settings):
    settings.HOUSEHOLD_IMPORT_MAX_BYTES = 1000
    client = client_for(personas.officer_a)

    response = upload(client, KHU_PHO_SOI)

    assert "Tệp quá lớn" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_too_many_rows_are_refused(client_for, personas, settings, tmp_path):
    settings.HOUSEHOLD_IMPORT_MAX_ROWS = 3
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 6)])

    response = upload(client, path)

    assert "vượt giới hạn 3 dòng" in response.content.decode()


def test_an_officer_imports_into_their_own_commune_whatever_the_form_says(client_for, personas, places):
    client = client_for(personas.officer_b)

    run = uploaded_run(client, WITH_ERRORS, commune=places.commune_a.pk)

    assert run.commune == places.commune_b


def test_an_administrator_chooses_the_commune(client_for, personas, places):
    client = client_for(personas.admin)

    run = uploaded_run(client, KHU_PHO_SOI, commune=places.commune_a.pk)

    assert run.commune == places.commune_a


def test_an_officer_of_another_commune_cannot_see_or_confirm_a_run(client_for, personas):
    run = uploaded_run(client_for(personas.officer_a), KHU_PHO_SOI)
    client = client_for(personas.officer_b)

    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}).status_code == 404
    assert client.get(reverse("imports:annotated", args=[run.pk])).status_code == 404
    assert "khu_pho_soi" not in client.get(reverse("imports:index")).content.decode()
    assert Household.objects.count() == 0


def test_read_only_roles_cannot_upload(client_for, personas):
    response = upload(client_for(personas.viewer_a), KHU_PHO_SOI)

    assert response.status_code == 403


def test_a_long_list_runs_in_the_background_with_progress(client_for, personas, settings, tmp_path):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_ROWS = 3
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 11)])
    run = uploaded_run(client, path)
    # While it runs the page polls the progress bar.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, phase="cleaning", processed_rows=5)
    progress = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "5/10" in progress
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.PREVIEW)

    response = client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"}, follow=True)

    # No broker in tests: Celery runs the job in-process (eager), as a deployment without Redis does.
    assert "Đang nhập trong nền" in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created_count == 10
    finished = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert finished.headers["HX-Refresh"] == "true"


def test_a_large_upload_is_read_and_previewed_in_the_background(client_for, personas, settings, tmp_path, monkeypatch):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_BYTES = 1
    queued = []

    def enqueue(pk):  # as with a broker: the job waits for a worker
        queued.append(pk)
        return SimpleNamespace(id="3f6c-preview")

    monkeypatch.setattr("imports.tasks.preview_household_import.delay", enqueue)
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 8)] + [[8, "H-008", ""]])

    run = uploaded_run(client, path)

    # The request only stored the file: the page shows the reading step and polls.
    assert queued == [run.pk] and run.status == ImportRun.Status.READING and run.task_id == "3f6c-preview"
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Đang đọc tệp" in page and 'hx-trigger="every 1s"' in page

    from imports.tasks import preview_household_import

    assert preview_household_import(run.pk) == ImportRun.Status.PREVIEW
    run.refresh_from_db()
    assert (run.total_rows, run.new_rows, run.invalid_rows) == (8, 7, 1)
    assert client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"}).headers["HX-Refresh"]
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "valid_only"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created_count == 7


def test_a_large_upload_that_is_no_household_list_fails_with_its_reason(client_for, personas, settings, tmp_path):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_BYTES = 1  # Celery runs eagerly in tests: the job runs at once
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "khac.xlsx", [["Bảng chấm công", "Tháng 11"]], header=["Họ tên", "Ngày công"])

    run = uploaded_run(client, path)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.message
    assert not Household.objects.exists()
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert run.message in page


def test_an_import_whose_worker_died_is_shown_failed_and_can_be_confirmed_again(client_for, personas, tmp_path):
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 6)])
    run = uploaded_run(client, path)
    alive = uploaded_run(client, path)
    # The worker was killed 40 minutes ago in the middle of the write; its transaction was rolled back.
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, phase="writing", updated_at=timezone.now() - timedelta(minutes=40)
    )
    ImportRun.objects.filter(pk=alive.pk).update(
        status=ImportRun.Status.RUNNING, phase="writing", updated_at=timezone.now() - timedelta(minutes=2)
    )

    progress = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert progress.headers["HX-Refresh"] == "true"  # the page stops waiting
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Lần nhập bị gián đoạn" in page
    assert ImportRun.objects.get(pk=alive.pk).status == ImportRun.Status.RUNNING
    client.get(reverse("imports:index"))
    assert ImportRun.objects.get(pk=alive.pk).status == ImportRun.Status.RUNNING

    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created_count == 5
    assert Household.objects.filter(commune=personas.officer_a.commune).count() == 5


def test_a_stalled_run_reads_as_failed_and_the_periodic_job_records_it(client_for, personas):
    client = client_for(personas.officer_a)
    run = ImportRun.objects.create(commune=personas.officer_a.commune, created_by=personas.officer_a,
                                   file_name="cu.xlsx", status=ImportRun.Status.QUEUED)  # fmt: skip
    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    before = ImportRun.objects.values().get(pk=run.pk)

    listed = client.get(reverse("imports:index")).content.decode()
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})  # polled while it runs

    assert str(ImportRun.Status.FAILED.label) in listed and "gián đoạn" in page
    assert ImportRun.objects.values().get(pk=run.pk) == before  # reading the pages wrote nothing
    assert fail_stalled_imports.delay().get() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "gián đoạn" in run.message and run.finished_at


def test_the_annotated_workbook_marks_each_bad_row_and_cell(client_for, personas):
    client = client_for(personas.officer_a)
    run = uploaded_run(client, WITH_ERRORS)

    response = client.get(reverse("imports:annotated", args=[run.pk]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    error_column = sheet.max_column
    assert sheet.cell(row=1, column=error_column).value == "Lỗi cần sửa"
    flagged = [row for row in range(2, 12) if sheet.cell(row=row, column=error_column).value]
    assert flagged == [3, 4, 5, 6, 7, 8, 10, 11]
    assert "31/02/1990" in sheet.cell(row=3, column=error_column).value
    assert sheet.cell(row=3, column=3).fill.fgColor.rgb.endswith("FFC7CE")  # the birth date cell
    assert sheet.cell(row=2, column=3).fill.fgColor.rgb in (None, "00000000")


def test_the_annotated_copy_of_a_legacy_xls_is_an_xlsx(client_for, personas, places, tmp_path):
    from .conftest import NGOC_LAC

    client = client_for(personas.officer_b)  # Ngọc Lặc without its hamlets: every row is an error
    run = uploaded_run(client, NGOC_LAC)

    response = client.get(reverse("imports:annotated", args=[run.pk]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["DS ho"]
    assert sheet.cell(row=5, column=sheet.max_column).value == "Lỗi cần sửa"
    assert "không có trong" in sheet.cell(row=7, column=sheet.max_column).value


def test_the_runs_list_shows_who_when_which_file_and_counts(client_for, personas, django_assert_num_queries):
    client = client_for(personas.officer_a)
    for index in range(40):
        ImportRun.objects.create(commune=personas.officer_a.commune, created_by=personas.officer_a,
                                 file_name=f"f{index}.xlsx")  # fmt: skip
    f.user("cand_khac", "commune_officer", commune=personas.officer_b.commune)

    # Session, user, the runs' count, the commune twice (the header and the upload form's commune field), and the
    # page of runs with their commune and uploader joined: the same 6 whatever the number of runs.
    with django_assert_num_queries(5):
        page = client.get(reverse("imports:index")).content.decode()

    assert "f39.xlsx" in page and "f10.xlsx" in page and "f9.xlsx" not in page  # newest 30 first
    assert "Hà Văn Dũng" in page and "1/2" in page


def test_the_admins_import_button_feeds_the_same_pipeline(client_for, personas, places):
    client = client_for(personas.officer_a)
    changelist = client.get(reverse("admin:residents_household_changelist")).content.decode()
    assert reverse("admin:residents_household_import") in changelist

    response = client.post(
        reverse("admin:residents_household_import"),
        {"file": SimpleUploadedFile(KHU_PHO_SOI.name, KHU_PHO_SOI.read_bytes())},
    )

    run = ImportRun.objects.get()
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert (run.source, run.commune, run.new_rows) == (ImportRun.Source.ADMIN, places.commune_a, 89)
    client.post(reverse("imports:confirm", args=[run.pk]), {"mode": "all"})
    assert Household.objects.filter(commune=places.commune_a).count() == 89


def test_the_admins_import_button_reads_a_large_file_in_the_background_too(
    client_for, personas, settings, tmp_path, monkeypatch
):
    settings.HOUSEHOLD_IMPORT_BACKGROUND_BYTES = 1
    queued = []

    def enqueue(pk):  # as with a broker: the job waits for a worker
        queued.append(pk)
        return SimpleNamespace(id="9a1d-preview")

    monkeypatch.setattr("imports.tasks.preview_household_import.delay", enqueue)
    client = client_for(personas.officer_a)
    path = write_xlsx(tmp_path / "dai.xlsx", [household_row(n) for n in range(1, 8)])

    response = client.post(
        reverse("admin:residents_household_import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )

    run = ImportRun.objects.get()
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    # The request only stored the file, as the web page does: the job reads it.
    assert queued == [run.pk] and (run.source, run.status, run.task_id, run.total_rows) == (
        ImportRun.Source.ADMIN, ImportRun.Status.READING, "9a1d-preview", 0
    )  # fmt: skip


def test_the_admin_import_refuses_a_non_spreadsheet_and_read_only_roles(client_for, personas):
    client = client_for(personas.officer_a)
    response = client.post(
        reverse("admin:residents_household_import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    assert "không phải là bảng tính" in response.content.decode()

    # Read-only roles have no admin at all: its login, not the upload form.
    response = client_for(personas.viewer_a).get(reverse("admin:residents_household_import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
