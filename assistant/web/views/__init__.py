"""One module per page group; each has a `router` that `assistant.web.app.ROUTERS` includes."""
