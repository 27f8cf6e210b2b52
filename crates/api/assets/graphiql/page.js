// GraphiQL for the partner directory: every request goes to /graphql on this server, with the
// pasted API token as a Bearer token. The token is kept for this tab only (sessionStorage).
(function () {
  'use strict';
  var KEY = 'partner-directory.api-token';
  var input = document.getElementById('token');
  var state = document.getElementById('token-state');

  function show() {
    state.textContent = input.value.trim() ? 'token in use' : 'anonymous';
  }
  input.value = window.sessionStorage.getItem(KEY) || '';
  show();
  input.addEventListener('input', function () {
    window.sessionStorage.setItem(KEY, input.value.trim());
    show();
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
