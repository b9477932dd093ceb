"""allauth's SAML provider, keeping one more thing with the login: the AuthnContextClassRef values the
IdP reported (python3-saml reads them), so that an SSO login can count as MFA (SSO_MFA_CONTEXTS).
Registered through allauth's `provider_class` setting; everything else is allauth's."""

from allauth.socialaccount.providers.saml.provider import SAMLProvider

AUTHN_CONTEXTS = "_authn_context_class_refs"


class PortalSAMLProvider(SAMLProvider):
    # allauth builds the provider's URLs from this package: they stay allauth's own.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data):
        return {**super().extract_extra_data(data), AUTHN_CONTEXTS: list(data.get_last_authn_contexts())}
