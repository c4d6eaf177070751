//! What triage reads from a spec: per operation, the media types it declares and the schema
//! facts that make a failure the spec's or Prism's (contradictory `enum`s, `enum`s beside
//! `allOf`, redirects).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use super::triage::Media;

/// The media types every operation declares, by `METHOD /path`.
pub fn declared(spec: &Path) -> HashMap<String, Media> {
    let mut out = HashMap::new();
    let Ok(text) = fs::read_to_string(spec) else {
        return out;
    };
    let Ok(doc) = codegen::parse::load("spec", &text) else {
        return out;
    };
    let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    let keys = |content: Option<&serde_json::Value>| -> Vec<String> {
        content
            .and_then(|c| c.as_object())
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut bad_enums = Vec::new();
    contradictory_enums(&doc, &mut bad_enums);
    bad_enums.sort();
    bad_enums.dedup();
    let mut enums_beside_all_of = Vec::new();
    enums_beside_all_of_in(&doc, &mut enums_beside_all_of);
    let mut number_patterns = Vec::new();
    patterned_numbers(&doc, &mut number_patterns);
    number_patterns.sort();
    number_patterns.dedup();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(responses) = op.get("responses").and_then(|r| r.as_object()) else {
                continue;
            };
            // The success responses, or `default` without one (as the generator reads them).
            let any_2xx = responses.keys().any(|code| code.starts_with('2'));
            let success = responses
                .iter()
                .filter(|(code, _)| code.starts_with('2') || (!any_2xx && *code == "default"))
                .flat_map(|(_, r)| keys(r.get("content")))
                .collect();
            let redirects = responses.keys().any(|code| code.starts_with('3'));
            // A `$ref`'d request body is read where it points.
            let body =
                op.get("requestBody")
                    .map(|b| match b.get("$ref").and_then(|r| r.as_str()) {
                        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(b),
                        None => b,
                    });
            let request = keys(body.and_then(|b| b.get("content")));
            let form_undeclared_required = body
                .and_then(|b| b.get("content"))
                .and_then(|c| c.as_object())
                .into_iter()
                .flatten()
                .filter(|(m, _)| {
                    let m = m.to_ascii_lowercase();
                    m.starts_with("application/x-www-form-urlencoded")
                        || m.starts_with("multipart/form-data")
                })
                .filter_map(|(_, media)| media.get("schema").map(|s| deref(&doc, s)))
                .flat_map(undeclared_required)
                .collect();
            let params = item
                .get("parameters")
                .and_then(|p| p.as_array())
                .into_iter()
                .chain(op.get("parameters").and_then(|p| p.as_array()))
                .flatten()
                .map(|p| deref(&doc, p));
            let object_query_params = params
                .filter(|p| p["in"] == "query" && p["style"] != "deepObject")
                .filter(|p| {
                    let schema = deref(&doc, &p["schema"]);
                    let items = deref(&doc, &schema["items"]);
                    schema["type"] == "object"
                        || (schema["type"] == "array" && items["type"] == "object")
                })
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            out.insert(
                format!("{} {path}", method.to_ascii_uppercase()),
                Media {
                    success,
                    request,
                    bad_enums: bad_enums.clone(),
                    redirects,
                    enums_beside_all_of: enums_beside_all_of.clone(),
                    form_undeclared_required,
                    object_query_params,
                    number_patterns: number_patterns.clone(),
                },
            );
        }
    }
    out
}

/// Every property and parameter name in `value` whose schema lists string `enum` values for
/// `type: array` or `type: integer`.
fn contradictory_enums(value: &serde_json::Value, out: &mut Vec<String>) {
    let contradicts = |schema: &serde_json::Value| {
        let typed = matches!(schema["type"].as_str(), Some("array" | "integer"));
        let strings = schema["enum"]
            .as_array()
            .is_some_and(|e| !e.is_empty() && e.iter().all(|v| v.is_string()));
        typed && strings
    };
    match value {
        serde_json::Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(|p| p.as_object()) {
                out.extend(
                    props
                        .iter()
                        .filter(|(_, s)| contradicts(s))
                        .map(|(n, _)| n.clone()),
                );
            }
            if let (Some(name), Some(schema)) =
                (map.get("name").and_then(|n| n.as_str()), map.get("schema"))
            {
                if map.contains_key("in") && contradicts(schema) {
                    out.push(name.to_owned());
                }
            }
            map.values().for_each(|v| contradictory_enums(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| contradictory_enums(v, out)),
        _ => {}
    }
}

/// The string values of every `enum` in `value` that sits beside an `allOf`.
fn enums_beside_all_of_in(value: &serde_json::Value, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(values), true) = (
                map.get("enum").and_then(|e| e.as_array()),
                map.contains_key("allOf"),
            ) {
                let strings: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if !strings.is_empty() && !out.contains(&strings) {
                    out.push(strings);
                }
            }
            map.values().for_each(|v| enums_beside_all_of_in(v, out));
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| enums_beside_all_of_in(v, out))
        }
        _ => {}
    }
}

/// `value` where its `$ref` (within the document) points, or itself.
fn deref<'v>(doc: &'v serde_json::Value, value: &'v serde_json::Value) -> &'v serde_json::Value {
    match value.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

/// The names a schema requires that none of its properties declares.
fn undeclared_required(schema: &serde_json::Value) -> Vec<String> {
    let declared = schema["properties"].as_object();
    schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str())
        .filter(|r| declared.is_none_or(|d| !d.contains_key(*r)))
        .map(str::to_owned)
        .collect()
}

/// Every property name in `value` whose schema is `type: number` or `integer` with a `pattern`.
fn patterned_numbers(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(|p| p.as_object()) {
                out.extend(
                    props
                        .iter()
                        .filter(|(_, s)| {
                            matches!(s["type"].as_str(), Some("number" | "integer"))
                                && s.get("pattern").is_some()
                        })
                        .map(|(n, _)| n.clone()),
                );
            }
            map.values().for_each(|v| patterned_numbers(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| patterned_numbers(v, out)),
        _ => {}
    }
}
