# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import account_move
from . import account_move_line
from . import ir_asset
from . import ir_http
from . import paylink_autopay
from . import paylink_ledger
from . import paylink_link
from . import paylink_link_open
from . import paylink_lookup_failure
from . import paylink_sms_consent
from . import paylink_sms_reminder
from . import payment_transaction
from . import res_company
from . import res_config_settings
from . import res_partner
