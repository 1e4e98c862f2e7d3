"""The consent-page driver for tests; it lives in ``emulators.tiktok.consent``.

It is product code too (scripted demos link accounts with it), so the
implementation is shipped with the sandbox and re-exported here.
"""

from emulators.tiktok.consent import ConsentPageError, submit_consent

__all__ = ["ConsentPageError", "submit_consent"]
