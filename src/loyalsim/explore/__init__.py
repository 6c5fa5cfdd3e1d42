"""The browser explorer: a small local web server, its jobs and its page."""
