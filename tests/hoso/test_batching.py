from hoso import batching


def test_outside_a_batch_nothing_is_deferred():
    assert batching.defer("k", lambda items: None, {1}) is False


def test_deferred_work_is_merged_and_run_at_flush_and_end():
    calls = []
    with batching.batch():
        assert batching.defer("search", calls.append, {1, 2})
        assert batching.defer("search", calls.append, {2, 3})
        batching.flush()
        assert calls == [{1, 2, 3}]
        batching.defer("search", calls.append, {4})
    assert calls == [{1, 2, 3}, {4}]
    assert batching.defer("search", calls.append, {5}) is False
