"""Settings come from the environment and refuse values that make no sense."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mediation.mail import default_mailer, mail_file_path
from tests.mail import SETTING_OF_OPTION

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "mediation" / "settings.py"
STRONG_KEY = "k" * 50


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "MEDIATION_ENV",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_BACKEND",
        "SMS_BACKEND",
        "SITE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def load_settings() -> dict:
    return runpy.run_path(str(SETTINGS_FILE))


def test_with_no_environment_it_runs_in_french_on_sqlite(clean_env):
    settings = load_settings()
    assert settings["DEBUG"] is True
    assert settings["LANGUAGE_CODE"] == "fr"
    assert settings["TIME_ZONE"] == "Europe/Paris"
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_postgres_url_switches_to_postgresql(clean_env):
    clean_env.setenv("DATABASE_URL", "postgres://bus:secret@db.example:5433/mediation")
    database = load_settings()["DATABASES"]["default"]
    # Django's PostgreSQL backend, with the health check of mediation/postgresql/base.py.
    assert database["ENGINE"] == "mediation.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        5433,
        "mediation",
    )


def test_postgresql_does_not_compile_queries_unless_asked(clean_env):
    """Compiling the funders' export of a year with LLVM took 1.7 s, running it 0.3 s."""
    clean_env.delenv("DATABASE_JIT", raising=False)
    clean_env.setenv(
        "DATABASE_URL", "postgres://bus@db.example/mediation?options=-c%20statement_timeout%3D5000"
    )
    options = load_settings()["DATABASES"]["default"]["OPTIONS"]["options"]
    assert options == "-c statement_timeout=5000 -c jit=off"  # the URL's own options kept

    clean_env.setenv("DATABASE_JIT", "true")
    options = load_settings()["DATABASES"]["default"]["OPTIONS"].get("options", "")
    assert "jit" not in options


@pytest.mark.django_db
def test_the_connection_itself_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_redis_url_gives_a_shared_cache(clean_env):
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    cache = load_settings()["CACHES"]["default"]
    assert cache["BACKEND"] == "mediation.cache.FailSoftRedisCache"


def test_production_refuses_to_start_without_a_real_secret_key(clean_env):
    clean_env.setenv("MEDIATION_ENV", "production")
    clean_env.setenv("ALLOWED_HOSTS", "bus.example.org")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings()
    clean_env.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings()


def test_production_refuses_to_start_without_allowed_hosts(clean_env):
    clean_env.setenv("MEDIATION_ENV", "production")
    clean_env.setenv("SECRET_KEY", STRONG_KEY)
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        load_settings()


def test_production_refuses_debug(clean_env):
    clean_env.setenv("MEDIATION_ENV", "production")
    clean_env.setenv("SECRET_KEY", STRONG_KEY)
    clean_env.setenv("ALLOWED_HOSTS", "bus.example.org")
    clean_env.setenv("DEBUG", "true")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        load_settings()


def production_env(env, **overrides):
    values = {
        "MEDIATION_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "bus.example.org, www.bus.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SMS_BACKEND": "sessions.sms.FileSmsBackend",
        "SITE_URL": "https://bus.example.org",
    } | overrides
    for name, value in values.items():
        if value is None:
            env.delenv(name, raising=False)
        else:
            env.setenv(name, value)


def test_production_with_real_values_starts_without_debug(clean_env):
    production_env(clean_env)
    settings = load_settings()
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["bus.example.org", "www.bus.example.org"]
    assert settings["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("MEDIATION_ENV", "staging"),
        ("EMAIL_PORT", "twenty-five"),
        ("EMAIL_PORT", "0"),
    ],
)
def test_a_malformed_value_fails_loudly_naming_the_variable(clean_env, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load_settings()


@pytest.mark.parametrize(
    "site_url",
    [
        None,  # left at its default, the developer's http://127.0.0.1:8000
        "http://localhost:8000",
        "https://127.0.0.1",
        "http://bus.example.org",
        "https://autre.example.net",  # a host the site would refuse (not in ALLOWED_HOSTS)
    ],
)
def test_production_refuses_a_site_url_that_a_printed_qr_code_could_not_open(clean_env, site_url):
    # Mme Lefèvre pins the flyer at the town hall: its QR code and address are SITE_URL's.
    # A deployment that forgot it printed codes leading to the resident's own computer.
    production_env(clean_env, SITE_URL=site_url)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        load_settings()


def test_production_accepts_the_public_https_address_of_the_site(clean_env):
    production_env(clean_env, SITE_URL="https://www.bus.example.org/")
    assert load_settings()["SITE_URL"] == "https://www.bus.example.org"


def test_production_rehearsed_on_one_machine_may_print_its_own_https_address(clean_env):
    # CI's production path (and an operator's rehearsal) serves https://localhost only.
    production_env(clean_env, ALLOWED_HOSTS="localhost", SITE_URL="https://localhost:8443")
    assert load_settings()["SITE_URL"] == "https://localhost:8443"


def test_production_requires_a_shared_cache_for_the_rate_limits(clean_env):
    production_env(clean_env, REDIS_URL=None)
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "backend"),
    [
        ("EMAIL_BACKEND", None),
        ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        ("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"),
        ("SMS_BACKEND", None),
        ("SMS_BACKEND", "sessions.sms.ConsoleSmsBackend"),
        ("SMS_BACKEND", "sessions.sms.LocmemSmsBackend"),
    ],
)
def test_production_refuses_backends_that_print_residents_messages(clean_env, name, backend):
    production_env(clean_env, **{name: backend})
    with pytest.raises(ImproperlyConfigured, match=name):
        load_settings()


def test_staff_passwords_need_twelve_characters_and_django_validators(clean_env):
    validators = {
        v["NAME"].rsplit(".", 1)[1]: v for v in load_settings()["AUTH_PASSWORD_VALIDATORS"]
    }
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(validators)


def test_no_third_party_avatars(clean_env):
    assert load_settings()["WAGTAIL_GRAVATAR_PROVIDER_URL"] is None


def test_the_bench_endpoints_refuse_a_site_served_beyond_the_loopback(clean_env):
    """They include a sign-up that skips the form (bench/signup_ceiling.py): never public."""
    clean_env.setenv("BENCH_ENDPOINTS", "1")
    clean_env.setenv("ALLOWED_HOSTS", "127.0.0.1,bus.example.org")
    with pytest.raises(ImproperlyConfigured, match="BENCH_ENDPOINTS"):
        load_settings()
    clean_env.setenv("ALLOWED_HOSTS", "127.0.0.1,localhost")
    assert load_settings()["BENCH_ENDPOINTS"] is True


@pytest.mark.django_db
def test_a_site_without_the_bench_endpoints_has_none_of_their_addresses(client):
    assert client.get("/_bench/bare/").status_code == 404
    assert client.post("/_bench/insert/", {"note": "x"}).status_code == 404
    answer = client.post("/_bench/signup-ceiling/1/", {"first_name": "Josiane"})
    assert answer.status_code == 404


def _mail_configured_by(loaded: dict, settings) -> None:
    """The loaded settings' e-mail configuration (MAILERS on Django 6.1, EMAIL_* on 5.2)
    made the running one."""
    for name in ("MAILERS", "MAIL_FILE_PATH", *SETTING_OF_OPTION.values(), "EMAIL_BACKEND"):
        if name in loaded:
            setattr(settings, name, loaded[name])


def test_the_environment_s_mail_relay_is_the_one_messages_leave_through(clean_env, settings):
    production_env(
        clean_env,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="bus-numerique",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="1",
        EMAIL_TIMEOUT="7",
    )
    _mail_configured_by(load_settings(), settings)

    relay = default_mailer()
    assert (relay.host, relay.port, relay.username, relay.password) == (
        "smtp.example.org",
        587,
        "bus-numerique",
        "secret",
    )
    assert relay.use_tls is True
    assert relay.timeout == 7


def test_the_file_backend_s_folder_is_where_erasures_look(clean_env, settings, tmp_path):
    clean_env.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    clean_env.setenv("EMAIL_FILE_PATH", str(tmp_path / "mails"))
    _mail_configured_by(load_settings(), settings)

    assert Path(default_mailer().file_path) == tmp_path / "mails"
    assert mail_file_path() == tmp_path / "mails"


def test_an_earlier_file_backend_s_folder_is_still_searched_once_smtp_is_set(
    clean_env, settings, tmp_path
):
    clean_env.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    clean_env.setenv("EMAIL_FILE_PATH", str(tmp_path / "mails"))
    _mail_configured_by(load_settings(), settings)

    assert mail_file_path() == tmp_path / "mails"
