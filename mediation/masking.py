"""Phones and e-mail addresses never reach the logs in full.

`mask_personal_data(text)` is the one masking function: "+33612345678" becomes
"+336******78", "06 12 34 56 78" becomes "06 ** ** ** 78", "jeanine@example.org" becomes
"j***@example.org". `MaskPersonalDataFilter` applies it to every log record (message and
traceback) on the handlers of settings.LOGGING.
"""

import logging
import re

EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
# French numbers in any usual spelling, and international ones in E.164.
PHONE = re.compile(r"(?<![\w+])(?:\+\d{8,15}|0\d(?:[ .\-]?\d{2}){4})(?!\w)")


def _mask_phone(match: re.Match) -> str:
    number = match.group(0)
    keep_start = 4 if number.startswith("+") else 2
    middle = re.sub(r"\d", "*", number[keep_start:-2])
    return number[:keep_start] + middle + number[-2:]


def mask_personal_data(text: str) -> str:
    text = EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return PHONE.sub(_mask_phone, text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True
