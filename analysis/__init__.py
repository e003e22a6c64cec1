"""analysis: tables, charts, reports and batch runs computed from threads."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__: list[str] = []
