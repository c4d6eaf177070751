//! Overlays: changes applied to the spec before generation, so a user adds what a published spec
//! lacks (a stream the spec omits, a missing `operationId`) without forking it. An overlay is a
//! JSON merge patch (RFC 7386), written in JSON or YAML: objects merge key by key, `null`
//! removes a key, anything else replaces.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Applies `patch` to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = target {
        for (key, change) in changes {
            if change.is_null() {
                map.remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), change);
            }
        }
    }
}

/// The keys of a path item that hold operations.
const OPERATION_KEYS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Applies the settings' parameter patches (`location -> name -> patch`) to every parameter of
/// `doc` with that `in` and `name` (header names compared ignoring case): in
/// `components/parameters` and in the `parameters` of every path item and operation under
/// `paths` and `webhooks`. A `null` patch removes the parameter, and the references to it.
/// Returns the `(location, name)` pairs that matched nothing, so a typo is reported.
pub fn patch_parameters(
    doc: &mut Value,
    patches: &BTreeMap<String, BTreeMap<String, Value>>,
) -> Vec<(String, String)> {
    if patches.values().all(BTreeMap::is_empty) {
        return Vec::new();
    }
    let mut matched = BTreeSet::new();
    let find = |p: &Value| -> Option<(String, String)> {
        let location = p.get("in")?.as_str()?;
        let name = p.get("name")?.as_str()?;
        let by_name = patches.get(location)?;
        by_name
            .keys()
            .find(|key| {
                if location == "header" {
                    key.eq_ignore_ascii_case(name)
                } else {
                    *key == name
                }
            })
            .map(|key| (location.to_owned(), key.clone()))
    };
    let mut removed = BTreeSet::new();
    if let Some(Value::Object(components)) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
    {
        let keys: Vec<String> = components.keys().cloned().collect();
        for key in keys {
            let Some(hit) = components.get(&key).and_then(find) else {
                continue;
            };
            let patch = &patches[&hit.0][&hit.1];
            if patch.is_null() {
                components.remove(&key);
                removed.insert(format!("#/components/parameters/{}", escape(&key)));
            } else if let Some(parameter) = components.get_mut(&key) {
                merge_patch(parameter, patch);
            }
            matched.insert(hit);
        }
    }
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get_mut(section) else {
            continue;
        };
        for item in items.values_mut() {
            let Value::Object(item) = item else { continue };
            let mut lists: Vec<&mut Value> = Vec::new();
            for (key, value) in item.iter_mut() {
                if key == "parameters" {
                    lists.push(value);
                } else if OPERATION_KEYS.contains(&key.as_str()) {
                    if let Some(list) = value.get_mut("parameters") {
                        lists.push(list);
                    }
                }
            }
            for list in lists {
                let Value::Array(list) = list else { continue };
                list.retain_mut(|p| {
                    if let Some(target) = p.get("$ref").and_then(Value::as_str) {
                        return !removed.contains(target);
                    }
                    let Some(hit) = find(p) else { return true };
                    let patch = &patches[&hit.0][&hit.1];
                    let keep = !patch.is_null();
                    if keep {
                        merge_patch(p, patch);
                    }
                    matched.insert(hit);
                    keep
                });
            }
        }
    }
    patches
        .iter()
        .flat_map(|(location, names)| names.keys().map(move |n| (location.clone(), n.clone())))
        .filter(|pair| !matched.contains(pair))
        .collect()
}

/// A JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_merge_nulls_remove_others_replace() {
        let mut doc = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
        merge_patch(
            &mut doc,
            &json!({"a": {"b": null, "c": [3], "e": {"f": true}}, "d": null}),
        );
        assert_eq!(doc, json!({"a": {"c": [3], "e": {"f": true}}}));
    }

    #[test]
    fn keys_with_slashes_are_plain_keys() {
        let mut doc = json!({"paths": {"/v1/x": {"get": {}}}});
        merge_patch(
            &mut doc,
            &json!({"paths": {"/v1/x": {"get": {"operationId": "x_get"}}}}),
        );
        assert_eq!(doc["paths"]["/v1/x"]["get"]["operationId"], "x_get");
    }

    fn patches(text: Value) -> BTreeMap<String, BTreeMap<String, Value>> {
        serde_json::from_value(text).unwrap()
    }

    #[test]
    fn parameter_patches_reach_every_declaration() {
        let mut doc = json!({"paths": {
            "/a": {"parameters": [{"name": "X-Key", "in": "header"}],
                   "get": {"parameters": [
                       {"name": "v", "in": "header", "schema": {"type": "string"}},
                       {"name": "v", "in": "query"}]}},
            "/b": {"post": {"parameters": [{"name": "V", "in": "header"}]}}}});
        let unmatched = patch_parameters(
            &mut doc,
            &patches(json!({"header": {
                "x-key": null,
                "v": {"schema": {"default": "1"}, "x-forge-name": "version"}}})),
        );
        assert!(unmatched.is_empty(), "{unmatched:?}");
        assert_eq!(doc["paths"]["/a"]["parameters"], json!([]));
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([
                {"name": "v", "in": "header", "schema": {"type": "string", "default": "1"}, "x-forge-name": "version"},
                {"name": "v", "in": "query"}])
        );
        assert_eq!(
            doc["paths"]["/b"]["post"]["parameters"][0]["x-forge-name"],
            "version"
        );
    }

    #[test]
    fn removing_a_component_parameter_removes_its_references() {
        let mut doc = json!({
            "components": {"parameters": {"Key": {"name": "key", "in": "query"}}},
            "paths": {"/a": {"get": {"parameters": [
                {"$ref": "#/components/parameters/Key"}, {"name": "q", "in": "query"}]}}}});
        let unmatched = patch_parameters(
            &mut doc,
            &patches(json!({"query": {"key": null, "missing": {"required": true}}})),
        );
        assert_eq!(unmatched, [("query".to_owned(), "missing".to_owned())]);
        assert_eq!(doc["components"]["parameters"], json!({}));
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "q", "in": "query"}])
        );
    }
}
