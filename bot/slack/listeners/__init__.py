"""Listeners grouped by the kind of request; the file handling a request is found from its kind alone."""

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, shortcuts, unhandled, views


def register(app: App) -> None:
    for group in (commands, actions, shortcuts, views, events, unhandled):
        group.register(app)
