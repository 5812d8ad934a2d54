// A real OpenID Connect provider (panva's oidc-provider, certified) for vcm's tests, on loopback only.
//   node server.js PORT   -> serves http://127.0.0.1:PORT, prints "ready ISSUER" when it listens
// Users sign in on its own login page (name + password) and confirm on its consent page. Each user has a `groups`
// claim (scope `groups`, also in the ID token). Two confidential clients: `vcm` (the manager) and `other` (another
// application, for the wrong-audience case); both are native clients with loopback redirect URIs, so any port of
// 127.0.0.1 is taken (RFC 8252 7.3) and one provider serves every test's manager.
// Tests change a user's groups (or add a user) with PUT /_test/users/NAME {"password","groups"}: the provider's
// configuration, as a site's directory would change — never the protocol.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.js PORT');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

const users = new Map([
  ['alice', { password: 'alice-pw', groups: ['vcm-tenant-a-admins', 'staff'] }],
  ['bob', { password: 'bob-pw', groups: ['vcm-tenant-b-members'] }],
  ['pat', { password: 'pat-pw', groups: ['vcm-providers'] }],
  ['eve', { password: 'eve-pw', groups: ['staff'] }],
]);

const client = (id) => ({
  client_id: id,
  client_secret: `${id}-test-secret`,
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1/'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
});

const clients = [client('vcm'), client('other')];

const provider = new Provider(issuer, {
  clients,
  cookies: { keys: [randomUUID()] },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'groups'],
  conformIdTokenClaims: false, // the groups go into the ID token too
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  async findAccount(ctx, sub) {
    const user = users.get(sub);
    if (!user) {
      return undefined;
    }

    return {
      accountId: sub,
      async claims() {
        return { sub, name: sub, preferred_username: sub, groups: [...user.groups] };
      },
    };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;

const send = (res, status, html) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

const readForm = (req) => new Promise((resolve, reject) => {
  let data = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { data += chunk; if (data.length > 65536) reject(new Error('body too large')); });
  req.on('end', () => resolve(new URLSearchParams(data)));
  req.on('error', reject);
});

const readJson = async (req) => {
  let data = '';
  for await (const chunk of req) {
    data += chunk;
  }

  return JSON.parse(data || '{}');
};

const loginForm = (uid, client, error) => page('Sign in', `
<p>to ${escape(client)}</p>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label>User <input name="login" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`);

const consentForm = (uid, client, scopes) => page('Allow access', `
<p>${escape(client)} asks for: ${escape(scopes.join(' '))}</p>
<form method="post" action="/interaction/${escape(uid)}/confirm">
  <button type="submit">Allow</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
  <button type="submit">Deny</button>
</form>`);

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Wrong interaction', '<p>This page belongs to another sign-in.</p>'));
    return;
  }

  const { prompt, params, session } = details;
  const clientId = String(params.client_id);
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      send(res, 200, loginForm(uid, clientId));
    } else {
      const scopes = String(params.scope ?? '').split(' ').filter(Boolean);
      send(res, 200, consentForm(uid, clientId, scopes));
    }

    return;
  }

  if (req.method !== 'POST') {
    send(res, 405, page('Not allowed', '<p>Use the form.</p>'));
    return;
  }

  const form = await readForm(req);
  if (action === 'login') {
    const login = form.get('login') ?? '';
    const user = users.get(login);
    if (!user || user.password !== form.get('password')) {
      send(res, 200, loginForm(uid, clientId, 'Wrong user name or password.'));
      return;
    }

    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  } else if (action === 'confirm') {
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session.accountId, clientId });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (missing.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
    }

    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } else if (action === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied access.' }, { mergeWithLastSubmission: false });
  } else {
    send(res, 404, page('Not found', ''));
  }
}

async function testUsers(req, res, name) {
  if (req.method !== 'PUT' || !/^[a-z][a-z0-9-]{0,40}$/.test(name)) {
    res.writeHead(400).end();
    return;
  }

  const body = await readJson(req);
  const groups = Array.isArray(body.groups) ? body.groups.map(String) : [];
  users.set(name, { password: String(body.password ?? `${name}-pw`), groups });
  res.writeHead(204).end();
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const interactionMatch = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/);
    const usersMatch = url.pathname.match(/^\/_test\/users\/([^/]+)$/);
    if (interactionMatch) {
      await interaction(req, res, interactionMatch[1], interactionMatch[2]);
    } else if (usersMatch) {
      await testUsers(req, res, usersMatch[1]);
    } else {
      callback(req, res);
    }
  } catch (error) {
    if (!res.headersSent) {
      send(res, 400, page('Error', `<p>${escape(error.message)}</p>`));
    }
  }
});

server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
