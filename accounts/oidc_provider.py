"""allauth's OpenID Connect provider, with the checks allauth 65 leaves out:

- the signature, always: allauth skips it when it fetched the token itself (OIDC Core 3.1.3.7 allows
  that over TLS), so `alg: none` passed. Checked with the provider's JWKS by allauth's jwtkit; only the
  asymmetric algorithms the provider announces (`id_token_signing_alg_values_supported`, RS256 if it
  announces none) and the key's own `alg` count, so neither `none` nor HS256 keyed with the public key;
- the nonce: a random one goes with each authorization request, kept in that login's stashed state
  (allauth's, in the session), and the id_token must carry it back;
- the userinfo response's `sub`: it must be the id_token's (OIDC Core 5.3.2).

The provider is registered through allauth's `provider_class` setting (accounts/sso.py) and sends the
nonce; allauth's callback view builds its own adapter, so seminar_portal/urls.py routes allauth's
`openid_connect_callback` to `callback` below, allauth's OAuth2CallbackView with the adapter here.
No JWT or crypto code of the portal's: PyJWT reads the header, jwtkit verifies and decodes."""

from __future__ import annotations

import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404
from django.utils.crypto import constant_time_compare, get_random_string
from jwt.algorithms import requires_cryptography as ASYMMETRIC_ALGORITHMS

NONCE_LENGTH = 32
# The algorithm an id_token's signature must use when the provider's discovery document names none
# (OIDC Discovery 1.0: RS256 must be supported).
DEFAULT_ALGORITHMS = ("RS256",)


def signing_algorithms(openid_config: dict) -> set[str]:
    """The algorithms an id_token of this provider may be signed with: those it announces, of the
    asymmetric ones (never `none`, never an HMAC keyed with a public key)."""
    announced = openid_config.get("id_token_signing_alg_values_supported") or DEFAULT_ALGORITHMS
    return set(announced) & set(ASYMMETRIC_ALGORITHMS)


class PortalOIDCAdapter(OpenIDConnectOAuth2Adapter):
    # The nonce this login sent, from its stashed state (PortalOIDCCallbackView sets it).
    expected_nonce: str | None = None

    def complete_login(self, request, app, token, **kwargs):
        """allauth's, in the order that lets the id_token vouch for the userinfo: decode and check the
        id_token first, then fetch the userinfo and use it only when its `sub` is the id_token's (OIDC
        Core 5.3.2). allauth takes the account's uid, name and e-mail from the userinfo, so a mismatch
        would log into somebody else's account."""
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("The token endpoint sent no id_token.")
        data = {"id_token": self._decode_id_token(app, id_token)}
        subject = data["id_token"].get("sub")
        if not isinstance(subject, str) or not subject:
            raise OAuth2Error("The id_token names nobody (no sub).")
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            if userinfo.get("sub") != subject:
                raise OAuth2Error("The userinfo response is about another person than the id_token (sub).")
            data["userinfo"] = userinfo
        return self.get_provider().sociallogin_from_response(request, data)

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as e:
            raise OAuth2Error("Invalid id_token") from e
        alg = header.get("alg")
        if alg not in signing_algorithms(self.openid_config):
            raise OAuth2Error(f"id_token signed with {alg!r}, which the portal does not accept")
        if not header.get("kid"):
            raise OAuth2Error("id_token names no key (kid)")

        def key_for(keys_data: dict, kid: str):
            # jwtkit decodes with the header's algorithm: it must be the one the key is for.
            for jwk in keys_data.get("keys", []):
                if jwk.get("kid") == kid and jwk.get("alg", "RS256") != alg:
                    raise OAuth2Error(f"id_token signed with {alg!r}, its key is for {jwk.get('alg')!r}")
            return jwtkit.lookup_kid_jwk(keys_data, kid)

        claims = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=key_for,
            verify_signature=True,
        )
        nonce = claims.get("nonce")
        if not (
            self.expected_nonce
            and isinstance(nonce, str)
            and constant_time_compare(nonce, self.expected_nonce)
        ):
            raise OAuth2Error("id_token without the nonce of this login")
        return claims


class PortalOIDCProvider(OpenIDConnectProvider):
    # allauth builds the provider's URLs from this package: they stay allauth's own.
    package = "allauth.socialaccount.providers.openid_connect"
    oauth2_adapter_class = PortalOIDCAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """allauth's redirect to the authorization endpoint, with a fresh nonce in the request and in
        the login's stashed state (which allauth keeps in the session, one per login, for 10 minutes)."""
        nonce = get_random_string(NONCE_LENGTH)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = {**(self.get_auth_params() if auth_params is None else auth_params), "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class PortalOIDCCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get("nonce")
        return state, response


@login_not_required
def callback(request, provider_id):
    """allauth's openid_connect callback (same URL and name), with PortalOIDCAdapter."""
    try:
        return PortalOIDCCallbackView.adapter_view(PortalOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
