"""Settings for drugfree, read from environment variables (see README "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_dates, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # A per-process dev key: sessions do not survive a restart, which is fine for development.
    SECRET_KEY = "dev-" + get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts.apps.ScopedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "csp",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "communes",
    "residents",
    "pledges",
    "imports",
    "progress",
    "workspace",
    "recognition",
    "demo",
    "backups",
]

MIDDLEWARE = [
    "drugfree.log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside WhiteNoise: static files keep their long cache, everything Django answers is never stored.
    "drugfree.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "drugfree.urls"
WSGI_APPLICATION = "drugfree.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "libraries": {
                "figures": "drugfree.figures",
                "crispy_plain": "drugfree.crispy_fields",
                "menu": "drugfree.menu",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling costs more than it saves on the dashboard's short queries (README, Speed).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Scale-out: the dashboards may read from a PostgreSQL streaming replica (drugfree/replica.py, README "Production").
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL")
    # The primary's session options (jit off) apply to the replica's dashboard queries too.
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        **DATABASES["replica"].get("OPTIONS", {}),
    }
    # Tests read the primary through the replica alias (there is no replication to wait for).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["drugfree.replica.ReplicaRouter"]
    MIDDLEWARE.append("drugfree.replica.DashboardReadsMiddleware")

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# django-axes checks the lockout before the password is even compared (README "Access and audit"); then Django's
# backend, which fetches the user from the session with their unit in the same query (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.UserWithUnitBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy everywhere, whatever the active language.
FORMAT_MODULE_PATH = ["drugfree.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Recognition evidence (README "Recognition"): never under MEDIA_URL, only through recognition's scoped, logged view.
# Local disk by default; an S3-compatible bucket through django-storages (pip install "drugfree[s3]") when
# EVIDENCE_S3_BUCKET is set, with AWS_* credentials in the environment as django-storages reads them.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(BASE_DIR / "private" / "evidence")))
if env_str("EVIDENCE_S3_BUCKET"):
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("EVIDENCE_S3_BUCKET"),
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None},
    }
# The largest evidence file of a recognition dossier.
RECOGNITION_EVIDENCE_MAX_BYTES = env_int("RECOGNITION_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# No "Revert" in the admin's history pages: an old version saved back bypasses the lifecycle services (and
# accounts.admin_scoping refuses the POST as well).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Plain inputs and selects written out in Python, exactly as Django's widget templates write them (page cost).
FORM_RENDERER = "drugfree.renderers.FastWidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CSRF_FAILURE_VIEW = "drugfree.errors.csrf_failure"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this site, no inline script and
# no on* handler anywhere (static/js/app.js binds data-print, data-autosubmit, …), no eval. Inline style attributes
# stay allowed (style-src-attr): progress bars take their width from the data; a style attribute cannot run code
# nor read the page, and <style> elements are still refused. Bootstrap draws its icons with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): the application uses none of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope",
        "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# Django's database sessions, the row read by a statement compiled once per connection (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe app servers over plain HTTP, without X-Forwarded-Proto: answer them, don't redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Login lockout (django-axes): per account and per client address separately, each with its own limit, because
# a commune's officers often share one address (a NAT) and must not lock each other out at the per-account limit.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Reverse proxies in front of the app that append to X-Forwarded-For; 0 = the client is REMOTE_ADDR.
LOGIN_TRUSTED_PROXIES = env_int("LOGIN_TRUSTED_PROXIES", 0)
if min(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, LOGIN_LOCKOUT_MINUTES) < 1 or LOGIN_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("LOGIN_FAILURES_PER_*, LOGIN_LOCKOUT_MINUTES must be ≥ 1, LOGIN_TRUSTED_PROXIES ≥ 0")
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "accounts.lockout.account_limit"
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# One good login from an address must not wipe that address's failures (an attacker with one account would).
AXES_RESET_ON_SUCCESS = False
# Administrators unlock from the account page (accounts:manage); axes' own admin pages would be a second way.
AXES_ENABLE_ADMIN = False
# Its start-up banner would print on every manage.py command; failures and lockouts are still logged.
AXES_VERBOSE = False

# Second factor (django-otp, TOTP). Required for administrators in production; optional for everyone else.
TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS = env_bool("TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS", not DEBUG)
OTP_TOTP_ISSUER = "Xã không ma túy"
# An administrator hands this link over in person (no e-mail is assumed): hours before it stops working.
PASSWORD_RESET_LINK_HOURS = env_int("PASSWORD_RESET_LINK_HOURS", 24)

# Background work: Celery over Redis when a broker is configured, in-process otherwise.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend: a job's outcome is its ImportRun row, and a second Redis client in the request only added a
# 19-second reconnect loop when Redis was down.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A request that queues a job fails within seconds when the broker is down or black-holed (drugfree/jobs.py turns
# that into a Vietnamese message), instead of retrying for ~20 s and then leaving its run "waiting".
BROKER_TIMEOUT_SECONDS = env_int("BROKER_TIMEOUT_SECONDS", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Acknowledged when the job ends, so a job whose worker was killed is delivered again: at once when only the pool
# child died (reject_on_worker_lost), after visibility_timeout when the whole worker died. The timeout is well above
# the longest job (a 200,000-row import takes under a minute); a second delivery of a job still running cannot
# write twice (imports/tasks.py).
JOB_REDELIVERY_MINUTES = env_int("JOB_REDELIVERY_MINUTES", 5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_TIMEOUT_SECONDS + 3,
    "visibility_timeout": JOB_REDELIVERY_MINUTES * 60,
    # Workers look for abandoned jobs every 30 s (kombu's default sweep is every 100 s).
    "unacked_restore_interval": 30,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The worker logs through LOGGING (one line, request or task id) instead of replacing the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery beat (one process per installation, README "Production"); crontab times are Vietnam's (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    "monthly-snapshots": {
        "task": "progress.tasks.take_monthly_snapshots",
        "schedule": crontab(minute=5, hour=0, day_of_month=1),
    },
}

# Household list imports (imports/): refuse absurd files, and hand long lists to the background worker.
HOUSEHOLD_IMPORT_MAX_BYTES = env_int("HOUSEHOLD_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
HOUSEHOLD_IMPORT_MAX_ROWS = env_int("HOUSEHOLD_IMPORT_MAX_ROWS", 200_000)
HOUSEHOLD_IMPORT_BACKGROUND_ROWS = env_int("HOUSEHOLD_IMPORT_BACKGROUND_ROWS", 3000)
# An upload larger than this (about 5,000 rows of .xlsx) is read and previewed by a background job too.
HOUSEHOLD_IMPORT_BACKGROUND_BYTES = env_int("HOUSEHOLD_IMPORT_BACKGROUND_BYTES", 256 * 1024)
HOUSEHOLD_IMPORT_STORED_ERRORS = env_int("HOUSEHOLD_IMPORT_STORED_ERRORS", 2000)
# Hostile files (README "Hostile files"): a sheet's grid from A1 to its last cell with a value, checked in the file's
# XML/records before any reader allocates it; zip members' inflated size and compression ratio (zip bombs); a cell's
# length (Excel's own maximum).
HOUSEHOLD_IMPORT_MAX_COLUMNS = env_int("HOUSEHOLD_IMPORT_MAX_COLUMNS", 1_000)
HOUSEHOLD_IMPORT_MAX_CELLS = env_int("HOUSEHOLD_IMPORT_MAX_CELLS", 10_000_000)
HOUSEHOLD_IMPORT_MAX_CELL_CHARS = env_int("HOUSEHOLD_IMPORT_MAX_CELL_CHARS", 32_767)
HOUSEHOLD_IMPORT_MAX_UNZIPPED_BYTES = env_int("HOUSEHOLD_IMPORT_MAX_UNZIPPED_BYTES", 500 * 1024 * 1024)
HOUSEHOLD_IMPORT_MAX_COMPRESSION_RATIO = env_int("HOUSEHOLD_IMPORT_MAX_COMPRESSION_RATIO", 100)
# Reading runs in a child process with these limits, so a reader that aborts or hogs memory ends only itself.
HOUSEHOLD_IMPORT_READ_IN_CHILD = env_bool("HOUSEHOLD_IMPORT_READ_IN_CHILD", True)
HOUSEHOLD_IMPORT_READER_MEMORY_MB = env_int("HOUSEHOLD_IMPORT_READER_MEMORY_MB", 2048)
HOUSEHOLD_IMPORT_READER_CPU_SECONDS = env_int("HOUSEHOLD_IMPORT_READER_CPU_SECONDS", 120)
# What a run stores and shows: every text (cell, header, message) cut to this length; columns in the mapping form.
HOUSEHOLD_IMPORT_STORED_TEXT_CHARS = env_int("HOUSEHOLD_IMPORT_STORED_TEXT_CHARS", 200)
HOUSEHOLD_IMPORT_PREVIEW_COLUMNS = env_int("HOUSEHOLD_IMPORT_PREVIEW_COLUMNS", 50)
# A queued or running import that has not reported for this long died with its process or connection (its single
# transaction was rolled back); it is then shown as failed and may be confirmed again.
HOUSEHOLD_IMPORT_STALLED_MINUTES = env_int("HOUSEHOLD_IMPORT_STALLED_MINUTES", 30)
# Silent for this long, a run's page says it has no news from the background worker (and what happens next).
HOUSEHOLD_IMPORT_QUIET_MINUTES = env_int("HOUSEHOLD_IMPORT_QUIET_MINUTES", 3)

# Retention (README, "Retention"). An import's uploaded file holds a whole commune's names and CCCDs: it is deleted
# this many days after the run ended (or, for a preview never confirmed, after it was last touched).
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 30)
# People whose management ended this many years ago are listed for review (delete or keep, by a person); the law
# sets no single period, so this is the province's choice.
MANAGEMENT_RECORD_RETENTION_YEARS = env_int("MANAGEMENT_RECORD_RETENTION_YEARS", 5)
# Every night at 02:30 in Vietnam (CELERY_TIMEZONE), beside the monthly snapshots above.
# A run silent past HOUSEHOLD_IMPORT_STALLED_MINUTES is recorded as failed here: its pages only show it so.
CELERY_BEAT_SCHEDULE["fail-stalled-imports"] = {
    "task": "imports.tasks.fail_stalled_imports",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["purge-import-files"] = {
    "task": "imports.tasks.purge_import_files",
    "schedule": crontab(hour=2, minute=30),
}
# The live watch of recognised communes, swept nightly (recognition/watch.py; signals catch single saves at once).
# Recognitions whose validity ran out move to "hết hiệu lực" just after midnight in Vietnam (recognition/tasks.py).
CELERY_BEAT_SCHEDULE["expire-lapsed-recognitions"] = {
    "task": "recognition.tasks.expire_lapsed_recognitions",
    "schedule": crontab(hour=0, minute=10),
}
CELERY_BEAT_SCHEDULE["watch-recognised-units"] = {
    "task": "recognition.tasks.watch_recognised_units",
    "schedule": crontab(hour=3, minute=15),
}

# Legal periods and deadlines (docs/domain.md §4). Today's values are defaults; a deployment overrides them here
# (e.g. when Luật 120/2025 changes a period) without touching code.
DRUGFREE_LEGAL_PERIODS = {
    "management_decision_working_days": 3,
    "treatment_registration_working_days": 5,
    "user_management_months": 12,
    "voluntary_treatment_min_months": 6,
    "voluntary_treatment_max_months": 12,
    "compulsory_treatment_minor_months": (6, 12),
    "compulsory_treatment_adult_months": (12, 24),
    "post_rehab_months": 12,
    "post_rehab_after_adult_compulsory_months": 24,
    "residence_check_interval_days": 31,
    "methadone_dropout_missed_working_days": 5,
    "methadone_dropout_consecutive_doses": 10,
    "period_ending_warning_days": 30,
}
# Working days for those deadlines follow the `holidays` package's Vietnamese calendar, which already has the public
# holidays, their observed days and the swaps it knows (make-up Saturday 26/04/2025 for Friday 02/05/2025, 22/08/2026
# for Monday 31/08/2026). These add what a later government decision announces: Saturdays worked (ngày làm bù) and
# days off (nghỉ bù) not in the installed package.
DRUGFREE_MAKEUP_WORKING_DAYS = env_dates("DRUGFREE_MAKEUP_WORKING_DAYS")
DRUGFREE_EXTRA_DAYS_OFF = env_dates("DRUGFREE_EXTRA_DAYS_OFF")
if DRUGFREE_MAKEUP_WORKING_DAYS & DRUGFREE_EXTRA_DAYS_OFF:
    raise ImproperlyConfigured("DRUGFREE_MAKEUP_WORKING_DAYS and DRUGFREE_EXTRA_DAYS_OFF share a date")

# Recognition procedure (docs/recognition.md, "Procedure settings"): what the national texts leave to each province,
# with defaults from Sơn La QĐ 509/QĐ-UBND (2024) and Nghệ An KH 695/KH-UBND (2025) where they agree. Roles are
# accounts.Role values (read by name so settings import no app).
# Who approves a commune's submission of its dossier (the commune leader's account).
RECOGNITION_SUBMIT_ROLES = env_list("RECOGNITION_SUBMIT_ROLES", ["commune_officer"])
# Who appraises (hội đồng thẩm định) and who records the decision (quyết định công nhận, thu hồi) for a commune.
RECOGNITION_APPRAISE_ROLES = env_list("RECOGNITION_APPRAISE_ROLES", ["appraisal_council"])
RECOGNITION_DECIDE_ROLES = env_list("RECOGNITION_DECIDE_ROLES", ["reviewer", "administrator"])
# Hamlets (thôn, bản, khu phố sạch về ma túy) are recognised by the commune.
RECOGNITION_HAMLET_DECIDE_ROLES = env_list("RECOGNITION_HAMLET_DECIDE_ROLES", ["commune_officer"])
# How long a recognition holds before it must be confirmed again, and when the yearly maintenance review falls due.
RECOGNITION_VALID_MONTHS = env_int("RECOGNITION_VALID_MONTHS", 12)
RECOGNITION_REVIEW_INTERVAL_MONTHS = env_int("RECOGNITION_REVIEW_INTERVAL_MONTHS", 12)
RECOGNITION_REVIEW_WARNING_DAYS = env_int("RECOGNITION_REVIEW_WARNING_DAYS", 30)
# National target (Kết luận 132-KL/TW, NQ 93/NQ-CP): share of communes recognised by the end of the roadmap.
RECOGNITION_TARGET_PERCENT = env_int("RECOGNITION_TARGET_PERCENT", 50)
RECOGNITION_TARGET_YEAR = env_int("RECOGNITION_TARGET_YEAR", 2030)
# The paperwork: Word templates an administrator replaces (a folder holding files named as in recognition/docx/;
# empty: the shipped ones), and the deciding authority's heading when it is not "Ủy ban nhân dân tỉnh <province>".
RECOGNITION_DOCX_TEMPLATE_DIR = env_str("RECOGNITION_DOCX_TEMPLATE_DIR", "")
RECOGNITION_DECIDING_AUTHORITY = env_str("RECOGNITION_DECIDING_AUTHORITY", "")
for _name in (
    "RECOGNITION_VALID_MONTHS",
    "RECOGNITION_REVIEW_INTERVAL_MONTHS",
    "RECOGNITION_TARGET_YEAR",
    "RECOGNITION_EVIDENCE_MAX_BYTES",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive number")
if not 0 < RECOGNITION_TARGET_PERCENT <= 100:
    raise ImproperlyConfigured("RECOGNITION_TARGET_PERCENT must be between 1 and 100")

# Failures and refusals are logged to stderr, one line per event, with the request's id (drugfree.log).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "drugfree.log.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "drugfree.log.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own handlers would print a 500's traceback a second time, in several lines.
    "loggers": {"django": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False}},
}

TESTING = env_bool("TESTING", False)
if TESTING:
    # The production hasher is slow by design and every test logs personas in; the suite does not test its strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    WHITENOISE_AUTOREFRESH = True
