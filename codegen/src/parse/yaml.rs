//! YAML to `serde_json::Value`, through yaml-rust2's event parser.
//!
//! Why not serde_yaml: it is deprecated upstream and refuses integers outside i64 (openai.yaml has
//! `minimum: -9223372036854776000`). yaml-rust2 is maintained and reads them; its event API lets
//! this module build the tree with an explicit stack (no recursion, so no stack overflow on deep
//! input), bound alias expansion, and turn YAML's non-string keys (`200:`) into JSON strings.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

use super::{MAX_DEPTH, MAX_NODES};
use crate::error::{Error, ErrorKind, Location};

enum Frame {
    Seq {
        anchor: usize,
        items: Vec<Value>,
    },
    Map {
        anchor: usize,
        map: Map<String, Value>,
        key: Option<String>,
    },
}

struct Builder<'a> {
    file: &'a str,
    stack: Vec<Frame>,
    anchors: Vec<(usize, Value, usize)>, // (anchor id, value, node count)
    nodes: usize,
    root: Option<Value>,
}

/// Loads the first document of a YAML stream.
pub fn load(file: &str, text: &str) -> Result<Value, Error> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        file,
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        root: None,
    };
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| syntax(file, e.marker(), e.info()))?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd if b.root.is_some() => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let index = b
                    .anchors
                    .iter()
                    .rposition(|(a, _, _)| *a == id)
                    .ok_or_else(|| syntax(file, &mark, "alias to an unknown anchor"))?;
                // Count before cloning, so an alias bomb stops before it allocates.
                b.count(b.anchors[index].2, &mark)?;
                let value = b.anchors[index].1.clone();
                b.push_value(value, &mark)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                b.count(1, &mark)?;
                let value = scalar(text, style, tag.as_ref().map(|t| t.suffix.as_str()));
                if anchor > 0 {
                    b.anchors.push((anchor, value.clone(), 1));
                }
                b.push_value(value, &mark)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(
                    Frame::Seq {
                        anchor,
                        items: Vec::new(),
                    },
                    &mark,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(
                    Frame::Map {
                        anchor,
                        map: Map::new(),
                        key: None,
                    },
                    &mark,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, value) = match b.stack.pop() {
                    Some(Frame::Seq { anchor, items }) => (anchor, Value::Array(items)),
                    Some(Frame::Map { anchor, map, .. }) => (anchor, Value::Object(map)),
                    None => return Err(syntax(file, &mark, "unbalanced collection end")),
                };
                if anchor > 0 {
                    b.anchors.push((anchor, value.clone(), count_nodes(&value)));
                }
                b.push_value(value, &mark)?;
            }
        }
    }
    Ok(b.root.unwrap_or(Value::Null))
}

impl Builder<'_> {
    fn count(&mut self, n: usize, mark: &Marker) -> Result<(), Error> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(Error {
                file: self.file.to_owned(),
                location: location(mark),
                kind: ErrorKind::Limit(format!(
                    "the document expands to more than {MAX_NODES} nodes (YAML aliases?)"
                )),
            });
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, mark: &Marker) -> Result<(), Error> {
        self.count(1, mark)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error {
                file: self.file.to_owned(),
                location: location(mark),
                kind: ErrorKind::Limit(format!("nesting deeper than {MAX_DEPTH} levels")),
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn push_value(&mut self, value: Value, mark: &Marker) -> Result<(), Error> {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => *key = Some(key_string(value)),
                Some(k) if k == "<<" => merge(map, value),
                Some(k) => {
                    if map.contains_key(&k) {
                        return Err(syntax(self.file, mark, &format!("duplicate key `{k}`")));
                    }
                    map.insert(k, value);
                }
            },
        }
        Ok(())
    }
}

/// YAML merge keys (`<<: *base`): keys already present win.
fn merge(map: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(source) = source {
            for (k, v) in source {
                map.entry(k).or_insert(v);
            }
        }
    }
}

fn key_string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

fn scalar(text: String, style: TScalarStyle, tag: Option<&str>) -> Value {
    if style != TScalarStyle::Plain || tag == Some("str") {
        return Value::String(text);
    }
    match Yaml::from_str(&text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(r) => real(&r).unwrap_or(Value::String(text)),
        _ => {
            // Integers beyond i64 that Yaml::from_str leaves as strings or reals.
            if let Ok(u) = text.parse::<u64>() {
                Value::Number(u.into())
            } else {
                Value::String(text)
            }
        }
    }
}

fn real(text: &str) -> Option<Value> {
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::Number(u.into()));
    }
    let f: f64 = match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" => f64::INFINITY,
        "-.inf" | "-.Inf" | "-.INF" => f64::NEG_INFINITY,
        _ => text.parse().ok()?,
    };
    // JSON has no NaN or infinity: keep such values as text.
    Number::from_f64(f)
        .map(Value::Number)
        .or_else(|| Some(Value::String(text.to_owned())))
}

fn count_nodes(value: &Value) -> usize {
    let mut count = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

fn location(mark: &Marker) -> Location {
    Location::Line {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

fn syntax(file: &str, mark: &Marker, message: &str) -> Error {
    Error {
        file: file.to_owned(),
        location: location(mark),
        kind: ErrorKind::Syntax {
            format: "YAML",
            message: message.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_keys_become_strings() {
        let v = load("a.yaml", "responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v, json!({"responses": {"200": {"description": "ok"}}}));
    }

    #[test]
    fn integers_beyond_i64_are_kept_as_numbers() {
        let v = load(
            "a.yaml",
            "min: -9223372036854776000\nmax: 18446744073709551615\n",
        )
        .unwrap();
        assert!(v["min"].as_f64().unwrap() < -9.2e18);
        assert_eq!(v["max"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let v = load("a.yaml", "a: '200'\nb: \"true\"\nc: true\nd: ~\n").unwrap();
        assert_eq!(v, json!({"a": "200", "b": "true", "c": true, "d": null}));
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let v = load(
            "a.yaml",
            "base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n",
        )
        .unwrap();
        assert_eq!(v["use"], json!({"x": 1}));
        assert_eq!(v["merged"], json!({"x": 1, "y": 2}));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = load("bomb.yaml", &text).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut text = String::new();
        for i in 0..5000 {
            text.push_str(&" ".repeat(i));
            text.push_str("a:\n");
        }
        let e = load("deep.yaml", &text).unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::Limit(_) | ErrorKind::Syntax { .. }),
            "{e}"
        );
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let e = load("bad.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(e.location, Location::Line { .. }), "{e}");
        assert!(matches!(e.kind, ErrorKind::Syntax { format: "YAML", .. }));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let e = load("dup.yaml", "a: 1\na: 2\n").unwrap_err();
        assert!(e.to_string().contains("duplicate key"), "{e}");
    }
}
