"""Whether a failed delivery is worth trying again: SMTP 4xx, timeouts and refused connections are
temporary; 5xx answers are permanent."""

import smtplib


def is_temporary(error: BaseException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        # No status code: the server lacks something we need (a command, an authentication method).
        return False
    # Timeouts, refused or reset connections, unreachable hosts.
    return isinstance(error, OSError)
