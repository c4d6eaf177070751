//! The triage rules, one behaviour each.
use super::*;

/// A call Prism refused with `status` and these `sl-violations`, where a success is declared.
fn refused(status: u16, violations: &str) -> Call {
    Call {
        status: Some(status),
        success_declared: true,
        violations: Some(violations.into()),
        ..Call::default()
    }
}

/// An operation whose request body is declared in `media`.
fn sending(media: &str) -> Media {
    Media {
        request: vec![media.to_owned()],
        ..Media::default()
    }
}

fn success(media: &str) -> Media {
    Media {
        success: vec![media.to_owned()],
        ..Media::default()
    }
}

#[test]
fn one_kind_one_key() {
    assert_eq!(
        shape("unknown variant `foo`, expected one of `a`, `b` at line 1 column 20"),
        "unknown variant `_`, expected one of `_`, `_`"
    );
    assert_eq!(shape("invalid length 12"), "invalid length N");
}

#[test]
fn query_in_a_path_key_is_prisms() {
    let c = Call {
        path: "/v1/messages?beta=true".into(),
        target: "prism".into(),
        status: Some(404),
        ..Call::default()
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Prism);
    let any = Call {
        status: Some(406),
        success_declared: true,
        ..Call::default()
    };
    assert_eq!(call(&any, &success("*/*")).unwrap().owner, Owner::Prism);
    assert_eq!(call(&any, &success("text/csv")).unwrap().owner, Owner::Ours);
    let ok = Call {
        status: Some(200),
        decoded: true,
        ..Call::default()
    };
    assert!(call(&ok, &Media::default()).is_none());
}

#[test]
fn a_response_prism_itself_finds_invalid_is_prisms() {
    let bad = Call {
        status: Some(201),
        error: Some("decode: missing field `name` at line 1 column 2981".into()),
        violations: Some(
            r#"[{"location":["response","body","author","projects","0"],"severity":"Error","code":"required","message":"must have required property 'name'"}]"#
                .into(),
        ),
        ..Call::default()
    };
    assert_eq!(call(&bad, &Media::default()).unwrap().owner, Owner::Prism);
    // A violation in the request is the client's.
    let request = Call {
        violations: Some(
            r#"[{"location":["request","body","x"],"severity":"Error","code":"type","message":"m"}]"#
                .into(),
        ),
        ..bad
    };
    assert_eq!(
        call(&request, &Media::default()).unwrap().owner,
        Owner::Ours
    );
}

#[test]
fn an_array_refused_in_a_form_body_is_prisms_and_in_json_ours() {
    let refused = refused(
        400,
        r#"[{"location":["request","body","topic"],"severity":"Error","code":"type","message":"Request body property topic must be array"}]"#,
    );
    assert_eq!(
        call(&refused, &sending("application/x-www-form-urlencoded"))
            .unwrap()
            .owner,
        Owner::Prism
    );
    assert_eq!(
        call(&refused, &sending("application/json")).unwrap().owner,
        Owner::Ours
    );
}

#[test]
fn a_value_refused_for_an_enum_that_contradicts_its_type_is_the_specs() {
    let refused = refused(
        422,
        r#"[{"location":["request","query","purposes"],"severity":"Error","code":"enum","message":"must be equal to one of the allowed values"}]"#,
    );
    let with = |names: &[&str]| Media {
        bad_enums: names.iter().map(|n| n.to_string()).collect(),
        ..Media::default()
    };
    assert_eq!(
        call(&refused, &with(&["purposes"])).unwrap().owner,
        Owner::Spec
    );
    assert_eq!(
        call(&refused, &with(&["other"])).unwrap().owner,
        Owner::Ours
    );
}

#[test]
fn a_required_content_type_parameter_is_prisms() {
    let refused = refused(
        400,
        r#"[{"location":["request","header"],"severity":"Error","code":"required","message":"Request header must have required property 'content-type'"}]"#,
    );
    assert_eq!(
        call(&refused, &Media::default()).unwrap().owner,
        Owner::Prism
    );
}

#[test]
fn a_required_argument_whose_schema_admits_no_value_is_the_specs() {
    let unmade = Call {
        error: Some(
            "no sample for parameter 1: #/x: no value of the `enum` is of its `type` [\"string\"]: the schema admits no value"
                .into(),
        ),
        ..Call::default()
    };
    assert_eq!(call(&unmade, &Media::default()).unwrap().owner, Owner::Spec);
}

#[test]
fn a_response_value_outside_an_enum_beside_all_of_is_prisms() {
    let decoded_badly = Call {
        status: Some(200),
        success_declared: true,
        error: Some(
            "decode: unknown variant `rpc.notifications.read`, expected `applications.commands` or `bot` at line 1 column 3320; body: {}"
                .into(),
        ),
        ..Call::default()
    };
    let beside = |values: &[&str]| Media {
        enums_beside_all_of: vec![values.iter().map(|v| v.to_string()).collect()],
        ..Media::default()
    };
    assert_eq!(
        call(&decoded_badly, &beside(&["bot", "applications.commands"]))
            .unwrap()
            .owner,
        Owner::Prism
    );
    assert_eq!(
        call(&decoded_badly, &beside(&["bot"])).unwrap().owner,
        Owner::Ours
    );
}

#[test]
fn a_500_of_prisms_own_error_type_is_prisms() {
    let crashed = Call {
        status: Some(500),
        success_declared: true,
        error: Some(
            r#"{"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"Error: Prop not found: paths"}"#
                .into(),
        ),
        ..Call::default()
    };
    assert_eq!(
        call(&crashed, &Media::default()).unwrap().owner,
        Owner::Prism
    );
}

#[test]
fn a_binary_body_refused_as_not_base64_is_the_specs() {
    let refused = refused(
        400,
        r#"[{"location":["request","body"],"severity":"Error","code":"format","message":"Request body must match format \"byte\""}]"#,
    );
    assert_eq!(
        call(&refused, &sending("application/octet-stream"))
            .unwrap()
            .owner,
        Owner::Spec
    );
    assert_eq!(
        call(&refused, &sending("application/json")).unwrap().owner,
        Owner::Ours
    );
}

/// Prism's `sl-violations` with one message per entry.
fn saying(messages: &[&str]) -> String {
    let list: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| serde_json::json!({"location": ["request", "body"], "message": m}))
        .collect();
    serde_json::Value::Array(list).to_string()
}

#[test]
fn a_form_field_that_is_not_a_string_is_read_as_one_by_prism() {
    let attributes = refused(
        400,
        &saying(&["Request body property attributes must be object"]),
    );
    let owner = |media: &str| call(&attributes, &sending(media)).unwrap().owner;
    assert_eq!(owner("multipart/form-data"), Owner::Prism);
    assert_eq!(owner("application/x-www-form-urlencoded"), Owner::Prism);
    assert_eq!(owner("application/json"), Owner::Ours);
    // A violation the form fault does not explain keeps the call ours.
    let mixed = refused(
        400,
        &saying(&[
            "Request body property attributes must be object",
            "Request body must have required property 'name'",
        ]),
    );
    assert_eq!(
        call(&mixed, &sending("multipart/form-data")).unwrap().owner,
        Owner::Ours
    );
}

#[test]
fn object_items_of_a_query_array_are_read_as_strings_by_prism() {
    let c = refused(
        400,
        &saying(&["Request query parameter mdfilters.0 must be object"]),
    );
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Prism);
}

#[test]
fn a_path_key_with_a_fragment_is_the_specs() {
    let c = Call {
        path: "/shared_items#folders".into(),
        status: Some(200),
        error: Some("decode: missing field `item_collection`".into()),
        ..Call::default()
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Spec);
}

#[test]
fn a_body_whose_schema_its_media_type_cannot_carry_is_the_specs() {
    let string = refused(422, &saying(&["Request body must be string"]));
    assert_eq!(
        call(&string, &sending("multipart/form-data"))
            .unwrap()
            .owner,
        Owner::Spec
    );
    assert_eq!(
        call(&string, &sending("application/json")).unwrap().owner,
        Owner::Ours
    );
    let object = refused(422, &saying(&["Request body must be object"]));
    assert_eq!(
        call(&object, &sending("application/octet-stream"))
            .unwrap()
            .owner,
        Owner::Spec
    );
}

#[test]
fn a_content_type_parameter_with_an_enum_is_prisms_to_ignore() {
    let c = refused(
        400,
        &saying(&["Request header parameter content-type must be equal to one of the allowed values: application/x-tar"]),
    );
    assert_eq!(
        call(&c, &sending("application/octet-stream"))
            .unwrap()
            .owner,
        Owner::Prism
    );
}

#[test]
fn a_long_violation_list_is_read_past_prisms_prefix_and_up_to_its_cut() {
    let c = Call {
        status: Some(200),
        error: Some("decode: data did not match any variant of untagged enum Item".into()),
        violations: Some(
            r#"Too many violations! [{"location":["response","body","items","0","type"],"severity":"Error","message":"must be equal to one of the allowed values: 1"},{"location":["response","body","items","1","ty"#
                .into(),
        ),
        ..Call::default()
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Prism);
}

#[test]
fn a_query_path_key_routed_to_the_bare_path_and_refused_there_is_prisms() {
    let c = Call {
        path: "/v1/messages?beta=true".into(),
        ..refused(
            422,
            &saying(&[
                "Request body must NOT have additional properties; found 'context_management'",
            ]),
        )
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Prism);
}

#[test]
fn a_head_answered_500_without_body_or_violations_is_prisms() {
    let c = Call {
        method: "HEAD".into(),
        status: Some(500),
        success_declared: true,
        ..Call::default()
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Prism);
}

#[test]
fn a_body_whose_one_of_branches_overlap_is_the_specs() {
    let c = Call {
        target: "prism".into(),
        error: Some("no sample for the body: #/paths/~1a/post/requestBody/content/application~1json/schema: each branch's value matches another branch too: the `oneOf` branches overlap (properties alike, extra keys allowed), so no value the spec describes matches exactly one".into()),
        ..Call::default()
    };
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Spec);
}

#[test]
fn a_form_field_required_but_not_declared_is_dropped_by_prism() {
    let c = refused(
        400,
        &saying(&["Request body must have required property 'grant_type'"]),
    );
    let declared = Media {
        form_undeclared_required: vec!["grant_type".into()],
        ..sending("application/x-www-form-urlencoded")
    };
    assert_eq!(call(&c, &declared).unwrap().owner, Owner::Prism);
    assert_eq!(
        call(&c, &sending("application/x-www-form-urlencoded"))
            .unwrap()
            .owner,
        Owner::Ours
    );
}

#[test]
fn a_required_query_parameter_of_objects_is_the_specs() {
    let c = refused(
        422,
        &saying(&["Request query must have required property 'timeline'"]),
    );
    let declared = Media {
        object_query_params: vec!["timeline".into()],
        ..Media::default()
    };
    assert_eq!(call(&c, &declared).unwrap().owner, Owner::Spec);
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Ours);
}

#[test]
fn a_string_for_a_number_with_a_pattern_is_prisms() {
    let c = Call {
        status: Some(200),
        error: Some(
            r#"decode: invalid type: string "5j", expected f64 at line 1 column 9; body: {"discount":"5j"}"#
                .into(),
        ),
        ..Call::default()
    };
    let declared = Media {
        number_patterns: vec!["discount".into()],
        ..Media::default()
    };
    assert_eq!(call(&c, &declared).unwrap().owner, Owner::Prism);
    assert_eq!(call(&c, &Media::default()).unwrap().owner, Owner::Ours);
}
