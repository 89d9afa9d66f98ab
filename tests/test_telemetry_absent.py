"""Without OpenTelemetry: importing the SDK loads none of it, and both clients work untraced.

These run on every install, with or without opentelemetry: each runs in a fresh interpreter.
"""

from __future__ import annotations

from ._helpers import ASSISTANT_ID, run_python

ASSISTANT = ASSISTANT_ID


def _run(script: str) -> str:
    return run_python(script).stdout


def test_importing_the_sdk_imports_no_opentelemetry() -> None:
    out = _run(
        """
        import sys
        import revox_async
        import revox_async.testing
        print(sorted(name for name in sys.modules if name.startswith("opentelemetry")))
        """
    )
    assert out.strip() == "[]"


def test_without_opentelemetry_both_clients_work_untraced() -> None:
    out = _run(
        f"""
        import asyncio
        import sys

        sys.modules["opentelemetry"] = None  # as if it were not installed

        from revox_async.testing import FakeRevox, FakeRevoxThread

        async def main():
            async with FakeRevox(seed_demo_data=True) as fake:
                client = fake.client()
                print((await client.assistants.retrieve("{ASSISTANT}")).id)
                assert client._telemetry is None
                assert "traceparent" not in fake.requests[-1].headers

        asyncio.run(main())
        with FakeRevoxThread(seed_demo_data=True) as fake:
            print(fake.client().assistants.retrieve("{ASSISTANT}").id)
        print([name for name, module in sys.modules.items()
               if name.startswith("opentelemetry") and module is not None])
        """
    )
    assert out.split("\n") == [ASSISTANT, ASSISTANT, "[]", ""]
