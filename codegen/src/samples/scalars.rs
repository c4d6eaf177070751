//! Strings, integers and numbers within a schema's formats, bounds, lengths and `multipleOf`.

use serde_json::{Number, Value};

use super::pattern;
use super::rng::Rng;
use crate::openapi::{Bound, Schema};

/// A string for the schema, or why none can be made (an unsupported pattern, lengths that
/// contradict the format).
pub fn string(schema: &Schema, rng: &mut Rng) -> Result<Value, String> {
    let min = schema.min_length.unwrap_or(0) as usize;
    let max = schema.max_length.map(|m| m as usize);
    if let Some(p) = &schema.pattern {
        // A few tries: unbounded repeats may fall outside the lengths on one try.
        for _ in 0..8 {
            let s = pattern::generate_sized(p, min, max, rng)
                .map_err(|e| format!("pattern `{p}` not generated ({})", e.0))?;
            let n = s.chars().count();
            if n >= min && max.is_none_or(|m| n <= m) {
                return Ok(Value::String(s));
            }
        }
        return Err(format!(
            "pattern `{p}` gave no string of length {min}..{}",
            max.map_or("".into(), |m| m.to_string())
        ));
    }
    if let Some(s) = formatted(schema.format.as_deref().unwrap_or(""), rng) {
        let n = s.chars().count();
        if n >= min && max.is_none_or(|m| n <= m) {
            return Ok(Value::String(s));
        }
        // Lengths win over a format they contradict only when the format is not a syntax.
        if is_syntax(schema.format.as_deref().unwrap_or("")) {
            return Err(format!(
                "format `{}` cannot be written in {min}..{} characters",
                schema.format.as_deref().unwrap_or(""),
                max.map_or("".into(), |m| m.to_string())
            ));
        }
    }
    if max.is_some_and(|m| m < min) {
        return Err(format!(
            "maxLength {} below minLength {min}",
            max.unwrap_or(0)
        ));
    }
    let hi = max.unwrap_or(min.max(3) + 9).min(min.max(3) + 9);
    let len = rng.range(min.max(1.min(hi)) as u64, hi as u64) as usize;
    Ok(Value::String(word(len, rng)))
}

/// Formats whose values have a fixed syntax: a plain word would be invalid.
fn is_syntax(format: &str) -> bool {
    matches!(
        format,
        "date-time" | "date" | "time" | "uuid" | "email" | "uri" | "url" | "ipv4" | "ipv6"
    )
}

/// A value of a string format, `None` for formats without a syntax (`password`, unknown ones).
fn formatted(format: &str, rng: &mut Rng) -> Option<String> {
    let d = |rng: &mut Rng, lo: u64, hi: u64| rng.range(lo, hi);
    Some(match format {
        "date-time" => format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            d(rng, 10, 30),
            d(rng, 1, 12),
            d(rng, 1, 28),
            d(rng, 0, 23),
            d(rng, 0, 59),
            d(rng, 0, 59)
        ),
        "date" => format!(
            "20{:02}-{:02}-{:02}",
            d(rng, 10, 30),
            d(rng, 1, 12),
            d(rng, 1, 28)
        ),
        "time" => format!(
            "{:02}:{:02}:{:02}Z",
            d(rng, 0, 23),
            d(rng, 0, 59),
            d(rng, 0, 59)
        ),
        "uuid" => {
            let h = |rng: &mut Rng, n: usize| -> String {
                (0..n)
                    .map(|_| char::from_digit(rng.below(16) as u32, 16).unwrap_or('0'))
                    .collect()
            };
            format!(
                "{}-{}-4{}-{}{}-{}",
                h(rng, 8),
                h(rng, 4),
                h(rng, 3),
                ['8', '9', 'a', 'b'][rng.below(4) as usize],
                h(rng, 3),
                h(rng, 12)
            )
        }
        "email" => format!("{}@example.com", word(rng.range(3, 8) as usize, rng)),
        "uri" | "url" | "iri" => format!(
            "https://example.com/{}",
            word(rng.range(3, 8) as usize, rng)
        ),
        "uri-reference" | "iri-reference" => format!("/{}", word(rng.range(3, 8) as usize, rng)),
        "hostname" | "idn-hostname" => {
            format!("{}.example.com", word(rng.range(3, 8) as usize, rng))
        }
        "ipv4" => format!("192.0.2.{}", d(rng, 1, 254)),
        "ipv6" => format!("2001:db8::{:x}", d(rng, 1, 0xffff)),
        "byte" => base64(
            &(0..rng.range(3, 9))
                .map(|_| rng.below(256) as u8)
                .collect::<Vec<_>>(),
        ),
        "int32" | "int64" | "integer" => d(rng, 0, 100_000).to_string(),
        "decimal" | "double" | "float" | "number" => {
            format!("{}.{:02}", d(rng, 0, 1000), d(rng, 0, 99))
        }
        "duration" => format!("P{}D", d(rng, 1, 30)),
        _ => return None,
    })
}

/// Lower-case letters, `len` of them.
pub fn word(len: usize, rng: &mut Rng) -> String {
    (0..len)
        .map(|_| (b'a' + rng.below(26) as u8) as char)
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The inclusive bounds a schema puts on a number, in 3.0 and 3.1 spelling.
fn bounds(schema: &Schema) -> (Option<f64>, bool, Option<f64>, bool) {
    let f = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
    let (mut lo, mut lo_excl) = (f(&schema.minimum), false);
    let (mut hi, mut hi_excl) = (f(&schema.maximum), false);
    match &schema.exclusive_minimum {
        Some(Bound::Flag(true)) => lo_excl = true,
        Some(Bound::Value(n)) => {
            lo = n.as_f64();
            lo_excl = true;
        }
        _ => {}
    }
    match &schema.exclusive_maximum {
        Some(Bound::Flag(true)) => hi_excl = true,
        Some(Bound::Value(n)) => {
            hi = n.as_f64();
            hi_excl = true;
        }
        _ => {}
    }
    (lo, lo_excl, hi, hi_excl)
}

/// An integer within the bounds, the format's range and `multipleOf`.
pub fn integer(schema: &Schema, rng: &mut Rng) -> Result<Value, String> {
    let (lo, lo_excl, hi, hi_excl) = bounds(schema);
    let (fmt_lo, fmt_hi) = match schema.format.as_deref() {
        Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
        Some("uint32") => (0.0, f64::from(u32::MAX)),
        Some("uint64") | Some("uint") => (0.0, 9.0e15),
        Some("int8") => (-128.0, 127.0),
        Some("uint8") => (0.0, 255.0),
        Some("int16") => (-32768.0, 32767.0),
        Some("uint16") => (0.0, 65535.0),
        _ => (-9.0e15, 9.0e15),
    };
    let mut lo = lo
        .map_or(fmt_lo.max(0.0), |l| {
            if lo_excl {
                l.floor() + 1.0
            } else {
                l.ceil()
            }
        })
        .max(fmt_lo);
    let hi = hi
        .map_or(fmt_hi.min(lo.max(0.0) + 1000.0), |h| {
            if hi_excl {
                h.ceil() - 1.0
            } else {
                h.floor()
            }
        })
        .min(fmt_hi);
    if hi < lo {
        return Err(format!("no integer between {lo} and {hi}"));
    }
    // Small values first: a mock's generated bounds and a human's reading are both happier.
    let span_hi = hi.min(lo + 1000.0);
    let multiple = schema
        .multiple_of
        .as_ref()
        .and_then(Number::as_f64)
        .filter(|m| *m > 0.0 && m.fract() == 0.0);
    if let Some(m) = multiple {
        let first = (lo / m).ceil();
        let last = (hi / m).floor().min(first + 100.0);
        if last < first {
            return Err(format!("no multiple of {m} between {lo} and {hi}"));
        }
        let k = first + rng.range(0, (last - first) as u64) as f64;
        lo = k * m;
        return Ok(Value::from(lo as i64));
    }
    let v = lo + rng.range(0, (span_hi - lo) as u64) as f64;
    Ok(Value::from(v as i64))
}

/// A number within the bounds and `multipleOf`, with at most two decimals.
pub fn number(schema: &Schema, rng: &mut Rng) -> Result<Value, String> {
    // An integer format on `type: number` (ideal-postcodes' `daily.limit`, `format: int32`):
    // validators check it (Prism: "must match format \"int32\""), so the number is whole.
    if matches!(
        schema.format.as_deref(),
        Some(
            "int8"
                | "int16"
                | "int32"
                | "int64"
                | "uint"
                | "uint8"
                | "uint16"
                | "uint32"
                | "uint64"
        )
    ) {
        return integer(schema, rng);
    }
    let (lo, lo_excl, hi, hi_excl) = bounds(schema);
    let lo_v = lo.unwrap_or(0.0_f64.min(hi.unwrap_or(0.0) - 100.0));
    let hi_v = hi.unwrap_or(lo_v.max(0.0) + 1000.0);
    if hi_v < lo_v || (hi_v == lo_v && (lo_excl || hi_excl)) {
        return Err(format!("no number between {lo_v} and {hi_v}"));
    }
    if let Some(m) = schema
        .multiple_of
        .as_ref()
        .and_then(Number::as_f64)
        .filter(|m| *m > 0.0)
    {
        let first = (lo_v / m).ceil() + f64::from(u8::from(lo_excl && (lo_v / m).fract() == 0.0));
        let last = (hi_v / m).floor() - f64::from(u8::from(hi_excl && (hi_v / m).fract() == 0.0));
        if last < first {
            return Err(format!("no multiple of {m} between {lo_v} and {hi_v}"));
        }
        let k = first + rng.range(0, (last - first).min(100.0) as u64) as f64;
        return Ok(float_value(k * m));
    }
    for _ in 0..16 {
        let span = (hi_v - lo_v).min(1000.0);
        let v = lo_v + (rng.below(((span * 100.0) as u64).max(1) + 1) as f64) / 100.0;
        let v = (v * 100.0).round() / 100.0;
        let inside = (v > lo_v || (!lo_excl && v >= lo_v)) && (v < hi_v || (!hi_excl && v <= hi_v));
        if inside {
            return Ok(float_value(v));
        }
    }
    Ok(float_value((lo_v + hi_v) / 2.0))
}

/// A JSON number; integral values are written as integers (`3`, not `3.0`).
fn float_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        Number::from_f64(v).map_or(Value::from(0), Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: serde_json::Value) -> Schema {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn integers_respect_bounds_and_multiples() {
        let s = schema(
            serde_json::json!({"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 5}),
        );
        for seed in 0..50 {
            let v = integer(&s, &mut Rng::new(seed)).unwrap().as_i64().unwrap();
            assert!([10, 15, 20].contains(&v), "{v}");
        }
        let s = schema(
            serde_json::json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2}),
        );
        assert_eq!(integer(&s, &mut Rng::new(3)).unwrap(), 1);
        let s = schema(serde_json::json!({"type": "integer", "minimum": 5, "maximum": 1}));
        assert!(integer(&s, &mut Rng::new(3)).is_err());
    }

    #[test]
    fn numbers_respect_exclusive_bounds() {
        let s = schema(
            serde_json::json!({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": true}),
        );
        for seed in 0..50 {
            let v = number(&s, &mut Rng::new(seed)).unwrap().as_f64().unwrap();
            assert!(v > 0.0 && v <= 1.0, "{v}");
        }
        let s = schema(
            serde_json::json!({"type": "number", "multipleOf": 0.5, "minimum": 1, "maximum": 2}),
        );
        let v = number(&s, &mut Rng::new(1)).unwrap().as_f64().unwrap();
        assert!([1.0, 1.5, 2.0].contains(&v));
    }

    #[test]
    fn strings_have_formats_and_lengths() {
        let mut rng = Rng::new(9);
        let s = schema(serde_json::json!({"type": "string", "format": "uuid"}));
        let v = string(&s, &mut rng).unwrap();
        assert_eq!(v.as_str().unwrap().len(), 36);
        let s = schema(serde_json::json!({"type": "string", "minLength": 20, "maxLength": 20}));
        assert_eq!(string(&s, &mut rng).unwrap().as_str().unwrap().len(), 20);
        let s =
            schema(serde_json::json!({"type": "string", "format": "date-time", "maxLength": 5}));
        assert!(string(&s, &mut rng).is_err());
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        let s = schema(serde_json::json!({"type": "string", "pattern": "(?=x)"}));
        assert!(string(&s, &mut rng).unwrap_err().contains("pattern"));
    }
}
