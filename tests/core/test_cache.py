"""The Redis cache keeps one client per connection pool (apps/core/cache.py); gunicorn's threads share it."""

from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache


def test_threads_sharing_the_cache_clients_each_read_back_their_own_values():
    def round_trip(n: int) -> list[tuple[int, int]]:
        seen = []
        for i in range(50):
            key = f"test-cache:{n}:{i}"
            cache.set(key, n * 1000 + i, timeout=30)
            seen.append((cache.get(key), n * 1000 + i))
            cache.delete(key)
        return seen

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [pair for seen in pool.map(round_trip, range(24)) for pair in seen]
    assert len(results) == 24 * 50
    assert all(got == expected for got, expected in results)
    # One client per pool, however many threads and calls went through it.
    assert len(cache._cache._clients) == 1  # type: ignore[attr-defined]
