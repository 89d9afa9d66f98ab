"""What users' type checkers see, pinned with ``assert_type``.

These modules are checked, not run: ``nox -s typecheck`` passes them through pyright in strict
mode and mypy --strict. Their names do not start with ``test_``, so pytest leaves them alone.
A ``# type: ignore`` here marks a call that must stay rejected: both checkers report an ignore
that is no longer needed.
"""
