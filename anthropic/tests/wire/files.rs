//! `client.beta().files().upload`: a `multipart/form-data` body with one file part.

use anthropic::{AnthropicBeta, BetaFileUploadParams, Upload};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{assert_headers, assert_target, client, header, only_request};

const CONTENT: &str = "Meeting notes\nAction items: ship it.\n";

#[tokio::test]
async fn upload_sends_one_file_part_and_decodes_the_metadata() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "file_011CNha8iCJcU1wXNR6q4V8w", "type": "file", "filename": "notes.txt",
            "mime_type": "text/plain", "size_bytes": CONTENT.len(),
            "created_at": "2025-04-14T12:00:00Z", "downloadable": false
        })))
        .mount(&server)
        .await;
    let upload = BetaFileUploadParams::new(
        Upload::new(CONTENT.as_bytes().to_vec())
            .file_name("notes.txt")
            .content_type("text/plain"),
    );

    let file = client(&server)
        .beta()
        .files()
        .upload(&upload)
        .betas(vec![AnthropicBeta::FILES_API_2025_04_14])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_target(&request, "POST", "/v1/files", Some("beta=true"));
    assert_headers(&request, "application/json", &["anthropic-beta"]);
    assert_eq!(header(&request, "anthropic-beta"), "files-api-2025-04-14");
    let content_type = header(&request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content-type: {content_type}"));
    let body = String::from_utf8(request.body.clone()).unwrap();
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .filter(|part| !part.is_empty() && *part != "--\r\n")
        .collect();
    assert_eq!(parts.len(), 1, "one part: {body:?}");
    let (head, data) = parts[0].split_once("\r\n\r\n").unwrap();
    let mut head: Vec<String> = head.trim().lines().map(str::to_ascii_lowercase).collect();
    head.sort();
    assert_eq!(
        head,
        [
            r#"content-disposition: form-data; name="file"; filename="notes.txt""#,
            "content-type: text/plain",
        ]
    );
    assert_eq!(data, format!("{CONTENT}\r\n"));
    assert_eq!(file.id, "file_011CNha8iCJcU1wXNR6q4V8w");
    assert_eq!(file.filename, "notes.txt");
    assert_eq!(file.mime_type, "text/plain");
    assert_eq!(file.size_bytes, CONTENT.len() as i64);
    assert_eq!(file.downloadable, Some(false));
}
