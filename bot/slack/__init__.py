"""The Slack adapter: Bolt listeners that turn Slack requests into `/crm` command lines and render the
Replies the command router returns as Block Kit. Nothing here holds domain rules."""
