"""Logging in through the login form, as a user does (the first page of every browser flow)."""


def log_in(page, server, username="demo"):
    page.goto(server["url"] + "/")
    assert "/login" in page.url  # an anonymous visit is sent to the login form
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", server["logins"][username])
    page.click("button[type=submit]")
    page.wait_for_url(server["url"] + "/")
