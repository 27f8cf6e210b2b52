//! API tokens: issued and revoked by admins, checked as RFC 8725 asks, refused all alike.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};
use tests::{TEST_SECRET, TestApp};

const WHO_AM_I: &str = r#"{ organisation(slug: "umq") { contactPoints { nodes { phone } } } }"#;

/// Sends a raw `Authorization` value and returns status, `WWW-Authenticate` and body, checking
/// on the way that an error body repeats the `x-request-id` header (so a refused caller can
/// quote it); the id is taken out of the body returned, which then reads the same every time.
async fn present(app: &TestApp, authorization: &str) -> (u16, Option<String>, String) {
    let (status, challenge, request_id, body) = present_with_id(app, authorization).await;
    let Ok(mut body) = serde_json::from_str::<Value>(&body) else {
        return (status, challenge, body);
    };
    if let Some(extensions) = body
        .pointer_mut("/errors/0/extensions")
        .and_then(Value::as_object_mut)
    {
        assert_eq!(
            extensions.remove("requestId"),
            Some(Value::String(request_id)),
            "the error repeats the request id of the header"
        );
    }
    (status, challenge, body.to_string())
}

/// Sends a raw `Authorization` value: status, `WWW-Authenticate`, `x-request-id` and body.
async fn present_with_id(
    app: &TestApp,
    authorization: &str,
) -> (u16, Option<String>, String, String) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("authorization", authorization)
        .json(&json!({ "query": WHO_AM_I }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    (
        status,
        challenge,
        request_id,
        response.text().await.unwrap(),
    )
}

/// A JWT with exactly this header and these claims, signed HS256 with `secret`.
fn sign(header: Value, claims: Value, secret: &[u8]) -> String {
    let encode = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let signing_input = format!("{}.{}", encode(&header), encode(&claims));
    let signature = jsonwebtoken::crypto::sign(
        signing_input.as_bytes(),
        &EncodingKey::from_secret(secret),
        Algorithm::HS256,
    )
    .unwrap();
    format!("{signing_input}.{signature}")
}

fn claims(jti: &str, sub: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({ "iss": "partner-directory", "aud": "partner-directory-api", "sub": sub, "iat": now, "exp": now + 600, "jti": jti, "role": "admin" })
}

fn parts(token: &str) -> (Value, Value, String) {
    let segments: Vec<&str> = token.split('.').collect();
    let decode = |s: &str| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap();
    (
        decode(segments[0]),
        decode(segments[1]),
        segments[2].to_owned(),
    )
}

#[tokio::test]
async fn a_valid_token_reads_contact_details_that_anonymous_callers_never_see() {
    let app = TestApp::spawn().await;
    let token = app.token("editor", None).await;
    let (status, body) = app.post_as(&token, WHO_AM_I, json!({})).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body:#}");
    assert!(body.to_string().contains("438 827-4560"));
}

#[tokio::test]
async fn only_an_admin_issues_tokens() {
    let app = TestApp::spawn().await;
    let issue = r#"mutation { issueApiToken(input: { name: "UMQ sync", role: PARTNER, organisation: "umq" }) { token apiToken { name role organisation { slug } } userErrors { field code } } }"#;

    let anonymous = app.error(issue, json!({})).await;
    assert_eq!(anonymous["extensions"]["code"], "UNAUTHENTICATED");
    let editor = app.token("editor", None).await;
    let (_, body) = app.post_as(&editor, issue, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let admin = app.token("admin", None).await;
    let (_, body) = app.post_as(&admin, issue, json!({})).await;
    let payload = &body["data"]["issueApiToken"];
    assert_eq!(payload["apiToken"]["role"], "PARTNER");
    assert_eq!(payload["apiToken"]["organisation"]["slug"], "umq");
    let partner = payload["token"].as_str().unwrap();
    let (status, _) = app.post_as(partner, WHO_AM_I, json!({})).await;
    assert_eq!(status, 200, "the new token works at once");
}

#[tokio::test]
async fn a_token_request_that_breaks_a_rule_gets_a_user_error_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let (_, body) = app
        .post_as(&admin, r#"mutation { issueApiToken(input: { name: "x", role: PARTNER }) { token userErrors { field code message } } }"#, json!({}))
        .await;
    let payload = &body["data"]["issueApiToken"];
    assert!(payload["token"].is_null());
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["input", "organisation"])
    );
    assert_eq!(payload["userErrors"][0]["code"], "INVALID");
}

#[tokio::test]
async fn a_revoked_token_is_refused_on_the_very_next_request_and_the_audit_trail_says_who() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let (_, issued) = app
        .post_as(&admin, r#"mutation { issueApiToken(input: { name: "to revoke", role: EDITOR }) { token apiToken { id } } }"#, json!({}))
        .await;
    let victim = issued["data"]["issueApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = issued["data"]["issueApiToken"]["apiToken"]["id"].clone();
    assert_eq!(app.post_as(&victim, WHO_AM_I, json!({})).await.0, 200);

    let (_, revoked) = app
        .post_as(&admin, "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { revokedAt } userErrors { code } } }", json!({ "id": id }))
        .await;
    assert!(
        revoked["data"]["revokeApiToken"]["apiToken"]["revokedAt"].is_string(),
        "{revoked:#}"
    );
    assert_eq!(app.post_as(&victim, WHO_AM_I, json!({})).await.0, 401);

    let (_, audit) = app
        .post_as(&admin, "{ auditEvents { nodes { action actorName entityType before after } } apiTokens { totalCount } }", json!({}))
        .await;
    let events = audit["data"]["auditEvents"]["nodes"].as_array().unwrap();
    assert_eq!(events[0]["action"], "revoke_api_token");
    assert_eq!(events[0]["actorName"], "test admin");
    assert!(
        events[0]["before"]
            .as_str()
            .unwrap()
            .contains("\"revokedAt\":null")
    );
    assert_eq!(events[1]["action"], "issue_api_token");
    assert_eq!(audit["data"]["apiTokens"]["totalCount"], 2);

    let (_, denied) = app
        .post_as(
            &app.token("editor", None).await,
            "{ auditEvents { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

const VIEWER: &str =
    "{ viewer { role tokenName expiresAt organisation { slug name } token { name revokedAt } } }";

#[tokio::test]
async fn viewer_says_who_the_token_is_and_is_null_for_anonymous_callers() {
    // Arrange
    let app = TestApp::spawn().await;
    let partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let editor = app.token("editor", None).await;

    // Act
    let anonymous = app.data(VIEWER, json!({})).await;
    let (partner_status, as_partner) = app.post_as(&partner, VIEWER, json!({})).await;
    let (editor_status, as_editor) = app.post_as(&editor, VIEWER, json!({})).await;
    let (garbage_status, as_garbage) = app.post_as("garbage", VIEWER, json!({})).await;

    // Assert
    assert_eq!(anonymous["viewer"], Value::Null);
    assert_eq!(partner_status, 200, "{as_partner:#}");
    let viewer = &as_partner["data"]["viewer"];
    assert_eq!(viewer["role"], "PARTNER");
    assert_eq!(viewer["tokenName"], "test partner");
    assert_eq!(viewer["organisation"]["slug"], "metropole-du-grand-paris");
    assert_eq!(viewer["organisation"]["name"], "Métropole du Grand Paris");
    assert_eq!(viewer["token"]["name"], "test partner");
    assert_eq!(viewer["token"]["revokedAt"], Value::Null);
    // Issued for one day.
    let expires_at: chrono::DateTime<chrono::Utc> =
        viewer["expiresAt"].as_str().unwrap().parse().unwrap();
    let left = expires_at - chrono::Utc::now();
    assert!(
        left > chrono::Duration::hours(23) && left <= chrono::Duration::hours(24),
        "{left}"
    );
    assert_eq!(editor_status, 200, "{as_editor:#}");
    assert_eq!(as_editor["data"]["viewer"]["role"], "EDITOR");
    assert_eq!(as_editor["data"]["viewer"]["tokenName"], "test editor");
    assert_eq!(as_editor["data"]["viewer"]["organisation"], Value::Null);
    assert_eq!(garbage_status, 401, "{as_garbage:#}");
    assert_eq!(
        as_garbage["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn a_refused_token_gets_a_401_whose_body_carries_the_request_id() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let (status, _, request_id, body) = present_with_id(&app, "Bearer garbage").await;

    // Assert
    assert_eq!(status, 401, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["extensions"]["requestId"], request_id);
    assert!(!request_id.is_empty());
}

#[tokio::test]
async fn forged_and_broken_tokens_are_all_refused_alike() {
    let app = TestApp::spawn().await;
    let good = app.token("admin", None).await;
    let (header, payload, signature) = parts(&good);
    let encode = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let jti = payload["jti"].as_str().unwrap().to_owned();
    let sub = payload["sub"].as_str().unwrap().to_owned();

    let mut tampered = payload.clone();
    tampered["role"] = json!("admin");
    tampered["sub"] = json!("api-token/999");
    let mut expired = claims(&jti, &sub);
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
    let mut not_yet = claims(&jti, &sub);
    not_yet["nbf"] = json!(chrono::Utc::now().timestamp() + 3600);
    let mut no_iss = claims(&jti, &sub);
    no_iss.as_object_mut().unwrap().remove("iss");
    let mut wrong_aud = claims(&jti, &sub);
    wrong_aud["aud"] = json!("someone-else");
    let default_kid = json!({ "alg": "HS256", "typ": "JWT", "kid": "default" });

    let cases: Vec<(&str, String)> = vec![
        ("garbage", "Bearer garbage".into()),
        ("empty", "Bearer ".into()),
        ("not bearer", format!("Basic {good}")),
        (
            "two segments",
            format!("Bearer {}.{}", encode(&header), encode(&payload)),
        ),
        ("four segments", format!("Bearer {good}.{signature}")),
        (
            "bad base64",
            format!("Bearer !!!.{}.{signature}", encode(&payload)),
        ),
        ("10 KB", format!("Bearer {}", "a".repeat(10_000))),
        (
            "alg none",
            format!(
                "Bearer {}.{}.",
                encode(&json!({ "alg": "none", "kid": "default" })),
                encode(&payload)
            ),
        ),
        (
            "alg NoNe",
            format!(
                "Bearer {}.{}.x",
                encode(&json!({ "alg": "NoNe", "kid": "default" })),
                encode(&payload)
            ),
        ),
        (
            "stripped signature",
            format!("Bearer {}.{}.", encode(&header), encode(&payload)),
        ),
        (
            "tampered payload",
            format!(
                "Bearer {}.{}.{signature}",
                encode(&header),
                encode(&tampered)
            ),
        ),
        (
            "common word secret",
            format!(
                "Bearer {}",
                sign(default_kid.clone(), claims(&jti, &sub), b"secret")
            ),
        ),
        (
            "kid path",
            format!(
                "Bearer {}",
                sign(
                    json!({ "alg": "HS256", "kid": "../../dev/null" }),
                    claims(&jti, &sub),
                    TEST_SECRET.as_bytes()
                )
            ),
        ),
        (
            "kid sql",
            format!(
                "Bearer {}",
                sign(
                    json!({ "alg": "HS256", "kid": "' OR 1=1 --" }),
                    claims(&jti, &sub),
                    TEST_SECRET.as_bytes()
                )
            ),
        ),
        (
            "expired",
            format!(
                "Bearer {}",
                sign(default_kid.clone(), expired, TEST_SECRET.as_bytes())
            ),
        ),
        (
            "nbf in the future",
            format!(
                "Bearer {}",
                sign(default_kid.clone(), not_yet, TEST_SECRET.as_bytes())
            ),
        ),
        (
            "no iss",
            format!(
                "Bearer {}",
                sign(default_kid.clone(), no_iss, TEST_SECRET.as_bytes())
            ),
        ),
        (
            "wrong aud",
            format!(
                "Bearer {}",
                sign(default_kid.clone(), wrong_aud, TEST_SECRET.as_bytes())
            ),
        ),
        (
            "crit header",
            format!(
                "Bearer {}",
                sign(
                    json!({ "alg": "HS256", "kid": "default", "crit": ["exp"] }),
                    claims(&jti, &sub),
                    TEST_SECRET.as_bytes()
                )
            ),
        ),
        (
            "jku header",
            format!(
                "Bearer {}",
                sign(
                    json!({ "alg": "HS256", "kid": "default", "jku": "http://127.0.0.1:1/keys" }),
                    claims("not-issued", &sub),
                    TEST_SECRET.as_bytes()
                )
            ),
        ),
        (
            "never issued",
            format!(
                "Bearer {}",
                sign(
                    default_kid.clone(),
                    claims("not-issued", &sub),
                    TEST_SECRET.as_bytes()
                )
            ),
        ),
    ];

    let mut bodies = std::collections::BTreeSet::new();
    for (case, authorization) in &cases {
        let (status, challenge, body) = present(&app, authorization).await;
        assert_eq!(status, 401, "{case}: {body}");
        assert_eq!(
            challenge.as_deref(),
            Some(r#"Bearer error="invalid_token""#),
            "{case}"
        );
        assert!(body.contains("UNAUTHENTICATED"), "{case}: {body}");
        bodies.insert(body);
    }
    assert_eq!(bodies.len(), 1, "every refusal reads the same: {bodies:#?}");
    // Past MAX_HEADER_BYTES, a token is refused with the headers, before it is read.
    let (status, _, body) = present(&app, &format!("Bearer {}", "a".repeat(100_000))).await;
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("REQUEST_TOO_LARGE"), "{body}");

    // A valid token still works right after the burst.
    let (status, _, body) = present(&app, &format!("Bearer {good}")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("438 827-4560"));
}
