# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import controllers
from . import demo
from . import models
from . import report
from .utils import install_log_filter

install_log_filter()
