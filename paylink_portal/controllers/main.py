# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class PaylinkController(http.Controller):

    @http.route(
        '/pay/<string:token>', type='http', methods=['GET'], auth='public', website=True,
        sitemap=False,
    )
    def paylink_page(self, token, **kwargs):
        """ Display the customer's payment page.

        :param str token: The payment link token.
        :param dict kwargs: Unused; tolerated so that tracking parameters added by messaging
                            apps do not break the link.
        :return: The rendered payment page.
        :rtype: str
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = self._get_link_sudo_or_404(token)
        values = self._prepare_page_values(link_sudo)
        return request.render('paylink_portal.pay_page', values)

    @http.route('/pay/<string:token>/summary', type='json', auth='public', sitemap=False)
    def paylink_summary(self, token, fingerprint=None, **kwargs):
        """ Return the page's live figures, re-rendered, when they changed since `fingerprint`.

        :param str token: The payment link token.
        :param str fingerprint: The fingerprint of the figures the browser displays.
        :return: `{'fingerprint': str, 'html': str}`, `html` being False when nothing changed.
        :rtype: dict
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = self._get_link_sudo_or_404(token)
        values = self._prepare_page_values(link_sudo)
        html = False
        if values['fingerprint'] != fingerprint:
            html = request.env['ir.qweb']._render('paylink_portal.pay_page_summary', values)
        return {'fingerprint': values['fingerprint'], 'html': html}

    def _get_link_sudo_or_404(self, token):
        """ Return the link proven by `token`, in sudo mode, and switch the request to the
        customer's language.

        :param str token: The payment link token.
        :return: The `paylink.link` record, in sudo mode.
        :rtype: recordset of `paylink.link`
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = request.env['paylink.link']._get_link_sudo(token)
        if not link_sudo:
            raise NotFound()  # The same answer for every bad link: it leaks nothing.
        lang = link_sudo.partner_id.lang
        if lang and lang in dict(request.env['res.lang'].get_installed()):
            request.update_context(lang=lang)
        return link_sudo.with_context(lang=request.env.context.get('lang'))

    def _prepare_page_values(self, link_sudo):
        """ Return the rendering values of the payment page.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :return: The rendering values.
        :rtype: dict
        """
        return {
            **link_sudo._get_page_values(),
            **self._get_extra_page_values(link_sudo),
            'link_sudo': link_sudo,
            'partner_name': link_sudo.partner_id.name,
            'res_company': link_sudo.company_id,  # Display the link company's name and logo.
            'token': link_sudo.token,
        }

    def _get_extra_page_values(self, link_sudo):
        """ Hook for modules adding content to the payment page.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :return: Extra rendering values.
        :rtype: dict
        """
        return {}
