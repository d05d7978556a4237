# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import assets
from . import documents
from . import payment
from . import portal
from . import preferences
