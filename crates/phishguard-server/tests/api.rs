//! The HTTP API, through the router (no socket): status codes, answers checked against
//! the schemas in openapi.json, the language switch, limits and hostile input.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use phishguard_server::{AppState, Config, OPENAPI_JSON, router};
use serde_json::{Value, json};
use std::sync::OnceLock;
use tower::ServiceExt;

const PHISH: &[u8] = include_bytes!("../../../examples/fake-prime-suspension.eml");
const GENUINE: &[u8] = include_bytes!("../../../examples/genuine-amazon-order.eml");
const SMISHING: &str = include_str!("../../../examples/smishing.txt");

fn state(max_size: usize) -> AppState {
    let config = Config {
        max_size,
        threads: 2,
        ..Config::default()
    };
    AppState::new(&config).expect("analyzer")
}

/// One shared state (the analyzer takes a moment to build).
fn shared() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| state(phishguard_server::DEFAULT_MAX_SIZE))
        .clone()
}

fn doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(OPENAPI_JSON).expect("openapi.json is JSON"))
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

async fn send_to(state: AppState, req: Request<Body>) -> Answer {
    let resp: Response<Body> = router(state).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

async fn send(req: Request<Body>) -> Answer {
    send_to(shared(), req).await
}

fn post(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::builder().method("POST").uri(uri);
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    b.body(body.into()).expect("request")
}

fn get(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request")
}

/// Check the answer against the schema openapi.json gives for this path, method and
/// status (and that the doc lists the status at all). `path` is the doc's path key.
fn check_against_doc(path: &str, method: &str, a: &Answer) {
    let doc = doc();
    let status = a.status.as_u16().to_string();
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "openapi.json has no {method} {path}");
    let mut resp = &op["responses"][status.as_str()];
    if resp.is_null() && status == "404" {
        resp = &doc["components"]["responses"]["NotFound"];
    }
    assert!(
        resp.is_object(),
        "openapi.json lists no {status} for {method} {path}"
    );
    if let Some(r) = resp["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        resp = &doc["components"]["responses"][name];
    }
    let ct = a
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct.split(';').next().unwrap().trim();
    let content = &resp["content"][essence];
    assert!(
        content.is_object(),
        "openapi.json lists no {essence} answer for {status} {method} {path}"
    );
    if essence == "application/json" {
        validate(&content["schema"], &a.json());
    }
}

/// Validate `instance` against `schema`, resolving `#/components/...` in openapi.json.
fn validate(schema: &Value, instance: &Value) {
    let mut root = schema.clone();
    let obj = root.as_object_mut().expect("schema is an object");
    obj.insert("components".into(), doc()["components"].clone());
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    let validator = jsonschema::validator_for(&root).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "answer does not match openapi.json:\n{}\n{instance}",
        errors.join("\n")
    );
}

fn assert_security_headers(a: &Answer) {
    let h = |n: &str| a.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "no-referrer");
    assert!(h("content-security-policy").contains("default-src 'none'"));
    assert!(!h("content-security-policy").contains("unsafe-inline"));
    assert_eq!(h("cache-control"), "no-store");
}

async fn analyze_ok(uri: &str, ct: &str, body: impl Into<Body>) -> Value {
    let a = send(post(uri, Some(ct), body)).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_security_headers(&a);
    check_against_doc("/v1/analyze", "post", &a);
    a.json()
}

/// An error answer: status, documented, JSON error with a message.
async fn analyze_err(req: Request<Body>, want: StatusCode) -> Value {
    let a = send(req).await;
    assert_eq!(a.status, want, "{}", String::from_utf8_lossy(&a.body));
    assert_security_headers(&a);
    check_against_doc("/v1/analyze", "post", &a);
    let v = a.json();
    assert!(!v["message"].as_str().unwrap().is_empty());
    v
}

#[test]
fn openapi_doc_is_valid_json_with_schemas_that_compile() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let mut root = schema.clone();
        root.as_object_mut()
            .unwrap()
            .insert("components".into(), doc["components"].clone());
        assert!(
            jsonschema::validator_for(&root).is_ok(),
            "schema {name} does not compile"
        );
    }
}

#[tokio::test]
async fn phishing_mail_matches_scan_json() {
    let v = analyze_ok("/v1/analyze?lang=ja", "message/rfc822", PHISH).await;
    assert_eq!(v["verdict"], "phishing");
    assert_eq!(v["brand"], "amazon");
    assert_eq!(v["lang"], "ja");
    assert_eq!(v["kind"], "mail");
    // the same object the library (and so `scan --json`) gives, bar the source name
    let analyzer = phishguard::Analyzer::new().unwrap();
    let report = analyzer
        .analyze_mail(PHISH, "request", Some(phishguard::Lang::Ja))
        .unwrap();
    assert_eq!(v, serde_json::to_value(&report).unwrap());
    let ids: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"link_text_mismatch"), "{ids:?}");
}

#[tokio::test]
async fn genuine_mail_is_legitimate_in_every_raw_type() {
    for ct in [
        "message/rfc822",
        "application/octet-stream",
        "text/plain; charset=utf-8",
    ] {
        let v = analyze_ok("/v1/analyze", ct, GENUINE).await;
        assert_eq!(v["verdict"], "legitimate", "{ct}");
        assert_eq!(v["kind"], "mail", "{ct}");
    }
}

#[tokio::test]
async fn lang_switch_changes_the_texts() {
    let ja = analyze_ok("/v1/analyze?lang=ja", "message/rfc822", PHISH).await;
    let en = analyze_ok("/v1/analyze?lang=en", "message/rfc822", PHISH).await;
    assert_eq!(en["lang"], "en");
    assert_eq!(en["verdict"], ja["verdict"]);
    assert_ne!(en["verdict_text"], ja["verdict_text"]);
    assert_ne!(en["advice"], ja["advice"]);
    assert!(en["verdict_text"].as_str().unwrap().is_ascii());
    // default: the message's own language (Japanese)
    let default = analyze_ok("/v1/analyze", "message/rfc822", PHISH).await;
    assert_eq!(default["lang"], "ja");
    let bad = analyze_err(
        post("/v1/analyze?lang=fr", Some("message/rfc822"), PHISH),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(bad["error"], "bad_lang");
}

#[tokio::test]
async fn sms_as_json_and_as_pasted_text() {
    let body = json!({ "sms": SMISHING, "sender": "+81 80-1234-5678" }).to_string();
    let v = analyze_ok("/v1/analyze?lang=en", "application/json", body).await;
    assert_eq!(v["kind"], "sms");
    assert_ne!(v["verdict"], "legitimate");
    let text_only = SMISHING.lines().skip(1).collect::<Vec<_>>().join("\n");
    let body = json!({ "sms": text_only }).to_string();
    let v = analyze_ok("/v1/analyze", "application/json; charset=utf-8", body).await;
    assert_eq!(v["kind"], "sms");
    // pasted text that is not a mail is read like an SMS
    let v = analyze_ok("/v1/analyze", "text/plain", SMISHING.to_string()).await;
    assert_eq!(v["kind"], "sms");
    assert_ne!(v["verdict"], "legitimate");
}

#[tokio::test]
async fn bad_json_is_400_and_says_why() {
    for (body, code) in [
        ("{not json", "bad_json"),
        ("[]", "bad_json"),
        (r#"{"text": "hi"}"#, "bad_json"),
        (r#"{"sms": 5}"#, "bad_json"),
        (r#"{"sms": "hi", "extra": 1}"#, "bad_json"),
        (r#"{"sms": "   "}"#, "empty"),
        ("\u{feff}", "bad_json"),
    ] {
        let v = analyze_err(
            post("/v1/analyze", Some("application/json"), body),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(v["error"], code, "{body}");
    }
    let v = analyze_err(
        post(
            "/v1/analyze",
            Some("application/json"),
            vec![0xff, 0xfe, b'{'],
        ),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(v["error"], "bad_json");
}

#[tokio::test]
async fn empty_and_binary_bodies_are_400() {
    for ct in ["message/rfc822", "application/octet-stream", "text/plain"] {
        let v = analyze_err(
            post("/v1/analyze", Some(ct), Body::empty()),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(v["error"], "empty", "{ct}");
        analyze_err(
            post("/v1/analyze", Some(ct), " \r\n\t"),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 % 32)
        .collect();
    for ct in ["application/octet-stream", "text/plain"] {
        let v = analyze_err(
            post("/v1/analyze", Some(ct), garbage.clone()),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(v["error"], "unreadable", "{ct}");
    }
}

#[tokio::test]
async fn hostile_bodies_never_get_500() {
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    let random: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let huge_header = format!(
        "From: a@example.com\nSubject: {}\nX-Long: {}\n\nhello\n",
        "あ".repeat(100_000),
        "x".repeat(3_000_000)
    );
    let deep_html = format!(
        "From: a@example.com\nContent-Type: text/html\n\n{}{}",
        "<div><b><i>".repeat(50_000),
        "deep"
    );
    let nested_mime = {
        let mut m = String::from("From: a@example.com\nSubject: nest\n");
        for i in 0..500 {
            m.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n"
            ));
        }
        m.push_str("Content-Type: text/plain\n\nbottom\n");
        m
    };
    let long_line = "y".repeat(5_000_000);
    cases.push(("message/rfc822", random.clone()));
    cases.push(("text/plain", random));
    cases.push(("message/rfc822", huge_header.into_bytes()));
    cases.push(("message/rfc822", deep_html.into_bytes()));
    cases.push(("message/rfc822", nested_mime.into_bytes()));
    cases.push(("text/plain", long_line.into_bytes()));
    cases.push(("message/rfc822", b"From \n".to_vec()));
    cases.push(("application/octet-stream", b"From x\nFrom y\n".to_vec()));
    cases.push(("message/rfc822", b":\n:\n\n".to_vec()));
    cases.push(("message/rfc822", vec![0u8; 1000]));
    for (ct, body) in cases {
        let len = body.len();
        let a = send(post("/v1/analyze", Some(ct), body)).await;
        assert!(
            a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST,
            "{ct} {len} bytes: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body[..a.body.len().min(300)])
        );
        check_against_doc("/v1/analyze", "post", &a);
    }
}

#[tokio::test]
async fn html_with_script_is_analysed_as_data() {
    let mail = "From: \"Amazon\" <x@evil.example>\r\nSubject: =?UTF-8?B?5pSv5omV44GE?=\r\n\
        Content-Type: text/html; charset=utf-8\r\n\r\n\
        <html><body><script>window.__pwned=1</script>\
        <img src=\"http://198.51.100.7/pixel.gif\">\
        <a href=\"javascript:alert(1)\">https://www.amazon.co.jp/</a>\
        <a href=\"https://amaz0n.example/login\">https://www.amazon.co.jp/login</a>\
        </body></html>\r\n";
    let v = analyze_ok("/v1/analyze?lang=en", "message/rfc822", mail).await;
    assert_ne!(v["verdict"], "legitimate");
    let hrefs: Vec<&str> = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert!(
        hrefs.iter().any(|h| h.contains("amaz0n.example")),
        "{hrefs:?}"
    );
}

#[tokio::test]
async fn unsupported_media_types_are_415() {
    for ct in [
        None,
        Some("image/png"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let v = analyze_err(
            post("/v1/analyze", ct, PHISH),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
        assert_eq!(v["error"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn over_the_limit_is_413() {
    let small = state(1000);
    let a = send_to(
        small.clone(),
        post("/v1/analyze", Some("message/rfc822"), PHISH),
    )
    .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    check_against_doc("/v1/analyze", "post", &a);
    assert_eq!(a.json()["error"], "too_large");
    // (requests here carry no Content-Length: the body is cut while read); a declared
    // Content-Length over the limit is refused before reading
    let mut req = post("/v1/analyze", Some("text/plain"), "short");
    req.headers_mut()
        .insert(header::CONTENT_LENGTH, "1000000".parse().unwrap());
    let a = send_to(small.clone(), req).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    // at the limit is fine
    let a = send_to(
        small,
        post("/v1/analyze", Some("text/plain"), "z".repeat(1000)),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    // the default limit is 25 MB
    let big = vec![b'a'; 25_000_001];
    let a = send(post("/v1/analyze", Some("text/plain"), big)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn other_routes_and_methods() {
    let a = send(get("/healthz")).await;
    assert_eq!(a.status, StatusCode::OK);
    check_against_doc("/healthz", "get", &a);
    assert_security_headers(&a);

    let a = send(get("/openapi.json")).await;
    assert_eq!(a.status, StatusCode::OK);
    check_against_doc("/openapi.json", "get", &a);

    let a = send(get("/")).await;
    assert_eq!(a.status, StatusCode::OK);
    check_against_doc("/", "get", &a);
    let page = String::from_utf8(a.body.clone()).unwrap();
    assert!(page.contains("<script src=\"/app.js\""));
    assert!(!page.contains("<script>"), "no inline script");
    assert!(!page.contains("style="), "no inline style");
    assert!(!page.contains("http://") && !page.contains("https://"));
    for (path, ct) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let a = send(get(path)).await;
        assert_eq!(a.status, StatusCode::OK);
        check_against_doc(path, "get", &a);
        let got = a.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(got.starts_with(ct), "{got}");
    }
    let js = phishguard_server::APP_JS;
    assert!(!js.contains("innerHTML") && !js.contains("outerHTML"));
    assert!(!js.contains("insertAdjacentHTML") && !js.contains("document.write"));
    assert!(!js.contains("eval("));

    let a = send(get("/nope")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"], "not_found");
    assert_security_headers(&a);
    validate(
        &doc()["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"],
        &a.json(),
    );

    let a = send(get("/v1/analyze")).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.headers.contains_key(header::ALLOW));
    check_against_doc("/v1/analyze", "post", &a);
    assert_eq!(a.json()["error"], "method_not_allowed");
    assert!(
        a.json()["message"]
            .as_str()
            .unwrap()
            .contains("allowed: POST")
    );
    let a = send(post("/healthz", Some("text/plain"), "x")).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    check_against_doc("/healthz", "get", &a);
}

#[tokio::test]
async fn metrics_count_requests_verdicts_and_latency() {
    let st = state(phishguard_server::DEFAULT_MAX_SIZE);
    send_to(
        st.clone(),
        post("/v1/analyze", Some("message/rfc822"), PHISH),
    )
    .await;
    send_to(
        st.clone(),
        post("/v1/analyze", Some("message/rfc822"), GENUINE),
    )
    .await;
    send_to(st.clone(), post("/v1/analyze", Some("image/png"), "x")).await;
    send_to(st.clone(), get("/wp-login.php")).await;
    let a = send_to(st, get("/metrics")).await;
    assert_eq!(a.status, StatusCode::OK);
    check_against_doc("/metrics", "get", &a);
    let text = String::from_utf8(a.body).unwrap();
    for line in [
        "phishguard_http_requests_total{path=\"/v1/analyze\",status=\"200\"} 2",
        "phishguard_http_requests_total{path=\"/v1/analyze\",status=\"415\"} 1",
        "phishguard_http_requests_total{path=\"other\",status=\"404\"} 1",
        "phishguard_verdicts_total{verdict=\"phishing\"} 1",
        "phishguard_verdicts_total{verdict=\"legitimate\"} 1",
        "phishguard_verdicts_total{verdict=\"suspicious\"} 0",
        "phishguard_analyze_duration_seconds_count 3",
        "phishguard_analyze_duration_seconds_bucket{le=\"+Inf\"} 3",
        "# TYPE phishguard_analyze_duration_seconds histogram",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    // every sample line is `name{labels} value`
    for l in text.lines().filter(|l| !l.starts_with('#')) {
        let (_, value) = l.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{l}");
    }
}
