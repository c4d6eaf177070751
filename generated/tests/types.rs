//! Serde round trips and type behaviour of the generated `anthropic_completions` types, against
//! `/work/shared/api-reference.md` §2 (request), §3 (response, `Model`), §4 (errors) and §8
//! (the example exchange).
//!
//! The lists of known values (`Model`, `ErrorType`, `AnthropicBeta`) are read from spec/ at test
//! time and compared with the generated `KNOWN`, so adding a value to the spec and running
//! `cargo xtask generate` needs no edit here.

use std::str::FromStr;

use anthropic_completions::{
    AnthropicBeta, Completion, CompletionCreateParams, CompletionType, ErrorObject, ErrorResponse,
    ErrorResponseType, ErrorType, Metadata, Model,
};
use forge_runtime::validation::Violation;
use proptest::prelude::*;
use serde_json::{json, Value};
use yaml_rust2::YamlLoader;

/// The §8 response body, verbatim.
const RESPONSE_8: &str = r#"{"type":"completion","id":"compl_018CKm6gsux7P8yMcwZbeCPw","completion":" Hello! My name is Claude.","stop_reason":"stop_sequence","model":"claude-2.1"}"#;

/// The §8 request body, verbatim.
const REQUEST_8: &str = r#"{"max_tokens_to_sample":256,"model":"claude-2.1","prompt":"\n\nHuman: Hello, world!\n\nAssistant:"}"#;

/// The three `completion` events' `data:` of the §8 stream, in order.
const STREAM_8: [&str; 3] = [
    r#"{"type":"completion","completion":" Hello","stop_reason":null,"model":"claude-2.1"}"#,
    r#"{"type":"completion","completion":"! My name is Claude.","stop_reason":null,"model":"claude-2.1"}"#,
    r#"{"type":"completion","completion":"","stop_reason":"stop_sequence","model":"claude-2.1"}"#,
];

/// The spec's values of the open enum schema `name` (`anyOf` entries with a `const`), in spec
/// order, read from spec/ itself (the file spec/forge.yaml names), never restated here.
fn spec_values(name: &str) -> Vec<SpecValue> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    let read = |file: &str| {
        let path = format!("{root}/{file}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .remove(0)
    };
    let settings = read("forge.yaml");
    let spec_file = settings["spec"]
        .as_str()
        .expect("spec/forge.yaml names its spec");
    let spec = read(spec_file);
    let any_of = spec["components"]["schemas"][name]["anyOf"]
        .as_vec()
        .unwrap_or_else(|| panic!("{spec_file}: no anyOf in schema {name}"));
    let values: Vec<SpecValue> = any_of
        .iter()
        .filter_map(|entry| {
            let id = entry["const"].as_str()?.to_owned();
            let text = |key: &str| entry[key].as_str().map(str::to_owned);
            Some(SpecValue {
                id,
                description: text("description"),
                deprecated: entry["deprecated"].as_bool() == Some(true),
                deprecation: text("x-stainless-deprecation-message"),
            })
        })
        .collect();
    assert!(
        !values.is_empty(),
        "{spec_file}: schema {name} lists no values"
    );
    values
}

/// One `const` of an open enum in the spec.
#[derive(Debug)]
struct SpecValue {
    id: String,
    description: Option<String>,
    deprecated: bool,
    deprecation: Option<String>,
}

/// Parses `text`, serializes the result, and checks the JSON is the same value.
fn assert_round_trip<T>(text: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let original: Value = serde_json::from_str(text).unwrap();
    let again = serde_json::to_value(&value).unwrap();
    assert_eq!(again, original, "round trip of {text}");
    value
}

fn params() -> CompletionCreateParams {
    CompletionCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        "\n\nHuman: Hello, world!\n\nAssistant:",
        256,
    )
}

// ---------------------------------------------------------------------------------------------
// Completion (response)
// ---------------------------------------------------------------------------------------------

#[test]
fn example_response_deserializes_with_unknown_model_and_round_trips() {
    let c: Completion = assert_round_trip(RESPONSE_8);
    assert_eq!(c.id.as_deref(), Some("compl_018CKm6gsux7P8yMcwZbeCPw"));
    assert_eq!(c.completion, " Hello! My name is Claude.");
    assert_eq!(c.model, Model::from("claude-2.1"));
    assert_eq!(c.model.as_str(), "claude-2.1");
    assert!(!c.model.is_known(), "claude-2.1 is not a seed id");
    assert_eq!(c.stop_reason.as_deref(), Some("stop_sequence"));
    assert_eq!(c.r#type, CompletionType);
    assert!(
        c.extra.is_empty(),
        "no unknown keys in the example: {:?}",
        c.extra
    );
}

#[test]
fn example_stream_payloads_deserialize_without_id_and_with_null_stop_reason() {
    let items: Vec<Completion> = STREAM_8
        .iter()
        .map(|data| serde_json::from_str(data).unwrap_or_else(|e| panic!("{data}: {e}")))
        .collect();
    assert!(items.iter().all(|c| c.id.is_none()));
    assert!(items.iter().all(|c| c.model == "claude-2.1"));
    assert_eq!(items[0].stop_reason, None);
    assert_eq!(items[1].stop_reason, None);
    assert_eq!(items[2].stop_reason.as_deref(), Some("stop_sequence"));
    let text: String = items.iter().map(|c| c.completion.as_str()).collect();
    assert_eq!(text, " Hello! My name is Claude.");
}

#[test]
fn example_stream_payloads_round_trip() {
    for data in STREAM_8 {
        assert_round_trip::<Completion>(data);
    }
}

#[test]
fn unknown_response_fields_are_kept_in_extra_and_reserialized() {
    let text = r#"{"type":"completion","id":"compl_1","completion":"hi","stop_reason":"max_tokens","model":"claude-2.1","usage":{"output_tokens":3},"log_id":"abc","flags":[1,null,true]}"#;
    let c: Completion = assert_round_trip(text);
    assert_eq!(c.extra.len(), 3, "{:?}", c.extra);
    assert_eq!(c.extra["usage"], json!({"output_tokens": 3}));
    assert_eq!(c.extra["log_id"], json!("abc"));
    assert_eq!(c.extra["flags"], json!([1, null, true]));
    // Declared fields never leak into `extra`.
    for key in ["type", "id", "completion", "stop_reason", "model"] {
        assert!(!c.extra.contains_key(key), "{key} in extra");
    }
}

#[test]
fn unknown_stop_reason_round_trips_unchanged() {
    let text =
        r#"{"type":"completion","completion":"","stop_reason":"refusal_v9","model":"claude-2.1"}"#;
    let c: Completion = assert_round_trip(text);
    assert_eq!(c.stop_reason.as_deref(), Some("refusal_v9"));
}

#[test]
fn missing_stop_reason_key_reads_as_none() {
    let c: Completion =
        serde_json::from_str(r#"{"type":"completion","completion":"x","model":"m"}"#).unwrap();
    assert_eq!(c.stop_reason, None);
}

#[test]
fn missing_type_reads_as_the_const_and_serializes_as_completion() {
    let c: Completion =
        serde_json::from_str(r#"{"completion":"x","stop_reason":null,"model":"m"}"#).unwrap();
    assert_eq!(c.r#type, CompletionType);
    assert_eq!(c.r#type.as_str(), "completion");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["type"], json!("completion"));
}

#[test]
fn type_always_serializes_as_completion() {
    // Response types have public fields and a constructor, but no setters: they are read, not built.
    let c = Completion {
        id: Some("compl_x".to_owned()),
        completion: " Hi".to_owned(),
        model: Model::CLAUDE_HAIKU_4_5,
        stop_reason: None,
        r#type: CompletionType,
        extra: Default::default(),
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v,
        json!({"id":"compl_x","completion":" Hi","model":"claude-haiku-4-5","stop_reason":null,"type":"completion"})
    );
    assert_eq!(
        serde_json::to_value(CompletionType).unwrap(),
        json!("completion")
    );
    assert_eq!(CompletionType::VALUE, "completion");
    assert_eq!(CompletionType.to_string(), "completion");
}

#[cfg(not(feature = "strict"))]
#[test]
fn other_type_value_is_accepted_when_strict_feature_is_off() {
    let c: Completion = serde_json::from_str(
        r#"{"type":"completion.v2","completion":"x","stop_reason":null,"model":"m"}"#,
    )
    .unwrap();
    // The value is not kept: the type is a constant and serializes as such.
    assert_eq!(
        serde_json::to_value(&c).unwrap()["type"],
        json!("completion")
    );
}

#[cfg(feature = "strict")]
#[test]
fn other_type_value_is_refused_when_strict_feature_is_on() {
    let r = serde_json::from_str::<Completion>(
        r#"{"type":"completion.v2","completion":"x","stop_reason":null,"model":"m"}"#,
    );
    assert!(r.is_err(), "{r:?}");
}

/// The envelope's `type` is a constant too: the `error` event of a stream carries it.
const OTHER_ENVELOPE_TYPE: &str =
    r#"{"type":"error.v2","error":{"type":"api_error","message":"m"},"request_id":null}"#;

#[cfg(not(feature = "strict"))]
#[test]
fn other_envelope_type_value_is_accepted_when_strict_feature_is_off() {
    let e: ErrorResponse = serde_json::from_str(OTHER_ENVELOPE_TYPE).unwrap();
    assert_eq!(serde_json::to_value(&e).unwrap()["type"], json!("error"));
}

#[cfg(feature = "strict")]
#[test]
fn other_envelope_type_value_is_refused_when_strict_feature_is_on() {
    let r = serde_json::from_str::<ErrorResponse>(OTHER_ENVELOPE_TYPE);
    assert!(r.is_err(), "{r:?}");
}

/// `api-reference.md` §3: a wrongly typed field is a decode error, strict or not.
#[test]
fn non_string_type_value_is_a_decode_error() {
    let r = serde_json::from_str::<Completion>(
        r#"{"type":7,"completion":"x","stop_reason":null,"model":"m"}"#,
    );
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn missing_completion_is_a_decode_error() {
    let e = serde_json::from_str::<Completion>(
        r#"{"type":"completion","stop_reason":null,"model":"m"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("completion"), "{e}");
}

#[test]
fn missing_model_is_a_decode_error() {
    let e = serde_json::from_str::<Completion>(
        r#"{"type":"completion","completion":"x","stop_reason":null}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("model"), "{e}");
}

#[test]
fn wrongly_typed_completion_is_a_decode_error() {
    let r = serde_json::from_str::<Completion>(
        r#"{"type":"completion","completion":5,"stop_reason":null,"model":"m"}"#,
    );
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn wrongly_typed_model_id_or_stop_reason_is_a_decode_error() {
    for text in [
        r#"{"completion":"x","stop_reason":null,"model":42}"#,
        r#"{"completion":"x","stop_reason":null,"model":"m","id":1}"#,
        r#"{"completion":"x","stop_reason":false,"model":"m"}"#,
        r#"["completion"]"#,
    ] {
        assert!(
            serde_json::from_str::<Completion>(text).is_err(),
            "{text} decoded"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CompletionCreateParams (request)
// ---------------------------------------------------------------------------------------------

#[test]
fn new_params_serialize_only_the_three_required_keys() {
    let v = serde_json::to_value(params()).unwrap();
    assert_eq!(
        v,
        json!({
            "model": "claude-sonnet-4-5",
            "prompt": "\n\nHuman: Hello, world!\n\nAssistant:",
            "max_tokens_to_sample": 256
        })
    );
    let text = serde_json::to_string(&params()).unwrap();
    assert!(
        !text.contains("null"),
        "absent fields must be omitted: {text}"
    );
}

#[test]
fn example_request_body_deserializes_and_round_trips() {
    let p: CompletionCreateParams = assert_round_trip(REQUEST_8);
    assert_eq!(p.model, "claude-2.1");
    assert!(!p.model.is_known());
    assert_eq!(p.prompt, "\n\nHuman: Hello, world!\n\nAssistant:");
    assert_eq!(p.max_tokens_to_sample, 256);
    assert_eq!(p.stop_sequences, None);
    assert_eq!(p.metadata, None);
}

#[test]
fn constructed_example_request_equals_the_example_body() {
    let p =
        CompletionCreateParams::new("claude-2.1", "\n\nHuman: Hello, world!\n\nAssistant:", 256);
    let expected: Value = serde_json::from_str(REQUEST_8).unwrap();
    assert_eq!(serde_json::to_value(&p).unwrap(), expected);
    assert_eq!(
        serde_json::from_str::<CompletionCreateParams>(REQUEST_8).unwrap(),
        p
    );
}

#[test]
fn stop_sequences_and_metadata_setters_appear_in_json() {
    let p = params()
        .stop_sequences(vec!["\n\nObservation:".to_owned(), "END".to_owned()])
        .metadata(Metadata::new().user_id("13803d75-b4b5-4c3e-b2a2-6f21399b021b"));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["stop_sequences"], json!(["\n\nObservation:", "END"]));
    assert_eq!(
        v["metadata"],
        json!({"user_id": "13803d75-b4b5-4c3e-b2a2-6f21399b021b"})
    );
    assert_eq!(v.as_object().unwrap().len(), 5, "{v}");
    let back: CompletionCreateParams = serde_json::from_value(v).unwrap();
    assert_eq!(back, p);
}

#[test]
#[allow(deprecated)]
fn deprecated_sampling_setters_still_work() {
    let p = params().temperature(0.5).top_k(5).top_p(0.7);
    assert_eq!(p.temperature, Some(0.5));
    assert_eq!(p.top_k, Some(5));
    assert_eq!(p.top_p, Some(0.7));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["temperature"], json!(0.5));
    assert_eq!(v["top_k"], json!(5));
    assert_eq!(v["top_p"], json!(0.7));
    let back: CompletionCreateParams = serde_json::from_value(v).unwrap();
    assert_eq!(back, p);
}

#[test]
fn full_request_body_round_trips() {
    let text = r#"{"model":"claude-3-haiku-20240307","prompt":"\n\nHuman: Hi\n\nAssistant:","max_tokens_to_sample":8,"stop_sequences":["x"],"temperature":1.0,"top_p":0.99,"top_k":0,"metadata":{"user_id":null}}"#;
    let p: CompletionCreateParams = assert_round_trip(text);
    assert_eq!(p.metadata, Some(Metadata::new().user_id_null()));
}

#[test]
fn request_unknown_keys_are_ignored_on_read_and_never_written() {
    // `additionalProperties: false`: no extra map; extra keys go through the per-request extra
    // body. `stream` is one of them: the streaming toggle is the method's, not a field.
    let p: CompletionCreateParams = serde_json::from_str(
        r#"{"model":"m","prompt":"p","max_tokens_to_sample":1,"stream":true,"unknown":true,"metadata":{"user_id":"u","x":1}}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"model":"m","prompt":"p","max_tokens_to_sample":1,"metadata":{"user_id":"u"}})
    );
}

#[test]
fn request_missing_a_required_key_is_a_decode_error() {
    for text in [
        r#"{"prompt":"p","max_tokens_to_sample":1}"#,
        r#"{"model":"m","max_tokens_to_sample":1}"#,
        r#"{"model":"m","prompt":"p"}"#,
    ] {
        assert!(
            serde_json::from_str::<CompletionCreateParams>(text).is_err(),
            "{text} decoded"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata.user_id: absent, null, string
// ---------------------------------------------------------------------------------------------

#[test]
fn metadata_user_id_absent_round_trips_as_empty_object() {
    let m: Metadata = assert_round_trip("{}");
    assert_eq!(m.user_id, None);
    assert_eq!(m, Metadata::new());
    assert_eq!(m, Metadata::default());
    assert_eq!(serde_json::to_string(&Metadata::new()).unwrap(), "{}");
}

#[test]
fn metadata_user_id_explicit_null_round_trips_as_some_none() {
    let m: Metadata = assert_round_trip(r#"{"user_id":null}"#);
    assert_eq!(m.user_id, Some(None));
    assert_eq!(m, Metadata::new().user_id_null());
    assert_eq!(
        serde_json::to_string(&Metadata::new().user_id_null()).unwrap(),
        r#"{"user_id":null}"#
    );
}

#[test]
fn metadata_user_id_string_round_trips() {
    let m: Metadata = assert_round_trip(r#"{"user_id":"13803d75-b4b5-4c3e-b2a2-6f21399b021b"}"#);
    assert_eq!(
        m.user_id,
        Some(Some("13803d75-b4b5-4c3e-b2a2-6f21399b021b".to_owned()))
    );
    assert_eq!(
        serde_json::to_string(&Metadata::new().user_id("u-1")).unwrap(),
        r#"{"user_id":"u-1"}"#
    );
}

#[test]
fn metadata_user_id_wrong_type_is_a_decode_error() {
    assert!(serde_json::from_str::<Metadata>(r#"{"user_id":7}"#).is_err());
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

/// `KNOWN` of an open enum lists exactly the spec's values in spec order, and each value's
/// `description()` and `deprecation()` are the spec's (`x-stainless-deprecation-message` for a
/// `deprecated: true` value, none otherwise).
fn assert_known_values_are_the_specs(
    schema: &str,
    known: Vec<&str>,
    describe: impl Fn(&str) -> (bool, Option<&'static str>, Option<&'static str>),
) {
    let spec = spec_values(schema);
    let ids: Vec<&str> = spec.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(known, ids, "{schema}::KNOWN against the spec");
    for value in &spec {
        let (is_known, description, deprecation) = describe(&value.id);
        assert!(is_known, "{schema} {}: is_known", value.id);
        assert_eq!(
            description,
            value.description.as_deref(),
            "{schema} {}: description",
            value.id
        );
        match (&value.deprecation, value.deprecated) {
            (Some(note), true) => assert_eq!(deprecation, Some(note.as_str()), "{}", value.id),
            (None, true) => assert!(deprecation.is_some(), "{schema} {}: deprecated", value.id),
            (_, false) => assert_eq!(deprecation, None, "{schema} {}: not deprecated", value.id),
        }
    }
    let (is_known, description, deprecation) = describe("not-in-the-spec");
    assert!(!is_known);
    assert_eq!((description, deprecation), (None, None));
}

#[test]
fn model_known_values_are_the_specs_with_their_descriptions_and_deprecations() {
    assert_known_values_are_the_specs(
        "Model",
        Model::KNOWN.iter().map(Model::as_str).collect(),
        |id| {
            let m = Model::from(id);
            (m.is_known(), m.description(), m.deprecation())
        },
    );
}

#[test]
fn error_type_known_values_are_the_specs() {
    assert_known_values_are_the_specs(
        "ErrorType",
        ErrorType::KNOWN.iter().map(ErrorType::as_str).collect(),
        |id| {
            let t = ErrorType::from(id);
            (t.is_known(), t.description(), t.deprecation())
        },
    );
}

#[test]
fn anthropic_beta_known_values_are_the_specs() {
    assert_known_values_are_the_specs(
        "AnthropicBeta",
        AnthropicBeta::KNOWN
            .iter()
            .map(AnthropicBeta::as_str)
            .collect(),
        |id| {
            let b = AnthropicBeta::from(id);
            (b.is_known(), b.description(), b.deprecation())
        },
    );
}

#[test]
fn model_constants_use_upper_snake_names_with_digit_groups_kept() {
    // The names the README and `api-reference.md` §3 show.
    assert_eq!(
        Model::CLAUDE_OPUS_4_5_20251101.as_str(),
        "claude-opus-4-5-20251101"
    );
    assert_eq!(Model::CLAUDE_SONNET_4_5.as_str(), "claude-sonnet-4-5");
}

#[test]
fn model_as_str_display_fromstr_and_from_agree() {
    let known = Model::KNOWN.iter().map(Model::as_str);
    for id in known.chain(["claude-2.1", "", "x y"]) {
        let m = Model::from(id);
        assert_eq!(m.as_str(), id);
        assert_eq!(m.to_string(), id);
        assert_eq!(Model::from_str(id).unwrap(), m);
        assert_eq!(id.parse::<Model>().unwrap(), m);
        assert_eq!(Model::from(id.to_owned()), m);
        assert_eq!(String::from(m.clone()), id);
        assert_eq!(AsRef::<str>::as_ref(&m), id);
        assert!(m == id);
    }
}

#[test]
fn known_model_constants_equal_the_same_id_from_a_string_and_serialize_bare() {
    for m in Model::KNOWN {
        assert_eq!(&Model::from(m.as_str()), m);
        let json = serde_json::to_string(m).unwrap();
        assert_eq!(json, serde_json::to_string(m.as_str()).unwrap());
        assert_eq!(&serde_json::from_str::<Model>(&json).unwrap(), m);
    }
}

#[test]
fn unknown_model_round_trips_unchanged_and_is_not_known() {
    let m: Model = serde_json::from_str(r#""claude-2.1""#).unwrap();
    assert!(!m.is_known());
    assert_eq!(m.as_str(), "claude-2.1");
    assert_eq!(serde_json::to_string(&m).unwrap(), r#""claude-2.1""#);
    assert_eq!(m.description(), None);
    assert_eq!(m.deprecation(), None);
}

#[test]
fn model_must_be_a_json_string() {
    assert!(serde_json::from_str::<Model>("42").is_err());
    assert!(serde_json::from_str::<Model>("null").is_err());
}

// ---------------------------------------------------------------------------------------------
// ErrorResponse / ErrorType
// ---------------------------------------------------------------------------------------------

#[test]
fn error_envelope_with_request_id_deserializes_and_round_trips() {
    let e: ErrorResponse = assert_round_trip(
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#,
    );
    assert_eq!(e.error.r#type, ErrorType::OVERLOADED_ERROR);
    assert_eq!(e.error.message, "Overloaded");
    assert_eq!(e.request_id.as_deref(), Some("req_1"));
}

#[test]
fn stream_error_envelope_without_request_id_deserializes() {
    let e: ErrorResponse = serde_json::from_str(
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
    )
    .unwrap();
    assert_eq!(e.error.r#type, ErrorType::OVERLOADED_ERROR);
    assert_eq!(e.error.message, "Overloaded");
    assert_eq!(e.request_id, None);
}

#[test]
fn error_envelope_with_null_request_id_round_trips() {
    let e: ErrorResponse = assert_round_trip(
        r#"{"type":"error","error":{"type":"api_error","message":"Internal"},"request_id":null}"#,
    );
    assert_eq!(e.request_id, None);
}

#[test]
fn error_envelope_keeps_unknown_fields_at_both_levels() {
    let e: ErrorResponse = assert_round_trip(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"bad","param":"prompt"},"request_id":"req_2","trace":{"a":1}}"#,
    );
    assert_eq!(e.extra["trace"], json!({"a": 1}));
    assert_eq!(e.error.extra["param"], json!("prompt"));
}

#[test]
fn error_envelope_without_error_object_is_a_decode_error() {
    assert!(serde_json::from_str::<ErrorResponse>(r#"{"type":"error","request_id":"r"}"#).is_err());
    assert!(serde_json::from_str::<ErrorResponse>(
        r#"{"type":"error","error":{"type":"api_error"}}"#
    )
    .is_err());
}

#[test]
fn error_type_constants_are_the_envelope_values() {
    // The nine values of `api-reference.md` §4 (the list itself is compared with the spec above).
    assert_eq!(ErrorType::INVALID_REQUEST_ERROR, "invalid_request_error");
    assert_eq!(ErrorType::AUTHENTICATION_ERROR, "authentication_error");
    assert_eq!(ErrorType::BILLING_ERROR, "billing_error");
    assert_eq!(ErrorType::PERMISSION_ERROR, "permission_error");
    assert_eq!(ErrorType::NOT_FOUND_ERROR, "not_found_error");
    assert_eq!(ErrorType::RATE_LIMIT_ERROR, "rate_limit_error");
    assert_eq!(ErrorType::TIMEOUT_ERROR, "timeout_error");
    assert_eq!(ErrorType::API_ERROR, "api_error");
    assert_eq!(ErrorType::OVERLOADED_ERROR, "overloaded_error");
    let parsed: ErrorType = serde_json::from_value(json!("overloaded_error")).unwrap();
    assert_eq!(parsed, ErrorType::OVERLOADED_ERROR);
}

#[test]
fn unknown_error_type_round_trips_unchanged() {
    let e: ErrorResponse = assert_round_trip(
        r#"{"type":"error","error":{"type":"request_too_large","message":"Too big"},"request_id":"req_3"}"#,
    );
    assert!(!e.error.r#type.is_known());
    assert_eq!(e.error.r#type.as_str(), "request_too_large");
    assert_eq!(e.error.r#type.to_string(), "request_too_large");
    assert_eq!(e.error.r#type.description(), None);
}

#[test]
fn constructed_error_response_serializes_with_type_error() {
    // Response types have public fields (and no constructor): they are read, not built.
    let e = ErrorResponse {
        r#type: ErrorResponseType,
        error: ErrorObject {
            r#type: ErrorType::RATE_LIMIT_ERROR,
            message: "slow down".to_owned(),
            extra: Default::default(),
        },
        request_id: Some("req_4".to_owned()),
        extra: Default::default(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_4"})
    );
}

// ---------------------------------------------------------------------------------------------
// validate()
// ---------------------------------------------------------------------------------------------

#[test]
fn valid_params_pass_validation() {
    params().validate().unwrap();
    params()
        .metadata(Metadata::new().user_id("u".repeat(512)))
        .validate()
        .unwrap();
    params()
        .metadata(Metadata::new().user_id_null())
        .validate()
        .unwrap();
    CompletionCreateParams::new(Model::CLAUDE_OPUS_4_5, "p", 1)
        .validate()
        .unwrap();
}

#[test]
#[allow(deprecated)]
fn boundary_sampling_values_pass_validation() {
    params()
        .temperature(0.0)
        .top_p(0.0)
        .top_k(0)
        .validate()
        .unwrap();
    params().temperature(1.0).top_p(1.0).validate().unwrap();
}

#[test]
fn empty_prompt_fails_validation_naming_prompt() {
    let e = CompletionCreateParams::new(Model::CLAUDE_OPUS_4_5, "", 256)
        .validate()
        .unwrap_err();
    assert_eq!(e.field(), "prompt");
    assert_eq!(e.violation(), &Violation::TooShort { min: 1, actual: 0 });
    assert!(e.to_string().contains("`prompt`"), "{e}");
}

#[test]
fn zero_max_tokens_fails_validation_naming_max_tokens_to_sample() {
    let e = CompletionCreateParams::new(Model::CLAUDE_OPUS_4_5, "p", 0)
        .validate()
        .unwrap_err();
    assert_eq!(e.field(), "max_tokens_to_sample");
    assert_eq!(
        e.violation(),
        &Violation::BelowMinimum {
            minimum: 1.0,
            actual: 0.0
        }
    );
}

#[test]
#[allow(deprecated)]
fn temperature_above_one_fails_validation_naming_temperature() {
    let e = params().temperature(1.5).validate().unwrap_err();
    assert_eq!(e.field(), "temperature");
    assert_eq!(
        e.violation(),
        &Violation::AboveMaximum {
            maximum: 1.0,
            actual: 1.5
        }
    );
}

#[test]
#[allow(deprecated)]
fn negative_top_k_and_top_p_fail_validation_naming_the_field() {
    let e = params().top_k(-1).validate().unwrap_err();
    assert_eq!(e.field(), "top_k");
    assert!(
        matches!(e.violation(), Violation::BelowMinimum { .. }),
        "{e}"
    );
    let e = params().top_p(-0.1).validate().unwrap_err();
    assert_eq!(e.field(), "top_p");
    assert!(
        matches!(e.violation(), Violation::BelowMinimum { .. }),
        "{e}"
    );
}

#[test]
fn user_id_of_513_chars_fails_validation_naming_metadata_user_id() {
    let e = params()
        .metadata(Metadata::new().user_id("u".repeat(513)))
        .validate()
        .unwrap_err();
    assert_eq!(e.field(), "metadata.user_id");
    assert_eq!(
        e.violation(),
        &Violation::TooLong {
            max: 512,
            actual: 513
        }
    );
    assert!(e.to_string().contains("`metadata.user_id`"), "{e}");
}

#[test]
fn user_id_length_counts_characters_not_bytes() {
    // 512 two-byte characters: 1024 bytes, but within maxLength.
    params()
        .metadata(Metadata::new().user_id("é".repeat(512)))
        .validate()
        .unwrap();
    let e = Metadata::new()
        .user_id("é".repeat(513))
        .validate()
        .unwrap_err();
    assert_eq!(e.field(), "user_id");
    assert_eq!(
        e.violation(),
        &Violation::TooLong {
            max: 512,
            actual: 513
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn any_string_round_trips_through_model_json(s in any::<String>()) {
        let m = Model::from(s.as_str());
        let text = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(&text, &serde_json::to_string(&s).unwrap());
        let back: Model = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back.as_str(), s.as_str());
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(back.is_known(), Model::KNOWN.iter().any(|m| m == s.as_str()));
    }

    #[test]
    fn any_string_round_trips_through_error_type_json(s in any::<String>()) {
        let value = json!({"type": s, "message": "m"});
        let obj: ErrorObject = serde_json::from_value(value.clone()).unwrap();
        prop_assert_eq!(obj.r#type.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_value(&obj).unwrap(), value);
        prop_assert_eq!(
            obj.r#type.is_known(),
            ErrorType::KNOWN.iter().any(|t| t == s.as_str())
        );
    }

    #[test]
    fn any_known_or_unknown_model_in_a_response_round_trips(
        idx in 0..=Model::KNOWN.len(),
        other in "[a-z0-9.-]{1,24}",
    ) {
        // A known id, or (one index past the list) any other.
        let id = Model::KNOWN.get(idx).map_or(other, |m| m.as_str().to_owned());
        let value = json!({"type":"completion","completion":"","stop_reason":null,"model": id});
        let c: Completion = serde_json::from_value(value.clone()).unwrap();
        prop_assert_eq!(c.model.as_str(), id.as_str());
        prop_assert_eq!(serde_json::to_value(&c).unwrap(), value);
    }
}
