//! Overlays: changes applied to the spec before generation, so a user adds what a published spec
//! lacks (a stream the spec omits, a missing `operationId`) without forking it. An overlay is a
//! JSON merge patch (RFC 7386), written in JSON or YAML: objects merge key by key, `null`
//! removes a key, anything else replaces.

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
}
