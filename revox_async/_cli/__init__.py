"""The ``revox-async`` command line: the entry point (:mod:`.main`), its commands, and the demo."""
