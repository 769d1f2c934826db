"""Passwords: argon2 hashes, never the password itself in the database."""

from __future__ import annotations

from sqlalchemy import text

from assistant.store.passwords import hash_password, random_password, verify_password
from assistant.store.tables import Base


def test_hash_verifies_only_the_right_password():
    hashed = hash_password("正确的密码 correct horse")
    assert hashed.startswith("$argon2id$") and "correct horse" not in hashed
    assert verify_password(hashed, "正确的密码 correct horse")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not a hash", "wrong")


def test_same_password_hashes_differently_each_time():
    assert hash_password("secret") != hash_password("secret")


def test_random_passwords_are_long_and_different():
    passwords = {random_password() for _ in range(50)}
    assert len(passwords) == 50 and all(len(p) >= 16 for p in passwords)


def test_no_column_of_the_database_holds_the_password(store, department):
    password = "s3cret-桃江-2024"
    user = store.create_user("zhangsan", hash_password(password), "staff", department.id)
    assert verify_password(store.get_user(user.id).password_hash, password)
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):
                assert all(password not in str(value) for value in row)


def test_a_login_for_an_unknown_user_costs_a_real_hash_check():
    """No early answer for a user name that does not exist (timing would reveal the user names)."""
    import time

    from assistant.store.passwords import check_login, hash_password

    known = hash_password("secret-one")
    assert check_login(known, "secret-one") and not check_login(known, "wrong")
    check_login(None, "warm-up")
    started = time.perf_counter()
    assert not check_login(None, "anything")
    unknown = time.perf_counter() - started
    started = time.perf_counter()
    check_login(known, "wrong")
    wrong = time.perf_counter() - started
    assert unknown > wrong / 4  # the same argon2 work, not a shortcut
