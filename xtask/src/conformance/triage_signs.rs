//! The signs in a refused or undecoded call that show whose fault it is: Prism's own messages
//! (its violations, its error bodies) read against facts of the spec ([`Media`]).

use serde_json::Value;

use super::{decode_reason, Call, Media};

/// Prism refused a body field as "must be array", and the body is a form or multipart one,
/// whose arrays Prism does not parse (see "Prism's faults").
pub(super) fn form_array_refused(c: &Call, declared: &Media) -> bool {
    let form = declared.request.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.starts_with("application/x-www-form-urlencoded") || m.starts_with("multipart/form-data")
    });
    form && violations(c).iter().any(|v| {
        v["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Request body property") && m.ends_with("must be array"))
    })
}

/// The client refused a negative number for an unsigned integer (`format: uint64`).
/// serde's "unknown variant `x`, expected `a` or `b`" for exactly the values of an `enum` that
/// sits beside an `allOf`.
pub(super) fn unknown_variant_of_enum_beside_all_of(message: &str, declared: &Media) -> bool {
    let Some((_, expected)) = decode_reason(message)
        .strip_prefix("unknown variant ")
        .and_then(|m| m.split_once(", expected "))
    else {
        return false;
    };
    let mut values: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    values.sort();
    declared.enums_beside_all_of.iter().any(|e| {
        let mut e = e.clone();
        e.sort();
        e == values
    })
}

/// Prism's answer when it fails inside: its own error type (`errors#UNKNOWN`) or a bare
/// JavaScript error (`"type":"TypeError"`).
pub(super) fn prism_internal_error(message: &str) -> bool {
    message.contains("stoplight.io/prism/errors#UNKNOWN")
        || message.contains("\"type\":\"TypeError\"")
}

/// Prism refused the body for not being `format: byte` (base64), and the body's media type is
/// not a text or JSON one.
pub(super) fn byte_body_for_a_binary_type(c: &Call, declared: &Media) -> bool {
    let binary = !declared.request.is_empty()
        && declared.request.iter().all(|m| {
            let m = m.to_ascii_lowercase();
            !(m.contains("json")
                || m.starts_with("text/")
                || m.contains("form")
                || m.contains("xml"))
        });
    binary
        && c.violations.as_deref().is_some_and(|v| {
            v.contains(r#""location":["request","body"]"#)
                && v.contains(r#"must match format \"byte\""#)
        })
}

pub(super) fn negative_for_unsigned(message: &str) -> bool {
    message.contains("invalid value: integer `-")
        && [
            "expected u64",
            "expected u32",
            "expected u16",
            "expected u8",
        ]
        .iter()
        .any(|u| message.contains(u))
}

/// Prism refused a YAML body as not an object: it parses none (see "Prism's faults").
pub(super) fn yaml_body_unread(c: &Call, declared: &Media) -> bool {
    let yaml = declared.request.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("/yaml") || m.contains("/x-yaml")
    });
    yaml && c
        .violations
        .as_deref()
        .is_some_and(|v| v.contains("Request body must be object"))
}

/// Prism refused the request for the lack of a `Content-Type` or `Accept` header parameter,
/// which OpenAPI 3.x says "SHALL be ignored" (see "Prism's faults").
pub(super) fn ignored_header_required(c: &Call) -> bool {
    let Some(v) = c.violations.as_deref() else {
        return false;
    };
    ["content-type", "accept"].iter().any(|name| {
        v.contains(&format!(
            "Request header must have required property '{name}'"
        )) || v.contains(&format!(
            "Request header parameter {name} must be equal to one of the allowed values"
        ))
    })
}

/// Prism's violations of a request: in its `sl-violations` header (`violations`) or in its 422
/// body (`validation`).
pub(super) fn violations(c: &Call) -> Vec<Value> {
    let mut violations: Vec<Value> = c
        .violations
        .as_deref()
        .map(parse_violations)
        .unwrap_or_default();
    if let Some(Value::Array(body)) = c
        .error
        .as_deref()
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .and_then(|b| b.get("validation").cloned())
    {
        violations.extend(body);
    }
    violations
}

/// The list in an `sl-violations` header, which Prism prefixes with `Too many violations! ` when
/// it is long, and then cuts off (at about 8 kB): the entries before the cut are read.
pub(super) fn parse_violations(text: &str) -> Vec<Value> {
    let list = text.find('[').map_or(text, |at| &text[at..]);
    if let Ok(all) = serde_json::from_str(list) {
        return all;
    }
    list.rfind("},{")
        .and_then(|end| serde_json::from_str(&format!("{}]", &list[..=end])).ok())
        .unwrap_or_default()
}

/// Prism refused the request, and every violation it names is of one kind: a cause that
/// explains only some of them is not the cause.
pub(super) fn only_violations(c: &Call, kind: impl Fn(&str) -> bool) -> bool {
    let all = violations(c);
    !c.accepted() && !all.is_empty() && all.iter().all(|v| v["message"].as_str().is_some_and(&kind))
}

/// Prism read a form field or multipart part that is not a string (an array, an object, a
/// number) as the string it is on the wire (see "Prism's faults").
pub(super) fn form_field_read_as_string(c: &Call, declared: &Media) -> bool {
    let form = declared.request.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.starts_with("application/x-www-form-urlencoded") || m.starts_with("multipart/form-data")
    });
    form && only_violations(c, |m| {
        m.starts_with("Request body property")
            && ["array", "object", "number", "integer", "boolean"]
                .iter()
                .any(|t| m.ends_with(&format!("must be {t}")))
    })
}

/// A body declared only as a media type whose parts or text Prism cannot read as the schema's
/// shape: `multipart/form-data` with a schema that is not an object (jira's attachments, a
/// `string` of `format: binary`), or a JSON object declared `application/octet-stream`
/// (docker's network connect). No request validates.
pub(super) fn body_shape_against_media(c: &Call, declared: &Media) -> Option<&'static str> {
    let only = |prefix: &str| {
        !declared.request.is_empty()
            && declared
                .request
                .iter()
                .all(|m| m.to_ascii_lowercase().starts_with(prefix))
    };
    let whole_body =
        |t: &'static str| only_violations(c, |m| m == format!("Request body must be {t}"));
    if only("multipart/form-data") && ["string", "array"].into_iter().any(whole_body) {
        Some("a `multipart/form-data` body whose schema is not an object (a `string` of `format: binary`, an array): its parts are an object to Prism, so no request validates")
    } else if only("application/octet-stream") && whole_body("object") {
        Some("a JSON object declared as `application/octet-stream`: Prism reads such a body as text, so no request validates")
    } else {
        None
    }
}

/// Prism refused a form body only for fields its schema requires without declaring them.
pub(super) fn form_undeclared_required(c: &Call, declared: &Media) -> bool {
    let form = declared.request.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.starts_with("application/x-www-form-urlencoded") || m.starts_with("multipart/form-data")
    });
    form && only_violations(c, |m| {
        declared
            .form_undeclared_required
            .iter()
            .any(|n| m == format!("Request body must have required property '{n}'"))
    })
}

/// Prism refused the call only for a required query parameter whose items are objects.
pub(super) fn object_query_required(c: &Call, declared: &Media) -> bool {
    only_violations(c, |m| {
        declared
            .object_query_params
            .iter()
            .any(|n| m == format!("Request query must have required property '{n}'"))
    })
}

/// The client refused a string for a number, and the body holds a string at a `type: number`
/// property of the spec that has a `pattern`.
pub(super) fn string_for_a_patterned_number(c: &Call, declared: &Media) -> bool {
    let message = c.error.as_deref().unwrap_or("");
    let numeric = ["f64", "f32", "i64", "i32", "u64", "u32"]
        .iter()
        .any(|t| message.contains(&format!("expected {t}")));
    numeric
        && message.contains("invalid type: string")
        && declared
            .number_patterns
            .iter()
            .any(|n| message.contains(&format!("\"{n}\":\"")))
}

/// Prism read the items of an exploded query array as strings where they are objects
/// (box's `mdfilters`), a serialization OpenAPI leaves undefined.
pub(super) fn query_object_items(c: &Call) -> bool {
    only_violations(c, |m| {
        m.starts_with("Request query parameter") && m.ends_with("must be object")
    })
}

/// The name Prism's violation is about, when it is one whose `enum` contradicts its `type`.
pub(super) fn contradictory_enum<'a>(c: &Call, declared: &'a Media) -> Option<&'a str> {
    violations(c).iter().find_map(|v| {
        let last = v["location"].as_array()?.last()?.as_str()?;
        declared
            .bad_enums
            .iter()
            .find(|n| n.as_str() == last)
            .map(String::as_str)
    })
}
