"""The payload app: an environment and radiation monitor (app, messages, events, params).

Beside the template's four files it has `modes` (the transition table), `sensors` (drivers
into SI readings, failure bookkeeping), `gnss` (the last valid fix), `limits`, `product` (the
science data product) and `downlink` (products tagged, packetized and published).
"""

from flight.apps.payload.app import PayloadApp
from flight.apps.payload.modes import Mode
from flight.apps.payload.product import ProductHeader, decode_product

__all__ = ["Mode", "PayloadApp", "ProductHeader", "decode_product"]
