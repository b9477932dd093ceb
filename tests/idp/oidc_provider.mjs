// A certified OpenID Connect provider (panva's oidc-provider) on loopback for the SSO tests.
// Usage: node tests/idp/oidc_provider.mjs <port> <config.json>
// config.json: {"client_id", "client_secret", "redirect_uris": [...], "users": {"<login>": {claims}}}.
// Its development login form (any password) signs in the user named by "login"; the consent page
// follows. Claims: openid profile email, plus "matriculation_number" and "eduperson_affiliation".
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, "utf8"));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      post_logout_redirect_uris: config.post_logout_redirect_uris || [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  // Every scope the portal asks for, and the university's two extra claims with the profile.
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "matriculation_number", "eduperson_affiliation"],
  },
  findAccount: async (ctx, id) => {
    const claims = config.users[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  acrValues: ["https://refeds.org/profile/mfa", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"],
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  cookies: { keys: ["portal-test-cookie-key"] },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
