"""The fake's request handlers, one module per resource, and the checks of their bodies."""
