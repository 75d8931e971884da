import pytest

from core import settings, settings_rules


def test_settings__local_defaults__load_without_env():
    s = settings.load({})
    assert s.stage == "local" and s.table_name("users") == "tanpuhui-local-users"


def test_settings__prod_missing_secret__names_it():
    env = {
        "STAGE": "prod",
        "WECHAT_APPID": "wx1",
        "WECHAT_SECRET": "x",
        "TOKEN_SECRET": "t",
        "HASH_KEY": "h",
        "YCT_CHANNEL": "c",
    }
    with pytest.raises(settings.SettingsError, match="YCT_KEY"):
        settings.load(env)


def test_settings__unknown_stage__rejected():
    with pytest.raises(settings.SettingsError, match="STAGE"):
        settings.load({"STAGE": "staging"})


def test_settings__debug_in_prod__rejected():
    env = {k: "x" for k in settings_rules.REQUIRED_IN_AWS} | {"STAGE": "prod", "LOG_LEVEL": "DEBUG"}
    with pytest.raises(settings.SettingsError, match="DEBUG"):
        settings.load(env)


@pytest.mark.parametrize("level", ["VERBOSE", "warn", "", "20"])
def test_settings__unknown_log_level__names_it(level):
    with pytest.raises(
        settings.SettingsError,
        match="LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
    ):
        settings.load({"LOG_LEVEL": level})


def test_settings__log_level__any_case_read_as_upper():
    assert settings.load({"LOG_LEVEL": "warning"}).log_level == "WARNING"


def test_settings__bad_integer__names_it():
    with pytest.raises(settings.SettingsError, match="GRAMS_PER_COIN"):
        settings.load({"GRAMS_PER_COIN": "ten"})


def test_settings__env_values__override_defaults():
    s = settings.load(
        {
            "STAGE": "test",
            "TABLE_PREFIX": "p",
            "AWS_ENDPOINT": "http://127.0.0.1:1",
            "SETTLE_SHARDS": "4",
        }
    )
    assert (s.table_name("x"), s.aws_endpoint, s.settle_shards) == (
        "p-test-x",
        "http://127.0.0.1:1",
        4,
    )


def test_settings__dev_missing_official_account__names_it():
    env = {k: "x" for k in settings_rules.REQUIRED_IN_AWS if not k.startswith("OA_")} | {
        "STAGE": "dev"
    }
    with pytest.raises(settings.SettingsError, match="OA_APPID, OA_SECRET, OA_TOKEN, OA_AES_KEY"):
        settings.load(env)


def test_settings__short_oa_aes_key__rejected():
    with pytest.raises(settings.SettingsError, match="OA_AES_KEY"):
        settings.load({"OA_AES_KEY": "too-short"})


def test_settings__oa_message_mode__safe_when_deployed_compatible_locally_else_as_set():
    env = {k: "x" for k in settings_rules.REQUIRED_IN_AWS} | {
        "OA_AES_KEY": "k" * 43,
        "WECHATPAY_APIV3_KEY": "a" * 32,
    }
    assert [settings.load(env | {"STAGE": st}).oa_message_mode for st in settings_rules.STAGES] == [
        "compatible",
        "compatible",
        "safe",
        "safe",
    ]
    assert (
        settings.load(env | {"STAGE": "prod", "OA_MESSAGE_MODE": "plain"}).oa_message_mode
        == "plain"
    )
    assert "OA_MESSAGE_MODE" not in settings.exported_names(settings.load(env | {"STAGE": "prod"}))
    with pytest.raises(settings.SettingsError, match="OA_MESSAGE_MODE"):
        settings.load({"OA_MESSAGE_MODE": "aes"})


def test_settings__local_stage_with_nothing_set__points_at_make_run_stack():
    s = settings.load({})
    assert (s.aws_endpoint, s.wechat_api_base, s.yct_api_base, s.wechatpay_api_base) == (
        "http://127.0.0.1:8001",
        "http://127.0.0.1:8002/",
        "http://127.0.0.1:8003/",
        "http://127.0.0.1:8004/",
    )


def test_settings__local_stage__follows_the_stack_ports_and_explicit_addresses():
    s = settings.load({"AWS_PORT": "9101", "WECHAT_API_BASE": "http://sim.example/"})
    assert (s.aws_endpoint, s.wechat_api_base) == ("http://127.0.0.1:9101", "http://sim.example/")


def test_settings__other_stages__no_local_addresses():
    env = {k: "x" for k in settings_rules.REQUIRED_IN_AWS} | {
        "OA_AES_KEY": "k" * 43,
        "WECHATPAY_APIV3_KEY": "a" * 32,
    }
    for stage in ("test", "dev", "prod"):
        s = settings.load(env | {"STAGE": stage})
        assert s.aws_endpoint is None and s.wechat_api_base == "https://api.weixin.qq.com/"


def test_settings__behaviour_retention_shorter_than_a_month__rejected():
    with pytest.raises(settings.SettingsError, match="BEHAVIOUR_RETENTION_DAYS"):
        settings.load({"BEHAVIOUR_RETENTION_DAYS": "7"})
    assert settings.load({"BEHAVIOUR_RETENTION_DAYS": "400"}).behaviour_retention_days == 400


def test_settings__platform_book_slots_outside_one_batch_get__rejected():
    from core.books.platform import MAX_SLOTS

    for bad in ("0", str(MAX_SLOTS + 1)):
        with pytest.raises(settings.SettingsError, match="PLATFORM_BOOK_SLOTS"):
            settings.load({"PLATFORM_BOOK_SLOTS": bad})
    assert settings.load({"PLATFORM_BOOK_SLOTS": str(MAX_SLOTS)}).platform_book_slots == MAX_SLOTS
