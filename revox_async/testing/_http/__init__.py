"""The fake's aiohttp application: its middlewares, the context it serves, and how it answers."""
