"""Watch a function without replacing what it does."""


def calls_of(monkeypatch, owner, name: str) -> list[tuple]:
    """Each call of `owner.name` from now on, as (args, kwargs); the real function still runs."""
    calls = []
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls
