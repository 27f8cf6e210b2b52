// GraphiQL for the partner directory: every request goes to /graphql on this server, with the
// pasted API token as a Bearer token. The token is kept for this tab only (sessionStorage).
(function () {
  'use strict';
  var KEY = 'partner-directory.api-token';
  var input = document.getElementById('token');
  var state = document.getElementById('token-state');

  // Says who the pasted token is — its role and organisation, through the `viewer` query —
  // or why the directory refuses it, so a bad token is seen before every query fails.
  var checking = 0;
  function say(text, kind) {
    state.textContent = text;
    state.className = kind;
  }
  async function show() {
    var token = input.value.trim();
    var mine = ++checking;
    if (!token) {
      say('anonymous: the public directory', 'anonymous');
      return;
    }
    say('checking the token…', 'checking');
    var text;
    var kind = 'refused';
    try {
      var response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: 'Bearer ' + token
        },
        body: JSON.stringify({
          query: '{ viewer { role tokenName expiresAt organisation { name } } }'
        })
      });
      var body = await response.json().catch(function () { return {}; });
      var viewer = body.data && body.data.viewer;
      var error = (body.errors && body.errors[0]) || {};
      var requestId = error.extensions && error.extensions.requestId;
      if (viewer) {
        kind = 'valid';
        text = viewer.role.toLowerCase() +
          (viewer.organisation ? ' for ' + viewer.organisation.name : '') +
          ' — “' + viewer.tokenName + '”, until ' + viewer.expiresAt.slice(0, 10);
      } else if (response.status === 401) {
        text = 'refused: not a token the directory issued, or expired or revoked — ' +
          'every query sent with it fails' + (requestId ? ' (request ' + requestId + ')' : '');
      } else {
        text = 'could not check the token: ' + (error.message || 'HTTP ' + response.status);
      }
    } catch (failure) {
      text = 'could not check the token: the server did not answer';
    }
    // A later keystroke's check wins.
    if (mine === checking) say(text, kind);
  }
  var pending;
  input.value = window.sessionStorage.getItem(KEY) || '';
  show();
  input.addEventListener('input', function () {
    window.sessionStorage.setItem(KEY, input.value.trim());
    window.clearTimeout(pending);
    pending = window.setTimeout(show, 300);
  });
  document.getElementById('forget').addEventListener('click', function () {
    input.value = '';
    window.sessionStorage.removeItem(KEY);
    show();
  });
  document.getElementById('token-bar').addEventListener('submit', function (event) {
    event.preventDefault();
  });

  async function fetcher(params) {
    var headers = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json'
    };
    var token = input.value.trim();
    if (token) headers.authorization = 'Bearer ' + token;
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(params)
    });
    var text = await response.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      return { errors: [{ message: 'HTTP ' + response.status + ': ' + text }] };
    }
  }

  var defaultQuery = [
    '# The partner network directory. Ctrl-Enter runs the query; Ctrl-Space completes.',
    '# Paste an API token above to read contact details and to write.',
    '{',
    '  city(slug: "namur") {',
    '    name',
    '    mayor { person { fullName } }',
    '    partnerships { nodes { title status } }',
    '  }',
    '}',
    ''
  ].join('\n');

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery })
  );
})();
