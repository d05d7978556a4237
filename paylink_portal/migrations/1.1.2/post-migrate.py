# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SMS templates give each currency's amount in its currency (issue 23): their
shipped bodies read `paylink_balance_text` and `paylink_due_now_text` instead of one
amount in the company currency. The templates are `noupdate`: a database keeps the
body it has, so each body (in every language it holds) that is still a shipped
default becomes the new default in the same language; a body staff changed is left as
it is. The email's body gives the balance by the same expression the SMS's did: in
every language, that expression becomes `paylink_balance_text`, whatever else staff
changed around it."""

import json

from odoo.tools import SQL

# Each template's body as 1.1.1 shipped it, in English and in the module's
# translations (i18n/es.po, fr.po).
SHIPPED = {
    "sms_template_paylink": (
        "Hello {{ object.name }}, your balance with {{ object.env.company.name }} is"
        " {{ format_amount(object.credit, object.env.company.currency_id) }}. View and"
        " pay: {{ object.paylink_url }}",
        "Hola {{ object.name }}, su saldo con {{ object.env.company.name }} es de"
        " {{ format_amount(object.credit, object.env.company.currency_id) }}."
        " Consúltelo y páguelo en: {{ object.paylink_url }}",
        "Bonjour {{ object.name }}, votre solde auprès de"
        " {{ object.env.company.name }} s'élève à"
        " {{ format_amount(object.credit, object.env.company.currency_id) }}."
        " Consultez-le et payez ici : {{ object.paylink_url }}",
    ),
    "sms_template_paylink_share": (
        "Hi {{ (object.name or '').strip().split(' ')[0] }}, here is your"
        " {{ object.env.company.name }} account: balance"
        " {{ format_amount(object.paylink_balance, object.env.company.currency_id) }}."
        " View and pay: {{ object.paylink_url }}",
        "Hola {{ (object.name or '').strip().split(' ')[0] }}, esta es su cuenta de"
        " {{ object.env.company.name }}: saldo"
        " {{ format_amount(object.paylink_balance, object.env.company.currency_id) }}."
        " Consúltela y páguela en: {{ object.paylink_url }}",
        "Bonjour {{ (object.name or '').strip().split(' ')[0] }}, voici votre compte"
        " {{ object.env.company.name }} : solde"
        " {{ format_amount(object.paylink_balance, object.env.company.currency_id) }}."
        " Consultez-le et payez ici : {{ object.paylink_url }}",
    ),
    "sms_template_paylink_reminder": (
        "Reminder from {{ object.env.company.name }}:"
        " {{ format_amount(object.paylink_due_now, object.env.company.currency_id) }}"
        " is due now on your account. Pay securely: {{ object.paylink_url }} Reply"
        " STOP to opt out.",
        "Recordatorio de {{ object.env.company.name }}:"
        " {{ format_amount(object.paylink_due_now, object.env.company.currency_id) }}"
        " vence ahora en su cuenta. Pague de forma segura: {{ object.paylink_url }}"
        " Responda STOP para darse de baja.",
        "Rappel de {{ object.env.company.name }} :"
        " {{ format_amount(object.paylink_due_now, object.env.company.currency_id) }}"
        " est à payer maintenant sur votre compte. Payez en toute sécurité :"
        " {{ object.paylink_url }} Répondez STOP pour ne plus recevoir de messages.",
    ),
}
# The reminder's body shipped before what is due now (1385f81), in the same languages:
# it becomes the new default too.
EARLIER = {
    "sms_template_paylink_reminder": (
        "Reminder from {{ object.env.company.name }}: your balance of"
        " {{ format_amount(object.credit, object.env.company.currency_id) }} is due."
        " Pay securely: {{ object.paylink_url }} Reply STOP to opt out.",
        "Recordatorio de {{ object.env.company.name }}: tiene un saldo pendiente de"
        " {{ format_amount(object.credit, object.env.company.currency_id) }}. Pague"
        " de forma segura: {{ object.paylink_url }} Responda STOP para darse de baja.",
        "Rappel de {{ object.env.company.name }} : votre solde de"
        " {{ format_amount(object.credit, object.env.company.currency_id) }} est à"
        " régler. Payez en toute sécurité : {{ object.paylink_url }} Répondez STOP"
        " pour vous désabonner.",
    ),
}
# What makes a shipped body of 1.1.1 the new one.
REPLACEMENTS = (
    (
        "format_amount(object.credit, object.env.company.currency_id)",
        "object.paylink_balance_text",
    ),
    (
        "format_amount(object.paylink_balance, object.env.company.currency_id)",
        "object.paylink_balance_text",
    ),
    (
        "format_amount(object.paylink_due_now, object.env.company.currency_id)",
        "object.paylink_due_now_text",
    ),
)


def new_body(xmlid, body):
    """Return the new default of `body` when it is one of the template's shipped
    defaults (in any of the languages shipped), else None."""
    shipped = SHIPPED[xmlid]
    for index, earlier in enumerate(EARLIER.get(xmlid, ())):
        if body == earlier:
            body = shipped[index]
    if body not in shipped:
        return None
    for old, new in REPLACEMENTS:
        body = body.replace(old, new)
    return body


# The email's balance, as 1.1.1 shipped it, and as it is now.
EMAIL_XMLID = "mail_template_paylink"
EMAIL_BALANCE = (
    "format_amount(object.credit, object.env.company.currency_id)",
    "object.paylink_balance_text",
)


def migrate_email(cr):
    """Give the email's balance in each currency, in every language of its body."""
    old, new = EMAIL_BALANCE
    cr.execute(
        SQL(
            """
            UPDATE mail_template template
               SET body_html = (
                       SELECT jsonb_object_agg(lang, replace(body, %(old)s, %(new)s))
                         FROM jsonb_each_text(template.body_html) AS bodies(lang, body)
                   )
              FROM ir_model_data data
             WHERE data.model = 'mail.template'
               AND data.res_id = template.id
               AND data.module = 'paylink_portal'
               AND data.name = %(xmlid)s
               AND template.body_html::text LIKE %(pattern)s
            """,
            old=old,
            new=new,
            xmlid=EMAIL_XMLID,
            pattern=f"%{old}%",
        )
    )


def migrate(cr, version):
    migrate_email(cr)
    for xmlid in SHIPPED:
        cr.execute(
            SQL(
                """
                SELECT template.id, template.body
                  FROM sms_template template
                  JOIN ir_model_data data
                    ON data.model = 'sms.template' AND data.res_id = template.id
                 WHERE data.module = 'paylink_portal' AND data.name = %s
                """,
                xmlid,
            )
        )
        for template_id, bodies in cr.fetchall():
            # The body in each language the database holds (a translated field).
            changed = {
                lang: new
                for lang, body in (bodies or {}).items()
                if (new := new_body(xmlid, body)) is not None
            }
            if changed:
                cr.execute(
                    SQL(
                        "UPDATE sms_template SET body = body || %s::jsonb"
                        " WHERE id = %s",
                        json.dumps(changed),
                        template_id,
                    )
                )
