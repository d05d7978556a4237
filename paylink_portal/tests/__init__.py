# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import test_accessibility
from . import test_autopay
from . import test_currencies
from . import test_currency_statement
from . import test_formatting
from . import test_fuzz
from . import test_i18n
from . import test_pay_documents
from . import test_pay_page
from . import test_pay_part
from . import test_pay_payment
from . import test_pay_terms
from . import test_pay_browser
from . import test_paylink_link
from . import test_performance
from . import test_query_plans
from . import test_rating
from . import test_security
from . import test_share
from . import test_sms_consent
from . import test_sms_reminders
