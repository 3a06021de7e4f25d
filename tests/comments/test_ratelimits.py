"""Rate limits counted in Redis (one pipeline), in Django's local-memory cache, and failing open."""
import pytest

from comments.ratelimits import RateLimited, rate_limit_hit, rate_parse

pytestmark = pytest.mark.django_db

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limit-test"}}
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


def _use(settings, caches):
    from django.core.cache import cache

    if caches:
        settings.CACHES = caches
        cache.clear()  # local memory outlives the test


def test_rates_are_parsed():
    assert rate_parse("30/h") == (30, 3600)
    assert rate_parse("5/10m") == (5, 600)
    assert rate_parse("1/s") == (1, 1)
    with pytest.raises(ValueError, match="expected COUNT/PERIOD"):
        rate_parse("thirty per hour")


def _limited_after(settings, *, user_rate="2/h", ip_rate="100/h", calls=3, user_id=7, ip="198.51.100.4"):
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": user_rate, "ip": ip_rate}}
    for number in range(1, calls + 1):
        try:
            rate_limit_hit(action="comment", user_id=user_id, ip=ip)
        except RateLimited as error:
            return number, error
    return None, None


@pytest.mark.parametrize("caches", [None, LOCAL_MEMORY], ids=["redis", "local-memory"])
def test_the_account_limit_refuses_the_attempt_past_it(settings, caches):
    _use(settings, caches)
    number, error = _limited_after(settings, user_rate="2/h")
    assert number == 3
    assert error.status == 429 and error.code == "rate_limited" and 1 <= error.retry_after <= 3600
    assert "try again in" in error.message


@pytest.mark.parametrize("caches", [None, LOCAL_MEMORY], ids=["redis", "local-memory"])
def test_the_ip_limit_counts_across_accounts_and_accounts_across_addresses(settings, caches):
    _use(settings, caches)
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": "2/h", "ip": "3/h"}}
    for user_id in (1, 2, 3):
        rate_limit_hit(action="comment", user_id=user_id, ip="198.51.100.4")
    with pytest.raises(RateLimited):
        rate_limit_hit(action="comment", user_id=4, ip="198.51.100.4")
    rate_limit_hit(action="comment", user_id=1, ip="203.0.113.1")  # the account's second attempt, elsewhere
    with pytest.raises(RateLimited):
        rate_limit_hit(action="comment", user_id=1, ip="203.0.113.2")


@pytest.mark.parametrize("caches", [None, LOCAL_MEMORY], ids=["redis", "local-memory"])
def test_one_account_refused_for_its_own_excess_does_not_use_up_its_address(settings, caches):
    """An office behind one address: one account hammering the form spends at most its own limit of the
    address's budget, and everyone else there can still comment."""
    _use(settings, caches)
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": "2/h", "ip": "5/h"}}
    rate_limit_hit(action="comment", user_id=1, ip="198.51.100.4")
    rate_limit_hit(action="comment", user_id=1, ip="198.51.100.4")
    for _attempt in range(50):
        with pytest.raises(RateLimited):
            rate_limit_hit(action="comment", user_id=1, ip="198.51.100.4")
    for user_id in (2, 3, 4):  # 2 + 3 = the address's 5
        rate_limit_hit(action="comment", user_id=user_id, ip="198.51.100.4")
    with pytest.raises(RateLimited):
        rate_limit_hit(action="comment", user_id=5, ip="198.51.100.4")


def test_actions_are_counted_apart(settings):
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": "1/h", "ip": "9/h"}, "report": {"user": "1/h", "ip": "9/h"}}
    rate_limit_hit(action="comment", user_id=1, ip=None)
    rate_limit_hit(action="report", user_id=1, ip=None)
    with pytest.raises(RateLimited):
        rate_limit_hit(action="report", user_id=1, ip=None)


def test_a_new_window_starts_afresh(settings, monkeypatch):
    import comments.ratelimits as ratelimits

    clock = [1_000_000_050]  # half-way through a minute (1_000_000_020 is a multiple of 60)
    monkeypatch.setattr(ratelimits, "_now", lambda: clock[0])
    number, error = _limited_after(settings, user_rate="1/m", calls=2)
    assert number == 2 and error.retry_after == 30
    clock[0] += 60
    rate_limit_hit(action="comment", user_id=7, ip="198.51.100.4")


def test_limits_fail_open_when_redis_is_unreachable(settings):
    settings.CACHES = UNREACHABLE_REDIS
    assert _limited_after(settings, user_rate="1/h", ip_rate="1/h", calls=3) == (None, None)


def test_counters_live_under_the_cache_key_prefix(settings):
    """Two sites (or test runs) sharing one Redis database count apart: the pipeline's raw keys go
    through the cache's key function, so they carry its KEY_PREFIX."""
    from django.core.cache import cache, caches
    from django_redis.cache import RedisCache

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("CACHE_URL names no Redis: the pipeline is not used")
    ours = settings.CACHES["default"]
    assert ours["KEY_PREFIX"]
    _limited_after(settings, user_rate="1/h", ip_rate="100/h", calls=1)
    client = cache.client.get_client(write=True)
    keys = [key.decode() for key in client.scan_iter(match="*rl:comment:*")]
    # Ours carry our prefix; none is raw. (Other runs' keys may be there too: the other pytest-xdist worker's, say.)
    assert any(key.startswith(ours["KEY_PREFIX"] + ":") for key in keys)
    assert not any(key.startswith(("rl:", ":1:rl:")) for key in keys)
    assert _limited_after(settings, user_rate="1/h", ip_rate="100/h", calls=1)[0] == 1  # the same site: counted
    settings.CACHES = {"default": {**ours, "KEY_PREFIX": ours["KEY_PREFIX"] + "-another-site"}}
    try:
        assert _limited_after(settings, user_rate="1/h", ip_rate="100/h", calls=1) == (None, None)
    finally:
        cache.delete_pattern("*")
